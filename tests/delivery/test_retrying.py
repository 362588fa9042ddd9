"""One request, paced and tried again: a 429 pauses its chat only and the request is retried,
a transient failure is retried a few times with a growing backoff, anything else is raised
at once; groups keep to their window. Plain asyncio with made-up failures: no Telegram."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import pytest

from bot.delivery.pacing import FloodPauses, GroupWindow
from bot.delivery.retrying import TRANSIENT, Flood, Pacer, Verdict, observed


class TooFast(Exception):
    def __init__(self, seconds: float) -> None:
        super().__init__(f"retry after {seconds}")
        self.seconds = seconds


class Timeout(Exception):
    pass


class Refused(Exception):
    pass


def judge(exc: Exception) -> Verdict:
    if isinstance(exc, TooFast):
        return Flood(exc.seconds)
    if isinstance(exc, Timeout):
        return TRANSIENT
    return None


class Service:
    """Answers each call with the next planned failure, then with "ok"; records when."""

    def __init__(self, *failures: Exception) -> None:
        self.failures = list(failures)
        self.times: list[float] = []

    async def __call__(self) -> str:
        self.times.append(asyncio.get_running_loop().time())
        if self.failures:
            raise self.failures.pop(0)
        return "ok"


async def call(pacer: Pacer, service: Callable[[], Awaitable[str]], chat: int | None = 1,
               **retries: int) -> str:
    retries = {"flood_retries": 3, "network_retries": 2, **retries}
    return await pacer.call(service, chat, judge, what="sendMessage", **retries)


async def test_a_429_pauses_that_chat_alone_and_the_request_is_tried_again_after_it():
    loop = asyncio.get_running_loop()
    pacer = Pacer()
    flooded = Service(TooFast(0.3))
    other = Service()
    started = loop.time()

    first = asyncio.create_task(call(pacer, flooded, chat=1))
    await asyncio.sleep(0.05)  # the 429 came back: chat 1 waits now
    assert await call(pacer, other, chat=2) == "ok"
    assert await first == "ok"

    assert other.times[0] - started < 0.2  # never held back by chat 1's flood control
    assert len(flooded.times) == 2
    assert flooded.times[1] - flooded.times[0] >= 0.3


async def test_a_429_holds_back_every_later_call_to_that_chat_until_it_has_passed():
    loop = asyncio.get_running_loop()
    pacer = Pacer()
    with pytest.raises(TooFast):
        await call(pacer, Service(TooFast(0.3)), flood_retries=0)  # no retry left: raised
    raised = loop.time()

    later = Service()
    assert await call(pacer, later) == "ok"

    assert later.times[0] - raised >= 0.3 - 0.05


async def test_flood_control_is_retried_up_to_its_limit_then_raised():
    service = Service(*(TooFast(0.0) for _ in range(3)))
    with pytest.raises(TooFast):
        await call(Pacer(), service, flood_retries=2)
    assert len(service.times) == 3

    again = Service(*(TooFast(0.0) for _ in range(2)))
    assert await call(Pacer(), again, flood_retries=2) == "ok"


async def test_a_transient_failure_is_retried_with_a_growing_backoff_then_raised():
    pacer = Pacer(backoff=0.1)
    service = Service(Timeout(), Timeout(), Timeout())

    with pytest.raises(Timeout):
        await call(pacer, service, network_retries=2)

    assert len(service.times) == 3
    first, second, third = service.times
    first_wait, second_wait = second - first, third - second
    assert first_wait >= 0.1 and second_wait >= 0.2
    assert await call(pacer, Service(Timeout(), Timeout()), network_retries=2) == "ok"


async def test_without_network_retries_a_transient_failure_is_raised_at_once():
    service = Service(Timeout())
    with pytest.raises(Timeout):
        await call(Pacer(), service, network_retries=0)
    assert len(service.times) == 1


async def test_any_other_failure_is_raised_at_once():
    service = Service(Refused())
    with pytest.raises(Refused):
        await call(Pacer(), service)
    assert len(service.times) == 1


async def test_calls_to_a_group_keep_to_its_window_private_chats_do_not():
    loop = asyncio.get_running_loop()
    pacer = Pacer(group_window=GroupWindow(limit=2, period=0.3))
    started = loop.time()

    for _ in range(3):
        await call(pacer, Service(), chat=42)
    private = loop.time() - started
    for _ in range(3):
        await call(pacer, Service(), chat=-100)
    group = loop.time() - started

    assert private < 0.1
    assert group >= 0.3 + GroupWindow.MARGIN


async def test_calls_without_a_chat_wait_for_each_others_flood_control():
    loop = asyncio.get_running_loop()
    pacer = Pacer()
    started = loop.time()
    assert await call(pacer, Service(TooFast(0.2)), chat=None) == "ok"
    assert await call(pacer, Service(), chat=None) == "ok"
    assert loop.time() - started >= 0.2 + FloodPauses.MARGIN - 0.05


class Observer:
    def __init__(self) -> None:
        self.seen: list[tuple[str, str]] = []

    def api_succeeded(self, endpoint: str) -> None:
        self.seen.append((endpoint, "ok"))

    def api_failed(self, endpoint: str, error: BaseException) -> None:
        self.seen.append((endpoint, type(error).__name__))


async def test_every_attempt_is_reported_to_the_observer():
    observer = Observer()
    service = Service(TooFast(0.0), Timeout())

    result = await call(Pacer(backoff=0.0), observed(service, "sendMessage", observer))

    assert result == "ok"
    assert observer.seen == [
        ("sendMessage", "TooFast"), ("sendMessage", "Timeout"), ("sendMessage", "ok"),
    ]
