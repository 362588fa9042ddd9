"""The outbox worker: delivers pending outbox rows through a transport and records the outcome.

It runs as one task next to the bot. Each pass reads the pending rows and starts one *lane*
per chat that has rows due (`bot.escalation.outbox.lanes`): a lane sends its chat's rows one
at a time, oldest first, and marks each one sent the moment the transport confirms it. Lanes
run side by side, so a user's receipt or answer never waits behind the staff group's posts
(which the rate limiter holds to the group's 20 a minute) and one chat's hung call never
stalls another chat. The worker sleeps until the next row is due, until `kick()` (called
right after a new row is committed) or until a lane ends that leaves work behind.

Kicks that arrive while a pass runs are one more pass, not one each. A lane that sent all
its rows wakes the worker only if a pass saw newer rows of its chat while it ran, if it
stopped early (a failure or a hold: the next look is due at its backoff) or if other chats
wait for a free lane, not every time it ends.

What an attempt's exception means is the transport's business (`Transport.judge`: the
Telegram one is `bot/adapters/telegram/sender.py`); what follows from it is decided here
with the outbox's `RetryPolicy`. Any exception is an attempt like any other, so a poison row
is tried a bounded number of times, marked failed, and its lane moves on.

Sent means sent: once the transport confirmed a row, the worker remembers it until the
"sent" mark is committed (that commit waits out a lock; it is never a reason to send again).

Every storage call goes through the `db` it is given (the adapter's `StorageCalls`: off the
event loop's thread, lock errors waited out and logged).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any, Protocol, TypeVar

from bot.delivery.backoff import waits
from bot.escalation.outbox import Failure, OutboxRow, Outcome, RetryPolicy, lanes

log = logging.getLogger(__name__)
T = TypeVar("T")

RECHECK = timedelta(seconds=30)
# A row that could not be finished and has no backoff in the database (its attempt could
# not be recorded, or it waits for an earlier message) is left alone this long.
HOLD = timedelta(seconds=1)
PASS_ERROR_WAIT = (0.5, 30.0)  # first and longest wait after a failed pass
MAX_LANES = 64
MIN_SLEEP = 0.01  # seconds: a pass never follows another without a pause (no hot loop)

# Called after a row ends as blocked or failed (the ticket is marked, staff are told), and
# when the staff group moved to a supergroup.
OnGiveUp = Callable[[OutboxRow, str], Awaitable[None]]
OnMigrated = Callable[[int, int], Awaitable[None]]
# The message id the row with this key was sent as, in this chat (see OutboxWorker.sent_id).
SentId = Callable[[str | None, int], Awaitable[int | None]]


class WaitForEarlier(Exception):
    """The row replies to or edits a message that has not been sent yet."""


@dataclass(frozen=True)
class Failed:
    """The attempt failed: what kind of failure, as the outbox's retry policy knows them."""

    failure: Failure
    retry_after: float | None = None  # seconds the service asked us to wait (a 429)
    detail: str | None = None  # the service's short description; never the message text


@dataclass(frozen=True)
class Moved:
    """The chat is now another chat (a group became a supergroup): follow it and retry."""

    new_chat_id: int


@dataclass(frozen=True)
class Done:
    """Nothing is left to do (the edit changes nothing, the message is gone): counts as sent."""


Judgement = Failed | Moved | Done


class Transport(Protocol):
    async def send(self, row: OutboxRow, sent_id: SentId) -> int | None:
        """Make the row's call; the id of the message it sent or changed (None: no message).
        `sent_id` turns the key of an earlier row into its message id (it raises
        WaitForEarlier while that row is pending)."""
        ...

    def judge(self, exc: Exception) -> Judgement:
        """What an exception raised by `send` means."""
        ...


class OutboxStore(Protocol):
    """The outbox part of `bot.escalation.records.TicketStorage` the worker uses."""

    def pending_outbox(self) -> list[OutboxRow]: ...
    def claim_outbox(self, row_id: int) -> bool: ...
    def outbox_row(self, key: str) -> OutboxRow | None: ...
    def mark_sent(self, row_id: int, message_id: int | None, *, now: datetime) -> None: ...
    def mark_attempt(self, row_id: int, outcome: Outcome, error: str) -> None: ...
    def retarget_staff_chat(self, old: int, new: int) -> None: ...


