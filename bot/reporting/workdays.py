"""Durations in working days (Monday to Friday; Belgian public holidays are not subtracted):
a ticket opened on Friday at 16:00 and answered on Monday at 10:00 waited 0.75 working days,
not 2.75 days."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime

_DAY = 86_400.0
_WEEK = 7 * _DAY
# A Monday at midnight: weekday time is counted from here. Naive on purpose: durations are
# measured on the wall clock of the times given (the caller converts them to Brussels time).
_ORIGIN = datetime(2000, 1, 3)  # noqa: DTZ001


def _weekday_seconds(moment: datetime) -> float:
    """Seconds of Monday-to-Friday time between _ORIGIN and `moment` (its wall clock)."""
    elapsed = (moment.replace(tzinfo=None) - _ORIGIN).total_seconds()
    weeks, rest = divmod(elapsed, _WEEK)
    return weeks * 5 * _DAY + min(rest, 5 * _DAY)


def working_days(start: datetime, end: datetime) -> float:
    """Working days from start to end (0 when end is not later), both on the same clock."""
    if end <= start:
        return 0.0
    return (_weekday_seconds(end) - _weekday_seconds(start)) / _DAY


def median(values: Sequence[float]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def percentile(values: Sequence[float], share: float) -> float | None:
    """Nearest-rank percentile: the smallest value at least `share` of the values reach."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]
