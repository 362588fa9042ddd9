"""Staff answers promoted with `/promote N` become draft knowledge-base entries.

A draft is what the staff already wrote, put in the shape of `knowledge/README.md`, so a
reviewer only completes it: the question and the answer come from the ticket, the language from
the ticket, the topic is the core's best guess; sources, the review dates and better variants
are left as explicit TODO markers. The markers are not valid entry values on purpose:
`python -m bot check` refuses a draft moved into `faq/` until a person has filled them in.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Protocol

import yaml

from bot.core.model import TOPICS, Language, Reply

TODO = "TODO"


@dataclass(frozen=True)
class Draft:
    ticket: int  # the ticket number it came from
    language: Language
    question: str
    answer: str
    topic: str | None  # None when the core could not guess one
    created: date


class _Asks(Protocol):
    def ask(self, text: str, *, chat_lang: Language | None = None, today: date) -> Reply: ...


def guess_topic(assistant: _Asks, question: str, language: Language, today: date) -> str | None:
    """The topic of the entries closest to the question, as the answering core ranks them."""
    reply = assistant.ask(question, chat_lang=language, today=today)
    return reply.topic if reply.topic in TOPICS else None


def slug(text: str, words: int = 6) -> str:
    """A short, stable id part from the question: lowercase ascii words joined by dashes."""
    import unicodedata  # local: only used here

    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    parts = re.findall(r"[a-z0-9]+", plain)
    return "-".join(parts[:words]) or "question"


def _template_safe(answer: str) -> str:
    """Entry answers are Jinja templates: staff text with '{{' or '{%' must stay literal."""
    if "{{" in answer or "{%" in answer or "{#" in answer:
        return "{% raw %}" + answer + "{% endraw %}"
    return answer


def _scalar(value: str) -> str:
    """One YAML scalar on one line, quoted only when YAML needs it."""
    dumped = yaml.safe_dump(value, allow_unicode=True, width=10_000, default_style=None)
    return dumped.removesuffix("\n...\n").rstrip("\n")


def to_yaml(draft: Draft) -> str:
    """One draft as a YAML list item in the `faq/<topic>.<lang>.yaml` format, with comments."""
    topic = draft.topic or TODO
    pair = f"{topic}.staff-{draft.ticket}-{slug(draft.question)}"
    answer = _template_safe(draft.answer.strip()).replace("\r\n", "\n")
    answer_block = "\n".join(f"    {line}" if line else "" for line in answer.split("\n"))
    topic_note = (
        "guessed by the assistant: check it"
        if draft.topic
        else f"the assistant could not guess it; one of: {', '.join(TOPICS)}"
    )
    lines = [
        f"# Draft from ticket #{draft.ticket} ({draft.created.isoformat()}), "
        f"move into faq/{topic}.{draft.language}.yaml",
        f"# and write the {'French' if draft.language == 'nl' else 'Dutch'} twin with the same "
        "pair. Complete every TODO.",
        f"- id: {pair}.{draft.language}",
        f"  lang: {draft.language}",
        f"  pair: {pair}",
        f"  topic: {topic}    # {topic_note}",
        f"  question: {_scalar(draft.question)}    # TODO: rewrite as a clear, general question",
        "  variants:    # how people ask: the user's own words first; add more",
        f"    - {_scalar(draft.question)}",
        "  answer: |    # the staff answer as sent; TODO: remove anything personal, use figures",
        answer_block,
        "  sources:    # TODO: the law article or official page this answer rests on",
        f"    - title: {TODO}",
        f"      url: {TODO}",
        f"  reviewed: {TODO}    # TODO: the day a person checked this entry (YYYY-MM-DD)",
        f"  review_by: {TODO}    # TODO: when it must be checked again (validity)",
    ]
    return "\n".join(lines) + "\n"


def export(drafts: Iterable[Draft]) -> str:
    """All drafts, oldest first, separated by blank lines; an explanatory line when none."""
    items = sorted(drafts, key=lambda d: (d.created, d.ticket))
    if not items:
        return "# No drafts: staff promote an answered ticket with /promote N in the group.\n"
    return "\n".join(to_yaml(d) for d in items)
