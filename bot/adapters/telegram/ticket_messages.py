"""What the escalation workflow says, as outbox rows: texts, keyboards and idempotency keys.

Builders only: they render templates and return `NewOutbox` rows; the flows decide when, and
commit the rows together with the ticket change. Keys follow `bot.escalation.outbox.ticket_key`
and name the event that caused the message (a staff message id, a callback query id), so the
same event can never queue the same message twice.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from typing import Any

from markupsafe import Markup
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.adapters.telegram.split import split_message
from bot.escalation.outbox import Target, ticket_key
from bot.escalation.records import NewOutbox, Ticket, TicketMessage
from bot.escalation.tickets import STATE_LABELS, staff_buttons, staff_data, user_data

Say = Callable[..., str]  # Services.say(lang, template, **context)

# The staff group's texts: bot/templates/staff/ (one set, Dutch), see Renderer.message.
STAFF_LANGUAGE = "staff"
STAFF_LABELS = {
    "claim": "🙋 Opnemen",
    "suggest": "Stuur suggestie {n}",
    "out_of_scope": "Buiten ons domein",
    "close": "Afsluiten",
}
USER_LABELS: dict[str, dict[str, str]] = {
    "nl": {
        "confirm": "✅ Versturen",
        "cancel": "✖ Niet versturen",
        "add": "Aanvulling op #{n}",
        "new": "Nieuwe vraag",
        "cancel_ticket": "Annuleer ticket #{n}",
    },
    "fr": {
        "confirm": "✅ Envoyer",
        "cancel": "✖ Ne pas envoyer",
        "add": "Complément au n° {n}",
        "new": "Nouvelle question",
        "cancel_ticket": "Annuler le ticket n° {n}",
    },
}


def staff_ticket_key(ticket_id: int) -> str:
    return ticket_key(ticket_id, "staff-ticket")


def text_rows(
    key: str,
    target: Target,
    chat_id: int,
    text: str,
    *,
    keyboard: InlineKeyboardMarkup | None = None,
    reply_to_key: str | None = None,
) -> list[NewOutbox]:
    """One row per Telegram message: long texts are split here, so a retry of one part never
    repeats another. The keyboard goes on the last part; the first part is the reply."""
    parts = split_message(text)
    rows = []
    for i, part in enumerate(parts):
        payload: dict[str, Any] = {"text": part}
        if keyboard is not None and i == len(parts) - 1:
            payload["reply_markup"] = keyboard.to_dict()
        if reply_to_key is not None and i == 0:
            payload["reply_to_key"] = reply_to_key
        rows.append(
            NewOutbox(
                key if i == 0 else f"{key}:p{i + 1}", target, chat_id, "sendMessage", payload
            )
        )
    return rows


# ------------------------------------------------------------------------ the staff group
def staff_keyboard(ticket: Ticket) -> InlineKeyboardMarkup | None:
    number = ticket.number or 0
    buttons: dict[str, InlineKeyboardButton] = {}
    for action in staff_buttons(ticket.state, len(ticket.candidates)):
        if action.startswith("suggest"):
            n = int(action.removeprefix("suggest"))
            buttons[action] = InlineKeyboardButton(
                STAFF_LABELS["suggest"].format(n=n), callback_data=staff_data("suggest", number, n)
            )
        else:
            buttons[action] = InlineKeyboardButton(
                STAFF_LABELS[action], callback_data=staff_data(action, number)
            )
    rows = [
        [buttons[a] for a in ("claim",) if a in buttons],
        [b for a, b in buttons.items() if a.startswith("suggest")],
        [buttons[a] for a in ("out_of_scope", "close") if a in buttons],
    ]
    rows = [row for row in rows if row]
    return InlineKeyboardMarkup(rows) if rows else None


def staff_ticket_text(say: Say, ticket: Ticket, messages: Sequence[TicketMessage]) -> str:
    additions = [m.text for m in messages if m.direction == "in" and m.text]
    return say(
        STAFF_LANGUAGE,
        "esc_staff_ticket",
        number=ticket.number,
        language=ticket.language,
        state_label=STATE_LABELS[ticket.state],
        claimed_by=ticket.claimed_name,
        question=ticket.question,
        additions=additions,
        candidates=ticket.candidates[:3],
    )


def staff_ticket_rows(
    say: Say, ticket: Ticket, messages: Sequence[TicketMessage], staff_chat: int
) -> list[NewOutbox]:
    text = staff_ticket_text(say, ticket, messages)
    return text_rows(
        staff_ticket_key(ticket.id), "staff", staff_chat, text, keyboard=staff_keyboard(ticket)
    )


def staff_edit_row(
    say: Say, ticket: Ticket, messages: Sequence[TicketMessage], staff_chat: int, ref: str
) -> NewOutbox:
    """Re-render the ticket message in place (state, who claimed it, which buttons)."""
    keyboard = staff_keyboard(ticket)
    payload: dict[str, Any] = {
        "text": split_message(staff_ticket_text(say, ticket, messages))[0],
        "message_key": staff_ticket_key(ticket.id),
    }
    if keyboard is not None:
        payload["reply_markup"] = keyboard.to_dict()
    return NewOutbox(
        ticket_key(ticket.id, "staff-edit", ref), "staff", staff_chat, "editMessageText", payload
    )


def staff_notice_rows(
    say: Say, ticket: Ticket, staff_chat: int, kind: str, ref: str, **context: Any
) -> list[NewOutbox]:
    text = say(STAFF_LANGUAGE, "esc_staff_notice", kind=kind, number=ticket.number, **context)
    return text_rows(
        ticket_key(ticket.id, f"notice-{kind}", ref),
        "staff",
        staff_chat,
        text,
        reply_to_key=staff_ticket_key(ticket.id),
    )


def staff_addition_rows(
    say: Say, ticket: Ticket, staff_chat: int, text: str, ref: str
) -> list[NewOutbox]:
    body = say(STAFF_LANGUAGE, "esc_staff_addition", number=ticket.number, text=text)
    return text_rows(
        ticket_key(ticket.id, "addition", ref),
        "staff",
        staff_chat,
        body,
        reply_to_key=staff_ticket_key(ticket.id),
    )


# ------------------------------------------------------------------------ the user
def confirm_keyboard(ticket: Ticket) -> InlineKeyboardMarkup:
    labels = USER_LABELS[ticket.language]
    row = [InlineKeyboardButton(labels["cancel"], callback_data=user_data("cancel", ticket.id))]
    if ticket.question:
        row.insert(
            0,
            InlineKeyboardButton(labels["confirm"], callback_data=user_data("confirm", ticket.id)),
        )
    return InlineKeyboardMarkup([row])


def addition_keyboard(tickets: Sequence[Ticket], lang: str) -> InlineKeyboardMarkup:
    labels = USER_LABELS[lang]
    rows = [
        [
            InlineKeyboardButton(
                labels["add"].format(n=t.number), callback_data=user_data("add", t.id)
            )
        ]
        for t in tickets[-3:]
    ]
    rows.append(
        [InlineKeyboardButton(labels["new"], callback_data=user_data("new", tickets[-1].id))]
    )
    return InlineKeyboardMarkup(rows)


def status_keyboard(tickets: Sequence[Ticket], lang: str) -> InlineKeyboardMarkup | None:
    labels = USER_LABELS[lang]
    rows = [
        [
            InlineKeyboardButton(
                labels["cancel_ticket"].format(n=t.number), callback_data=user_data("cancel", t.id)
            )
        ]
        for t in tickets
    ]
    return InlineKeyboardMarkup(rows) if rows else None


def vote_keyboard(ticket: Ticket) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("👍", callback_data=user_data("up", ticket.id)),
                InlineKeyboardButton("👎", callback_data=user_data("down", ticket.id)),
            ]
        ]
    )


def user_rows(
    say: Say, ticket: Ticket, template: str, ref: str, *, votes: bool = False, **context: Any
) -> list[NewOutbox]:
    assert ticket.chat_id is not None  # only live (not anonymised) tickets get messages
    text = say(ticket.language, template, number=ticket.number, **context)
    return text_rows(
        ticket_key(ticket.id, template.removeprefix("esc_"), ref),
        "user",
        ticket.chat_id,
        text,
        keyboard=vote_keyboard(ticket) if votes else None,
    )


def relay_rows(say: Say, ticket: Ticket, body_html: str, ref: str) -> list[NewOutbox]:
    """A staff answer for the user: `body_html` is already Telegram-HTML-safe."""
    return user_rows(say, ticket, "esc_answer", ref, votes=True, body=Markup(body_html))


def escape(text: str) -> str:
    """Staff text, shown to the user as typed (Telegram HTML mode)."""
    return html.escape(text, quote=False)
