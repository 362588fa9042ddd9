"""The buttons under what the person is answered, as plain Bot API dicts, and the
callback-data scheme they use. No Telegram library: the adapter turns a `Keyboard` into
ptb's markup only to send it (and the outbox stores it as it is).

Callback data is limited to 64 bytes, so buttons carry short prefixed strings rather than
state; everything else is looked up again when the button is pressed (`read` reads a press
on the buttons below back, exactly as written here):

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
    a:... i:...           the guided conversations' own buttons (the guided adapter)
    co:<lang>:on          corrections wanted again after /geen_correcties
    tk:... st:... k:... kst:... kw:...   the escalation workflow's (bot/escalation/)
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from bot.core.model import Candidate, Check, Entry, Language, Offer, as_language

log = logging.getLogger(__name__)

Button = dict[str, str]  # a Bot API InlineKeyboardButton with callback data
Keyboard = dict[str, Any]  # a Bot API InlineKeyboardMarkup: {"inline_keyboard": [[Button]]}

MAX_DATA_BYTES = 64
MAX_LABEL = 60  # long questions as button labels get cut; Telegram shows one line anyway

LABELS: dict[Language, dict[str, str]] = {
    "nl": {"staff": "🙋 Een medewerker", "back": "« Terug", "topics": "« Alle onderwerpen",
           "overview": "📖 Overzicht", "erase": "Ja, wis alles", "keep": "Nee, behouden",
           "corrections": "Toch correcties ontvangen"},
    "fr": {"staff": "🙋 Un conseiller", "back": "« Retour", "topics": "« Tous les sujets",
           "overview": "📖 Vue d'ensemble", "erase": "Oui, tout effacer", "keep": "Non, garder",
           "corrections": "Recevoir les corrections"},
}
OFFER_LABELS: dict[Check, dict[Language, str]] = {
    "allowance": {"nl": "Reken het na", "fr": "Faire le calcul"},
    "insurance": {"nl": "🛡 Verzekeringscheck", "fr": "🛡 Contrôle d'assurance"},
}
LANGUAGE_BUTTONS: tuple[tuple[Language, str], ...] = (
    ("nl", "🇳🇱 Nederlands"),
    ("fr", "🇫🇷 Français"),
)


def language_of(data: str, fallback: Language) -> Language:
    """The language a button's data names in its second field (`h:fr`, `t:nl:…`)."""
    return as_language(data.split(":")[1], fallback)


def button(label: str, data: str) -> Button | None:
    """A button, or None when its data would not fit in Telegram's 64 bytes."""
    if len(data.encode()) > MAX_DATA_BYTES:
        # An entry id too long for a button: better a missing button than a rejected message.
        log.warning("callback data over 64 bytes, button left out: %s", data[:24])
        return None
    if len(label) > MAX_LABEL:
        label = label[: MAX_LABEL - 1].rstrip() + "…"
    return {"text": label, "callback_data": data}


def keyboard(rows: Iterable[Sequence[Button | None]]) -> Keyboard | None:
    """The rows with their left-out buttons and empty rows dropped; None when none is left."""
    kept = [[b for b in row if b is not None] for row in rows]
    kept = [row for row in kept if row]
    return {"inline_keyboard": kept} if kept else None


def from_rows(rows: Iterable[Sequence[tuple[str, str]]]) -> Keyboard | None:
    """Buttons given as (label, callback data), in rows."""
    return keyboard([button(label, data) for label, data in row] for row in rows)


def rows_of(markup: Keyboard | None) -> list[list[Button]]:
    return [list(row) for row in (markup or {}).get("inline_keyboard", ())]


def languages() -> Keyboard | None:
    return keyboard([[button(label, f"l:{lang}") for lang, label in LANGUAGE_BUTTONS]])


def _votes(entry_id: str) -> list[Button | None]:
    return [button("👍", f"v:+:{entry_id}"), button("👎", f"v:-:{entry_id}")]


def _staff(lang: Language) -> Button | None:
    return button(LABELS[lang]["staff"], f"h:{lang}")


def feedback(entry_id: str, related: Sequence[Candidate] = ()) -> Keyboard | None:
    """Votes under an answer; an overview answer first offers the entries it leads to."""
    rows = [[button(c.question, f"e:{c.entry_id}")] for c in related]
    rows.append(_votes(entry_id))
    return keyboard(rows)


def candidates(found: Sequence[Candidate], lang: Language) -> Keyboard | None:
    """The entries that may be meant, and a staff member."""
    rows = [[button(c.question, f"e:{c.entry_id}")] for c in found]
    rows.append([_staff(lang)])
    return keyboard(rows)


