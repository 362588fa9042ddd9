"""One chat's guided check between its messages, without Telegram: what the chat's memory
keeps, which buttons still count, and the callback data they carry."""

from datetime import date
from typing import Any, ClassVar

from bot.core.guided import Button, Draft, Guide, Say, Turn
from bot.core.guided.session import Session, forget, handover_language
from bot.core.model import Language

TODAY = date(2026, 3, 2)


def say(lang: str, name: str, **context: object) -> str:
    """A stand-in for the templates: the template's name and what it was given."""
    return f"[{lang}/{name} {sorted(context.items())}]"


class TripDraft(Draft):
    def steps(self) -> tuple[str, ...]:
        return ("days", "km")

    def parse(self, text: str) -> Any:
        value = int(text)  # a ValueError for anything but a number
        if value < 0:
            raise ValueError("negative")
        return value


class TripGuide(Guide[TripDraft]):
    """Two questions and a verdict with a summary: enough to exercise every session path."""

    name, prefix, texts = "trip", "t", "trp"
    commands: ClassVar[dict[str, Language]] = {"rit": "nl", "trajet": "fr"}
    descriptions: ClassVar[dict[str, str]] = {"rit": "Reken een rit na",
                                              "trajet": "Calculer un trajet"}

    def start(self, lang: Language, offered: str = "") -> TripDraft:
        draft = TripDraft(lang)
        if offered:
            draft.answer(int(offered))
        return draft

    def choices(self, draft: TripDraft, today: date) -> list[list[tuple[str, str]]]:
        return [[("1", "1"), ("2", "2")]]

    def verdict(self, draft: TripDraft, say: Say, today: date) -> Turn:
        days, km = draft.answers["days"], draft.answers["km"]
        return Turn(f"{days * km} km", ((Button("", "handover"),),), ended=True,
                    summary=f"{days} days of {km} km")


def session(memory: dict[Any, Any]) -> Session:
    return Session(TripGuide(), memory, say, TODAY)


def staff(lang: Language) -> str:
    return f"staff-{lang}"


def test_a_command_asks_the_first_question_with_its_buttons_and_a_stop():
    """The intro and the first question; each button names the question it answers."""
    memory: dict[Any, Any] = {}
    turn = session(memory).start("nl")

    assert "nl/trp_intro" in turn.text and "nl/trp_days" in turn.text
    rows = session(memory).rows(turn, staff)
    assert rows[0] == [("1", "t:days:1"), ("2", "t:days:2")]
    assert rows[-1] == [("✖ Stoppen", "t:days:cancel")]
    assert isinstance(memory["trip"], TripDraft)


def test_an_answer_moves_on_and_a_button_of_the_earlier_question_is_stale():
    """Pressing 2 answers the first question; pressing its 1 afterwards changes nothing."""
    memory: dict[Any, Any] = {}
    session(memory).start("nl")

    turn = session(memory).pressed("t:days:2")
    assert turn is not None and "nl/trp_km" in turn.text

    later = session(memory)
    assert later.pressed("t:days:1") is None
    assert later.draft is not None and later.draft.answers == {"days": 2}


def test_the_verdict_ends_the_check_and_keeps_its_summary_for_the_staff_button():
    """After the verdict the answers are gone; its staff button asks with the situation."""
    memory: dict[Any, Any] = {}
    session(memory).start("fr")
    session(memory).typed("3")

    last = session(memory)
    verdict = last.typed("40")
    assert verdict is not None and verdict.ended and verdict.text == "120 km"
    assert "trip" not in memory
    assert last.rows(verdict, staff) == [[("staff-fr", "t:person:fr")]]
    assert session(memory).summary == "3 days of 40 km"
    assert handover_language("t:person:fr") == "fr"


def test_a_refused_answer_asks_the_same_question_again_with_the_reason():
    memory: dict[Any, Any] = {}
    session(memory).start("nl")
    turn = session(memory).typed("veel")
    assert turn is not None and "nl/trp_invalid" in turn.text and "nl/trp_days" in turn.text
    assert memory["trip"].step == "days"


def test_a_new_question_in_the_middle_leaves_the_check_one_tap_from_resuming():
    """The question is the adapter's to answer; then the check offers resume and stop."""
    memory: dict[Any, Any] = {}
    session(memory).start("nl")
    current = session(memory)

    assert current.typed("Hoeveel mag ik krijgen als ik 3 dagen help?") is None
    paused = current.paused()
    assert paused is not None
    assert current.rows(paused, staff) == [[("▶ Verder met de check", "t:days:resume"),
                                            ("✖ Stoppen", "t:days:cancel")]]
    again = session(memory).pressed("t:days:resume")
    assert again is not None and "nl/trp_days" in again.text


def test_stop_ends_the_check_and_drops_its_answers():
    memory: dict[Any, Any] = {}
    session(memory).start("nl")
    session(memory).pressed("t:days:2")

    turn = session(memory).pressed("t:km:cancel")

    assert turn is not None and turn.ended and "nl/trp_cancelled" in turn.text
    assert "trip" not in memory


def test_without_an_open_check_nothing_is_an_answer():
    """A text is a question, a button is stale, and there is nothing to resume."""
    idle = session({})
    assert idle.typed("3") is None
    assert idle.pressed("t:days:3") is None
    assert idle.paused() is None
    assert idle.expire(15) is None


def test_the_offer_under_a_reply_starts_in_its_language_with_what_it_carried():
    """The allowance offer carries an amount: its check starts past that question."""
    memory: dict[Any, Any] = {}
    turn = session(memory).start_offered("t:go:fr:3")
    assert "fr/trp_km" in turn.text and memory["trip"].answers == {"days": 3}


def test_an_offer_in_an_unknown_language_starts_in_dutch():
    assert "nl/trp_days" in session({}).start_offered("t:go:en").text


def test_expiry_drops_the_answers_and_names_the_minutes():
    memory: dict[Any, Any] = {}
    session(memory).start("nl")

    turn = session(memory).expire(15.0)

    assert turn is not None and turn.ended and "nl/trp_expired" in turn.text
    assert "'15'" in turn.text and "trip" not in memory


def test_erasure_forgets_the_check_in_progress_and_the_last_verdict():
    memory: dict[Any, Any] = {"trip_last": "3 days of 40 km", "other": 1}
    session(memory).start("nl")

    forget(TripGuide(), memory)

    assert memory == {"other": 1}


def test_the_command_menu_lists_each_command_in_its_language():
    assert TripGuide.menu() == {"nl": [("rit", "Reken een rit na")],
                                "fr": [("trajet", "Calculer un trajet")]}


def test_a_check_is_open_from_its_start_until_its_verdict_stop_or_expiry():
    memory: dict[Any, Any] = {}
    assert not session(memory).is_open
    session(memory).start("nl")
    current = session(memory)
    current.typed("2")
    assert current.is_open and session(memory).is_open
    current.typed("-5")  # refused: asked again, still open
    assert current.is_open
    current.typed("10")  # the verdict
    assert not current.is_open and not session(memory).is_open
    session(memory).start("fr")
    assert session(memory).pressed("t:days:cancel") is not None
    assert not session(memory).is_open
    session(memory).start("fr")
    session(memory).expire(30)
    assert not session(memory).is_open
