"""When the weekly report is posted: REPORT_WEEKDAY and REPORT_TIME, read and checked."""

from __future__ import annotations

import re
from datetime import date, time, timedelta

# Python's weekday numbers (Monday = 0), by the names an operator may write.
WEEKDAYS: dict[str, int] = {
    **{name: i for i, name in enumerate(
        ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))},
    **{name: i for i, name in enumerate(("mon", "tue", "wed", "thu", "fri", "sat", "sun"))},
    **{str(i + 1): i for i in range(7)},  # ISO: 1 = Monday ... 7 = Sunday
}
_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


def parse_weekday(value: str, problems: list[str]) -> int | None:
    """None when empty (no weekly report); a problem line when unknown."""
    if not value:
        return None
    day = WEEKDAYS.get(value.strip().lower())
    if day is None:
        problems.append(
            f"REPORT_WEEKDAY has value {value!r}: use mon, tue, wed, thu, fri, sat or sun "
            "(or 1-7, 1 = Monday)."
        )
    return day


def parse_time(value: str, problems: list[str]) -> time:
    match = _TIME.match(value.strip())
    if match is None:
        problems.append(f"REPORT_TIME has value {value!r}: use HH:MM (24 hours), e.g. 08:00.")
        return time(8, 0)
    return time(int(match.group(1)), int(match.group(2)))


def reported_week(posted_on: date) -> tuple[date, date]:
    """The seven days a post on `posted_on` covers: the week up to the day before."""
    end = posted_on - timedelta(days=1)
    return end - timedelta(days=6), end