def _offer(offer: Offer, lang: Language) -> Button | None:
    """The check a reply calls for (the allowance check with the per-day amount the question
    named, ready to pick)."""
    amount = f":{offer.per_day:f}" if offer.per_day is not None else ""
    return button(OFFER_LABELS[offer.check][lang], f"{offer.check[0]}:go:{lang}{amount}")


def with_offer(markup: Keyboard | None, offer: Offer, lang: Language) -> Keyboard | None:
    """A reply's keyboard with the check it calls for as an extra row."""
    return keyboard([*rows_of(markup), [_offer(offer, lang)]])


def offer_or_staff(offer: Offer, lang: Language) -> Keyboard | None:
    """In place of a hand-off: the check, and a staff member one tap away beside it."""
    return keyboard([[_offer(offer, lang), _staff(lang)]])


def topics(found: Sequence[tuple[str, str]], lang: Language) -> Keyboard | None:
    buttons = [button(title, f"t:{lang}:{topic}") for topic, title in found]
    return keyboard(buttons[i : i + 2] for i in range(0, len(buttons), 2))


def topic_questions(
    entries: Sequence[Entry], topic: str, lang: Language, *, has_article: bool
) -> Keyboard | None:
    rows: list[list[Button | None]] = []
    if has_article:
        rows.append([button(LABELS[lang]["overview"], f"ar:{lang}:{topic}")])
    rows.extend([button(e.question, f"q:{e.id}")] for e in entries)
    rows.append([button(LABELS[lang]["topics"], f"tl:{lang}")])
    return keyboard(rows)


def browsed_answer(entry_id: str | None, topic: str, lang: Language) -> Keyboard | None:
    rows: list[list[Button | None]] = []
    if entry_id:
        rows.append(_votes(entry_id))
    rows.append([button(LABELS[lang]["back"], f"t:{lang}:{topic}")])
    return keyboard(rows)


def confirm_erase(lang: Language) -> Keyboard | None:
    labels = LABELS[lang]
    return keyboard([[button(labels["erase"], f"x:{lang}:yes"),
                      button(labels["keep"], f"x:{lang}:no")]])


def corrections_again(lang: Language) -> Keyboard | None:
    """Under "no more corrections": take it back."""
    return keyboard([[button(LABELS[lang]["corrections"], f"co:{lang}:on")]])


def without_votes(markup: Keyboard | None) -> Keyboard | None:
    """The same keyboard minus the 👍/👎 row, so a vote cannot be cast twice."""
    return keyboard(
        [b for b in row if not str(b.get("callback_data") or "").startswith("v:")]
        for row in rows_of(markup)
    )


# ---------------------------------------------------------------- reading a press back
PressKind = Literal[
    "language", "vote", "entry", "topics", "topic", "browsed", "article", "staff", "erase"
]
_LANG = "(?P<lang>nl|fr)"
# The data each kind accepts, exactly as this module writes it: anything else is no press of
# these buttons, so no handler ever parses data it did not write.
_DATA: dict[PressKind, re.Pattern[str]] = {
    "language": re.compile(rf"^l:{_LANG}$"),
    "vote": re.compile(r"^v:(?P<sign>[+-]):(?P<entry>[^:]+)$"),
    "entry": re.compile(r"^e:(?P<entry>[^:]+)$"),
    "topics": re.compile(rf"^tl:{_LANG}$"),
    "topic": re.compile(rf"^t:{_LANG}:(?P<topic>[^:]+)$"),
    "browsed": re.compile(r"^q:(?P<entry>[^:]+)$"),
    "article": re.compile(rf"^ar:{_LANG}:(?P<topic>[^:]+)$"),
    "staff": re.compile(rf"^h:{_LANG}$"),
    "erase": re.compile(rf"^x:{_LANG}:(?P<answer>yes|no)$"),
}


@dataclass(frozen=True)
class Pressed:
    """A press on one of the buttons above, read back from its data."""

    kind: PressKind
    lang: Language | None = None  # the language the data names (not every kind names one)
    entry_id: str = ""
    topic: str = ""
    yes: bool = False  # 👍, or "yes, erase everything"

    def language(self, fallback: Language) -> Language:
        return self.lang or fallback


def read(data: object) -> Pressed | None:
    """What a press's data asks for; None when it is none of these buttons' (an older
    version's data, another module's buttons)."""
    if not isinstance(data, str):
        return None
    for kind, pattern in _DATA.items():
        found = pattern.match(data)
        if found is not None:
            parts = found.groupdict()
            lang = parts.get("lang")
            return Pressed(
                kind,
                lang=as_language(lang, "nl") if lang else None,
                entry_id=parts.get("entry") or "",
                topic=parts.get("topic") or "",
                yes=parts.get("sign") == "+" or parts.get("answer") == "yes",
            )
    return None
