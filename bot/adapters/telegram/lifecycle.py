"""What a plug-in runs beside its handlers: its start and stop chained to the application's
(run_polling calls post_init and post_stop), and an hourly sweep that a failure does not end."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from telegram.ext import Application

log = logging.getLogger(__name__)
AnyApplication = Application[Any, Any, Any, Any, Any, Any]


def run_with(
    application: AnyApplication,
    start: Callable[[AnyApplication], Awaitable[None]],
    stop: Callable[[], Awaitable[None]],
) -> None:
    """`start` after the application's own post_init, `stop` before its post_stop."""
    previous_init, previous_stop = application.post_init, application.post_stop

    async def post_init(app: AnyApplication) -> None:
        if previous_init is not None:
            await previous_init(app)
        await start(app)

    async def post_stop(app: AnyApplication) -> None:
        await stop()
        if previous_stop is not None:
            await previous_stop(app)

    application.post_init = post_init
    application.post_stop = post_stop


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
