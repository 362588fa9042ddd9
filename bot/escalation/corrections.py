"""Corrections that reach people: who was told an answer that has since changed, and what to
send them (issue 14, section 3). Pure: storage and the renderer are passed in.

- For each answer given in a private chat the bot records the chat, the entry, the entry's
  revision (`Entry.revision`: its `reviewed` date and a content hash) and the day; nothing
  else, kept `RETENTION_DAYS`, erased with /vergeet.
- An entry's `corrections:` (knowledge/README.md) each have a date. Answers given with a
  revision from before that date were affected: the revision starts with the ISO date of the
  review it came from, and the loader refuses a correction dated after the entry's own
  `reviewed`, so today's answers are never among them.
- `python -m bot corrections --send` queues, for every chat that received an affected
  revision in the last `WINDOW_DAYS` days (and did not opt out), one message through the
  outbox, in the chat's language. The idempotency key names the pair, the correction and the
  chat, so a second run (or a crash halfway) never tells anyone twice; the running bot's
  sender delivers the rows within Telegram's limits (rate limiter, 429 retry_after).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Protocol

from markupsafe import Markup

from bot.core.buttons import keyboard
from bot.core.model import Correction, Entry, Language, Reply
from bot.escalation.messages import button
from bot.escalation.records import NewOutbox

WINDOW_DAYS = 90  # people told more than this long ago are not written to
KEY_PREFIX = "corr:"
MAX_CALLBACK_BYTES = 64  # Bot API limit of a button's callback data
MONTHS: dict[Language, tuple[str, ...]] = {
    "nl": ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
           "september", "oktober", "november", "december"),
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
           "septembre", "octobre", "novembre", "décembre"),
}
SHOW_ANSWER: dict[Language, str] = {"nl": "Toon het huidige antwoord",
                                    "fr": "Voir la réponse actuelle"}
Say = Callable[..., str]


@dataclass(frozen=True)
class AnswerGiven:
    """One answer given: which chat, which entry in which revision, which day."""

    chat_id: int
    entry_id: str
    revision: str
    day: date


def answer_given(reply: Reply, chat_id: int, today: date) -> AnswerGiven | None:
    """What is kept of a reply just delivered, for corrections: an entry's answer given in a
    private chat (corrections go to the people who asked, never to a group); None for
    anything else (clarify, escalation, smalltalk, a group)."""
    if reply.action != "answer" or not reply.entry_id or not reply.revision or chat_id <= 0:
        return None
    return AnswerGiven(chat_id, reply.entry_id, reply.revision, today)


class AnswerRecords(Protocol):
    """What storage keeps for corrections (bot/storage/answers_sql.py)."""

    def record_answer(self, chat_id: int, entry_id: str, revision: str, *, today: date) -> None:
        ...

    def answers_given(self, entry_ids: Sequence[str], *, since: date) -> list[AnswerGiven]:
        """Answers of these entries given on `since` or later."""
        ...

    def set_corrections_wanted(self, chat_id: int, wanted: bool, *, today: date) -> None:
        """Opt out of (False) or back into (True) correction messages; an opt-out also
        cancels the chat's correction messages not sent yet."""
        ...

    def corrections_opted_out(self) -> set[int]: ...

    def forget_answers_before(self, day: date) -> int:
        """Retention: delete the records of answers given before `day`, and the correction
        messages queued before it that are done; how many records went."""
        ...


def is_affected(revision: str, correction: Correction) -> bool:
    """An answer given with this revision predates the correction (ISO dates sort as text)."""
    return revision[:10] < correction.day.isoformat()


def correction_key(pair: str, correction: Correction, chat_id: int) -> str:
    """Once per chat and correction: the outbox refuses a second row with this key."""
    return f"{KEY_PREFIX}{pair}:{correction.day.isoformat()}:{chat_id}"


def window_start(today: date, retention_days: int) -> date:
    """The first day whose answers count: the last 90 days, never beyond retention."""
    return today - timedelta(days=min(WINDOW_DAYS, retention_days))


def long_date(day: date, lang: Language) -> str:
    """12 maart 2026 / 12 mars 2026 (1er for the first of a month in French)."""
    number = "1er" if lang == "fr" and day.day == 1 else str(day.day)
    return f"{number} {MONTHS[lang][day.month - 1]} {day.year}"


@dataclass(frozen=True)
class Recipient:
    chat_id: int
    entry_id: str  # the entry (and so the language) they were given
    told_on: date  # the last day they were given an affected revision


@dataclass
class CorrectionPlan:
    """One correction of one pair: whom to tell now, and whom not and why (counts only)."""

    pair: str
    correction: Correction
    to_tell: list[Recipient] = field(default_factory=list)
    opted_out: int = 0
    already_told: int = 0

    @property
    def affected(self) -> int:
        """Chats that received an affected revision in the window."""
        return len(self.to_tell) + self.opted_out + self.already_told


def pairs_with_corrections(entries: Mapping[str, Entry]) -> dict[str, list[Entry]]:
    """pair -> its entries (both languages), for the pairs that carry corrections."""
    found: dict[str, list[Entry]] = {}
    for entry in entries.values():
        if entry.corrections:
            found.setdefault(entry.pair, []).append(entry)
    return found


