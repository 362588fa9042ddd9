"""Plain values the core passes around. Frozen, so nothing downstream can change an answer."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Literal

Language = Literal["nl", "fr"]
LANGUAGES: tuple[Language, ...] = ("nl", "fr")


Action = Literal["answer", "clarify", "escalate", "smalltalk"]
Check = Literal["allowance", "insurance"]  # the guided checks a reply can offer

# The fixed topic list: entries must use one of these; topic browsing shows them in this order.
TOPICS: tuple[str, ...] = (
    "definition",
    "information-duty",
    "liability",
    "insurance",
    "allowances",
    "benefits-and-status",
    "association-work",
    "confidentiality",
    "complaints",
    "organising-volunteers",
    "policy",
)


@dataclass(frozen=True)
class Source:
    title: str
    url: str | None = None
    legal_ref: str | None = None


@dataclass(frozen=True)
class Correction:
    """What changed in an entry's answer, and since when (knowledge/README.md, `corrections:`).

    Answers given with a revision of the entry from before `day` were affected; `nl` and
    `fr` say what changed in a sentence or two (the message to the people concerned)."""

    day: date
    nl: str
    fr: str

    def text(self, lang: Language) -> str:
        return self.nl if lang == "nl" else self.fr


@dataclass(frozen=True)
class Entry:
    """One knowledge-base entry: a FAQ answer (kind "faq") or a topic article (kind "article")."""

    id: str
    lang: Language
    pair: str
    topic: str
    question: str
    variants: tuple[str, ...]
    answer: str  # Jinja2 template source
    sources: tuple[Source, ...]
    reviewed: date
    review_by: date
    kind: Literal["faq", "article"] = "faq"
    tags: tuple[str, ...] = ()
    # A special case of a general entry (temporary unemployment, the raised ceiling): the words
    # that name the case. A question holding none of them is ranked lower for this entry, so
    # "ik ben werkloos" reaches the general answer, not the temporary-unemployment one.
    qualifiers: tuple[str, ...] = ()
    valid_from: date | None = None
    valid_until: date | None = None
    # True: we know the question but cannot answer it reliably (unconfirmed facts);
    # the answer text is a holding note and the question always goes to staff.
    escalate: bool = False
    # Hub entries: the pairs of the specific entries this overview leads to (shown as buttons).
    related: tuple[str, ...] = ()
    # Mistakes or changes of law since answers were given (the same list in nl and fr).
    corrections: tuple[Correction, ...] = ()
    file: str = ""
    line: int = 0

    @property
    def revision(self) -> str:
        """Which version of the entry an answer came from: the `reviewed` date (every change
        is a review, so a correction dated after it means the answer predates the correction)
        and a short hash of what the reader sees (question, answer template, sources), so two
        edits on one day are told apart too. ISO date first: revisions sort by date as text."""
        sources = (f"{s.title}|{s.url}|{s.legal_ref}" for s in self.sources)
        content = "\x1f".join((self.question, self.answer, *sources))
        digest = hashlib.sha256(content.encode("utf-8")).hexdigest()[:8]
        return f"{self.reviewed.isoformat()}.{digest}"

    def is_fresh(self, today: date) -> bool:
        return today <= self.review_by

    def is_valid_on(self, today: date) -> bool:
        starts_ok = self.valid_from is None or self.valid_from <= today
        ends_ok = self.valid_until is None or today <= self.valid_until
        return starts_ok and ends_ok


@dataclass(frozen=True)
class Candidate:
    entry_id: str
    question: str
    score: float  # normalised 0..1


@dataclass(frozen=True)
class FigureUse:
    """A figure shown in a reply, with the period it is valid for (for the validity line)."""

    name: str
    period: str  # human text, e.g. "2026" or "1/1/2026 – 31/3/2026"
    known: bool
    source: Source | None
    # When the coming period has no amount yet (see FigureValue.pending):
    pending: bool = False
    label: str = ""  # the figure's name in the reply's language ("dagplafond")
    last_period: str = ""  # the period of the last confirmed amount, e.g. "2026"
    changes: str = ""  # how it changes: pivot-index | quarterly | fixed | ""
    check: Source | None = None  # where to check the new amount


@dataclass(frozen=True)
class Offer:
    """A guided check the question calls for: the allowance check when the question states
    amounts ("45 euro per dag, mag dat?"), the insurance check when an association asks about
    its duty to insure ("moet onze vzw verzekeren?")."""

    check: Check
    per_day: Decimal | None = None  # allowance: the per-day amount the question names


@dataclass(frozen=True)
class Reply:
    question: str
    language: Language
    action: Action
    text: str  # Telegram-HTML-safe
    entry_id: str | None = None
    score: float = 0.0
    sources: tuple[Source, ...] = ()
    candidates: tuple[Candidate, ...] = ()
    # Entries offered as buttons under an answer: for an overview (hub), the specific
    # entries it leads to; otherwise the entries nearly as close as the chosen one.
    related: tuple[Candidate, ...] = ()
    alternatives: bool = False  # `related` are close alternatives, not an overview's parts
    figures: tuple[FigureUse, ...] = ()
    reason: str = ""  # why the decision was taken (for logs, staff and evaluation)
    topic: str | None = None
    detected_language: str = ""  # nl | fr | other: what the message itself looked like
    escalation_summary: str = field(default="")  # what staff would receive
    # A guided check this question calls for. Where the check is available the adapters
    # offer it under the reply; an allowance offer stands in place of a hand-off to staff (a
    # calculation should not wait for a person).
    offer: Offer | None = None
    revision: str = ""  # the answered entry's revision (Entry.revision), for corrections

    @property
    def missing_figures(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.figures if not f.known)


TOPIC_TITLES: dict[str, dict[str, str]] = {
    "definition": {"nl": "Wat is vrijwilligerswerk?", "fr": "Qu'est-ce que le volontariat ?"},
    "information-duty": {"nl": "Informatieplicht", "fr": "Obligation d'information"},
    "liability": {"nl": "Aansprakelijkheid", "fr": "Responsabilité"},
    "insurance": {"nl": "Verzekering", "fr": "Assurance"},
    "allowances": {"nl": "Onkostenvergoedingen", "fr": "Défraiements"},
    "benefits-and-status": {
        "nl": "Uitkering of bijzonder statuut",
        "fr": "Allocations ou statut particulier",
    },
    "association-work": {"nl": "Verenigingswerk", "fr": "Travail associatif"},
    "confidentiality": {
        "nl": "Discretie en beroepsgeheim",
        "fr": "Discrétion et secret professionnel",
    },
    "complaints": {"nl": "Klachten en hulp", "fr": "Plaintes et aide"},
    "organising-volunteers": {
        "nl": "Vrijwilligers goed begeleiden",
        "fr": "Bien encadrer les volontaires",
    },
    "policy": {"nl": "Beleid en visie", "fr": "Politique et vision"},
}


def as_language(value: str, fallback: Language) -> Language:
    """`value` when it names one of our languages, else `fallback`."""
    for lang in LANGUAGES:
        if value == lang:
            return lang
    return fallback
