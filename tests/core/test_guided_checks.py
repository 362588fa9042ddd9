"""The guided checks are made from what the assistant loaded, or from the knowledge folder
when it loaded nothing; their turns go out with the staff label used under every reply."""

from datetime import date
from pathlib import Path
from types import SimpleNamespace

from bot.core.figures import load_figures_under
from bot.core.guided import Button, Turn, checks
from bot.core.guided.session import Session

ROOT = Path(__file__).resolve().parents[2]
FIGURES = load_figures_under(ROOT)


def test_the_checks_use_the_figures_and_entries_the_assistant_loaded():
    kb = SimpleNamespace(figures=FIGURES, entries={"a.nl": object()})
    assistant = SimpleNamespace(kb=kb)
    nowhere = ROOT / "no-such-folder"  # never read: the assistant has them
    assert checks.allowance_guide(assistant, nowhere).figures is FIGURES
    insurance = checks.insurance_guide(assistant, nowhere)
    assert insurance.figures is FIGURES and insurance.entries is kb.entries


def test_without_a_loaded_knowledge_base_the_folders_figures_and_no_entries():
    guide = checks.insurance_guide(object(), ROOT)
    assert guide.figures.names == FIGURES.names and guide.entries == {}


def test_figures_given_to_the_plug_in_win_over_the_assistants():
    given = load_figures_under(ROOT)
    assistant = SimpleNamespace(kb=SimpleNamespace(figures=FIGURES, entries={}))
    assert checks.allowance_guide(assistant, ROOT, given).figures is given


def test_a_turns_staff_buttons_carry_the_label_used_under_every_reply():
    session = Session(checks.allowance_guide(object(), ROOT), {}, lambda lang, name, **c: name,
                      date(2026, 3, 2))
    session.start("fr")
    turn = Turn("verdict", ((Button("", "staff"), Button("", "handover")),))
    assert session.keyboard(turn) == {"inline_keyboard": [[
        {"text": "🙋 Un conseiller", "callback_data": "h:fr"},
        {"text": "🙋 Un conseiller", "callback_data": "a:person:fr"},
    ]]}


def test_no_keyboard_once_the_check_is_gone():
    session = Session(checks.allowance_guide(object(), ROOT), {}, lambda *a, **c: "",
                      date(2026, 3, 2))
    assert session.keyboard(Turn("x", ((Button("", "staff"),),))) is None
