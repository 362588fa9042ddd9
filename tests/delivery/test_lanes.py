"""Lanes: one key at a time in arrival order, keys side by side, a pass that met a database
lock run again before the lane moves on. Plain asyncio: no Telegram."""

from __future__ import annotations

import asyncio
import logging

import pytest

from bot.delivery.lanes import CURRENT, KeyedLanes

NO_WAIT = (0.0, 0.0)


async def test_a_lane_runs_its_items_one_at_a_time_in_arrival_order():
    """A slow first item in a lane holds back the second, which still runs after it."""
    lanes, events = KeyedLanes(), []

    async def item(name: str, pause: float) -> None:
        events.append(f"{name} start")
        await asyncio.sleep(pause)
        events.append(f"{name} end")

    await asyncio.gather(
        lanes.run("chat", 1, item("first", 0.05)), lanes.run("chat", 2, item("second", 0))
    )

    assert events == ["first start", "first end", "second start", "second end"]
    assert lanes.busy() == 0  # a lane ends with its last item


async def test_different_lanes_run_side_by_side():
    """A hung item in one lane does not hold up another lane."""
    lanes, other_done = KeyedLanes(), asyncio.Event()
    hung = asyncio.Event()

    async def stuck() -> None:
        await hung.wait()

    async def quick() -> None:
        other_done.set()

    stuck_task = asyncio.create_task(lanes.run("a", 1, stuck()))
    await asyncio.wait_for(lanes.run("b", 2, quick()), timeout=1)

    assert other_done.is_set() and not stuck_task.done()
    hung.set()
    await stuck_task


async def test_an_item_that_met_a_lock_runs_again_before_the_next_in_its_lane(caplog):
    """The retry comes before anything later in the lane; `done` once, after the last pass."""
    caplog.set_level(logging.WARNING)
    lanes, events = KeyedLanes(retry_wait=NO_WAIT), []
    passes = 0

    async def locked_once() -> None:
        nonlocal passes
        passes += 1
        events.append(f"pass {passes}")
        if passes == 1:
            lanes.met_lock(7)

    async def done() -> None:
        events.append("done")

    async def later() -> None:
        events.append("later")

    await asyncio.gather(
        lanes.run("chat", 7, locked_once(), again=locked_once, done=done),
        lanes.run("chat", 8, later()),
    )

    assert events == ["pass 1", "pass 2", "done", "later"]
    assert "update 7 met a database lock" in caplog.text


async def locked_five_times(retry_wait: tuple[float, float]) -> list[float]:
    """Item 1 meets a lock on its first five passes; the waits the lane slept, in order."""
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    lanes, passes = KeyedLanes(retry_wait=retry_wait, sleep=sleep), 0

    async def one_pass() -> None:
        nonlocal passes
        passes += 1
        if passes <= 5:
            lanes.met_lock(1)

    await lanes.run("chat", 1, one_pass(), again=one_pass)
    assert passes == 6
    return waits


async def test_the_wait_before_each_retry_grows_up_to_the_longest():
    assert await locked_five_times((0.1, 0.5)) == pytest.approx([0.1, 0.2, 0.4, 0.5, 0.5])


async def test_a_long_lock_wait_is_logged_when_it_starts_every_5_s_and_when_it_ends(caplog):
    """The operator sees a lock that holds up an update, without a line for every retry."""
    caplog.set_level(logging.WARNING)

    assert await locked_five_times((1.0, 2.0)) == [1, 2, 2, 2, 2]  # 9 s in all

    assert [r.getMessage() for r in caplog.records] == [
        "update 1 met a database lock; handled again when it is free (0.0 s so far)",
        "update 1 met a database lock; handled again when it is free (5.0 s so far)",
        "update 1 handled after waiting 9.0 s for a database lock",
    ]


async def test_each_pass_names_its_item_with_a_fresh_count():
    """CURRENT names the item being run, so a second pass makes the same outbox keys."""
    lanes, keys = KeyedLanes(retry_wait=NO_WAIT), []

    async def send_two() -> None:
        handling = CURRENT.get()
        assert handling is not None
        keys.append([handling.next_key(), handling.next_key()])
        if len(keys) == 1:
            lanes.met_lock(42)

    await lanes.run("chat", 42, send_two(), again=send_two)

    assert keys == [["u42:1", "u42:2"], ["u42:1", "u42:2"]]
    assert CURRENT.get() is None


async def test_an_item_without_id_runs_once_without_a_name_or_done():
    lanes, seen, done_calls = KeyedLanes(), [], []

    async def item() -> None:
        seen.append(CURRENT.get())

    async def done() -> None:
        done_calls.append(1)

    await lanes.run(("other",), None, item(), done=done)

    assert seen == [None] and done_calls == []


async def test_a_failing_item_frees_its_lane_for_the_next():
    lanes, events = KeyedLanes(), []

    async def broken() -> None:
        raise RuntimeError("handler bug")

    async def next_one() -> None:
        events.append("next")

    results = await asyncio.gather(
        lanes.run("chat", 1, broken()), lanes.run("chat", 2, next_one()),
        return_exceptions=True,
    )

    assert isinstance(results[0], RuntimeError) and events == ["next"]
    assert lanes.busy() == 0
