"""The outbox: every message the escalation workflow sends, as a row, and when to retry it.

A row is written in the same database transaction as the state change it announces (ticket
opened, staff answer relayed, ...), so a ticket can never exist without its messages, nor a
message without its ticket. The worker (`outbox_worker.py`, with the Telegram transport in
`bot/adapters/telegram/sender.py`) delivers pending rows and records the outcome; this module
decides what an outcome means.

Idempotency: each row carries a key naming the *logical* message ("t12:staff-ticket",
"t12:relay:m345"). The key is unique in the database, so replaying the update that caused it
(a duplicate delivery, an inbox replay after a crash) finds the row already there and adds
nothing. The sender marks a row sent in the same instant Telegram confirms it, so the only
window in which a message can go out twice is a crash (or a lost HTTP response) between
Telegram accepting the message and that one local commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

Status = Literal["pending", "sent", "failed", "blocked", "cancelled"]
# What went wrong on an attempt, as the adapter classifies Telegram's answer.
Failure = Literal[
    "rate_limited",  # 429 Too Many Requests (with retry_after)
    "server",  # 5xx: Telegram's side
    "network",  # timeout, connection reset, DNS
    "blocked",  # 403: the user blocked the bot, or the bot was removed from the group
    "chat_not_found",  # 400 chat not found / the group was deleted or migrated
    "bad_request",  # any other 400: our message is wrong; retrying will not help
    # Anything else: the row could not be built (a malformed payload, an unknown method),
    # or the answer could not be read (unparseable, not the message we sent). Whether
    # Telegram accepted it is unknown, so it is retried like a network error, but only a few
    # times, for every target: a row that cannot be sent must not hold back its chat.
    "internal",
]
Target = Literal["user", "staff"]


@dataclass(frozen=True)
class OutboxRow:
    id: int
    key: str  # idempotency key, unique
    target: Target
    chat_id: int
    method: str  # "sendMessage", "editMessageReplyMarkup", "deleteMessage", ...
    payload: dict[str, Any]  # the Bot API parameters besides chat_id
    ticket_id: int | None
    status: Status
    attempts: int = 0
    next_attempt_at: datetime | None = None
    created_at: datetime | None = None
    last_error: str = ""
    sent_message_id: int | None = None


# Keys of the messages handlers send (answers, clarifications, notices; see
# bot/escalation/answers.py): "u<update id>:<n>:<part>", or "x<random>:<part>" outside
# an update. Their text is dropped once they are delivered or given up.
ANSWER_KEY_PREFIXES = ("u", "x")


def ticket_key(ticket_id: int, what: str, ref: int | str | None = None) -> str:
    """The idempotency key of a ticket's message: what it is and which event caused it."""
    return f"t{ticket_id}:{what}" + (f":{ref}" if ref is not None else "")


@dataclass(frozen=True)
class RetryPolicy:
    """Backoff for transient failures; flood control is honoured exactly.

    Transient (429, 5xx, network): retry after max(retry_after, backoff), backoff doubling from
    `base` up to `cap`. After `max_attempts` a user-bound row is `failed` (the staff are told);
    staff-bound rows never fail on an unreachable group: they `wait` with the capped delay,
    because a ticket that never reaches the staff is exactly what must not happen. A row that
    fails in our own code or with an answer we cannot read (`internal`) is `failed` after
    `max_internal_attempts`, whatever its target: it is a poison row, and every attempt at it
    may have been a message the user saw.
    """

    base: timedelta = timedelta(seconds=2)
    cap: timedelta = timedelta(minutes=15)
    max_attempts: int = 12
    staff_wait: timedelta = timedelta(minutes=5)
    max_internal_attempts: int = 3

    def backoff(self, attempts: int) -> timedelta:
        """Delay before attempt number `attempts + 1` (attempts already made >= 1)."""
        exponent = max(0, min(attempts - 1, 20))  # cap the exponent: 2**20 is plenty
        delay: timedelta = min(self.base * (2**exponent), self.cap)
        return delay

    def after_failure(
        self,
        row: OutboxRow,
        failure: Failure,
        now: datetime,
        retry_after: float | None = None,
    ) -> Outcome:
        attempts = row.attempts + 1
        if failure == "rate_limited":
            # Telegram tells us how long to wait; waiting less only earns another 429.
            # Flood control is not a fault of the message, so it does not use up attempts.
            wait = max(timedelta(seconds=retry_after or 0), self.base)
            return Outcome("pending", row.attempts, now + wait)
        if failure == "internal":
            if attempts >= self.max_internal_attempts:
                return Outcome("failed", attempts, None)
            return Outcome("pending", attempts, now + self.backoff(attempts))
        if failure in ("server", "network"):
            if attempts >= self.max_attempts and row.target == "user":
                return Outcome("failed", attempts, None)
            return Outcome("pending", attempts, now + self.backoff(attempts))
        if row.target == "staff" and failure in ("blocked", "chat_not_found"):
            # The bot was removed from the group or the id is wrong: keep the tickets and
            # try again later; an operator fixes STAFF_CHAT_ID or re-adds the bot.
            return Outcome("pending", attempts, now + max(self.staff_wait, self.backoff(attempts)))
        if failure in ("blocked", "chat_not_found"):
            return Outcome("blocked", attempts, None)
        return Outcome("failed", attempts, None)


@dataclass(frozen=True)
class Outcome:
    status: Status
    attempts: int
    next_attempt_at: datetime | None


def due(rows: list[OutboxRow], now: datetime) -> list[OutboxRow]:
    """Pending rows whose time has come, oldest first, holding back any row while an older
    pending row of the same ticket to the same chat waits (keeps a ticket's messages in
    order)."""
    waiting: set[tuple[int | None, int]] = set()
    out: list[OutboxRow] = []
    for row in sorted(rows, key=lambda r: r.id):
        if row.status != "pending":
            continue
        group = (row.ticket_id, row.chat_id)
        if row.ticket_id is not None and group in waiting:
            continue
        if row.next_attempt_at is not None and row.next_attempt_at > now:
            waiting.add(group)
            continue
        out.append(row)
        waiting.add(group)
    return out


def lanes(rows: list[OutboxRow], now: datetime) -> dict[int, list[OutboxRow]]:
    """The rows to send now, per chat, in the order they must go out.

    A chat is a lane: its rows go out one at a time, oldest first, and a row that is not due
    yet (backing off, or waiting out a 429's retry_after) holds back every later row of its
    chat, so a chat never sees its messages out of order. Lanes are independent: the staff
    group's posts (20 a minute) never hold back a user's receipt, and one chat's hung call
    never stalls another chat."""
    held: set[int] = set()
    out: dict[int, list[OutboxRow]] = {}
    for row in sorted(rows, key=lambda r: r.id):
        if row.status != "pending" or row.chat_id in held:
            continue
        if row.next_attempt_at is not None and row.next_attempt_at > now:
            held.add(row.chat_id)
            continue
        out.setdefault(row.chat_id, []).append(row)
    return out


def next_wakeup(rows: list[OutboxRow], now: datetime) -> datetime | None:
    """When the earliest pending row becomes due (None: nothing pending)."""
    times = [r.next_attempt_at or now for r in rows if r.status == "pending"]
    return min(times) if times else None
