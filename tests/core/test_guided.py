"""The guided conversations' engine without Telegram: asking, reading, pausing, expiring."""

from datetime import date

import pytest

from bot.core.guided import looks_like_question
from bot.core.guided.insurance import InsuranceGuide

TODAY = date(2026, 3, 2)


def say(lang: str, name: str, **context: object) -> str:
    """A stand-in for the templates: the template's name and what it was given."""
    return f"[{lang}/{name} {sorted(context.items())}]"


@pytest.mark.parametrize("text", [
    "Hoeveel mag ik krijgen als ik 3 dagen help op een festival?",
    "Combien puis-je recevoir si j'aide 3 jours à un festival ?",
    "moet ik dat aangeven bij de RVA",
    "Ben ik verzekerd als ik val?",
    "En als ik 3 dagen help, hoeveel dan?",
])
def test_a_plain_question_is_recognised(text):
    """Messages that ask something are questions, with or without a question mark."""
    assert looks_like_question(text)


@pytest.mark.parametrize(
    "text", ["veel", "-5", "peut-être", "ongeveer 12 dagen", "12?", "ongeveer 300 km?"]
)
def test_a_wrong_answer_is_not_a_question(text):
    """Short or answer-like messages are refused answers, asked again."""
    assert not looks_like_question(text)


def test_a_new_question_leaves_the_step_open_and_pausing_offers_to_resume():
    """A question typed at a step changes nothing; the pause note offers resume and stop."""
    guide = InsuranceGuide(figures=None, entries={})  # type: ignore[arg-type]
    draft = guide.start("nl")
    assert guide.read(draft, "Ben ik verzekerd als ik val?", say, TODAY) is None
    assert draft.step == "form" and draft.answers == {}

    note = guide.paused(draft, say)
    assert [b.kind for b in note.rows[0]] == ["resume", "cancel"] and not note.ended
    again = guide.press(draft, "resume", "resume", say, TODAY)
    assert "nl/ins_form" in again.text


def test_an_answer_moves_on_and_back_returns():
    """A typed answer moves to the next question; Back forgets it."""
    guide = InsuranceGuide(figures=None, entries={})  # type: ignore[arg-type]
    draft = guide.start("fr")
    staff = guide.read(draft, "asbl", say, TODAY)
    assert staff is not None and "fr/ins_staff" in staff.text
    assert [b.kind for b in staff.rows[-1]] == ["back", "cancel"]
    guide.press(draft, "back", "back", say, TODAY)
    assert draft.step == "form" and draft.answers == {}


def test_expiring_ends_the_conversation_and_names_the_minutes():
    """An expired check ends, and the message says after how many minutes."""
    guide = InsuranceGuide(figures=None, entries={})  # type: ignore[arg-type]
    turn = guide.expired(guide.start("nl"), say, 15.0)
    assert turn.ended and "('minutes', '15')" in turn.text
