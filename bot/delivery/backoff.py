"""Try until it works: capped exponential backoff for a service that is not there yet.

A bot that starts before its network (a container before its proxy, a host after a reboot)
or during an outage should wait, not die: `until_it_works` runs `attempt`, and while it fails
in a way `unreachable` recognises it says so in one log line per attempt and tries again,
waiting `first` seconds, then twice that, up to `cap`. Any other exception (a refusal: a
wrong token, a bad request) ends the wait and propagates. Cancelling the task (a stop
signal) ends it during its wait. The transport adapter knows its exceptions; this does not.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")


def waits(first: float, cap: float) -> Callable[[], float]:
    """The backoff sequence: each call gives the next wait (first, 2·first, ... cap, cap)."""
    delay = first

    def next_wait() -> float:
        nonlocal delay
        current, delay = delay, min(delay * 2, cap)
        return current

    return next_wait


async def until_it_works(
    attempt: Callable[[], Awaitable[T]],
    *,
    unreachable: Callable[[Exception], str | None],
    log: logging.Logger,
    first: float,
    cap: float,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> tuple[T, int]:
    """`attempt()`'s result and how many attempts failed before it. `unreachable(exc)` is the
    log line's text for a failure worth waiting out ("... not reachable (reason)"), or None
    for one that is not (the exception propagates)."""
    next_wait, failed = waits(first, cap), 0
    while True:
        try:
            return await attempt(), failed
        except Exception as exc:
            said = unreachable(exc)
            if said is None:
                raise
            failed += 1
            delay = next_wait()
            log.warning("%s; retrying in %g s", said, delay)
        await sleep(delay)
