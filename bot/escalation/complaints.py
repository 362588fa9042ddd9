"""Complaints (/klacht, /plainte): their records, their one transition table, and the storage
interface the complaint desk needs.

A complaint is not a ticket. It lives in its own table, goes to its own, smaller group
(COMPLAINTS_CHAT_ID), has its own retention (COMPLAINT_RETENTION_DAYS) and nothing built on
tickets (/promote, drafts, /stats, reports) reads it. The Flemish vision asks "hoe de kwetsbare
individuele vrijwilliger gehoord kan worden bij klachten": the volunteer stands weak against the
organisation, so the rules favour the complainant:

- they see exactly who will read it before it is sent;
- they may withdraw it until a staff member takes it up (`open` is the only state that allows
  `withdraw`); withdrawing erases its text and replaces the group's post by "withdrawn";
- /vergeet and the retention period erase the texts too (`erased_at` set), in any state.

Staff outbox messages of complaint N have keys "k<N>:..." and no ticket id.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal, Protocol

from bot.escalation.records import NewOutbox

State = Literal["open", "claimed", "closed", "withdrawn"]
Action = Literal["claim", "reply", "close", "withdraw", "add"]
ContactChoice = Literal["yes", "no", "anonymous"]
Erased = Literal["withdrawn", "request", "retention"]
CONTACT_CHOICES: tuple[ContactChoice, ...] = ("yes", "no", "anonymous")

# The ONE transition table: what each action does from each state. A reply to an open
# complaint takes it up (the staff member is on it: withdrawing is no longer offered).
TRANSITIONS: dict[tuple[State, Action], State] = {
    ("open", "claim"): "claimed",
    ("open", "reply"): "claimed",
    ("claimed", "reply"): "claimed",
    ("claimed", "close"): "closed",
    ("open", "withdraw"): "withdrawn",
    # The person adds something (a reply to the bot's message about it) while it is in hand.
    ("open", "add"): "open",
    ("claimed", "add"): "claimed",
}


class NotAllowed(Exception):
    def __init__(self, state: State, action: Action) -> None:
        super().__init__(f"{action} is not allowed on a {state} complaint")
        self.state = state
        self.action = action


def next_state(state: State, action: Action) -> State:
    try:
        return TRANSITIONS[(state, action)]
    except KeyError:
        raise NotAllowed(state, action) from None


def complaint_key(complaint_id: int, what: str, ref: int | str | None = None) -> str:
    """The idempotency key of a complaint's outbox message (cf. outbox.ticket_key)."""
    return f"k{complaint_id}:{what}" + (f":{ref}" if ref is not None else "")


def complaint_of_key(key: str) -> int | None:
    """The complaint a "k<N>:..." outbox key belongs to; None for any other key."""
    head, _, _ = key.partition(":")
    if head.startswith("k") and head[1:].isdigit():
        return int(head[1:])
    return None


@dataclass(frozen=True)
class NewComplaint:
    """What the user wrote in the guided flow, as it will be stored."""

    chat_id: int
    user_id: int | None
    language: Literal["nl", "fr"]
    what: str
    organisation: str  # "" = not given
    contact_org: ContactChoice
    reach: str  # "" = via this chat


@dataclass(frozen=True)
class Complaint:
    id: int
    chat_id: int | None  # None once erased
    user_id: int | None
    language: Literal["nl", "fr"]
    state: State
    what: str  # "" once erased
    organisation: str
    contact_org: ContactChoice
    reach: str
    created_at: datetime
    last_activity_at: datetime
    claimed_by: int | None = None
    claimed_name: str = ""
    claimed_at: datetime | None = None
    erased_at: datetime | None = None
    erased_why: str = ""

    @property
    def number(self) -> str:
        """What users and staff see: "K-3" (not "#3": it is no ticket number)."""
        return f"K-{self.id}"


@dataclass(frozen=True)
class Move:
    """One state change of one complaint, applied atomically with its outbox rows; nothing
    is written when the complaint is no longer in one of `from_states` (compare and set)."""

    complaint_id: int
    from_states: frozenset[State]
    to_state: State
    now: datetime
    claimed_by: int | None = None
    claimed_name: str = ""
    outbox_after: Callable[[Complaint], Sequence[NewOutbox]] | None = None


@dataclass(frozen=True)
class ComplaintAge:
    complaint_id: int
    last_activity_at: datetime
    erased: bool


class ComplaintStorage(Protocol):
    def create_complaint(
        self,
        new: NewComplaint,
        *,
        source_key: str,
        now: datetime,
        outbox_after: Callable[[Complaint], Sequence[NewOutbox]],
    ) -> tuple[Complaint, bool]:
        """Store the complaint and its outbox rows in one transaction; (complaint, created).
        The same source_key again returns the existing complaint and writes nothing."""
        ...

    def complaint(self, complaint_id: int) -> Complaint | None: ...
    def complaints_of_chat(self, chat_id: int) -> list[Complaint]: ...
    def complaint_for_staff_message(self, chat_id: int, message_id: int) -> int | None:
        """The complaint whose message (post or notice) this is in the complaints group."""
        ...

    def complaint_for_user_message(self, chat_id: int, message_id: int) -> int | None:
        """The complaint a message the bot sent the person (receipt, answer) is about."""
        ...

    def move_complaint(self, move: Move) -> Complaint | None:
        """Apply the move; None when the guard did not hold."""
        ...

    def erase_complaints(
        self,
        ids: Sequence[int],
        *,
        now: datetime,
        why: Erased,
        withdraw: bool = False,
        outbox_after: Callable[[Complaint], Sequence[NewOutbox]],
    ) -> list[Complaint]:
        """Empty the complaints' texts and ids (open and claimed ones become closed, or
        withdrawn with `withdraw`, then only if still open), cancel their pending outbox rows
        and empty the texts of every outbox row they had, then queue `outbox_after` rows (the
        post replaced by a line without content). One transaction; returns the erased."""
        ...

    def complaint_ages(self) -> list[ComplaintAge]: ...
    def complaints_in_hand(self) -> list[Complaint]:
        """Open and claimed complaints whose texts are still there, oldest first."""
        ...

    # shared with the ticket desk's storage (small values, the outbox)
    def get_value(self, key: str) -> str | None: ...
    def set_value(self, key: str, value: str) -> None: ...
    def retarget_staff_chat(self, old: int, new: int) -> None: ...
    def enqueue(
        self, rows: Sequence[NewOutbox], *, ticket_id: int | None, now: datetime
    ) -> None: ...
