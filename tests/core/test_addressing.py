"""Which group messages and which button presses are for the bot, without Telegram."""

from bot.core.addressing import is_addressed, press_refusal, without_mention


def addressed(text, mentions=(), replied_to_bot=False):
    return is_addressed(text, mentions=mentions, replied_to_bot=replied_to_bot,
                        bot_username="VrijwilBot")


def test_a_command_to_no_bot_or_to_this_one_is_for_the_bot():
    assert addressed("/help")
    assert addressed("/taal@vrijwilbot fr")
    assert not addressed("/help@OtherBot")


def test_a_mention_or_a_reply_to_the_bot_is_for_it_and_the_groups_own_talk_is_not():
    assert addressed("@vrijwilbot hoeveel mag ik krijgen?", mentions=["@VrijwilBot"])
    assert addressed("en als het 3 dagen zijn?", replied_to_bot=True)
    assert not addressed("wie komt er zaterdag?", mentions=["@someone"])


def test_a_command_to_another_bot_stays_theirs_even_when_it_mentions_ours():
    assert not addressed("/help@OtherBot @VrijwilBot", mentions=["@VrijwilBot"])


def test_the_question_is_read_without_the_mention():
    assert without_mention("@VrijwilBot  hoeveel mag ik krijgen?", "VrijwilBot") == (
        "hoeveel mag ik krijgen?")
    assert without_mention("hoeveel  mag ik", "VrijwilBot") == "hoeveel  mag ik"


def test_only_a_press_on_a_button_the_message_shows_now_reaches_a_handler():
    assert press_refusal("v:+:a.nl", {"v:+:a.nl", "v:-:a.nl"}, elsewhere=False) is None
    # The 👍 tapped again after the bot removed it, or forged data: refused.
    assert press_refusal("v:+:a.nl", {"tl:nl"}, elsewhere=False) == "tg_press_stale"
    assert press_refusal(None, {"tl:nl"}, elsewhere=False) == "tg_press_stale"


def test_a_press_on_a_message_we_cannot_see_or_without_one_is_refused_saying_why():
    assert press_refusal("tl:nl", None, elsewhere=False) == "tg_press_stale"
    assert press_refusal("tl:nl", None, elsewhere=True) == "tg_press_elsewhere"
