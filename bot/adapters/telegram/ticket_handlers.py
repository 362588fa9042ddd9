"""The user's side of escalation: confirm what is sent, get a ticket number, add to it, see
its status, cancel it, rate the staff's answer (erasure is in erasure.py).

Flow: the hand-off (issue 3's `EscalationHandoff`) writes a *draft* and shows exactly what the
staff would receive; text typed now is added to the draft. "Send" turns the draft into an open
ticket and queues, in the same transaction, the "ticket #N" receipt and the staff group's
ticket message. While a ticket is open, a new message gets a question: addition to #N, or a
new question? Handlers run after the gate and before issue 3's handlers, and stop the update
(ApplicationHandlerStop) only when it was theirs.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import TYPE_CHECKING

from telegram import CallbackQuery, Message, Update
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.adapters.telegram import erasure, user_handlers
from bot.adapters.telegram import ticket_messages as tm
from bot.adapters.telegram.context import BotContext
from bot.adapters.telegram.handoff import ContactCentreHandoff, EscalationRequest
from bot.adapters.telegram.replies import deliver, send_html
from bot.escalation.records import CandidateRow, Change, NewMessage, NewOutbox, Ticket
from bot.escalation.tickets import ACTIVE, parse_user_data

if TYPE_CHECKING:
    from bot.adapters.telegram.escalation import Escalation

log = logging.getLogger(__name__)

# A draft nobody confirmed within this time is abandoned: later messages are new questions.
DRAFT_TTL = timedelta(minutes=30)
RESPONSE_TIME = {"nl": "{n} werkdagen", "fr": "{n} jours ouvrables"}


def _rt(context: BotContext) -> Escalation:
    return context.bot_data["escalation"]  # type: ignore[no-any-return]


class TicketHandoff:
    """Issue 3's hand-off point: escalations become draft tickets the user confirms."""

    def __init__(self, escalation: object) -> None:
        self.escalation = escalation

    async def escalate(self, request: EscalationRequest, context: BotContext) -> None:
        rt = _rt(context)
        if rt.staff_chat_id is None:  # no staff group configured: say how to reach the centre
            await ContactCentreHandoff().escalate(request, context)
            return
        reply = request.reply
        question = request.question.strip()
        if reply is None and question:
            # The user asked for a person: rank the entries anyway, for the staff's top 3.
            reply = rt.core.ask(question, chat_lang=request.language, today=rt.today())
        now = rt.clock()
        source = (
            f"m:{request.chat_id}:{request.message_id}"
            if request.message_id
            else f"c:{request.chat_id}:{now.isoformat()}"
        )
        ticket, created = rt.storage.create_draft(
            chat_id=request.chat_id,
            user_id=request.user_id,
            language=request.language,
            question=question,
            topic=reply.topic if reply else None,
            candidates=[
                CandidateRow(c.entry_id, c.question, c.score)
                for c in (reply.candidates if reply else ())
            ][:3],
            source_key=source,
            now=now,
        )
        if not created and ticket.state != "draft":
            await _send_status(context, request.chat_id, ticket.language)
            return
        intro = request.reply.text if request.reply and request.reason == "core" else ""
        await _send_confirmation(context, ticket, intro=intro, reply_to=request.message_id)


async def _send_confirmation(
    context: BotContext, ticket: Ticket, *, intro: str = "", reply_to: int | None = None
) -> None:
    rt = _rt(context)
    additions = [m.text for m in rt.storage.messages(ticket.id) if m.direction == "in"]
    text = context.services.say(
        ticket.language, "esc_confirm", question=ticket.question, additions=additions
    )
    assert ticket.chat_id is not None
    await send_html(
        context,
        ticket.chat_id,
        f"{intro}\n\n{text}" if intro else text,
        keyboard=tm.confirm_keyboard(ticket),
        reply_to=reply_to,
    )


async def _send_status(context: BotContext, chat_id: int, lang: str) -> None:
    rt = _rt(context)
    tickets = rt.storage.tickets_of_chat(chat_id, ACTIVE)
    rows = [
        {
            "number": t.number,
            "state": t.state,
            "opened": f"{t.opened_at:%d/%m}" if t.opened_at else "",
        }
        for t in tickets
    ]
    text = context.services.say(lang, "esc_status", tickets=rows)  # type: ignore[arg-type]
    await send_html(context, chat_id, text, keyboard=tm.status_keyboard(tickets, lang))


