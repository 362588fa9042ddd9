"""How updates are processed: one chat at a time in order, different chats side by side.

ptb either handles one update at a time (a slow or hung call in one chat stalls every user)
or runs them all concurrently (two messages of one user race each other, and a conversation
sees them out of order). `ChatLanes` is in between: each chat is a lane, a lane handles its
updates one at a time in the order they arrived, and lanes run concurrently (up to
`max_concurrent_updates` at once).

Two more duties, both about never losing an update:
- A handler that met a database lock (another connection holds the write lock) gives its
  update back: `app.on_error` calls `met_lock`, and the lane handles the same update again
  after a logged, growing wait, before anything later in that chat. Handlers' writes are
  idempotent (keys per update or message), so a second pass adds nothing twice.
- `on_handled` (the durable inbox's "handled" mark) is awaited once the update went through,
  with the update itself, so the mark is right whichever order lanes finish in.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Hashable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

log = logging.getLogger(__name__)

RETRY_WAIT = (0.1, 2.0)  # first and longest wait before handling a locked-out update again
LOG_EVERY = 5.0


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


def lane_of(update: object) -> Hashable:
    """The lane an update belongs to: its chat, else its user (a press on an inline-mode
    message has no chat), else one lane for everything else."""
    if isinstance(update, Update):
        if update.effective_chat is not None:
            return ("chat", update.effective_chat.id)
        if update.effective_user is not None:
            return ("user", update.effective_user.id)
    return ("other",)


class ChatLanes(BaseUpdateProcessor):
    def __init__(self, max_concurrent_updates: int = 256) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[Hashable, asyncio.Lock] = {}
        self._waiting: dict[Hashable, int] = {}
        self._locked_out: set[int] = set()
        # Set by build_application / the escalation workflow.
        self.reprocess: Callable[[object], Awaitable[Any]] | None = None
        self.on_handled: Callable[[Update], Awaitable[None]] | None = None

    async def initialize(self) -> None:
        """Nothing to set up: lanes are made as chats write."""

    async def shutdown(self) -> None:
        """Nothing to free: a lane ends with its last update."""

    def met_lock(self, update: Update) -> None:
        """The update's handling hit a database lock: handle it again once the wait is over."""
        self._locked_out.add(update.update_id)

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        lane = lane_of(update)
        lock = self._locks.setdefault(lane, asyncio.Lock())
        self._waiting[lane] = self._waiting.get(lane, 0) + 1
        try:
            async with lock:
                await _handling(update, coroutine)
                if isinstance(update, Update):
                    await self._again_while_locked(update)
                    if self.on_handled is not None:
                        await self.on_handled(update)
        finally:
            self._waiting[lane] -= 1
            if not self._waiting[lane]:
                del self._waiting[lane], self._locks[lane]

    async def _again_while_locked(self, update: Update) -> None:
        first, longest = RETRY_WAIT
        wait, waited, logged_at = first, 0.0, -LOG_EVERY
        while update.update_id in self._locked_out and self.reprocess is not None:
            self._locked_out.discard(update.update_id)
            if waited - logged_at >= LOG_EVERY:
                log.warning("update %s met a database lock; handled again when it is free "
                            "(%.1f s so far)", update.update_id, waited)
                logged_at = waited
            await asyncio.sleep(wait)
            waited += wait
            wait = min(wait * 2, longest)
            await _handling(update, self.reprocess(update))
        if waited:
            log.warning("update %s handled after waiting %.1f s for a database lock",
                        update.update_id, waited)


async def _handling(update: object, coroutine: Awaitable[Any]) -> None:
    """Await one pass over the update with CURRENT naming it (a fresh count per pass)."""
    token = CURRENT.set(Handling(update.update_id) if isinstance(update, Update) else None)
    try:
        await coroutine
    finally:
        CURRENT.reset(token)
