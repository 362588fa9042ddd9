"""Waiting out a service that is not there yet: 1, 2, 4 ... capped, one line per failed
attempt, a refusal ends it at once, a cancel (a stop signal) ends the wait. No network."""

from __future__ import annotations

import asyncio
import logging

import pytest

from bot.delivery.backoff import until_it_works, waits

log = logging.getLogger("test.backoff")


class Down(Exception):
    pass


class Refused(Exception):
    pass


def unreachable(exc: Exception) -> str | None:
    return f"service not reachable ({exc})" if isinstance(exc, Down) else None


def test_the_waits_double_up_to_the_cap():
    next_wait = waits(1.0, 60.0)
    assert [next_wait() for _ in range(9)] == [1, 2, 4, 8, 16, 32, 60, 60, 60]


async def test_failures_are_waited_out_with_one_line_each(caplog):
    caplog.set_level(logging.INFO)
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)

    calls = 0

    async def attempt() -> str:
        nonlocal calls
        calls += 1
        if calls <= 8:
            raise Down(f"try {calls}")
        return "up"

    result = await until_it_works(
        attempt, unreachable=unreachable, log=log, first=1.0, cap=60.0, sleep=sleep
    )

    assert result == ("up", 8)
    assert slept == [1, 2, 4, 8, 16, 32, 60, 60]
    lines = [r.getMessage() for r in caplog.records]
    assert lines[0] == "service not reachable (try 1); retrying in 1 s"
    assert lines[-1] == "service not reachable (try 8); retrying in 60 s"
    assert len(lines) == 8


async def test_a_first_success_waits_for_nothing(caplog):
    async def attempt() -> int:
        return 5

    assert await until_it_works(attempt, unreachable=unreachable, log=log, first=1, cap=60) == (
        5, 0
    )
    assert caplog.records == []


async def test_a_refusal_is_not_waited_out():
    calls = 0

    async def attempt() -> None:
        nonlocal calls
        calls += 1
        raise Refused("wrong token")

    with pytest.raises(Refused):
        await until_it_works(attempt, unreachable=unreachable, log=log, first=1, cap=60)
    assert calls == 1


async def test_a_cancel_ends_the_wait():
    """A stop signal cancels the task; it ends in its sleep, without another attempt."""
    calls = 0

    async def attempt() -> None:
        nonlocal calls
        calls += 1
        raise Down("no route")

    waiting = asyncio.create_task(
        until_it_works(attempt, unreachable=unreachable, log=log, first=30, cap=60)
    )
    await asyncio.sleep(0.05)
    waiting.cancel()

    with pytest.raises(asyncio.CancelledError):
        await asyncio.wait_for(waiting, timeout=1)
    assert calls == 1
