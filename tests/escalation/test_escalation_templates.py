"""Every escalation text renders in both languages, escapes user text and stays short."""

from datetime import timedelta
from types import SimpleNamespace

import pytest

from bot.core.model import Candidate

TICKET = SimpleNamespace(number=12, state="open", opened="1/2/2026")
SAMPLES = {
    "esc_confirm": {"question": "Mag <b>ik</b> dit?", "additions": ["vzw De Boot"]},
    "esc_ticket_created": {"number": 12, "response_time": "2 werkdagen"},
    "esc_addition_prompt": {"number": 12},
    "esc_addition_added": {"number": 12},
    "esc_status": {"tickets": [TICKET]},
    "esc_cancelled": {"number": 12},
    "esc_answer": {"number": 12, "body": "Ja <script>"},
    "esc_out_of_scope": {"number": 12},
    "esc_closed": {"number": 12},
    "esc_stale": {"state": "cancelled"},
    "esc_erased": {"tickets": 2, "deleted": 1, "not_deleted": 1, "too_old": True},
    "esc_staff_ticket": {
        "number": 12,
        "language": "fr",
        "state_label": "open",
        "claimed_by": "",
        "question": "Puis-je <i>?",
        "additions": ["asbl X"],
        "candidates": [Candidate("insurance.x.fr", "Assurance ?", 0.42)],
    },
    "esc_staff_addition": {"number": 12, "text": "extra"},
    "esc_staff_notice": {"kind": "blocked", "number": 12},
    "esc_staff_refused": {"anonymous": True},
    "esc_staff_open": {
        "tickets": [
            SimpleNamespace(
                number=1,
                language="nl",
                age="2 h",
                state_label="open",
                claimed_by="An",
                preview="Vraag",
            )
        ]
    },
    "esc_staff_history": {
        "number": 1,
        "language": "nl",
        "state_label": "open",
        "opened": "1/2/2026",
        "topic": "insurance",
        "anonymised": False,
        "messages": [SimpleNamespace(when="10:00", who="vrager", text="hallo")],
    },
    "esc_staff_stats": {
        "windows": [
            SimpleNamespace(
                days=7,
                tickets=2,
                per_language={"nl": 2},
                per_topic={"x": 2},
                median=str(timedelta(hours=1)),
                by_assistant=3,
                by_staff=2,
                assistant_share="60%",
                up=1,
                down=0,
                up_share="100%",
            )
        ]
    },
}


@pytest.mark.parametrize("lang", ["nl", "fr"])
@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_escalation_texts_render(mini, lang, name):
    """Each escalation template renders with its context, under Telegram's length limit."""
    if name.startswith("esc_staff_"):
        lang = "staff"  # the staff group's texts exist once
    text = mini.message(lang, name, **SAMPLES[name])
    assert text.strip()
    assert len(text) < 4096
    assert "<script>" not in text and "<b>ik</b>" not in text


def test_every_escalation_template_has_a_sample():
    """No escalation template is left untested by the render check above."""
    from pathlib import Path

    templates = Path(__file__).resolve().parents[2] / "bot" / "templates"
    found = {p.stem for folder in ("nl", "staff") for p in (templates / folder).glob("esc_*.html")}
    assert found == set(SAMPLES)


def test_the_relayed_answer_names_the_centre_and_the_ticket(mini):
    """A relayed staff answer says who answers and which ticket it is about."""
    text = mini.message("fr", "esc_answer", number=7, body="Oui.", centre_name="Centre X")
    assert "Réponse de Centre X, ticket n° 7" in text
    text = mini.message("nl", "esc_answer", number=7, body="Ja.", centre_name="Centrum X")
    assert "Antwoord van Centrum X, ticket #7" in text
