"""Erasure (/vergeet, /oublier): issue 3's confirmation button, completed for tickets.

The user's preferences go (issue 3's `forget_chat`), their tickets and ticket messages are
emptied (the tickets stay as anonymous counts), unhandled inbox copies of their updates are
dropped, and the bot deletes its own staff-group messages about those tickets where Telegram
still allows it (48 hours). The reply says honestly what could not be deleted.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from telegram import Update
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop

from bot.adapters.telegram.context import BotContext
from bot.adapters.telegram.replies import forget_chat
from bot.escalation.retention import deletion_plan

if TYPE_CHECKING:
    from bot.adapters.telegram.escalation import Escalation

log = logging.getLogger(__name__)


def _rt(context: BotContext) -> Escalation:
    return context.bot_data["escalation"]  # type: ignore[no-any-return]


async def on_erase(update: Update, context: BotContext) -> None:
    """Issue 3's erase confirmation ("x:<lang>:yes"), completed: tickets and their messages
    are emptied, the bot's staff-group messages deleted where Telegram still allows it, and the
    user is told honestly what could not be deleted."""
    query = update.callback_query
    rt = _rt(context)
    lang = query.data.split(":")[1]
    chat_id = query.message.chat.id
    now = rt.clock()
    erasure = rt.storage.erase_tickets_of_chat(chat_id, now=now)
    rt.storage.erase_inbox_of_chat(chat_id)
    await query.answer()
    await forget_chat(context, chat_id)
    plan = deletion_plan(erasure.staff_messages, now)
    deleted = failed = 0
    for message in plan.attempt:
        try:
            await context.bot.delete_message(message.chat_id, message.message_id)
            deleted += 1
        except TelegramError as exc:
            log.info("could not delete a staff message: %s", type(exc).__name__)
            failed += 1
    log.info("chat data erased on request (%d ticket(s))", erasure.tickets)
    text = context.services.say(
        lang if lang in ("nl", "fr") else "nl",
        "esc_erased",
        tickets=erasure.tickets,
        deleted=deleted,
        not_deleted=failed + len(plan.too_old),
        too_old=bool(plan.too_old),
    )
    await query.edit_message_text(text, parse_mode=ParseMode.HTML)
    raise ApplicationHandlerStop
