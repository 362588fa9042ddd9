"""Waiting out a service that is not there yet: 1, 2, 4 ... capped, one line per failed
attempt, a refusal ends it at once, a cancel (a stop signal) ends the wait; at start, on a
loop of its own that SIGINT or SIGTERM stops cleanly. No network."""

from __future__ import annotations

import asyncio
import logging
import os
import signal

import pytest

from bot.delivery.backoff import run_until_stopped, until_it_works, waits

log = logging.getLogger("test.backoff")


class Down(Exception):
    pass


class Refused(Exception):
    pass


def unreachable(exc: Exception) -> str | None:
    return f"service not reachable ({exc})" if isinstance(exc, Down) else None


class Service:
    """The attempt: fails with `error` on its first `failures` calls (None: on every call),
    then answers "up"; `calls` counts the attempts made."""

    def __init__(self, error: type[Exception], failures: int | None = None) -> None:
        self.error, self.failures, self.calls = error, failures, 0

    async def __call__(self) -> str:
        self.calls += 1
        if self.failures is None or self.calls <= self.failures:
            raise self.error(f"try {self.calls}")
        return "up"


def test_the_waits_double_up_to_the_cap():
    next_wait = waits(1.0, 60.0)
    assert [next_wait() for _ in range(9)] == [1, 2, 4, 8, 16, 32, 60, 60, 60]


async def test_failures_are_waited_out_with_one_line_each(caplog):
    caplog.set_level(logging.INFO)
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)

    result = await until_it_works(
        Service(Down, failures=8), unreachable=unreachable, log=log, first=1.0, cap=60.0,
        sleep=sleep,
    )

    assert result == ("up", 8)
    assert slept == [1, 2, 4, 8, 16, 32, 60, 60]
    lines = [r.getMessage() for r in caplog.records]
    assert lines[0] == "service not reachable (try 1); retrying in 1 s"
    assert lines[-1] == "service not reachable (try 8); retrying in 60 s"
    assert len(lines) == 8


async def test_a_first_success_waits_for_nothing(caplog):
    result = await until_it_works(
        Service(Down, failures=0), unreachable=unreachable, log=log, first=1, cap=60
    )

    assert result == ("up", 0)
    assert caplog.records == []


async def test_a_refusal_is_not_waited_out():
    refusing = Service(Refused)

    with pytest.raises(Refused):
        await until_it_works(refusing, unreachable=unreachable, log=log, first=1, cap=60)
    assert refusing.calls == 1


async def test_a_cancel_ends_the_wait():
    """A stop signal cancels the task; it ends in its sleep, without another attempt."""
    down = Service(Down)
    waiting = asyncio.create_task(
        until_it_works(down, unreachable=unreachable, log=log, first=30, cap=60)
    )
    await asyncio.sleep(0.05)
    waiting.cancel()

    with pytest.raises(asyncio.CancelledError):
        await asyncio.wait_for(waiting, timeout=1)
    assert down.calls == 1


class Loop:
    """What run_until_stopped leaves behind: the current loop, and whether it cleaned up."""

    def __init__(self) -> None:
        self.cleaned = False

    async def clean_up(self) -> None:
        self.cleaned = True

    def __enter__(self) -> Loop:
        return self

    def __exit__(self, *exc: object) -> None:
        loop = asyncio.get_event_loop_policy().get_event_loop()
        if not loop.is_closed():
            loop.close()
        asyncio.set_event_loop(None)


def test_a_wait_that_ends_leaves_its_loop_running_for_what_follows():
    async def wait() -> None:
        await asyncio.sleep(0)

    with Loop() as after:
        assert run_until_stopped(wait, refusals=(Refused,), clean_up=after.clean_up) is True
        loop = asyncio.get_event_loop_policy().get_event_loop()
        assert not loop.is_closed() and not after.cleaned
        assert loop.run_until_complete(asyncio.sleep(0, "still usable")) == "still usable"


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_stop_signal_ends_the_wait_cleanly(sig):
    async def wait() -> None:
        os.kill(os.getpid(), sig)
        await asyncio.sleep(30)

    with Loop() as after:
        assert run_until_stopped(wait, refusals=(Refused,), clean_up=after.clean_up) is False
        assert after.cleaned
        assert asyncio.get_event_loop_policy().get_event_loop().is_closed()


def test_a_refusal_is_raised_after_cleaning_up():
    async def wait() -> None:
        raise Refused("wrong token")

    with Loop() as after, pytest.raises(Refused):
        run_until_stopped(wait, refusals=(Refused,), clean_up=after.clean_up)
    assert after.cleaned
