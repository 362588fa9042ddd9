"""The "Reken het na" / "Faire le calcul" button, rendered from the core's `Reply.offer`.

The core decides whether a question states amounts worth checking; this module only draws the
button. It appears only when the allowance conversation is plugged in (`Services.offers`) and
in private chats (the conversation would otherwise read a whole group's messages), so a bot
without it never shows a button nothing answers. Callback data: `a:go:<lang>[:<amount>]`.
"""

from __future__ import annotations

from decimal import Decimal

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.adapters.telegram.keyboards import LABELS
from bot.core.model import Language, Reply

LABEL: dict[Language, str] = {"nl": "Reken het na", "fr": "Faire le calcul"}


def offered(reply: Reply, *, enabled: bool, chat_id: int) -> Decimal | bool:
    """The core's offer, where this chat can take it up."""
    return reply.offer if enabled and chat_id > 0 else False


def button(lang: Language, per_day: Decimal | bool) -> InlineKeyboardButton:
    amount = f":{per_day:f}" if isinstance(per_day, Decimal) else ""
    return InlineKeyboardButton(LABEL[lang], callback_data=f"a:go:{lang}{amount}")


def with_button(
    markup: InlineKeyboardMarkup | None, lang: Language, per_day: Decimal | bool
) -> InlineKeyboardMarkup:
    """An answer or clarify gets the button as an extra row."""
    rows = list(markup.inline_keyboard) if markup else []
    return InlineKeyboardMarkup([*rows, [button(lang, per_day)]])


def instead_of_staff(lang: Language, per_day: Decimal | bool) -> InlineKeyboardMarkup:
    """An escalation with an offer: the check, and a staff member one tap away beside it."""
    staff = InlineKeyboardButton(LABELS[lang]["staff"], callback_data=f"h:{lang}")
    return InlineKeyboardMarkup([[button(lang, per_day), staff]])
