"""Inline keyboards built from the core's values, and the callback-data scheme they use.

Callback data is limited to 64 bytes, so buttons carry short prefixed strings rather than
state; everything else is looked up again when the button is pressed:

    l:<lang>              choose the chat's language
    v:+:<entry> v:-:<entry>   👍 / 👎 on an answer
    e:<entry>             send this entry's answer (clarify candidates, alternatives)
    tl:<lang>             the topic list (topic browsing, and its Back button)
    t:<lang>:<topic>      the questions of one topic
    q:<entry>             an answer inside topic browsing (edited in place, with Back)
    ar:<lang>:<topic>     a topic's overview article
    h:<lang>              ask for a staff member
    x:<lang>:yes|no       confirm or cancel erasing the chat's data
    a:go:<lang>[:<amount>]    start the allowance check (offered under a reply)
    i:go:<lang>           start the insurance check (offered under a reply)
    a:... i:...           the guided conversations' own buttons (guided.py)
    co:<lang>:on          corrections wanted again after /geen_correcties (corrections.py)
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.core.model import Candidate, Check, Entry, Language, Offer

log = logging.getLogger(__name__)

MAX_DATA_BYTES = 64
MAX_LABEL = 60  # long questions as button labels get cut; Telegram shows one line anyway

LABELS: dict[Language, dict[str, str]] = {
    "nl": {"staff": "🙋 Een medewerker", "back": "« Terug", "topics": "« Alle onderwerpen",
           "overview": "📖 Overzicht", "erase": "Ja, wis alles", "keep": "Nee, behouden"},
    "fr": {"staff": "🙋 Un conseiller", "back": "« Retour", "topics": "« Tous les sujets",
           "overview": "📖 Vue d'ensemble", "erase": "Oui, tout effacer", "keep": "Non, garder"},
}
OFFER_LABELS: dict[Check, dict[Language, str]] = {
    "allowance": {"nl": "Reken het na", "fr": "Faire le calcul"},
    "insurance": {"nl": "🛡 Verzekeringscheck", "fr": "🛡 Contrôle d'assurance"},
}
LANGUAGE_BUTTONS: tuple[tuple[Language, str], ...] = (
    ("nl", "🇳🇱 Nederlands"),
    ("fr", "🇫🇷 Français"),
)


def _button(label: str, data: str) -> InlineKeyboardButton | None:
    if len(data.encode()) > MAX_DATA_BYTES:
        # An entry id too long for a button: better a missing button than a rejected message.
        log.warning("callback data over 64 bytes, button left out: %s", data[:24])
        return None
    if len(label) > MAX_LABEL:
        label = label[: MAX_LABEL - 1].rstrip() + "…"
    return InlineKeyboardButton(label, callback_data=data)


def _markup(rows: Iterable[Sequence[InlineKeyboardButton | None]]) -> InlineKeyboardMarkup:
    clean = [[b for b in row if b is not None] for row in rows]
    return InlineKeyboardMarkup([row for row in clean if row])


def from_rows(rows: Iterable[Sequence[tuple[str, str]]]) -> InlineKeyboardMarkup:
    """Buttons given as (label, callback data), in rows."""
    return _markup([_button(label, data) for label, data in row] for row in rows)


def languages() -> InlineKeyboardMarkup:
    return _markup([[_button(label, f"l:{lang}") for lang, label in LANGUAGE_BUTTONS]])


def feedback(entry_id: str, related: Sequence[Candidate] = ()) -> InlineKeyboardMarkup:
    """Votes under an answer; an overview answer first offers the entries it leads to."""
    rows = [[_button(c.question, f"e:{c.entry_id}")] for c in related]
    rows.append([_button("👍", f"v:+:{entry_id}"), _button("👎", f"v:-:{entry_id}")])
    return _markup(rows)


def candidates(
    found: Sequence[Candidate], lang: Language, *, staff: bool = True
) -> InlineKeyboardMarkup:
    rows = [[_button(c.question, f"e:{c.entry_id}")] for c in found]
    if staff:
        rows.append([_button(LABELS[lang]["staff"], f"h:{lang}")])
    return _markup(rows)


def with_offer(
    markup: InlineKeyboardMarkup | None, offer: Offer, lang: Language
) -> InlineKeyboardMarkup:
    """A reply's keyboard with the check it calls for as an extra row (the allowance check
    with the per-day amount the question named, ready to pick)."""
    amount = f":{offer.per_day:f}" if offer.per_day is not None else ""
    button = _button(OFFER_LABELS[offer.check][lang], f"{offer.check[0]}:go:{lang}{amount}")
    return _markup([*(markup.inline_keyboard if markup else ()), [button]])


def offer_or_staff(offer: Offer, lang: Language) -> InlineKeyboardMarkup:
    """In place of a hand-off: the check, and a staff member one tap away beside it."""
    row = with_offer(None, offer, lang).inline_keyboard[0]
    return _markup([[*row, _button(LABELS[lang]["staff"], f"h:{lang}")]])


def staff_only(lang: Language) -> InlineKeyboardMarkup:
    return _markup([[_button(LABELS[lang]["staff"], f"h:{lang}")]])


def topics(found: Sequence[tuple[str, str]], lang: Language) -> InlineKeyboardMarkup:
    buttons = [_button(title, f"t:{lang}:{topic}") for topic, title in found]
    return _markup(buttons[i : i + 2] for i in range(0, len(buttons), 2))


def topic_questions(
    entries: Sequence[Entry], topic: str, lang: Language, *, has_article: bool
) -> InlineKeyboardMarkup:
    rows = []
    if has_article:
        rows.append([_button(LABELS[lang]["overview"], f"ar:{lang}:{topic}")])
    rows.extend([_button(e.question, f"q:{e.id}")] for e in entries)
    rows.append([_button(LABELS[lang]["topics"], f"tl:{lang}")])
    return _markup(rows)


def browsed_answer(entry_id: str | None, topic: str, lang: Language) -> InlineKeyboardMarkup:
    rows = []
    if entry_id:
        rows.append([_button("👍", f"v:+:{entry_id}"), _button("👎", f"v:-:{entry_id}")])
    rows.append([_button(LABELS[lang]["back"], f"t:{lang}:{topic}")])
    return _markup(rows)


def confirm_erase(lang: Language) -> InlineKeyboardMarkup:
    labels = LABELS[lang]
    return _markup([[_button(labels["erase"], f"x:{lang}:yes"),
                     _button(labels["keep"], f"x:{lang}:no")]])


def without_votes(markup: InlineKeyboardMarkup | None) -> InlineKeyboardMarkup | None:
    """The same keyboard minus the 👍/👎 row, so a vote cannot be cast twice."""
    if markup is None:
        return None
    rows = [
        [b for b in row if not str(b.callback_data or "").startswith("v:")]
        for row in markup.inline_keyboard
    ]
    rows = [row for row in rows if row]
    return InlineKeyboardMarkup(rows) if rows else None
