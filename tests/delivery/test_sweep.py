"""A periodic sweep runs until stopped, and a run that raises is logged, not the end of it."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from datetime import timedelta

import pytest

from bot.delivery.sweep import Sweep


# A database that cannot write, and a plain bug: neither ends the hourly sweep.
@pytest.mark.parametrize("error", [sqlite3.OperationalError, KeyError])
async def test_a_sweep_that_raises_keeps_running(caplog, error):
    caplog.set_level(logging.ERROR)
    runs = 0

    def job() -> None:
        nonlocal runs
        runs += 1
        if runs == 1:
            raise error("disk full")

    sweep = Sweep(job, timedelta(seconds=0.01), "retention")
    sweep.start()
    for _ in range(200):
        if runs >= 3:
            break
        await asyncio.sleep(0.01)
    await sweep.stop()

    assert runs >= 3
    assert "retention sweep failed" in caplog.text and "disk full" in caplog.text


async def test_stop_ends_the_sweep_and_start_twice_runs_one():
    runs = 0

    def job() -> None:
        nonlocal runs
        runs += 1

    sweep = Sweep(job, timedelta(seconds=0.01), "reminders")
    sweep.start()
    sweep.start()  # one task, not two
    await asyncio.sleep(0.1)
    await sweep.stop()
    stopped_at = runs
    await asyncio.sleep(0.05)

    assert stopped_at >= 1 and runs == stopped_at
    assert not [t for t in asyncio.all_tasks() if t.get_name() == "reminders"]
