"""Read a period's records from storage and build its report: the one path the command and
the weekly post share.

Which escalated questions "matched nothing" is asked of the current knowledge base: a
question that a newer entry now answers is no longer a candidate for a new one."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from bot.core.assistant import Assistant
from bot.core.model import Language
from bot.reporting.build import Report, build_report
from bot.reporting.records import ReportStorage

BRUSSELS = ZoneInfo("Europe/Brussels")  # the centre's working days and calendar days


def nothing_matched(assistant: Assistant, text: str, language: Language, today: date) -> bool:
    """True when the knowledge base has no entry for the question: the core searched (it was
    not small talk, another language or a request for a person) and found nothing to answer,
    offer or flag, so it escalated without an entry."""
    route = assistant.route(text, chat_lang=language, today=today)
    if route.kind != "search":
        return False
    reply = assistant.reply(route, today)
    return reply.action == "escalate" and reply.entry_id is None


def collect(
    storage: ReportStorage,
    assistant: Assistant,
    *,
    start: date,
    end: date,
    now: datetime,
) -> Report:
    today = now.astimezone(BRUSSELS).date()
    tickets = []
    for ticket in storage.report_tickets(now.astimezone(UTC)):
        opened_on = ticket.opened_at.astimezone(BRUSSELS).date()
        if ticket.question and start <= opened_on <= end:
            language: Language = "fr" if ticket.language == "fr" else "nl"
            matched = nothing_matched(assistant, ticket.question, language, today)
            ticket = replace(ticket, nothing_matched=matched)
        tickets.append(ticket)
    return build_report(
        storage.question_events(start, end),
        storage.feedback_events(start, end),
        tickets,
        start=start,
        end=end,
        now=now,
        local=BRUSSELS,
    )