def _fresh_draft(context: BotContext, chat_id: int) -> Ticket | None:
    rt = _rt(context)
    now = rt.clock()
    fresh = None
    for draft in rt.storage.tickets_of_chat(chat_id, frozenset({"draft"})):
        if now - draft.last_activity_at > DRAFT_TTL:
            rt.storage.apply(Change(draft.id, frozenset({"draft"}), "cancelled", now))
        else:
            fresh = draft
    return fresh


# ------------------------------------------------------------------------ text while waiting
class HasTicket(filters.MessageFilter):
    """A chat with a draft being confirmed or a ticket still open (a quick indexed read)."""

    def __init__(self, escalation: Escalation) -> None:
        super().__init__(name="HasTicket")
        self.escalation = escalation

    def filter(self, message: Message) -> bool:
        storage = self.escalation.storage
        now = self.escalation.clock()
        drafts = storage.tickets_of_chat(message.chat.id, frozenset({"draft"}))
        if any(now - d.last_activity_at <= DRAFT_TTL for d in drafts):
            return True
        return bool(storage.tickets_of_chat(message.chat.id, ACTIVE))


async def on_private_text(update: Update, context: BotContext) -> None:
    """Text in a private chat with a draft or an open ticket: it may belong to the ticket."""
    message = update.message
    if message is None or not message.text:
        return
    rt = _rt(context)
    chat_id = message.chat.id
    draft = _fresh_draft(context, chat_id)
    if draft is not None:
        now = rt.clock()
        if not draft.question:
            draft = (
                rt.storage.apply(
                    Change(
                        draft.id,
                        frozenset({"draft"}),
                        "draft",
                        now,
                        fields={"question": message.text},
                    )
                )
                or draft
            )
        else:
            rt.storage.add_messages(
                draft.id,
                [
                    NewMessage(
                        "in",
                        "detail",
                        message.text,
                        source_key=f"m:{chat_id}:{message.message_id}",
                    )
                ],
                [],
                now,
            )
        await _send_confirmation(context, draft)
        raise ApplicationHandlerStop
    active = rt.storage.tickets_of_chat(chat_id, ACTIVE)
    if not active:  # the draft expired between the filter and here: answer as a question
        await user_handlers.question(update, context)
        raise ApplicationHandlerStop
    lang = active[-1].language
    await send_html(
        context,
        chat_id,
        context.services.say(lang, "esc_addition_prompt", number=active[-1].number),
        keyboard=tm.addition_keyboard(active, lang),
        reply_to=message.message_id,
    )
    raise ApplicationHandlerStop


async def status(update: Update, context: BotContext) -> None:
    await _send_status(context, update.effective_chat.id, context.services.language_for(update))
    raise ApplicationHandlerStop


# ------------------------------------------------------------------------ buttons
async def on_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    press = parse_user_data(query.data)
    rt = _rt(context)
    ticket = rt.storage.ticket(press.ticket) if press else None
    # A user acts only on their own chat's tickets, whatever the button data says.
    if press is None or ticket is None or ticket.chat_id != query.message.chat.id:
        log.warning("refused a ticket button press that does not match its chat")
        await query.answer()
        return
    handler = {
        "confirm": _confirm,
        "cancel": _cancel,
        "add": _add,
        "new": _new_question,
        "up": _vote,
        "down": _vote,
    }[press.action]
    await handler(update, context, ticket, press.action)


async def _stale(update: Update, context: BotContext, ticket: Ticket) -> None:
    fresh = _rt(context).storage.ticket(ticket.id) or ticket
    await update.callback_query.answer(
        context.services.say(ticket.language, "esc_stale", state=fresh.state)[:200]
    )


async def _confirm(update: Update, context: BotContext, ticket: Ticket, _: str) -> None:
    rt = _rt(context)
    query = update.callback_query
    staff_chat = rt.staff_chat_id
    say = context.services.say
    response = RESPONSE_TIME[ticket.language].format(n=rt.options.response_workdays)

    def rows(opened: Ticket) -> list[NewOutbox]:
        messages = rt.storage.messages(opened.id)
        out = tm.user_rows(say, opened, "esc_ticket_created", "open", response_time=response)
        if staff_chat is not None:
            out += tm.staff_ticket_rows(say, opened, messages, staff_chat)
        return out

    opened = rt.storage.apply(
        Change(
            ticket.id,
            frozenset({"draft"}),
            "open",
            rt.clock(),
            assign_number=True,
            outbox_after=rows,
        )
    )
    if opened is None:
        await _stale(update, context, ticket)
        return
    rt.kick()
    log.info("ticket %s opened", opened.number)
    await query.answer()
    await _remove_buttons(query)


