"""A plug-in's start and stop chained to the application's (run_polling calls post_init and
post_stop). Its hourly sweep, which needs no ptb, is bot/delivery/sweep.py."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from telegram.ext import Application

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
