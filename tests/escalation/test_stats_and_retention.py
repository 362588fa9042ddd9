"""/stats counts what happened without any text, and old tickets are forgotten on time."""

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.escalation.retention import (
    StaffMessage,
    TicketAge,
    cutoff,
    deletion_plan,
    due_for_anonymisation,
)
from bot.escalation.stats import TicketFacts, Vote, format_duration, percent, report, window

NOW = datetime(2026, 2, 1, 12, 0, tzinfo=UTC)


def ticket(days_ago, lang="nl", topic="insurance", answered_after=None):
    opened = NOW - timedelta(days=days_ago)
    first = opened + answered_after if answered_after is not None else None
    return TicketFacts(lang, topic, opened, first)


def test_stats_count_tickets_per_language_and_topic_in_the_window():
    """Tickets are counted per language and topic for the last 7 days only."""
    tickets = [ticket(1), ticket(2, "fr", "allowances"), ticket(3, topic=None), ticket(10)]
    week = window(7, NOW, tickets, [], [])
    assert week.tickets == 3
    assert week.per_language == {"fr": 1, "nl": 2}
    assert week.per_topic == {"insurance": 1, "allowances": 1, "?": 1}


def test_the_median_time_to_a_first_answer():
    """The median wait is taken over answered tickets; unanswered ones are not guessed at."""
    tickets = [
        ticket(1, answered_after=timedelta(hours=1)),
        ticket(1, answered_after=timedelta(hours=3)),
        ticket(1, answered_after=timedelta(hours=8)),
        ticket(1),
    ]
    week = window(7, NOW, tickets, [], [])
    assert week.median_first_answer == timedelta(hours=3)
    assert format_duration(week.median_first_answer) == "3 h 0 min"
    assert window(7, NOW, [ticket(1)], [], []).median_first_answer is None


def test_share_answered_by_the_assistant_and_the_vote_ratio():
    """Assistant answers and staff answers are compared, and 👍/👎 are counted per window."""
    tickets = [
        ticket(2, answered_after=timedelta(hours=1)),
        ticket(20, answered_after=timedelta(1)),
    ]
    answers = [(date(2026, 1, 30), 7), (date(2026, 1, 10), 20)]
    votes = [
        Vote(date(2026, 1, 31), 1, False),
        Vote(date(2026, 1, 31), -1, True),
        Vote(date(2026, 1, 31), 1, True),
        Vote(date(2025, 12, 1), -1, False),
    ]
    week, month = report(NOW, tickets, answers, votes)
    assert (week.answered_by_assistant, week.answered_by_staff) == (7, 1)
    assert percent(week.assistant_share) == "88%"
    assert (month.answered_by_assistant, month.answered_by_staff) == (27, 2)
    assert (week.up, week.down) == (2, 1)
    assert percent(window(7, NOW, [], [], []).up_share) == "–"


def test_tickets_are_anonymised_after_the_retention_period():
    """Only tickets idle for longer than 180 days, and not yet anonymised, are due."""
    tickets = [
        TicketAge(1, NOW - timedelta(days=181), False),
        TicketAge(2, NOW - timedelta(days=179), False),
        TicketAge(3, NOW - timedelta(days=400), True),
    ]
    assert due_for_anonymisation(tickets, NOW) == [1]
    assert due_for_anonymisation(tickets, NOW, retention_days=30) == [1, 2]


def test_a_retention_of_zero_days_is_refused():
    """A retention period under one day is a configuration mistake, not 'delete at once'."""
    with pytest.raises(ValueError, match="at least 1"):
        cutoff(NOW, 0)


def test_staff_messages_older_than_48_hours_are_reported_not_deleted():
    """Telegram only lets bots delete messages for 48 hours; older ones are reported."""
    young = StaffMessage(-100, 5, NOW - timedelta(hours=47))
    old = StaffMessage(-100, 6, NOW - timedelta(hours=49))
    plan = deletion_plan([young, old], NOW)
    assert plan.attempt == [young] and plan.too_old == [old]
