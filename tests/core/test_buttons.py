"""The buttons under replies are plain Bot API dicts, built without Telegram."""

from decimal import Decimal

from bot.core import buttons
from bot.core.model import Candidate, Offer


def _data(keyboard):
    return [[b["callback_data"] for b in row] for row in keyboard["inline_keyboard"]]


def test_an_answer_gets_thumbs_under_the_entries_it_leads_to():
    """An overview answer offers its entries first, then 👍/👎 on the answer itself."""
    related = (Candidate("allowances.ceiling.nl", "Hoeveel mag ik krijgen?", 1.0),)
    keyboard = buttons.feedback("allowances.overview.nl", related)
    assert _data(keyboard) == [["e:allowances.ceiling.nl"],
                               ["v:+:allowances.overview.nl", "v:-:allowances.overview.nl"]]


def test_a_clarify_always_ends_with_a_staff_member_in_the_chat_language():
    keyboard = buttons.candidates((), "fr")
    assert keyboard == {"inline_keyboard": [[{"text": "🙋 Un conseiller",
                                               "callback_data": "h:fr"}]]}


def test_a_button_whose_data_does_not_fit_in_64_bytes_is_left_out_not_sent():
    """Telegram refuses the whole message for one over-long button: drop the button."""
    long_id = "x" * 70
    keyboard = buttons.candidates((Candidate(long_id, "Vraag", 1.0),), "nl")
    assert _data(keyboard) == [["h:nl"]]


def test_long_questions_are_cut_to_one_line_labels():
    keyboard = buttons.candidates((Candidate("a.nl", "woord " * 30, 1.0),), "nl")
    label = keyboard["inline_keyboard"][0][0]["text"]
    assert len(label) <= buttons.MAX_LABEL and label.endswith("…")


def test_the_allowance_offer_carries_the_amount_the_question_named():
    offer = Offer("allowance", per_day=Decimal("45.00"))
    keyboard = buttons.offer_or_staff(offer, "nl")
    assert _data(keyboard) == [["a:go:nl:45.00", "h:nl"]]
    assert _data(buttons.with_offer(buttons.feedback("e.nl"), offer, "nl"))[-1] == [
        "a:go:nl:45.00"
    ]


def test_a_vote_removes_only_the_thumbs_and_leaves_back():
    browsed = buttons.browsed_answer("e.nl", "allowances", "nl")
    assert _data(buttons.without_votes(browsed)) == [["t:nl:allowances"]]
    assert buttons.without_votes(buttons.feedback("e.nl")) is None


def test_topics_come_two_to_a_row():
    found = [("a", "A"), ("b", "B"), ("c", "C")]
    assert _data(buttons.topics(found, "nl")) == [["t:nl:a", "t:nl:b"], ["t:nl:c"]]


def test_topic_questions_offer_the_overview_first_and_all_topics_last():
    keyboard = buttons.topic_questions((), "allowances", "fr", has_article=True)
    assert _data(keyboard) == [["ar:fr:allowances"], ["tl:fr"]]

