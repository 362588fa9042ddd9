"""The staff group's language (STAFF_LANGUAGE) and its short words: states, buttons, actions.

A Flemish centre works in Dutch, a Walloon one in French, a Brussels one in both. Longer staff
texts are templates, one set per language like the user side: bot/templates/nl/esc_staff_*,
bot/templates/fr/esc_staff_* and, for a bilingual team, bot/templates/nl+fr/esc_staff_*
(written compactly, both languages in one message, the user's words once). The short words
below go into those templates and onto buttons; "nl+fr" joins them ("open / ouvert"), except
the buttons, which have their own short bilingual labels so a row still fits on a phone.
"""

from __future__ import annotations

from typing import Literal, get_args

from bot.core.model import Language
from bot.escalation.tickets import Action, State

StaffLanguage = Literal["nl", "fr", "nl+fr"]
STAFF_LANGUAGES: tuple[StaffLanguage, ...] = get_args(StaffLanguage)


def spoken(staff: StaffLanguage) -> tuple[Language, ...]:
    """The languages a staff text is written in, in display order."""
    return ("nl", "fr") if staff == "nl+fr" else (staff,)


def parse_staff_language(value: str) -> StaffLanguage | None:
    """'nl', 'fr', 'nl+fr' (also 'fr+nl', any case, spaces allowed), or None."""
    cleaned = value.strip().lower().replace(" ", "")
    if cleaned == "fr+nl":
        cleaned = "nl+fr"
    for lang in STAFF_LANGUAGES:
        if cleaned == lang:
            return lang
    return None


STATE_LABELS: dict[Language, dict[State, str]] = {
    "nl": {
        "draft": "nog niet bevestigd",
        "open": "open",
        "claimed": "opgenomen",
        "answered": "beantwoord",
        "closed": "afgesloten",
        "out_of_scope": "buiten ons domein",
        "cancelled": "geannuleerd door de vrager",
        "user_blocked": "vrager onbereikbaar (bot geblokkeerd)",
    },
    "fr": {
        "draft": "pas encore confirmé",
        "open": "ouvert",
        "claimed": "pris en charge",
        "answered": "répondu",
        "closed": "clôturé",
        "out_of_scope": "hors de notre champ",
        "cancelled": "annulé par le demandeur",
        "user_blocked": "demandeur injoignable (bot bloqué)",
    },
}

# What /ticket N calls each recorded staff action (the audit trail).
ACTION_LABELS: dict[Language, dict[str, str]] = {
    "nl": {
        "claim": "opgenomen",
        "reply": "beantwoord",
        "suggest": "suggestie verstuurd",
        "out_of_scope": "buiten ons domein gemarkeerd",
        "close": "afgesloten",
        "promote": "ontwerp-item gemaakt",
        "reopen": "heropend",
        "correct": "correctie doorgestuurd",
    },
    "fr": {
        "claim": "pris en charge",
        "reply": "répondu",
        "suggest": "suggestion envoyée",
        "out_of_scope": "marqué hors de notre champ",
        "close": "clôturé",
        "promote": "brouillon d'entrée créé",
        "reopen": "rouvert",
        "correct": "correction transmise",
    },
}

BUTTON_LABELS: dict[StaffLanguage, dict[str, str]] = {
    "nl": {
        "claim": "🙋 Opnemen",
        "suggest": "Stuur suggestie {n}",
        "out_of_scope": "Buiten ons domein",
        "close": "Afsluiten",
    },
    "fr": {
        "claim": "🙋 Je prends",
        "suggest": "Envoyer la suggestion {n}",
        "out_of_scope": "Hors de notre champ",
        "close": "Clôturer",
    },
    "nl+fr": {
        "claim": "🙋 Opnemen / Je prends",
        "suggest": "Suggestie / Suggestion {n}",
        "out_of_scope": "Buiten domein / Hors champ",
        "close": "Afsluiten / Clôturer",
    },
}

# How the ticket post and the history mark the language the user wrote in.
LANGUAGE_NAMES: dict[Language, dict[Language, str]] = {
    "nl": {"nl": "Nederlands", "fr": "Frans"},
    "fr": {"nl": "néerlandais", "fr": "français"},
}


def state_label(staff: StaffLanguage, state: State) -> str:
    return " / ".join(STATE_LABELS[lang][state] for lang in spoken(staff))


def action_label(staff: StaffLanguage, action: Action | str) -> str:
    return " / ".join(ACTION_LABELS[lang][action] for lang in spoken(staff))


def button_label(staff: StaffLanguage, action: str, n: int | None = None) -> str:
    return BUTTON_LABELS[staff][action].format(n=n)
