"""How updates are processed: one chat at a time in order, different chats side by side.

`ChatLanes` is ptb's update processor over `KeyedLanes` (bot/delivery/lanes.py, where the
lanes, the again-after-a-lock retry and the `Handling` count are explained): it maps an
Update to its lane, and ptb bounds how many run at once (`max_concurrent_updates`).
`app.on_error` calls `met_lock` when a handler met a database lock; `reprocess` runs the
update's handlers again; `on_handled` is the durable inbox's "handled" mark.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

from bot.delivery.lanes import KeyedLanes


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
        self.lanes = KeyedLanes()  # unbounded: ptb's own semaphore holds the limit
        # Set by build_application / the escalation workflow.
        self.reprocess: Callable[[object], Awaitable[Any]] | None = None
        self.on_handled: Callable[[Update], Awaitable[None]] | None = None

    async def initialize(self) -> None:
        """Nothing to set up: lanes are made as chats write."""

    async def shutdown(self) -> None:
        """Nothing to free: a lane ends with its last update."""

    def met_lock(self, update: Update) -> None:
        """The update's handling hit a database lock: handle it again once the wait is over."""
        self.lanes.met_lock(update.update_id)

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        if not isinstance(update, Update):
            await self.lanes.run(lane_of(update), None, coroutine)
            return

        reprocess, on_handled = self.reprocess, self.on_handled

        async def done() -> None:
            if on_handled is not None:
                await on_handled(update)

        await self.lanes.run(
            lane_of(update), update.update_id, coroutine,
            again=(lambda: reprocess(update)) if reprocess is not None else None, done=done,
        )
