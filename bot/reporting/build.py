"""build_report: from plain records to every number and list the weekly picture shows."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo

from bot.escalation.tickets import ACTIVE
from bot.reporting.anonymise import anonymise
from bot.reporting.candidates import Candidate, Question, group_candidates
from bot.reporting.records import ACTIONS, FeedbackEvent, QuestionEvent, TicketRecord
from bot.reporting.workdays import median, percentile, working_days

TOP = 10  # entries shown in the "answered most" and "most 👎" lists
# Open tickets by age in working days: (label, lower bound inclusive).
AGE_BUCKETS: tuple[tuple[str, float], ...] = (("< 1", 0.0), ("1-2", 1.0), ("2-5", 2.0),
                                              ("> 5", 5.0))


@dataclass(frozen=True)
class Day:
    day: date
    by_action: dict[str, int]
    by_language: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.by_action.values())


@dataclass(frozen=True)
class EntryVotes:
    entry_id: str
    down: int
    up: int


@dataclass(frozen=True)
class Report:
    start: date
    end: date
    days: tuple[Day, ...]
    by_action: dict[str, int]
    by_language: dict[str, int]
    top_answered: tuple[tuple[str, int], ...]
    most_down: tuple[EntryVotes, ...]
    escalations_by_topic: tuple[tuple[str, int], ...]
    tickets_opened: int
    waits: tuple[float, ...]  # working days to the first staff answer, tickets opened here
    waiting: int  # tickets opened in the period without a staff answer yet
    open_by_age: tuple[tuple[str, int], ...]
    oldest_open: float | None  # working days
    candidates: tuple[Candidate, ...]

    @property
    def questions(self) -> int:
        return sum(self.by_action.values())

    @property
    def answered_without_staff(self) -> float | None:
        """The share of questions (small talk aside) the bot answered or narrowed down
        itself, without handing them to the staff."""
        asked = self.questions - self.by_action.get("smalltalk", 0)
        if not asked:
            return None
        return (asked - self.by_action.get("escalate", 0)) / asked

    @property
    def wait_median(self) -> float | None:
        return median(self.waits)

    @property
    def wait_p90(self) -> float | None:
        return percentile(self.waits, 0.9)

    @property
    def open_tickets(self) -> int:
        return sum(n for _, n in self.open_by_age)


def build_report(
    events: Iterable[QuestionEvent],
    feedback: Iterable[FeedbackEvent],
    tickets: Iterable[TicketRecord],
    *,
    start: date,
    end: date,
    now: datetime,
    local: tzinfo = UTC,
) -> Report:
    """The report for the days start..end (both included). Tickets count by the day they
    were opened (in `local` time, also the clock for working days); open tickets are those
    still open at `now`, with their age at `now`."""
    days = [start + timedelta(days=i) for i in range((end - start).days + 1)]
    per_action: dict[date, Counter[str]] = {d: Counter() for d in days}
    per_language: dict[date, Counter[str]] = {d: Counter() for d in days}
    answered: Counter[str] = Counter()
    for event in events:
        if not start <= event.day <= end:
            continue
        per_action[event.day][event.action] += 1
        per_language[event.day][event.language] += 1
        if event.action == "answer" and event.entry_id:
            answered[event.entry_id] += 1
    votes: dict[str, Counter[int]] = {}
    for vote in feedback:
        if start <= vote.day <= end:
            votes.setdefault(vote.entry_id, Counter())[vote.vote] += 1
    most_down = sorted(
        (EntryVotes(entry, c[-1], c[1]) for entry, c in votes.items() if c[-1]),
        key=lambda v: (-v.down, v.up, v.entry_id),
    )[:TOP]

    opened: list[TicketRecord] = []
    open_ages: list[float] = []
    local_now = now.astimezone(local)
    for ticket in tickets:
        opened_local = ticket.opened_at.astimezone(local)
        if start <= opened_local.date() <= end:
            opened.append(ticket)
        if ticket.state in ACTIVE and ticket.opened_at <= now:
            open_ages.append(working_days(opened_local, local_now))
    waits = tuple(
        working_days(t.opened_at.astimezone(local), t.first_answer_at.astimezone(local))
        for t in opened
        if t.first_answer_at is not None
    )
    topics = Counter(t.topic or "?" for t in opened)
    unmatched = [
        Question(t.language, anonymise(t.question, t.language))
        for t in opened
        if t.nothing_matched and t.question
    ]
    return Report(
        start=start,
        end=end,
        days=tuple(Day(d, _ordered(per_action[d], ACTIONS), dict(sorted(per_language[d].items())))
                   for d in days),
        by_action=_ordered(sum(per_action.values(), Counter()), ACTIONS),
        by_language=dict(sorted(sum(per_language.values(), Counter()).items())),
        top_answered=tuple(sorted(answered.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP]),
        most_down=tuple(most_down),
        escalations_by_topic=tuple(sorted(topics.items(), key=lambda kv: (-kv[1], kv[0]))),
        tickets_opened=len(opened),
        waits=waits,
        waiting=sum(1 for t in opened if t.first_answer_at is None),
        open_by_age=_buckets(open_ages),
        oldest_open=max(open_ages) if open_ages else None,
        candidates=tuple(group_candidates(unmatched)),
    )


def _ordered(counts: Counter[str], order: Sequence[str]) -> dict[str, int]:
    return {key: counts.get(key, 0) for key in order}


def _buckets(ages: list[float]) -> tuple[tuple[str, int], ...]:
    counts = Counter[str]()
    for age in ages:
        label = next(lb for lb, low in reversed(AGE_BUCKETS) if age >= low)
        counts[label] += 1
    return tuple((label, counts.get(label, 0)) for label, _ in AGE_BUCKETS)
