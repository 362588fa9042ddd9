"""Presses that do not come from a button on the bot's message now are answered with a
clear popup and go no further: inline-mode presses (no message), presses on messages too old
to show, forged data and second taps on a button the bot already removed (issue 12 #9)."""

import logging

import pytest

from bot.testing.fake_bot_api import FakeBotAPI

ELSEWHERE_NL = "Deze knop werkt alleen in ons gesprek."
STALE_NL = "Deze knop is niet meer beschikbaar."
EVERY_KIND = [
    "tk:confirm:1", "tk:up:1", "x:nl:yes", "x:fr:no", "st:claim:1", "v:+:insurance.car.nl",
    "v:-:insurance.car.nl", "l:fr", "e:insurance.car.nl", "tl:nl", "t:nl:insurance",
    "q:insurance.car.nl", "ar:nl:insurance", "h:nl", "a:cancel", "zz-unknown",
]


def no_errors(caplog) -> None:
    failed = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert not failed, [r.getMessage() for r in failed]


def only_answers(bot_api: FakeBotAPI, before: int) -> list[dict]:
    """The calls the bot made since `before`: nothing but answers to presses, all accepted."""
    made = [c for c in bot_api.log[before:] if c.method != "getUpdates"]
    assert {c.method for c in made} <= {"answerCallbackQuery"}, [c.method for c in made]
    assert all(c.status == 200 for c in made)
    return [c.params for c in made]


@pytest.mark.parametrize("data", EVERY_KIND)
async def test_an_inline_mode_press_gets_a_popup_and_nothing_else(
    bot_api, escalation_bot, caplog, data
):
    """A press on an inline-mode message (inline_message_id, no message) is answered with a
    popup saying where the buttons work; no handler fails and nothing else is sent."""
    async with escalation_bot():
        before = len(bot_api.log)
        with caplog.at_level(logging.INFO):
            bot_api.user_presses_inline(data)
            answer = await bot_api.next_call("answerCallbackQuery")
        assert answer["text"].startswith(ELSEWHERE_NL)
    no_errors(caplog)
    assert len(only_answers(bot_api, before)) == 1


async def test_a_french_inline_press_is_answered_in_french(bot_api, escalation_bot):
    async with escalation_bot():
        bot_api.user_presses_inline("x:fr:yes", language_code="fr")
        answer = await bot_api.next_call("answerCallbackQuery")
    assert answer["text"].startswith("Ce bouton ne fonctionne que dans notre conversation")


async def test_erase_on_a_message_too_old_to_show_runs_no_erase_handler(
    bot_api, escalation_bot, storage, today, caplog
):
    """'Yes, erase' on a message Telegram no longer shows us: one answer (a second would be
    refused by Telegram), nothing erased, no traceback."""
    storage.set_chat_language(42, "fr", today=today)
    async with escalation_bot():
        bot_api.user_says(42, "/vergeet")
        ask = await bot_api.next_call("sendMessage", chat_id=42)
        with caplog.at_level(logging.INFO):
            bot_api.forged_press(42, ask.message_id, "x:nl:yes", inaccessible=True)
            answer = await bot_api.next_call("answerCallbackQuery")
        assert answer["text"] == "Ce bouton n'est plus disponible."  # the chat's language
        # The real erase still works from the message itself.
        bot_api.user_presses(42, ask.message_id, label="Ja, wis alles")
        await bot_api.next_call("editMessageText", chat_id=42)
    no_errors(caplog)
    assert bot_api.attempts("answerCallbackQuery")[0].status == 200
    assert storage.chat_language(42) is None


async def test_data_that_is_not_a_button_of_the_message_is_refused(
    bot_api, escalation_bot, storage, today, caplog
):
    """A forged press ('x:nl:yes' on a message whose buttons say something else) changes
    nothing and is told the button is not there."""
    storage.set_chat_language(42, "nl", today=today)
    async with escalation_bot():
        bot_api.user_says(42, "/start")
        welcome = await bot_api.next_call("sendMessage", chat_id=42)
        before = len(bot_api.log)
        bot_api.forged_press(42, welcome.message_id, "x:nl:yes")
        answer = await bot_api.next_call("answerCallbackQuery")
    assert answer["text"] == STALE_NL
    assert len(only_answers(bot_api, before)) == 1
    assert storage.chat_language(42) == "nl"
    no_errors(caplog)


@pytest.mark.parametrize("data", ["t:nl", "ar:", "x:", "v:+:allowances.removed-since.nl",
                                  "e:allowances.removed-since.nl", "q:gone.nl", "zz:1"])
async def test_a_button_of_an_older_bot_version_is_answered_plainly(
    bot_api, escalation_bot, caplog, data
):
    """A button the bot showed before an update (data it no longer writes, an entry since
    removed from the knowledge base) gets the 'no longer available' popup, no traceback."""
    async with escalation_bot():
        posted = bot_api.bot_posted(42, "Een oud antwoord", [[("Knop", data)]])
        before = len(bot_api.log)
        bot_api.user_presses(42, posted["message_id"], data)
        answer = await bot_api.next_call("answerCallbackQuery")
    assert answer["text"] == STALE_NL
    assert len(only_answers(bot_api, before)) == 1
    no_errors(caplog)
