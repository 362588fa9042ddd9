"""What the escalation workflow says, as outbox rows: texts, keyboards and idempotency keys.

Builders only: they render templates and return `NewOutbox` rows; the desk decides when, and
commits the rows together with the ticket change. Keys follow `bot.escalation.outbox.ticket_key`
and name the event that caused the message (a staff message id, a callback query id), so the
same event can never queue the same message twice. Keyboards are plain Bot API dicts
(`{"inline_keyboard": [[{"text": ..., "callback_data": ...}]]}`): no Telegram library here.

How long a message may be is the sender's business: `Texts` is given its `split` (the Telegram
adapter passes its 4,096-character splitter) and writes one row per part, so a retry of one
part never repeats another.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from bot.core.buttons import Keyboard, keyboard
from bot.escalation.outbox import Target, ticket_key
from bot.escalation.records import NewOutbox, Ticket, TicketMessage
from bot.escalation.staff_language import StaffLanguage, button_label, state_label
from bot.escalation.tickets import staff_buttons, staff_data, user_data

Say = Callable[..., str]  # say(lang, template, **context): a template with the centre filled in

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


def button(text: str, data: str) -> dict[str, str]:
    return {"text": text, "callback_data": data}


def staff_ticket_key(ticket_id: int) -> str:
    return ticket_key(ticket_id, "staff-ticket")


def escape(text: str) -> str:
    """Staff text, shown to the user as typed (Telegram HTML mode)."""
    return html.escape(text, quote=False)


# ------------------------------------------------------------------------ keyboards
def staff_keyboard(ticket: Ticket, lang: StaffLanguage) -> Keyboard | None:
    number = ticket.number or 0
    buttons: dict[str, dict[str, str]] = {}
    for action in staff_buttons(ticket.state, len(ticket.candidates)):
        if action.startswith("suggest"):
            n = int(action.removeprefix("suggest"))
            buttons[action] = button(
                button_label(lang, "suggest", n), staff_data("suggest", number, n)
            )
        else:
            buttons[action] = button(button_label(lang, action), staff_data(action, number))
    return keyboard([
        [buttons[a] for a in ("claim",) if a in buttons],
        [b for a, b in buttons.items() if a.startswith("suggest")],
        [buttons[a] for a in ("out_of_scope", "close") if a in buttons],
    ])


def confirm_keyboard(ticket: Ticket) -> Keyboard:
    labels = USER_LABELS[ticket.language]
    row = [button(labels["cancel"], user_data("cancel", ticket.id))]
    if ticket.question:
        row.insert(0, button(labels["confirm"], user_data("confirm", ticket.id)))
    return {"inline_keyboard": [row]}


def addition_keyboard(tickets: Sequence[Ticket], lang: str) -> Keyboard:
    labels = USER_LABELS[lang]
    rows = [
        [button(labels["add"].format(n=t.number), user_data("add", t.id))] for t in tickets[-3:]
    ]
    rows.append([button(labels["new"], user_data("new", tickets[-1].id))])
    return {"inline_keyboard": rows}


def status_keyboard(tickets: Sequence[Ticket], lang: str) -> Keyboard | None:
    labels = USER_LABELS[lang]
    return keyboard(
        [[button(labels["cancel_ticket"].format(n=t.number), user_data("cancel", t.id))]
         for t in tickets]
    )


def vote_keyboard(ticket: Ticket) -> Keyboard:
    return {"inline_keyboard": [[button("👍", user_data("up", ticket.id)),
                                 button("👎", user_data("down", ticket.id))]]}


# ------------------------------------------------------------------------ rows
@dataclass(frozen=True)
class Texts:
    """The row builders, with the template renderer, the sender's splitter and the staff
    group's language (STAFF_LANGUAGE: every staff text is rendered in it)."""

    say: Say
    split: Callable[[str], list[str]]
    staff_language: StaffLanguage = "nl"

    def staff_say(self, template: str, **context: Any) -> str:
        """A staff-group text: bot/templates/<STAFF_LANGUAGE>/<template>.html."""
        return self.say(self.staff_language, template, **context)

    def text_rows(
        self,
        key: str,
        target: Target,
        chat_id: int,
        text: str,
        *,
        markup: Keyboard | None = None,
        reply_to_key: str | None = None,
    ) -> list[NewOutbox]:
        """One row per message part; the keyboard goes on the last part, the first replies."""
        parts = self.split(text)
        rows = []
        for i, part in enumerate(parts):
            payload: dict[str, Any] = {"text": part}
            if markup is not None and i == len(parts) - 1:
                payload["reply_markup"] = markup
            if reply_to_key is not None and i == 0:
                payload["reply_to_key"] = reply_to_key
            key_i = key if i == 0 else f"{key}:p{i + 1}"
            rows.append(NewOutbox(key_i, target, chat_id, "sendMessage", payload))
        return rows

    # -------------------------------------------------------------------- the staff group
    def staff_ticket_text(self, ticket: Ticket, messages: Sequence[TicketMessage]) -> str:
        additions = [m.text for m in messages if m.direction == "in" and m.text]
        return self.staff_say(
            "esc_staff_ticket",
            number=ticket.number,
            language=ticket.language,
            state_label=state_label(self.staff_language, ticket.state),
            claimed_by=ticket.claimed_name,
            question=ticket.question,
            additions=additions,
            candidates=ticket.candidates[:3],
        )

    def staff_ticket_rows(
        self, ticket: Ticket, messages: Sequence[TicketMessage], staff_chat: int,
        key: str | None = None,
    ) -> list[NewOutbox]:
        text = self.staff_ticket_text(ticket, messages)
        return self.text_rows(
            key or staff_ticket_key(ticket.id), "staff", staff_chat, text,
            markup=staff_keyboard(ticket, self.staff_language),
        )

    def staff_edit_row(
        self, ticket: Ticket, messages: Sequence[TicketMessage], staff_chat: int, ref: str
    ) -> NewOutbox:
        """Re-render the ticket message in place (state, who claimed it, which buttons)."""
        markup = staff_keyboard(ticket, self.staff_language)
        payload: dict[str, Any] = {
            "text": self.split(self.staff_ticket_text(ticket, messages))[0],
            "message_key": staff_ticket_key(ticket.id),
        }
        if markup is not None:
            payload["reply_markup"] = markup
        key = ticket_key(ticket.id, "staff-edit", ref)
        return NewOutbox(key, "staff", staff_chat, "editMessageText", payload)

    def staff_notice(self, kind: str, **values: Any) -> str:
        return self.staff_say("esc_staff_notice", kind=kind, **values)

    def staff_notice_rows(
        self, ticket: Ticket, staff_chat: int, kind: str, ref: str, **context: Any
    ) -> list[NewOutbox]:
        return self.text_rows(
            ticket_key(ticket.id, f"notice-{kind}", ref),
            "staff",
            staff_chat,
            self.staff_notice(kind, number=ticket.number, **context),
            reply_to_key=staff_ticket_key(ticket.id),
        )

    def staff_addition_rows(
        self, ticket: Ticket, staff_chat: int, text: str, ref: str
    ) -> list[NewOutbox]:
        body = self.staff_say(
            "esc_staff_addition", number=ticket.number, language=ticket.language, text=text
        )
        return self.text_rows(
            ticket_key(ticket.id, "addition", ref),
            "staff",
            staff_chat,
            body,
            reply_to_key=staff_ticket_key(ticket.id),
        )

    # -------------------------------------------------------------------- the user
    def user_rows(
        self, ticket: Ticket, template: str, ref: str, *, votes: bool = False, **context: Any
    ) -> list[NewOutbox]:
        assert ticket.chat_id is not None  # only live (not anonymised) tickets get messages
        text = self.say(ticket.language, template, number=ticket.number, **context)
        return self.text_rows(
            ticket_key(ticket.id, template.removeprefix("esc_"), ref),
            "user",
            ticket.chat_id,
            text,
            markup=vote_keyboard(ticket) if votes else None,
        )

    def relay_rows(self, ticket: Ticket, body_html: str, ref: str) -> list[NewOutbox]:
        """A staff answer for the user: `body_html` is already Telegram-HTML-safe."""
        return self.user_rows(ticket, "esc_answer", ref, votes=True, body=Markup(body_html))
