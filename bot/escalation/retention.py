"""What to forget, and when: automatic anonymisation and the limits of erasure.

Tickets keep their number, language, topic, state and timestamps forever (they are the
anonymous counts behind /stats); what goes is everything that could identify or quote a
person: the chat id, the question, the additions, the staff answers, the outbox texts.

Two triggers, one effect:
- retention: a ticket whose last activity is older than `retention_days` (default 180);
- erasure: the user's /vergeet or /oublier, for all their tickets at once.

Complaints (complaint_desk.py) follow the same rule with their own, shorter period
(COMPLAINT_RETENTION_DAYS, default 90): `due_for_anonymisation` decides for both.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

DEFAULT_RETENTION_DAYS = 180
DEFAULT_COMPLAINT_RETENTION_DAYS = 90
# Telegram lets a bot delete a message only within 48 hours of sending it
# (Bot API deleteMessage); older ones are reported to the user instead of attempted.
DELETE_WINDOW = timedelta(hours=48)
# Sent outbox rows keep their idempotency key (so a replay is still recognised) but lose
# their text after this long: long enough to debug a delivery, short enough to hold no archive.
OUTBOX_TEXT_KEPT = timedelta(days=7)


@dataclass(frozen=True)
class TicketAge:
    ticket_id: int
    last_activity_at: datetime
    anonymised: bool


def cutoff(now: datetime, retention_days: int = DEFAULT_RETENTION_DAYS) -> datetime:
    if retention_days < 1:
        raise ValueError("retention_days must be at least 1")
    return now - timedelta(days=retention_days)


def due_for_anonymisation(
    tickets: Iterable[TicketAge], now: datetime, retention_days: int = DEFAULT_RETENTION_DAYS
) -> list[int]:
    """Ids of tickets not yet anonymised whose last activity is older than the retention
    period, in any state: an open ticket nobody touched for half a year is abandoned, and
    keeping its text longer than promised is the greater harm."""
    limit = cutoff(now, retention_days)
    return sorted(t.ticket_id for t in tickets if not t.anonymised and t.last_activity_at < limit)


@dataclass(frozen=True)
class StaffMessage:
    chat_id: int
    message_id: int
    sent_at: datetime


@dataclass(frozen=True)
class DeletionPlan:
    attempt: list[StaffMessage]  # young enough that Telegram may still allow deleting them
    too_old: list[StaffMessage]  # Telegram no longer allows it: we say so honestly


def deletion_plan(messages: Iterable[StaffMessage], now: datetime) -> DeletionPlan:
    attempt: list[StaffMessage] = []
    too_old: list[StaffMessage] = []
    for message in messages:
        (attempt if now - message.sent_at < DELETE_WINDOW else too_old).append(message)
    return DeletionPlan(attempt, too_old)
