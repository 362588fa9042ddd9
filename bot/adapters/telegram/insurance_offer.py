"""The "Verzekeringscheck" / "Contrôle d'assurance" button under a reply whose question looks
like an association asking about its insurance duty ("moet onze vzw verzekeren?").

Kept out of insurance_conversation.py so replies.py can use it without an import cycle. The
button appears only when the conversation plug-in is installed (it sets OFFER_ENABLED).
Callback data: `i:go:<lang>`.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.adapters.telegram.context import BotContext
from bot.core.insurance import looks_like_insurance_duty_question
from bot.core.model import Language, Reply

OFFER_ENABLED = "insurance_offer"  # bot_data flag set by insurance_plugin()
LABEL: dict[Language, str] = {"nl": "🛡 Verzekeringscheck", "fr": "🛡 Contrôle d'assurance"}


def detect(context: BotContext, reply: Reply, chat_id: int) -> bool:
    """Private chats only (the conversation would otherwise read a whole group's messages);
    answers and clarify choices only (an escalation goes to staff as before)."""
    if not context.bot_data.get(OFFER_ENABLED) or chat_id <= 0:
        return False
    return reply.action in ("answer", "clarify") and looks_like_insurance_duty_question(
        reply.question
    )


def attach(reply: Reply, markup: InlineKeyboardMarkup | None) -> InlineKeyboardMarkup:
    """The reply's keyboard with the offer as an extra row."""
    rows = list(markup.inline_keyboard) if markup else []
    button = InlineKeyboardButton(LABEL[reply.language], callback_data=f"i:go:{reply.language}")
    return InlineKeyboardMarkup([*rows, [button]])
