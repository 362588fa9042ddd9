"""The wall clock, read in one place: the commands and adapters ask it; the core never does
(it is given `today`).

Answers, review dates and the staff's working days are Belgian, so "today" is the date in
Brussels; stored times are UTC.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

BRUSSELS = ZoneInfo("Europe/Brussels")  # the centre's working days and calendar days


def brussels_today() -> date:
    """The date in Belgium: the figures and review dates the answers depend on are Belgian."""
    return datetime.now(BRUSSELS).date()


def utc_now() -> datetime:
    return datetime.now(UTC)
