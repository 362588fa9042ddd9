"""What the bot remembers, behind a small interface the adapters depend on.

The Telegram adapter only needs chat preferences (the chosen language) and anonymous answer
feedback; `bot.escalation.records.TicketStorage` (the workflow's own interface) adds tickets,
ticket messages, the outbox, the durable inbox and drafts. `bot.storage.sqlite.SQLiteStorage`
is the implementation; tests use it on a tmp file.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal, Protocol

from bot.core.model import Language
from bot.escalation.ballots import BallotOutcome
from bot.escalation.complaints import ComplaintStorage
from bot.escalation.corrections import AnswerRecords
from bot.escalation.records import TicketStorage
from bot.reporting.records import ReportStorage

Vote = Literal[1, -1]
POSTGRES_SCHEMES = ("postgresql://", "postgres://")


@dataclass(frozen=True)
class FeedbackCount:
    entry_id: str
    up: int
    down: int


class Storage(TicketStorage, AnswerRecords, ComplaintStorage, ReportStorage, Protocol):
    """Chat preferences and feedback; tickets, outbox and inbox come from TicketStorage, the
    answers given and correction opt-outs from AnswerRecords, complaints from
    ComplaintStorage, the weekly report's anonymous question counts from ReportStorage."""

    def chat_language(self, chat_id: int) -> Language | None:
        """The language a chat chose, or None when it never chose one."""
        ...

    def set_chat_language(self, chat_id: int, language: Language, *, today: date) -> None: ...

    def erase_chat(self, chat_id: int) -> None:
        """Forget everything stored about this chat (the /vergeet and /oublier commands),
        including the answers it was given and its correction opt-out."""
        ...

    def record_feedback(
        self, entry_id: str, vote: Vote, *, today: date, ballot: str
    ) -> BallotOutcome:
        """Store a 👍 (1) or 👎 (-1) for an answer: no chat, no user, no question text; one
        per ballot (bot/escalation/ballots.py), a changed vote replacing the earlier one."""
        ...

    def feedback(self) -> list[FeedbackCount]: ...

    def close(self) -> None: ...


def open_storage(database_url: str, *, outbox_lease: timedelta | None = None) -> Storage:
    """Open the database named by DATABASE_URL and bring its schema up to date.

    `outbox_lease` (OUTBOX_LEASE_SECONDS) matters only on PostgreSQL, where replicas share the
    outbox; SQLite has one process and no leases."""
    if database_url.startswith(POSTGRES_SCHEMES):
        from bot.storage.postgres import LEASE, PostgresStorage

        return PostgresStorage.from_url(database_url, lease=outbox_lease or LEASE)
    from bot.storage.sqlite import SQLiteStorage  # local: keep sqlite3 out of importers' way

    return SQLiteStorage.from_url(database_url)
