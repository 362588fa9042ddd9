"""The staff group's reading commands: /open, /ticket N, /stats, each one reply text.

Built from storage through the pure stats module; the staff gate in the adapter has
authorised the sender before the desk calls these. The commands that change a ticket
(/promote N, /reopen N) are the desk's own use cases.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any, Protocol

from bot.core.model import Reply
from bot.escalation.records import Ticket, TicketStorage
from bot.escalation.staff_language import StaffLanguage, action_label
from bot.escalation.stats import format_duration, percent, report
from bot.escalation.tickets import ACTIVE, STAFF_ACTIONS, State, parse_ticket_number


class _Ranks(Protocol):
    def ask(self, text: str, *, chat_lang: Any = None, today: date) -> Reply: ...


class Desk(Protocol):
    """What the reports read from the desk (`bot.escalation.desk.Desk` has all of it)."""

    @property
    def storage(self) -> TicketStorage: ...
    @property
    def say(self) -> Callable[..., str]: ...
    @property
    def clock(self) -> Callable[[], datetime]: ...
    @property
    def today(self) -> Callable[[], date]: ...
    @property
    def assistant(self) -> _Ranks: ...
    @property
    def staff_language(self) -> StaffLanguage: ...
    def staff_say(self, template: str, **context: Any) -> str: ...
    def state_label(self, state: State) -> str: ...


def _duration(desk: Desk, value: timedelta | None) -> str:
    """'2 d 4 h' (nl, nl+fr) or '2 j 4 h' (fr)."""
    return format_duration(value, day="j" if desk.staff_language == "fr" else "d")


def staff_command(desk: Desk, command: str, args: str) -> str:
    handlers = {"open": _open, "ticket": _history, "stats": _stats}
    return handlers[command](desk, args)


def _open(desk: Desk, _: str) -> str:
    now = desk.clock()
    tickets = [
        {
            "number": t.number,
            "language": t.language,
            "age": _duration(desk, now - (t.opened_at or t.created_at)),
            "state_label": desk.state_label(t.state),
            "claimed_by": t.claimed_name,
            "preview": t.question[:60] + ("…" if len(t.question) > 60 else ""),
        }
        for t in desk.storage.tickets_in_states(ACTIVE)
    ]
    return desk.staff_say("esc_staff_open", tickets=tickets)


def ticket_or_notice(desk: Desk, args: str, usage: str) -> Ticket | str:
    number = parse_ticket_number(args)
    if number is None:
        return desk.staff_say("esc_staff_notice", kind="usage", usage=usage)
    ticket = desk.storage.ticket_by_number(number)
    if ticket is None:
        return desk.staff_say("esc_staff_notice", kind="unknown", number=number)
    return ticket


def _history(desk: Desk, args: str) -> str:
    ticket = ticket_or_notice(desk, args, "/ticket N")
    if isinstance(ticket, str):
        return ticket
    # `who`: "user", or the staff member's first name; `kind`: reply, suggestion, addition...
    entries = [
        {"when": f"{ticket.created_at:%d/%m %H:%M}", "who": "user", "kind": "question",
         "text": ticket.question}
    ]
    for m in desk.storage.messages(ticket.id):
        who = "user" if m.direction == "in" else m.author_name
        entries.append(
            {"when": f"{m.created_at:%d/%m %H:%M}", "who": who, "kind": m.kind, "text": m.text}
        )
    events = desk.storage.events(ticket.id)
    actions = [
        {"when": f"{e.at:%d/%m %H:%M}", "who": e.staff_name, "staff_id": e.staff_id,
         "action": action_label(desk.staff_language, e.action)}
        for e in events
    ]
    # After retention or erasure only these remain: how often each action happened.
    counts = _counted(desk, [e.action for e in events])
    return desk.staff_say(
        "esc_staff_history",
        actions=actions,
        counts=counts,
        number=ticket.number,
        language=ticket.language,
        state_label=desk.state_label(ticket.state),
        topic=ticket.topic,
        opened=f"{ticket.opened_at or ticket.created_at:%d/%m/%Y %H:%M} UTC",
        anonymised=ticket.anonymised_at is not None,
        messages=entries,
    )


def _counted(desk: Desk, actions: list[str]) -> list[dict[str, Any]]:
    """How often each staff action happened, in the table's order of actions."""
    counts = Counter(actions)
    return [{"action": action_label(desk.staff_language, a), "n": n}
            for a, n in sorted(counts.items(), key=lambda kv: STAFF_ACTIONS.index(kv[0]))]


def _stats(desk: Desk, _: str) -> str:
    storage = desk.storage
    now = desk.clock()
    # The audit trail's anonymous side: what the staff did, counted (no one is named).
    events = storage.staff_actions()
    windows = [
        {
            "days": w.days,
            "tickets": w.tickets,
            "per_language": w.per_language,
            "per_topic": w.per_topic,
            "median": _duration(desk, w.median_first_answer),
            "by_assistant": w.answered_by_assistant,
            "by_staff": w.answered_by_staff,
            "assistant_share": percent(w.assistant_share),
            "up": w.up,
            "down": w.down,
            "up_share": percent(w.up_share),
            "actions": _counted(
                desk, [a for a, at in events if now - timedelta(days=w.days) <= at <= now]
            ),
        }
        for w in report(now, storage.ticket_facts(), storage.assistant_answers(), storage.votes())
    ]
    return desk.staff_say("esc_staff_stats", windows=windows)
