"""Staff commands in the staff group: /open, /ticket N, /stats, /promote N.

Each builds one reply from storage through the pure modules (stats, drafts); only staff may
use them (checked in `staff_command`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from telegram import Update
from telegram.ext import ApplicationHandlerStop

from bot.adapters.telegram import ticket_messages as tm
from bot.adapters.telegram.context import BotContext
from bot.adapters.telegram.replies import send_html
from bot.escalation.drafts import Draft, guess_topic
from bot.escalation.records import Ticket
from bot.escalation.stats import format_duration, percent, report
from bot.escalation.tickets import ACTIVE, STATE_LABELS, parse_ticket_number

if TYPE_CHECKING:
    from bot.adapters.telegram.escalation import Escalation

LANG = tm.STAFF_LANGUAGE


def _rt(context: BotContext) -> Escalation:
    return context.bot_data["escalation"]  # type: ignore[no-any-return]


async def staff_command(update: Update, context: BotContext) -> None:
    from bot.adapters.telegram.staff_handlers import authorised  # local: it imports us

    if await authorised(update, context) is None:
        raise ApplicationHandlerStop
    message = update.effective_message
    command = (message.text or "/").split(maxsplit=1)[0][1:].partition("@")[0].lower()
    text = {"open": _open, "ticket": _history, "stats": _stats, "promote": _promote}[command](
        context, " ".join(context.args or [])
    )
    await send_html(context, message.chat.id, text, reply_to=message.message_id)
    raise ApplicationHandlerStop


def _open(context: BotContext, _: str) -> str:
    rt = _rt(context)
    now = rt.clock()
    tickets = [
        {
            "number": t.number,
            "language": t.language,
            "age": format_duration(now - (t.opened_at or t.created_at)),
            "state_label": STATE_LABELS[t.state],
            "claimed_by": t.claimed_name,
            "preview": t.question[:60] + ("…" if len(t.question) > 60 else ""),
        }
        for t in rt.storage.tickets_in_states(ACTIVE)
    ]
    return context.services.say(LANG, "esc_staff_open", tickets=tickets)


def _ticket_or_notice(context: BotContext, args: str, usage: str) -> Ticket | str:
    number = parse_ticket_number(args)
    say = context.services.say
    if number is None:
        return say(LANG, "esc_staff_notice", kind="usage", usage=usage)
    ticket = _rt(context).storage.ticket_by_number(number)
    if ticket is None:
        return say(LANG, "esc_staff_notice", kind="unknown", number=number)
    return ticket


def _history(context: BotContext, args: str) -> str:
    ticket = _ticket_or_notice(context, args, "/ticket N")
    if isinstance(ticket, str):
        return ticket
    rt = _rt(context)
    entries = [
        {"when": f"{ticket.created_at:%d/%m %H:%M}", "who": "vrager", "text": ticket.question}
    ]
    for m in rt.storage.messages(ticket.id):
        who = "vrager" if m.direction == "in" else f"{m.author_name or 'medewerker'} ({m.kind})"
        entries.append({"when": f"{m.created_at:%d/%m %H:%M}", "who": who, "text": m.text})
    return context.services.say(
        LANG,
        "esc_staff_history",
        number=ticket.number,
        language=ticket.language,
        state_label=STATE_LABELS[ticket.state],
        topic=ticket.topic,
        opened=f"{ticket.opened_at or ticket.created_at:%d/%m/%Y %H:%M} UTC",
        anonymised=ticket.anonymised_at is not None,
        messages=entries,
    )


def _stats(context: BotContext, _: str) -> str:
    rt = _rt(context)
    storage = rt.storage
    windows = [
        {
            "days": w.days,
            "tickets": w.tickets,
            "per_language": w.per_language,
            "per_topic": w.per_topic,
            "median": format_duration(w.median_first_answer),
            "by_assistant": w.answered_by_assistant,
            "by_staff": w.answered_by_staff,
            "assistant_share": percent(w.assistant_share),
            "up": w.up,
            "down": w.down,
            "up_share": percent(w.up_share),
        }
        for w in report(
            rt.clock(), storage.ticket_facts(), storage.assistant_answers(), storage.votes()
        )
    ]
    return context.services.say(LANG, "esc_staff_stats", windows=windows)


def _promote(context: BotContext, args: str) -> str:
    ticket = _ticket_or_notice(context, args, "/promote N")
    if isinstance(ticket, str):
        return ticket
    rt = _rt(context)
    say = context.services.say
    answers = [
        m for m in rt.storage.messages(ticket.id) if m.direction == "out" and m.kind == "reply"
    ]
    if not answers or not ticket.question:
        return say(LANG, "esc_staff_notice", kind="not_promotable", number=ticket.number)
    today = rt.today()
    topic = ticket.topic or guess_topic(rt.core, ticket.question, ticket.language, today)
    rt.storage.add_draft(
        Draft(
            ticket.number or 0,
            ticket.language,
            ticket.question,
            "\n\n".join(m.text for m in answers),
            topic,
            today,
        )
    )
    return say(
        LANG,
        "esc_staff_notice",
        kind="promoted",
        number=ticket.number,
        topic=topic or "onderwerp onbekend",
    )


