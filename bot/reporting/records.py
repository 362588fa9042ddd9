"""The plain records a report is built from. None of them names a chat, a user or a person:
the question text of an escalated ticket is the only text, and only while the ticket is
within retention (it is anonymised again before it is shown)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal, Protocol

Action = Literal["answer", "clarify", "escalate", "smalltalk"]
ACTIONS: tuple[Action, ...] = ("answer", "clarify", "escalate", "smalltalk")


@dataclass(frozen=True)
class QuestionEvent:
    """One question the bot handled (table question_events)."""

    day: date
    language: str
    action: Action
    entry_id: str | None = None
    topic: str | None = None


@dataclass(frozen=True)
class FeedbackEvent:
    """One 👍 (1) or 👎 (-1) on an assistant answer (table answer_feedback)."""

    day: date
    entry_id: str
    vote: int


@dataclass(frozen=True)
class TicketRecord:
    """A ticket that reached the staff: no chat, no user, no staff names."""

    language: str
    topic: str | None
    state: str
    opened_at: datetime
    first_answer_at: datetime | None
    question: str  # "" once anonymised (erasure or retention)
    # The current knowledge base finds no entry for the question (decided by the caller,
    # who has the assistant): such questions are the candidates for new entries.
    nothing_matched: bool = False


class ReportStorage(Protocol):
    """What the report reads and the question path writes (bot/storage/reporting_sql.py)."""

    def record_question(
        self,
        *,
        day: date,
        language: str,
        action: Action,
        entry_id: str | None,
        topic: str | None,
    ) -> None:
        """One anonymous row per question handled: no chat, no user, no text."""
        ...

    def question_events(self, start: date, end: date) -> list[QuestionEvent]: ...
    def feedback_events(self, start: date, end: date) -> list[FeedbackEvent]: ...
    def report_tickets(self, until: datetime) -> list[TicketRecord]: ...
