"""Helpers for testing the escalation workflow without a storage thread or a bot."""

from __future__ import annotations

import asyncio
from typing import Any


async def direct(fn: Any, /, *args: Any, **kwargs: Any) -> Any:
    """A storage call run inline, in place of StorageCalls' thread."""
    return fn(*args, **kwargs)


async def until(condition: Any, timeout: float = 3.0) -> None:  # noqa: ASYNC109
    """Wait for the worker to have done something, failing after `timeout` seconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        assert loop.time() < deadline, "condition not met in time"
        await asyncio.sleep(0.01)
