"""A periodic job that a failure does not end (the hourly retention and reminder sweeps)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import timedelta

log = logging.getLogger(__name__)


class Sweep:
    """`job` every `every` in a task of its own, from `start` until `stop`; a failed run is
    logged as `what` and retried next time: the bot keeps running."""

    def __init__(self, job: Callable[[], object], every: timedelta, what: str) -> None:
        self.job, self.every, self.what = job, every, what
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._forever(), name=self.what)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _forever(self) -> None:
        while True:
            await asyncio.sleep(self.every.total_seconds())
            try:
                self.job()
            except Exception:
                log.exception("%s sweep failed", self.what)
