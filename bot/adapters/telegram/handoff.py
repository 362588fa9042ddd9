"""The hand-off point for questions that need a person.

The escalation issue replaces `ContactCentreHandoff` with the staff-group ticket workflow by
passing its own `EscalationHandoff` to `build_application(..., handoff=...)`. Until then, an
escalation tells the user how to reach the centre's staff (CENTRE_CONTACT) and stores nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

from telegram.constants import ParseMode

from bot.adapters.telegram.context import BotContext
from bot.core.model import Language, Reply

Reason = Literal["core", "button", "command"]


@dataclass(frozen=True)
class EscalationRequest:
    chat_id: int
    user_id: int | None
    language: Language
    question: str  # the user's words ("" when they only pressed a button or sent a command)
    reason: Reason  # "core": the assistant could not answer; otherwise the user asked
    reply: Reply | None = None  # the core's escalate reply (summary, candidates) if any
    message_id: int | None = None  # the user's message, to reply to it


class EscalationHandoff(Protocol):
    async def escalate(self, request: EscalationRequest, context: BotContext) -> None: ...


class ContactCentreHandoff:
    """No staff workflow yet: tell the user how to reach the centre's staff directly."""

    async def escalate(self, request: EscalationRequest, context: BotContext) -> None:
        services = context.services
        text = services.say(
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
