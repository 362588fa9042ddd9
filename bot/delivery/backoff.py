"""Try until it works: capped exponential backoff for a service that is not there yet.

A bot that starts before its network (a container before its proxy, a host after a reboot)
or during an outage should wait, not die: `until_it_works` runs `attempt`, and while it fails
in a way `unreachable` recognises it says so in one log line per attempt and tries again,
waiting `first` seconds, then twice that, up to `cap`. Any other exception (a refusal: a
wrong token, a bad request) ends the wait and propagates. Cancelling the task (a stop
signal) ends it during its wait. The transport adapter knows its exceptions; this does not.

`run_until_stopped` runs such a wait at start, before anything else runs: on an event loop of
its own, which SIGINT or SIGTERM stops cleanly, and which is left current for what follows.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, TypeVar

T = TypeVar("T")
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


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


def run_until_stopped(
    wait: Callable[[], Coroutine[Any, Any, None]],
    *,
    refusals: tuple[type[Exception], ...],
    clean_up: Callable[[], Awaitable[object]],
) -> bool:
    """Block until `wait()` is done (True), or a stop signal cancelled it (False: the caller
    exits cleanly). After a stop, or one of `refusals` (raised again), `clean_up()` closes,
    best effort, what the attempts opened, and the loop is closed; otherwise the loop is
    left as the current event loop, for what runs next on it."""
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    waiting = loop.create_task(wait())
    ends: tuple[type[BaseException], ...] = (asyncio.CancelledError, *refusals)
    for sig in STOP_SIGNALS:
        loop.add_signal_handler(sig, waiting.cancel)
    try:
        loop.run_until_complete(waiting)
    except ends as stopped:
        with contextlib.suppress(Exception):
            loop.run_until_complete(clean_up())
        loop.close()
        if not isinstance(stopped, asyncio.CancelledError):
            raise
        return False
    finally:
        if not loop.is_closed():
            for sig in STOP_SIGNALS:
                loop.remove_signal_handler(sig)  # what runs next installs its own
    return True