async def _cancel(update: Update, context: BotContext, ticket: Ticket, _: str) -> None:
    rt = _rt(context)
    query = update.callback_query
    staff_chat = rt.staff_chat_id
    say = context.services.say
    was_draft = ticket.state == "draft"

    def rows(cancelled: Ticket) -> list[NewOutbox]:
        if was_draft or staff_chat is None:
            return []
        messages = rt.storage.messages(cancelled.id)
        return [
            *tm.staff_notice_rows(say, cancelled, staff_chat, "cancelled", "user"),
            tm.staff_edit_row(say, cancelled, messages, staff_chat, "cancelled"),
        ]

    done = rt.storage.apply(
        Change(
            ticket.id, frozenset({"draft", *ACTIVE}), "cancelled", rt.clock(), outbox_after=rows
        )
    )
    if done is None:
        await _stale(update, context, ticket)
        return
    rt.kick()
    await query.answer()
    text = say(ticket.language, "esc_cancelled", number=None if was_draft else ticket.number)
    await query.edit_message_text(text, parse_mode=ParseMode.HTML)


async def _add(update: Update, context: BotContext, ticket: Ticket, _: str) -> None:
    rt = _rt(context)
    query = update.callback_query
    asked = query.message.reply_to_message
    if asked is None or not asked.text or ticket.state not in ACTIVE:
        await _stale(update, context, ticket)
        return
    staff_chat = rt.staff_chat_id
    source = f"m:{asked.chat.id}:{asked.message_id}"
    rows = []
    if staff_chat is not None:
        rows = tm.staff_addition_rows(context.services.say, ticket, staff_chat, asked.text, source)
    rt.storage.add_messages(
        ticket.id, [NewMessage("in", "addition", asked.text, source_key=source)], rows, rt.clock()
    )
    rt.kick()
    await query.answer()
    await query.edit_message_text(
        context.services.say(ticket.language, "esc_addition_added", number=ticket.number),
        parse_mode=ParseMode.HTML,
    )


async def _new_question(update: Update, context: BotContext, ticket: Ticket, _: str) -> None:
    query = update.callback_query
    asked = query.message.reply_to_message
    await query.answer()
    await _remove_buttons(query)
    if asked is None or not asked.text:
        return
    services = context.services
    chosen = services.storage.chat_language(asked.chat.id)
    reply = services.assistant.ask(asked.text, chat_lang=chosen, today=services.today())
    await deliver(
        context,
        asked.chat.id,
        reply,
        chat_language=chosen,
        reply_to=asked.message_id,
        user_id=query.from_user.id,
    )


async def _vote(update: Update, context: BotContext, ticket: Ticket, action: str) -> None:
    rt = _rt(context)
    query = update.callback_query
    vote = 1 if action == "up" else -1
    rt.storage.record_staff_feedback(vote, today=rt.today())
    await query.answer(
        context.services.say(ticket.language, "tg_thanks_vote") if vote == 1 else None
    )
    await _remove_buttons(query)


async def _remove_buttons(query: CallbackQuery) -> None:
    try:
        await query.edit_message_reply_markup(None)
    except TelegramError as exc:  # already without buttons (a double press): nothing to do
        log.info("could not remove buttons: %s", type(exc).__name__)


def register(application: Application) -> None:  # type: ignore[type-arg]
    private = filters.ChatType.PRIVATE
    # Group 0, after other plug-ins (a conversation in progress keeps its own replies) and
    # before issue 3's question handler; it matches only chats with a draft or open ticket.
    waiting = private & filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND
    application.add_handler(
        MessageHandler(waiting & HasTicket(application.bot_data["escalation"]), on_private_text)
    )
    application.add_handler(CommandHandler("status", status, filters=private), group=-1)
    application.add_handler(
        CallbackQueryHandler(erasure.on_erase, pattern=r"^x:(nl|fr):yes$"), group=-1
    )
    application.add_handler(CallbackQueryHandler(on_button, pattern=r"^tk:"))
