"""The chaos suite's measured figures, collected by the tests and printed at the end of the
run (conftest.pytest_terminal_summary), whether or not pytest captures output."""

from __future__ import annotations

import asyncio
import math
import os
from collections.abc import Callable

FIGURES: list[tuple[str, str]] = []


def scale() -> float:
    """CHAOS_SCALE: 1 for the full run of the issue's table; the default, 0.2, is the reduced
    run the normal test command includes."""
    return float(os.environ.get("CHAOS_SCALE", "0.2"))


def scaled(full: int, *, least: int = 1) -> int:
    return max(least, round(full * scale()))


def record(row: str, text: str) -> None:
    FIGURES.append((row, text))


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, math.ceil(p / 100 * len(ordered)) - 1))
    return ordered[index]


async def until(condition: Callable[[], bool], timeout: float) -> bool:  # noqa: ASYNC109 - reads like next_call(timeout=)
    """Wait for a condition the bot reaches after its last call; False when time ran out
    (the test then reports and asserts what it got)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            return False
        await asyncio.sleep(0.05)
    return True