def plan(
    entries: Mapping[str, Entry],
    records: AnswerRecords,
    *,
    today: date,
    retention_days: int,
    already_queued: Callable[[str], bool],
) -> list[CorrectionPlan]:
    """Every correction in the knowledge base with the chats to tell about it."""
    since = window_start(today, retention_days)
    opted_out = records.corrections_opted_out()
    plans: list[CorrectionPlan] = []
    for pair, twins in sorted(pairs_with_corrections(entries).items()):
        given = records.answers_given([e.id for e in twins], since=since)
        corrections = twins[0].corrections  # the loader checked both twins agree
        for correction in corrections:
            item = CorrectionPlan(pair, correction)
            # A message about a later correction of the pair carried today's answer (and
            # every change still untold then): the earlier ones are told with it.
            told_with = [c for c in corrections if c.day >= correction.day]
            for recipient in _recipients(given, correction):
                if recipient.chat_id in opted_out:
                    item.opted_out += 1
                elif any(already_queued(correction_key(pair, c, recipient.chat_id))
                         for c in told_with):
                    item.already_told += 1
                else:
                    item.to_tell.append(recipient)
            plans.append(item)
    return plans


def _recipients(given: Iterable[AnswerGiven], correction: Correction) -> list[Recipient]:
    latest: dict[int, AnswerGiven] = {}
    for record in given:
        if not is_affected(record.revision, correction):
            continue
        seen = latest.get(record.chat_id)
        if seen is None or record.day > seen.day:
            latest[record.chat_id] = record
    return [Recipient(r.chat_id, r.entry_id, r.day) for _, r in sorted(latest.items())]


@dataclass(frozen=True)
class NoticeWriter:
    """Builds the one message a chat receives about one correction."""

    entries: Mapping[str, Entry]
    say: Say  # renders bot/templates/<lang>/<name>.html
    current_answer: Callable[[str], Reply]  # entry id -> the answer the core gives today
    chat_language: Callable[[int], Language | None]  # the chat's chosen language, if any
    split: Callable[[str], list[str]]  # the sender's splitter: one part means it fits

    def row(
        self, pair: str, corrections: Sequence[Correction], recipient: Recipient
    ) -> NewOutbox:
        """One message about the pair's corrections still untold to this chat (oldest first),
        keyed by the latest: a later run counts the earlier ones as told with it."""
        given = self.entries[recipient.entry_id]
        lang = self.chat_language(recipient.chat_id) or given.lang
        entry = self.entries.get(f"{pair}.{lang}", given)
        lang = entry.lang
        ordered = sorted(corrections, key=lambda c: c.day)
        text, markup = self.text(entry, ordered, recipient.told_on, lang)
        payload: dict[str, object] = {"text": text}
        if markup is not None:
            payload["reply_markup"] = markup
        key = correction_key(pair, ordered[-1], recipient.chat_id)
        return NewOutbox(key, "user", recipient.chat_id, "sendMessage", payload)

    def text(
        self, entry: Entry, corrections: Sequence[Correction], told_on: date, lang: Language
    ) -> tuple[str, dict[str, object] | None]:
        """The notice with today's answer in it; when that would not fit in one Telegram
        message, the notice alone with a button that sends the current answer."""
        current = self.current_answer(entry.id)
        context = {
            "day": long_date(told_on, lang),
            "question": entry.question,
            "change": " ".join(c.text(lang) for c in corrections),
        }
        full = self.say(lang, "corr_notice", answer=Markup(current.text), **context)
        if len(self.split(full)) == 1:
            return full, None
        data = f"e:{entry.id}"
        markup = None
        if len(data.encode()) <= MAX_CALLBACK_BYTES:
            markup = keyboard([[button(SHOW_ANSWER[lang], data)]])
        return self.say(lang, "corr_notice", answer=None, **context), markup

    def rows(self, plans: Sequence[CorrectionPlan]) -> list[NewOutbox]:
        """One message per chat and pair, however many of its corrections are untold."""
        return [self.row(pair, corrections, recipient)
                for (pair, _), (corrections, recipient) in per_chat(plans).items()]


def per_chat(
    plans: Sequence[CorrectionPlan],
) -> dict[tuple[str, int], tuple[list[Correction], Recipient]]:
    """(pair, chat) -> the corrections to tell that chat, and the recipient with the last
    day the chat was given an affected revision (the day the message names)."""
    grouped: dict[tuple[str, int], tuple[list[Correction], Recipient]] = {}
    for item in plans:
        for recipient in item.to_tell:
            key = (item.pair, recipient.chat_id)
            corrections, seen = grouped.get(key, ([], recipient))
            latest = recipient if recipient.told_on > seen.told_on else seen
            grouped[key] = ([*corrections, item.correction], latest)
    return grouped


def message_count(plans: Sequence[CorrectionPlan]) -> int:
    """How many messages --send queues: one per chat and pair."""
    return len(per_chat(plans))
