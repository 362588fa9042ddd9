"""How a reply reaches the person is decided in the core, without Telegram."""

from datetime import date
from decimal import Decimal

from bot.core import present
from bot.core.model import Candidate, Entry, Offer, Reply

TODAY = date(2024, 6, 1)


def say(lang, name, **context):
    return f"{lang}:{name}:{sorted(context.items())}"


def _data(shown):
    return [[b["callback_data"] for b in row] for row in shown.keyboard["inline_keyboard"]]


def _reply(action, **fields):
    return Reply(question="vraag", language="nl", action=action, text="tekst", **fields)


def test_an_answer_is_shown_with_its_votes():
    shown = present.shown(_reply("answer", entry_id="a.nl"), say, takes=())
    assert shown.text == "tekst"
    assert _data(shown) == [["v:+:a.nl", "v:-:a.nl"]]


def test_a_clarify_shows_the_candidates_and_a_staff_member():
    reply = _reply("clarify", candidates=(Candidate("a.nl", "A?", 0.5),))
    assert _data(present.shown(reply, say, takes=())) == [["e:a.nl"], ["h:nl"]]


def test_smalltalk_goes_out_as_it_is():
    assert present.shown(_reply("smalltalk"), say, takes=()) == present.Shown("tekst")


def test_an_escalation_goes_to_a_person():
    assert present.shown(_reply("escalate"), say, takes=("allowance",)) is None


def test_an_allowance_offer_stands_in_place_of_the_hand_off_with_a_staff_member_beside_it():
    reply = _reply("escalate", offer=Offer("allowance", Decimal(45)))
    shown = present.shown(reply, say, takes=("allowance",))
    assert shown.text == say("nl", "alw_offer")
    assert _data(shown) == [["a:go:nl:45", "h:nl"]]


def test_a_check_the_chat_cannot_take_up_is_not_offered():
    """In a group, or when the check is not plugged in, the reply goes out as without it."""
    escalated = _reply("escalate", offer=Offer("allowance"))
    assert present.shown(escalated, say, takes=()) is None
    answered = _reply("answer", entry_id="a.nl", offer=Offer("insurance"))
    assert _data(present.shown(answered, say, takes=("allowance",))) == [["v:+:a.nl", "v:-:a.nl"]]


def test_an_offered_check_goes_under_the_answer_as_an_extra_row():
    answered = _reply("answer", entry_id="a.nl", offer=Offer("insurance"))
    assert _data(present.shown(answered, say, takes=("insurance",)))[-1] == ["i:go:nl"]


def test_a_thumbs_down_shows_the_alternatives_or_says_there_are_none():
    none = present.alternatives((), "fr", say)
    assert none.text == say("fr", "tg_alternatives", found=False)
    assert _data(none) == [["h:fr"]]


def test_a_topic_shows_its_overview_its_questions_and_back():
    entry = Entry("a.nl", "nl", "a", "allowances", "A?", (), "", (), TODAY, TODAY)
    shown = present.topic("allowances", "Vergoedingen", [entry], "nl", say, has_article=True)
    assert shown.text == say("nl", "tg_topic", title="Vergoedingen", count=1)
    assert _data(shown) == [["ar:nl:allowances"], ["q:a.nl"], ["tl:nl"]]


def test_a_browsed_answer_past_its_review_date_goes_to_a_person_as_a_typed_one_would():
    assert present.browsed(_reply("escalate"), "allowances") is None
    shown = present.browsed(_reply("answer", entry_id="a.nl"), "allowances")
    assert _data(shown) == [["v:+:a.nl", "v:-:a.nl"], ["t:nl:allowances"]]
    article = present.browsed(_reply("answer"), "allowances")
    assert _data(article) == [["t:nl:allowances"]]


def test_the_welcome_comes_in_both_languages_the_persons_own_first_with_language_buttons():
    shown = present.welcome("fr", say)
    assert shown.text.index(say("fr", "tg_welcome")) < shown.text.index(say("nl", "tg_welcome"))
    assert _data(shown) == [["l:nl", "l:fr"]]


def test_erasing_asks_first_with_yes_and_no():
    assert _data(present.erase_question("nl", say)) == [["x:nl:yes", "x:nl:no"]]


def test_a_pasted_letter_is_asked_for_its_question_with_its_length_and_the_limit():
    shown = present.too_long("x" * 1600, "nl", say)
    assert shown == present.Shown(say("nl", "tg_too_long", length=1600, limit=1500))
