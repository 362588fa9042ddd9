"""The numbers behind the staff's /stats, computed from plain rows (no database here).

Inputs are anonymous on purpose: a ticket's language, topic and timestamps, the days on which
the assistant answered a question itself, and 👍/👎 votes. Nothing here needs message text
or chat ids, so /stats still works after erasure and retention have emptied the tickets.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

WINDOWS: tuple[int, ...] = (7, 30)


@dataclass(frozen=True)
class TicketFacts:
    language: str
    topic: str | None
    opened_at: datetime
    first_answer_at: datetime | None  # first staff answer relayed (reply or suggestion)


@dataclass(frozen=True)
class Vote:
    day: date
    vote: int  # 1 or -1
    by_staff: bool  # a relayed staff answer (True) or an assistant answer (False)


@dataclass(frozen=True)
class Window:
    days: int
    tickets: int
    per_language: dict[str, int]
    per_topic: dict[str, int]
    median_first_answer: timedelta | None
    answered_by_assistant: int
    answered_by_staff: int
    up: int
    down: int

    @property
    def assistant_share(self) -> float | None:
        total = self.answered_by_assistant + self.answered_by_staff
        return self.answered_by_assistant / total if total else None

    @property
    def up_share(self) -> float | None:
        total = self.up + self.down
        return self.up / total if total else None


def window(
    days: int,
    now: datetime,
    tickets: Iterable[TicketFacts],
    assistant_answers: Iterable[tuple[date, int]],
    votes: Iterable[Vote],
) -> Window:
    """Everything /stats shows for the last `days` days up to `now`.

    Tickets count by when they were opened; the staff's answers by when the first one went out;
    assistant answers and votes by their day (they are stored per day only).
    """
    start = now - timedelta(days=days)
    first_day = start.date()
    recent = [t for t in tickets if start <= t.opened_at <= now]
    waits = [t.first_answer_at - t.opened_at for t in recent if t.first_answer_at is not None]
    staff = sum(1 for t in recent if t.first_answer_at is not None)
    assistant = sum(n for day, n in assistant_answers if first_day <= day <= now.date())
    in_window = [v for v in votes if first_day <= v.day <= now.date()]
    return Window(
        days=days,
        tickets=len(recent),
        per_language=dict(sorted(Counter(t.language for t in recent).items())),
        per_topic=dict(
            sorted(Counter(t.topic or "?" for t in recent).items(), key=lambda kv: -kv[1])
        ),
        median_first_answer=_median(waits),
        answered_by_assistant=assistant,
        answered_by_staff=staff,
        up=sum(1 for v in in_window if v.vote > 0),
        down=sum(1 for v in in_window if v.vote < 0),
    )


def report(
    now: datetime,
    tickets: list[TicketFacts],
    assistant_answers: list[tuple[date, int]],
    votes: list[Vote],
) -> list[Window]:
    return [window(d, now, tickets, assistant_answers, votes) for d in WINDOWS]


def format_duration(value: timedelta | None, *, day: str = "d") -> str:
    """'3 h 20 min', '45 min', '2 d 4 h' (`day`: "j" in French); '–' when there is nothing
    to measure."""
    if value is None:
        return "–"
    minutes = int(value.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days} {day} {hours} h"
    if hours:
        return f"{hours} h {mins} min"
    return f"{mins} min"


def percent(share: float | None) -> str:
    return "–" if share is None else f"{round(share * 100)}%"


def _median(waits: list[timedelta]) -> timedelta | None:
    """statistics.median on durations (it is typed for numbers, and works on any ordered
    values that add and divide: the middle one, or the mean of the middle two)."""
    if not waits:
        return None
    ordered = sorted(waits)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2
