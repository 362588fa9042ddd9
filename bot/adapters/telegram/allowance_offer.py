"""The "Reken het na" / "Faire le calcul" button under a reply whose question states amounts.

Kept out of allowance_conversation.py so replies.py can use it without an import cycle. The
button appears only when the conversation plug-in is installed (it sets OFFER_ENABLED), so a
bot without it never shows a button nothing answers. Callback data: `a:go:<lang>[:<amount>]`.
"""

from __future__ import annotations

from decimal import Decimal

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.adapters.telegram.context import BotContext
from bot.adapters.telegram.keyboards import LABELS
from bot.core.allowance import looks_like_allowance_question
from bot.core.model import Language, Reply

OFFER_ENABLED = "allowance_offer"  # bot_data flag set by allowance_plugin()
LABEL: dict[Language, str] = {"nl": "Reken het na", "fr": "Faire le calcul"}


def detect(context: BotContext, reply: Reply, chat_id: int) -> Decimal | bool:
    """False, or what looks_like_allowance_question found (True, or the per-day amount).

    Private chats only: the conversation would otherwise read a whole group's messages."""
    if not context.bot_data.get(OFFER_ENABLED) or chat_id <= 0 or reply.action == "smalltalk":
        return False
    return looks_like_allowance_question(reply.question)


def button(lang: Language, per_day: Decimal | bool) -> InlineKeyboardButton:
    amount = f":{per_day:f}" if isinstance(per_day, Decimal) else ""
    return InlineKeyboardButton(LABEL[lang], callback_data=f"a:go:{lang}{amount}")


def attach(
    context: BotContext, reply: Reply, text: str, markup: InlineKeyboardMarkup | None,
    per_day: Decimal | bool,
) -> tuple[str, InlineKeyboardMarkup]:
    """An answer or clarify gets the button as an extra row. An escalation is replaced by the
    offer with a staff button next to it: a calculation we can do should not wait for staff,
    and the person is still one tap away."""
    lang = reply.language
    row = [button(lang, per_day)]
    if reply.action == "escalate":
        staff = InlineKeyboardButton(LABELS[lang]["staff"], callback_data=f"h:{lang}")
        return context.services.say(lang, "alw_offer"), InlineKeyboardMarkup([[*row, staff]])
    rows = list(markup.inline_keyboard) if markup else []
    return text, InlineKeyboardMarkup([*rows, row])

