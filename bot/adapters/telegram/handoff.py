"""The hand-off point for questions that need a person, when no staff workflow is plugged in.

`build_escalating_application` passes the ticket workflow's own hand-off instead
(ticket_handlers.TicketHandoff). Without it, an escalation tells the user how to reach the
centre's staff (CENTRE_CONTACT) and stores nothing.
"""

from __future__ import annotations

from telegram.constants import ParseMode

from bot.adapters.telegram.context import BotContext, EscalationRequest


class ContactCentreHandoff:
    """No staff workflow: tell the user how to reach the centre's staff directly."""

    async def escalate(self, request: EscalationRequest, context: BotContext) -> None:
        text = context.services.say(
            request.language,
            "tg_escalation_contact",
            asked=request.reason != "core",
            reason=request.reply.reason if request.reply else "",
        )
        await context.bot.send_message(
            request.chat_id,
            text,
            parse_mode=ParseMode.HTML,
            reply_to_message_id=request.message_id,
            allow_sending_without_reply=True,
        )
