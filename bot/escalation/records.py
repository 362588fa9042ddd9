"""The escalation workflow's records and the storage interface it needs: tickets, their
messages, the outbox, the durable inbox, promoted drafts and the anonymous counts behind /stats.

Records are plain frozen values; `TicketStorage` is the Protocol the desk (and the Telegram
adapter's inbox and sender) depend on. The SQLite implementation is in
`bot/storage/tickets_sql.py` and `bot/storage/queue_sql.py`: storage implements this interface.
All times are timezone-aware UTC datetimes passed in by the caller (time is a parameter).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal, Protocol

from bot.escalation.ballots import BallotOutcome
from bot.escalation.drafts import Draft
from bot.escalation.outbox import OutboxRow, Outcome, Target
from bot.escalation.retention import StaffMessage
from bot.escalation.stats import TicketFacts, Vote
from bot.escalation.tickets import State

Direction = Literal["in", "out"]  # in: from the user; out: from the staff to the user


@dataclass(frozen=True)
class CandidateRow:
    entry_id: str
    question: str
    score: float


@dataclass(frozen=True)
class Ticket:
    id: int
    number: int | None  # assigned on confirmation; None while a draft
    chat_id: int | None  # None once anonymised
    user_id: int | None
    language: Literal["nl", "fr"]
    topic: str | None
    state: State
    question: str  # "" once anonymised
    candidates: tuple[CandidateRow, ...]
    created_at: datetime
    last_activity_at: datetime
    opened_at: datetime | None = None
    first_answer_at: datetime | None = None
    claimed_by: int | None = None
    claimed_name: str = ""
    anonymised_at: datetime | None = None


@dataclass(frozen=True)
class TicketMessage:
    id: int
    ticket_id: int
    direction: Direction
    kind: str  # detail (before confirmation) | addition | reply | suggestion | correction
    text: str  # "" once anonymised
    author_id: int | None
    author_name: str
    created_at: datetime
    source_key: str | None = None  # the Telegram message it came from (None once anonymised)


@dataclass(frozen=True)
class TicketEvent:
    """One staff action on a ticket (the audit trail, shown by /ticket N). Once the ticket is
    anonymised only the action and its time remain: an anonymous count."""

    ticket_id: int
    action: str  # a tickets.Action: claim, reply, suggest, out_of_scope, close, promote...
    staff_id: int | None  # None once anonymised
    staff_name: str  # "" once anonymised
    at: datetime


@dataclass(frozen=True)
class NewEvent:
    action: str
    staff_id: int
    staff_name: str
    source_key: str  # the update that caused it: a replay records nothing twice


@dataclass(frozen=True)
class NewMessage:
    direction: Direction
    kind: str
    text: str
    source_key: str | None = None  # the Telegram message it came from: a replay adds nothing
    author_id: int | None = None
    author_name: str = ""


@dataclass(frozen=True)
class NewOutbox:
    key: str  # idempotency key (bot.escalation.outbox.ticket_key)
    target: Target
    chat_id: int
    method: str
    payload: dict[str, Any]


@dataclass(frozen=True)
class Change:
    """One state change of one ticket, with everything it causes, applied atomically.

    `from_states` is a compare-and-set guard: when the ticket is no longer in one of them
    (a double click, a stale button, a concurrent staff action) nothing is written.
    """

    ticket_id: int
    from_states: frozenset[State]
    to_state: State
    now: datetime
    assign_number: bool = False
    claimed_by: int | None = None
    claimed_name: str = ""
    first_answer: bool = False  # set first_answer_at if not yet set
    messages: Sequence[NewMessage] = ()
    outbox: Sequence[NewOutbox] = ()
    # Rows that need the ticket as it is after the change (its new number, its state),
    # built inside the same transaction.
    outbox_after: Callable[[Ticket], Sequence[NewOutbox]] | None = None
    fields: dict[str, Any] = field(default_factory=dict)
    event: NewEvent | None = None  # the staff action this change records (audit trail)


@dataclass(frozen=True)
class Erasure:
    tickets: int  # how many tickets were emptied
    staff_messages: list[StaffMessage]  # the bot's messages about them in the staff group


class TicketStorage(Protocol):
    # ---------------------------------------------------------------- tickets
    def create_draft(
        self,
        *,
        chat_id: int,
        user_id: int | None,
        language: Literal["nl", "fr"],
        question: str,
        topic: str | None,
        candidates: Sequence[CandidateRow],
        source_key: str,
        now: datetime,
    ) -> tuple[Ticket, bool]:
        """The draft for this source (update/message), created if new; (ticket, created)."""
        ...

    def ticket(self, ticket_id: int) -> Ticket | None: ...
    def ticket_by_number(self, number: int) -> Ticket | None: ...
    def tickets_of_chat(self, chat_id: int, states: frozenset[State]) -> list[Ticket]: ...
    def tickets_in_states(self, states: frozenset[State]) -> list[Ticket]: ...
    def apply(self, change: Change) -> Ticket | None:
        """Apply the change in one transaction; None when the guard did not hold."""
        ...

    def add_messages(
        self, ticket_id: int, messages: Sequence[NewMessage], outbox: Sequence[NewOutbox],
        now: datetime,
    ) -> bool:
        """Add messages (and their outbox rows) without a state change; False on a replay."""
        ...

    def messages(self, ticket_id: int) -> list[TicketMessage]: ...
    def message_by_source(self, source_key: str) -> TicketMessage | None:
        """The stored message that came from this Telegram message (e.g. a relayed reply)."""
        ...

    def ticket_for_staff_message(self, chat_id: int, message_id: int) -> int | None: ...
    def events(self, ticket_id: int) -> list[TicketEvent]:
        """The ticket's staff actions, oldest first."""
        ...

    def staff_actions(self) -> list[tuple[str, datetime]]:
        """(action, time) of every staff action on any ticket: no ids, for /stats."""
        ...

    # ---------------------------------------------------------------- outbox
    def enqueue(self, rows: Sequence[NewOutbox], *, ticket_id: int | None, now: datetime) -> None:
        ...

    def pending_outbox(self) -> list[OutboxRow]: ...
    def claim_outbox(self, row_id: int) -> bool:
        """Right before sending: True while the row is pending and this process may send it
        (on a shared database: its lease is renewed; False once another replica took it)."""
        ...

    def outbox_row(self, key: str) -> OutboxRow | None: ...
    def mark_sent(self, row_id: int, message_id: int | None, *, now: datetime) -> None: ...
    def mark_attempt(self, row_id: int, outcome: Outcome, error: str) -> None: ...
    def retarget_staff_chat(self, old: int, new: int) -> None: ...

    # ---------------------------------------------------------------- inbox
    def inbox_record(
        self, update_id: int, chat_id: int | None, raw: str, *, now: datetime
    ) -> bool:
        """Write an incoming update before it is handled; False if it was already seen."""
        ...

    def inbox_done(self, update_id: int, *, now: datetime) -> None: ...
    def inbox_unhandled(self) -> list[tuple[int, str]]: ...
    def erase_inbox_of_chat(self, chat_id: int) -> None: ...
    def forget_old_texts(self, *, now: datetime) -> None: ...

    # ---------------------------------------------------------------- knowledge loop, stats
    def add_draft(self, draft: Draft) -> bool: ...
    def drafts(self) -> list[Draft]: ...
    def count_assistant_answer(self, language: str, *, today: date) -> None: ...
    def record_staff_feedback(
        self, vote: Literal[1, -1], *, today: date, ballot: str
    ) -> BallotOutcome: ...
    def ticket_facts(self) -> list[TicketFacts]: ...
    def assistant_answers(self) -> list[tuple[date, int]]: ...
    def votes(self) -> list[Vote]: ...

    # ---------------------------------------------------------------- privacy
    def erase_tickets_of_chat(self, chat_id: int, *, now: datetime) -> Erasure: ...
    def anonymise_due(self, *, now: datetime, retention_days: int) -> list[int]: ...
    def forget_answers_before(self, day: date) -> int: ...  # answers kept for corrections

    # ---------------------------------------------------------------- small settings
    def get_value(self, key: str) -> str | None: ...
    def set_value(self, key: str, value: str) -> None: ...
