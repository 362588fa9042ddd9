"""Work in lanes: one key at a time in arrival order, different keys side by side.

Handling everything one at a time lets one slow or hung call stall every user; handling all
of it concurrently lets two messages of one user race each other, and a conversation sees
them out of order. `KeyedLanes` is in between: each key (a chat) is a lane, a lane runs its
coroutines one at a time in the order they arrived, and lanes run concurrently (how many at
once is the caller's to bound: ptb's update processor does).

Two more duties, both about never losing an item:
- A pass that met a database lock (another connection holds the write lock) gives its item
  back: `met_lock(item_id)`, and the lane runs `again()` for the same item after a logged,
  growing wait, before anything later in that lane. Handlers' writes are idempotent (keys
  per update or message), so a second pass adds nothing twice.
- `done()` (the durable inbox's "handled" mark) is awaited once the item went through, in
  its lane, so the mark is right whichever order lanes finish in.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Hashable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from bot.delivery.backoff import waits

log = logging.getLogger(__name__)

RETRY_WAIT = (0.1, 2.0)  # first and longest wait before a locked-out item is run again
LOG_EVERY = 5.0  # seconds between "still waiting" lines


@dataclass
class Handling:
    """The update being handled in this task: the durable outbox names answers after it, so
    a second pass over the same update (a lock, a replay after a crash) queues nothing new."""

    update_id: int
    sent: int = 0

    def next_key(self) -> str:
        self.sent += 1
        return f"u{self.update_id}:{self.sent}"


CURRENT: ContextVar[Handling | None] = ContextVar("handling", default=None)


class KeyedLanes:
    def __init__(
        self,
        *,
        retry_wait: tuple[float, float] = RETRY_WAIT,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._locks: dict[Hashable, asyncio.Lock] = {}
        self._waiting: dict[Hashable, int] = {}
        self._locked_out: set[int] = set()
        self.retry_wait = retry_wait
        self._sleep = sleep

    def met_lock(self, item_id: int) -> None:
        """The item's pass hit a database lock: run it again once the wait is over."""
        self._locked_out.add(item_id)

    def busy(self) -> int:
        """How many lanes have work running or waiting."""
        return len(self._waiting)

    async def run(
        self,
        key: Hashable,
        item_id: int | None,
        first_pass: Awaitable[Any],
        *,
        again: Callable[[], Awaitable[Any]] | None = None,
        done: Callable[[], Awaitable[None]] | None = None,
    ) -> None:
        """`first_pass` in lane `key`, after everything queued before it there; then `again()`
        while the item met a lock, then `done()`. An item without id (not an update) is run
        once, without CURRENT, retry or `done`."""
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._waiting[key] = self._waiting.get(key, 0) + 1
        try:
            async with lock:
                await _handling(item_id, first_pass)
                if item_id is not None:
                    await self._again_while_locked(item_id, again)
                    if done is not None:
                        await done()
        finally:
            self._waiting[key] -= 1
            if not self._waiting[key]:
                del self._waiting[key], self._locks[key]

    async def _again_while_locked(
        self, item_id: int, again: Callable[[], Awaitable[Any]] | None
    ) -> None:
        next_wait, waited, logged_at = waits(*self.retry_wait), 0.0, -LOG_EVERY
        while item_id in self._locked_out and again is not None:
            self._locked_out.discard(item_id)
            if waited - logged_at >= LOG_EVERY:
                log.warning("update %s met a database lock; handled again when it is free "
                            "(%.1f s so far)", item_id, waited)
                logged_at = waited
            wait = next_wait()
            await self._sleep(wait)
            waited += wait
            await _handling(item_id, again())
        if waited:
            log.warning("update %s handled after waiting %.1f s for a database lock",
                        item_id, waited)


async def _handling(item_id: int | None, coroutine: Awaitable[Any]) -> None:
    """Await one pass over the item with CURRENT naming it (a fresh count per pass)."""
    token = CURRENT.set(Handling(item_id) if item_id is not None else None)
    try:
        await coroutine
    finally:
        CURRENT.reset(token)
