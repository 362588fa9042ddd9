"""Every escalation text renders in both languages (the staff's also for a bilingual team),
escapes user text and stays short."""

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
    "esc_correction": {"number": 12, "body": "Nee <script>"},
    "esc_stale": {"state": "cancelled"},
    "esc_vote_unanswered": {},
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
    "esc_staff_addition": {"number": 12, "language": "fr", "text": "Et <i>?"},
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
                preview="Xyz?",
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
        "actions": [SimpleNamespace(when="10:05", who="Sam", staff_id=7001, action="closed")],
        "counts": [SimpleNamespace(action="closed", n=1)],
        "messages": [
            SimpleNamespace(when="10:00", who="user", kind="question", text="hallo"),
            SimpleNamespace(when="10:05", who="Sam", kind="reply", text="dag"),
        ],
    },
    "esc_staff_popup": {"kind": "refused", "number": 12, "state_label": "closed"},
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
                actions=[SimpleNamespace(action="closed", n=2)],
            )
        ]
    },
}


@pytest.mark.parametrize("lang", ["nl", "fr"])
@pytest.mark.parametrize("name", sorted(n for n in SAMPLES if not n.startswith("esc_staff_")))
def test_escalation_texts_render(mini, lang, name):
    """Each user-side escalation template renders with its context, under Telegram's limit."""
    text = mini.message(lang, name, **SAMPLES[name])
    assert text.strip()
    assert len(text) < 4096
    assert "<script>" not in text and "<b>ik</b>" not in text


STAFF_LANGUAGES = ["nl", "fr", "nl+fr"]
# Every variant a staff template has: each notice kind, each popup kind, both refusals.
NOTICE_KINDS = [
    "relayed", "claimed", "cancelled", "closed", "out_of_scope", "blocked", "failed", "erased",
    "promoted", "not_promotable", "not_allowed", "unknown", "text_only", "no_suggestion",
    "reposted", "usage", "migrated", "reopened", "anonymised", "corrected",
    "correction_refused",
]
NOTICE_VALUES = {"number": 12, "by": "Sam", "topic": "insurance", "state_label": "open",
                 "index": 2, "usage": "/ticket N", "new_id": -1001, "reason": "closed"}
STAFF_VARIANTS = [
    *[(name, {}) for name in sorted(SAMPLES) if name.startswith("esc_staff_")],
    *[("esc_staff_notice", {"kind": kind, **NOTICE_VALUES}) for kind in NOTICE_KINDS],
    ("esc_staff_popup", {"kind": "done", "number": 12, "state_label": "open"}),
    ("esc_staff_refused", {"anonymous": False}),
    ("esc_staff_ticket", {"candidates": [], "claimed_by": "Sam", "language": "nl"}),
    ("esc_staff_history", {"anonymised": True}),
    *[("esc_staff_notice", {"kind": "correction_refused", "reason": reason, **NOTICE_VALUES})
      for reason in ("anonymised", "cancelled", "user_blocked", "closed")],
    ("esc_staff_open", {"tickets": []}),
]
# A word only the Dutch, only the French version of each staff text uses.
DUTCH = ("Ticket #", "vrager", "Vraag", "Statistieken", "Geen", "Alleen", "Je ", "Gebruik",
         "Dat kan", "Kan niet", "afgesloten", "opgenomen", "ontwerp", "Doorgestuurd",
         "Geanonimiseerd", "bestaat", "Suggestie", "De groep", "Aanvulling", "geblokkeerd",
         "bericht", "nog geen", "domein", "opnieuw", "anoniem", "Open tickets")
FRENCH = ("n° ", "demandeur", "Question", "Statistiques", "Aucun", "Seuls", "Vous ",
          "Utilisation", "Impossible", "clôturé", "pris en charge", "brouillon", "Transmis",
          "Anonymisé", "n'existe", "suggestion", "Le groupe", "Complément", "bloqué",
          "message", "pas encore", "champ", "republié", "anonyme", "ouverts", "répondez",
          "rouvert", "anonymisé", "transmise")


@pytest.mark.parametrize("lang", STAFF_LANGUAGES)
@pytest.mark.parametrize(("name", "extra"), STAFF_VARIANTS)
def test_every_staff_text_renders_in_each_staff_language(mini, lang, name, extra):
    """Each staff-group text renders in Dutch, in French and in both (STAFF_LANGUAGE), under
    Telegram's limit, escaping the user's words, in the language(s) asked for."""
    from bot.escalation.staff_language import state_label

    context = {**SAMPLES[name], **extra}
    if "state_label" in context:  # as the desk passes it: in the staff's language(s)
        context["state_label"] = state_label(lang, "closed")
    text = mini.message(lang, name, **context)
    assert text.strip() and len(text) < 4096
    assert "<i>?" not in text  # the user's "Puis-je <i>?" arrives escaped
    dutch = any(word in text for word in DUTCH)
    french = any(word in text for word in FRENCH)
    assert (dutch, french) == {"nl": (True, False), "fr": (False, True),
                               "nl+fr": (True, True)}[lang], text


@pytest.mark.parametrize("lang", STAFF_LANGUAGES)
def test_the_ticket_post_shows_the_question_verbatim_once_with_its_language(mini, lang):
    """Whatever the staff's language, the user's question appears once, as typed, and the
    post says which language it was asked in."""
    text = mini.message(lang, "esc_staff_ticket", **SAMPLES["esc_staff_ticket"])
    assert text.count("Puis-je &lt;i&gt;?") == 1
    assert "· FR ·" in text
    marked = {"nl": "Vraag (Frans, letterlijk)", "fr": "Question (français, telle quelle)",
              "nl+fr": "Vraag / Question (FR)"}
    assert marked[lang] in text


def test_every_escalation_template_has_a_sample():
    """No escalation template is left untested by the render checks above, and the staff
    texts exist in nl, fr and nl+fr alike (the user texts in nl and fr)."""
    from pathlib import Path

    templates = Path(__file__).resolve().parents[2] / "bot" / "templates"
    found = {p.stem for p in (templates / "nl").glob("esc_*.html")}
    assert found == set(SAMPLES)
    assert {p.stem for p in (templates / "fr").glob("esc_*.html")} == found
    staff = {p.stem for p in (templates / "nl+fr").glob("esc_*.html")}
    assert staff == {n for n in found if n.startswith("esc_staff_")}


def test_the_relayed_answer_names_the_centre_and_the_ticket(mini):
    """A relayed staff answer says who answers and which ticket it is about."""
    text = mini.message("fr", "esc_answer", number=7, body="Oui.", centre_name="Centre X")
    assert "Réponse de Centre X, ticket n° 7" in text
    text = mini.message("nl", "esc_answer", number=7, body="Ja.", centre_name="Centrum X")
    assert "Antwoord van Centrum X, ticket #7" in text