class StorageCaller(Protocol):
    """Runs a storage call where it belongs (off the event loop) and awaits its result."""

    async def __call__(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T: ...


class OutboxWorker:
    def __init__(
        self,
        transport: Transport,
        storage: OutboxStore,
        *,
        db: StorageCaller,
        clock: Callable[[], datetime],
        policy: RetryPolicy | None = None,
        on_give_up: OnGiveUp | None = None,
        on_migrated: OnMigrated | None = None,
        recheck: timedelta = RECHECK,
        max_lanes: int = MAX_LANES,
    ) -> None:
        self.transport = transport
        self.recheck = recheck
        self.storage = storage
        self.clock = clock
        self.policy = policy or RetryPolicy()
        self.on_give_up = on_give_up
        self.on_migrated = on_migrated
        self.db = db
        self.max_lanes = max_lanes
        self.sent = 0  # rows delivered since start (flush reports the difference)
        self.passes = 0  # reads of the pending rows since start (the chaos suite counts them)
        self._wake = asyncio.Event()
        self._waiting: set[int] = set()  # chats with rows due but no free lane
        self._lane_ends: dict[int, int] = {}  # chat -> the last row id its running lane has
        self._again: set[int] = set()  # chats whose lane must be followed by another pass
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task[None] | None = None
        self._lanes: dict[int, asyncio.Task[None]] = {}
        self._accepted: dict[int, int | None] = {}  # confirmed as sent, mark not committed
        self._held: dict[int, datetime] = {}  # row id -> not before

    # ---------------------------------------------------------------- lifecycle
    def start(self) -> None:
        if self._task is None:
            self._loop = asyncio.get_running_loop()
            self._task = asyncio.create_task(self._run(), name="outbox-sender")

    async def stop(self) -> None:
        tasks = [t for t in (self._task, *self._lanes.values()) if t is not None]
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._task = None
        self._lanes.clear()
        self._lane_ends.clear()
        self._again.clear()

    def kick(self) -> None:
        """New rows were committed: look at the outbox now rather than at the next wakeup.

        Safe from any thread: a desk use case run in the storage's thread kicks too. Before
        `start` (or after its loop closed) there is nothing to wake: a first pass reads every
        pending row anyway."""
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        try:
            on_loop = asyncio.get_running_loop() is loop
        except RuntimeError:
            on_loop = False
        if on_loop:
            self._wake.set()
        else:
            loop.call_soon_threadsafe(self._wake.set)

    async def _run(self) -> None:
        after_error = waits(*PASS_ERROR_WAIT)
        while True:
            self._wake.clear()
            try:
                timeout = await self._pass()
                after_error = waits(*PASS_ERROR_WAIT)
            except Exception:  # never let one bad pass stop every delivery
                log.exception("outbox pass failed")
                timeout = after_error()
            await self._sleep(timeout)

    async def _sleep(self, seconds: float) -> None:
        """Until kicked, a lane ended, or `timeout` seconds passed. Always through an await:
        even a pass that found work due at once yields here. (asyncio.wait rather than
        wait_for: cancelling the worker must never wait on the inner wait's cancellation.)"""
        if self._wake.is_set():
            await asyncio.sleep(0)
            return
        waiter = asyncio.ensure_future(self._wake.wait())
        try:
            await asyncio.wait({waiter}, timeout=max(seconds, MIN_SLEEP))
        finally:
            waiter.cancel()

    async def _pass(self) -> float:
        """Start a lane for every chat with rows due; seconds until the next look."""
        self.passes += 1
        rows = await self.db(self.storage.pending_outbox)
        now = self.clock()
        rows = [self._with_hold(row) for row in rows]
        waiting = self._waiting = set()  # a lane's end wakes us while chats wait here
        for chat_id, chat_rows in lanes(rows, now).items():
            if chat_id in self._lanes:
                if chat_rows[-1].id > self._lane_ends.get(chat_id, chat_rows[-1].id):
                    self._again.add(chat_id)  # rows its lane does not have: look once it ends
                continue
            if len(self._lanes) >= self.max_lanes:
                waiting.add(chat_id)
                continue
            self._lane_ends[chat_id] = chat_rows[-1].id
            self._lanes[chat_id] = asyncio.create_task(
                self._lane(chat_id, chat_rows), name=f"outbox-lane:{chat_id}"
            )
        # Look again at least every `recheck`: on a shared PostgreSQL, rows leased by a
        # replica that died become ours only when its lease expires, and nothing kicks us.
        # Chats with a running lane are left to it: it wakes us when it ends.
        # A chat's later rows wait for its first one: only that one says when to look again.
        timeout = self.recheck.total_seconds()
        heads: dict[int, OutboxRow] = {}
        for row in sorted(rows, key=lambda r: r.id):
            if row.status == "pending":
                heads.setdefault(row.chat_id, row)
        for chat_id, head in heads.items():
            if chat_id in self._lanes or chat_id in waiting:
                continue
            at = head.next_attempt_at or now
            timeout = min(timeout, (at - now).total_seconds())
        return timeout

    def _with_hold(self, row: OutboxRow) -> OutboxRow:
        until = self._held.get(row.id)
        if until is None:
            return row
        if until <= self.clock():
            del self._held[row.id]
            return row
        return replace(row, next_attempt_at=max(until, row.next_attempt_at or until))

    async def _lane(self, chat_id: int, rows: list[OutboxRow]) -> None:
        finished = False
        try:
            for row in rows:
                if not await self.deliver_safely(row):
                    break
                await asyncio.sleep(0)  # a long lane still lets every other task run
            else:
                finished = True
        finally:
            self._lanes.pop(chat_id, None)
            self._lane_ends.pop(chat_id, None)
            again = chat_id in self._again
            self._again.discard(chat_id)
            if not finished or again or self._waiting:
                self._wake.set()

    async def flush(self) -> int:
        """Send every row that is due now (all chats at once) and wait until each lane is
        done; returns how many went out."""
        before = self.sent
        while True:
            await self._pass()
            if not self._lanes:
                return self.sent - before
            await asyncio.gather(*self._lanes.values(), return_exceptions=True)

    # ---------------------------------------------------------------- one row
    async def deliver_safely(self, row: OutboxRow) -> bool:
        """deliver(), and whatever goes wrong the lane goes on: the row is held back a while
        instead of being tried again at once."""
        try:
            return await self.deliver(row)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("outbox row %s (%s to %s) could not be finished; held back",
                          row.id, row.method, row.target)
            self._held[row.id] = self.clock() + HOLD
            return False

    async def deliver(self, row: OutboxRow) -> bool:
        """Try one row; True when it is done (sent, or nothing left to do)."""
        if row.id in self._accepted:  # sent before, only the mark is missing: never resend
            return await self._record_sent(row, self._accepted[row.id])
        if not await self.db(self.storage.claim_outbox, row.id):
            # Sent meanwhile, or another replica took it over: theirs now.
            self._held[row.id] = self.clock() + HOLD
            return False
        try:
            message_id = await self.transport.send(row, self.sent_id)
        except WaitForEarlier:
            self._held[row.id] = self.clock() + HOLD
            return False
        except Exception as exc:  # the transport's errors, and any other: each is an attempt
            judgement = self.transport.judge(exc)
            if isinstance(judgement, Moved):
                await self._migrated(row, judgement.new_chat_id)
                return False
            if isinstance(judgement, Done):
                return await self._record_sent(row, None)
            return await self._failed(row, exc, judgement)
        self._accepted[row.id] = message_id
        return await self._record_sent(row, message_id)

    async def _record_sent(self, row: OutboxRow, message_id: int | None) -> bool:
        await self.db(self.storage.mark_sent, row.id, message_id, now=self.clock())
        self._accepted.pop(row.id, None)
        self.sent += 1
        return True

    async def _failed(self, row: OutboxRow, exc: Exception, failed: Failed) -> bool:
        outcome = self.policy.after_failure(row, failed.failure, self.clock(), failed.retry_after)
        # Only the exception's type and the service's short description: never the text.
        log.warning(
            "outbox row %s (%s to %s) failed: %s; now %s",
            row.id, row.method, row.target, type(exc).__name__, outcome.status,
        )
        if failed.failure == "internal":
            log.debug("outbox row %s: internal failure", row.id, exc_info=exc)
        detail = failed.failure if failed.detail is None else failed.detail
        # Told before the final mark: a crash in between tries the row once more and gives up
        # again, and the staff notice is keyed by the row, so it is queued once.
        if outcome.status in ("blocked", "failed") and self.on_give_up is not None:
            await self.on_give_up(row, outcome.status)
        await self.db(
            self.storage.mark_attempt, row.id, outcome, f"{type(exc).__name__}: {detail}"
        )
        return False

    async def _migrated(self, row: OutboxRow, new_chat_id: int) -> None:
        if row.target == "staff" and self.on_migrated is not None:
            await self.on_migrated(row.chat_id, new_chat_id)
        else:
            await self.db(self.storage.retarget_staff_chat, row.chat_id, new_chat_id)

    async def sent_id(self, key: str | None, chat_id: int) -> int | None:
        """The message id of the row `key` once sent; None if it never will be (only a sent
        row has one: a cancelled or failed row never went out), or if it went to another chat
        (the staff group moved): message ids are only valid per chat."""
        if key is None:
            return None
        earlier = await self.db(self.storage.outbox_row, key)
        if earlier is None or earlier.chat_id != chat_id:
            return None
        if earlier.status == "pending":
            raise WaitForEarlier(key)
        return earlier.sent_message_id
