"""Read a period's records from storage and build its report: the one path the command and
the weekly post share.

Which escalated questions "matched nothing" is asked of the current knowledge base: a
question that a newer entry now answers is no longer a candidate for a new one. Reading is
quick and stays on the caller's thread (the database connection's); checking the questions
and building may run in a worker thread (the weekly post does, to keep the bot answering).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime

from bot.clock import BRUSSELS
from bot.core.assistant import Assistant
from bot.core.model import Language
from bot.reporting.build import Report, build_report
from bot.reporting.records import FeedbackEvent, QuestionEvent, ReportStorage, TicketRecord


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    now: datetime
    events: list[QuestionEvent]
    feedback: list[FeedbackEvent]
    tickets: list[TicketRecord]


def nothing_matched(assistant: Assistant, text: str, language: Language, today: date) -> bool:
    """True when the knowledge base has no entry for the question: the core searched (it was
    not small talk, another language or a request for a person) and found nothing to answer,
    offer or flag, so it escalated without an entry."""
    route = assistant.route(text, chat_lang=language, today=today)
    if route.kind != "search":
        return False
    reply = assistant.reply(route, today)
    return reply.action == "escalate" and reply.entry_id is None


def read_period(storage: ReportStorage, *, start: date, end: date, now: datetime) -> Period:
    return Period(
        start, end, now,
        storage.question_events(start, end),
        storage.feedback_events(start, end),
        storage.report_tickets(now.astimezone(UTC)),
    )


def build(period: Period, assistant: Assistant) -> Report:
    today = period.now.astimezone(BRUSSELS).date()
    tickets = []
    for ticket in period.tickets:
        opened_on = ticket.opened_at.astimezone(BRUSSELS).date()
        if ticket.question and period.start <= opened_on <= period.end:
            language: Language = "fr" if ticket.language == "fr" else "nl"
            matched = nothing_matched(assistant, ticket.question, language, today)
            ticket = replace(ticket, nothing_matched=matched)
        tickets.append(ticket)
    return build_report(
        period.events, period.feedback, tickets,
        start=period.start, end=period.end, now=period.now, local=BRUSSELS,
    )


def collect(
    storage: ReportStorage, assistant: Assistant, *, start: date, end: date, now: datetime
) -> Report:
    return build(read_period(storage, start=start, end=end, now=now), assistant)
