"""The hand-off point for questions that need a person.

With the escalation workflow plugged in and a staff group configured, the question becomes a
draft ticket the user confirms (the desk's `draft`, bot/escalation/desk.py). Otherwise the
user is told how to reach the centre's staff (CENTRE_CONTACT) and nothing is stored.
"""

from __future__ import annotations

from telegram.constants import ParseMode

from bot.adapters.telegram.context import BotContext
from bot.adapters.telegram.replies import send_notice
from bot.escalation.desk import DraftRequest, contact_text


class Handoff:
    async def escalate(self, request: DraftRequest, context: BotContext) -> None:
        desk = context.services.desk
        if desk is not None and desk.staff_chat_id is not None:
            await send_notice(context, desk.draft(request))
            return
        await context.bot.send_message(
            request.chat_id,
            contact_text(context.services.say, request),
            parse_mode=ParseMode.HTML,
            reply_to_message_id=request.message_id,
            allow_sending_without_reply=True,
        )
