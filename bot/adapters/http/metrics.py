"""Prometheus metrics: counters the bot updates, and gauges read from the database at scrape.

Labels only ever take values from small fixed sets (language, action, Bot API method, the
exception's class name): never message text, names, chat ids or tokens. What the database
knows (tickets, the outbox) is read at scrape time, so every replica reports the same shared
state and a restart loses nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram, disable_created_metrics
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from bot.clock import utc_now

LANGUAGES = frozenset({"nl", "fr"})
ACTIONS = frozenset({"answer", "clarify", "escalate", "smalltalk"})
OPEN_STATES = frozenset({"open", "claimed", "answered"})
CLOSED_STATES = frozenset({"closed", "out_of_scope"})
REVIEW_HORIZON_DAYS = 30
_METHOD = re.compile(r"^[A-Za-z]{1,40}$")
# The `_created` twin of every counter only doubles the output; nobody alerts on it.
disable_created_metrics()  # type: ignore[no-untyped-call]  # prometheus-client leaves it untyped


def _one_of(value: str, allowed: frozenset[str]) -> str:
    return value if value in allowed else "other"


class Metrics:
    """The bot's counters, in a registry of their own (tests build as many as they like)."""

    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry or CollectorRegistry()
        self.questions = Counter(
            "bot_questions", "Questions the assistant handled, by language and action",
            ["language", "action"], registry=self.registry,
        )
        self.answer_seconds = Histogram(
            "bot_answer_seconds", "Time the assistant took to decide and render a reply",
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5),
            registry=self.registry,
        )
        self.api_errors = Counter(
            "bot_telegram_api_errors", "Failed Bot API requests, by method and error kind",
            ["method", "kind"], registry=self.registry,
        )
        self.retry_after = Counter(
            "bot_telegram_retry_after_waits", "Bot API 429 answers, each one a wait",
            registry=self.registry,
        )
        self.retry_after_seconds = Counter(
            "bot_telegram_retry_after_wait_seconds", "Seconds Telegram asked us to wait (429)",
            registry=self.registry,
        )

    def question(self, language: str, action: str, seconds: float) -> None:
        self.questions.labels(_one_of(language, LANGUAGES), _one_of(action, ACTIONS)).inc()
        self.answer_seconds.observe(seconds)

    def api_error(self, method: str, error: BaseException) -> None:
        kind = type(error).__name__
        self.api_errors.labels(method if _METHOD.match(method) else "other", kind).inc()
        retry_after = getattr(error, "retry_after", None)
        if retry_after is not None:
            self.retry_after.inc()
            seconds = (
                retry_after.total_seconds()
                if isinstance(retry_after, timedelta)
                else float(retry_after)
            )
            self.retry_after_seconds.inc(seconds)


class StateCollector(Collector):
    """Gauges and totals read at scrape time from the storage and the knowledge base."""

    def __init__(
        self,
        storage: Any,
        kb: Any,
        *,
        clock: Callable[[], datetime] = utc_now,
        today: Callable[[], date],
    ) -> None:
        self.storage = storage
        self.kb = kb
        self.clock = clock
        self.today = today

    def describe(self) -> list[Metric]:
        return []  # collected on demand only: registering must not query the database

    def collect(self) -> Iterator[Metric]:
        escalations = CounterMetricFamily(
            "bot_escalations", "Tickets opened, first answered and closed (all replicas)",
            labels=["event"],
        )
        facts = self.storage.ticket_facts()
        escalations.add_metric(["opened"], len(facts))
        escalations.add_metric(["answered"], sum(f.first_answer_at is not None for f in facts))
        escalations.add_metric(["closed"], len(self.storage.tickets_in_states(CLOSED_STATES)))
        yield escalations
        yield GaugeMetricFamily(
            "bot_open_tickets", "Tickets waiting for or being handled by staff",
            value=len(self.storage.tickets_in_states(OPEN_STATES)),
        )
        # A plain count: pending_outbox() would lease the rows to the replica being scraped.
        pending, oldest_at = self.storage.outbox_backlog()
        yield GaugeMetricFamily(
            "bot_outbox_pending", "Outgoing ticket messages not yet confirmed by Telegram",
            value=pending,
        )
        oldest = (self.clock() - oldest_at).total_seconds() if oldest_at else 0.0
        yield GaugeMetricFamily(
            "bot_outbox_oldest_pending_seconds", "Age of the oldest unsent outbox message",
            value=max(oldest, 0.0),
        )
        today = self.today()
        yield GaugeMetricFamily(
            "bot_kb_entries_due_for_review",
            f"Knowledge-base entries whose review date falls within {REVIEW_HORIZON_DAYS} days",
            value=len(self.kb.due_for_review(today, REVIEW_HORIZON_DAYS)),
        )
        yield GaugeMetricFamily(
            "bot_kb_figures_without_value",
            f"Figures with no confirmed value {REVIEW_HORIZON_DAYS} days from now",
            value=len(self.kb.figures.missing_on(today + timedelta(days=REVIEW_HORIZON_DAYS))),
        )
