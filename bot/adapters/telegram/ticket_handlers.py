"""The user's side of escalation, translated: the hand-off (handoff.py) writes a draft,
buttons confirm, cancel, add to a ticket or rate the staff's answer, /status lists tickets,
and erasure (confirmed in callbacks.py) also empties tickets. Every decision is the desk's
(bot/escalation/desk.py); these handlers parse the press, call it, and show what it returned.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop

from bot.adapters.telegram.context import BotContext, message_of
from bot.adapters.telegram.popups import answer_popup, drop_buttons
from bot.adapters.telegram.replies import answer, forget_chat, send_notice
from bot.core.model import Language
from bot.escalation.desk import Asked

log = logging.getLogger(__name__)


async def status(update: Update, context: BotContext) -> None:
    """/status: the chat's open tickets."""
    chat = update.effective_chat
    if chat is not None:
        notice = context.desk.status(chat.id, context.services.language_for(update))
        await send_notice(context, notice)
    raise ApplicationHandlerStop


async def on_button(update: Update, context: BotContext) -> None:
    """tk:<action>:<ticket>: confirm, cancel, add, new, up, down (the desk decides)."""
    query = update.callback_query
    if query is None:
        return
    message = message_of(query)
    replied = message.reply_to_message if message else None  # what the buttons were about
    asked = Asked(replied.chat.id, replied.message_id, replied.text) if replied else None
    done = context.desk.user_press(
        query.data, message.chat.id if message else None, query.from_user.id, asked
    )
    await answer_popup(query, done.popup)
    if done.edit:
        await query.edit_message_text(done.edit, parse_mode=ParseMode.HTML)
    elif done.clear:
        await drop_buttons(query)
    if done.ask is not None and done.ask.text:
        await answer(context, done.ask.chat_id, done.ask.text, reply_to=done.ask.message_id,
                     user_id=query.from_user.id)


async def erase_tickets(context: BotContext, chat_id: int, lang: Language) -> str:
    """/vergeet confirmed, with the workflow plugged in: the chat's tickets and their messages
    are emptied too, the bot's staff-group messages deleted where Telegram still allows it
    (48 hours); returns what the user is told, honestly saying what could not be deleted."""
    tickets, plan = context.desk.erase(chat_id)
    await forget_chat(context, chat_id)
    deleted = failed = 0
    for staff_message in plan.attempt:
        try:
            await context.bot.delete_message(staff_message.chat_id, staff_message.message_id)
            deleted += 1
        except TelegramError as exc:
            log.info("could not delete a staff message: %s", type(exc).__name__)
            failed += 1
    return context.desk.erased_text(lang, tickets, plan, deleted, failed)
