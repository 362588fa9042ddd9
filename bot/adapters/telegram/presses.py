"""Which button presses reach a handler at all (called by the gate, group GATE in app.py).

A press is handled only when it comes from a button that is on the bot's message now:
- no message at all (`inline_message_id`: a message sent in inline mode, which this bot never
  sends): refused, with a popup saying where the buttons work;
- a message too old for Telegram to show us (InaccessibleMessage): we cannot see its
  buttons, edit it or check the press, so it is refused with a popup;
- data that is not one of the message's buttons: a forged press, or a second tap that
  arrived after the bot removed the button (the 👍 pressed 50 times): refused, once each.
Every refusal answers the press, so the user's app never keeps a spinner.
"""

from __future__ import annotations

import logging

from telegram import CallbackQuery, Message
from telegram.ext import ApplicationHandlerStop

from bot.adapters.telegram.context import BotContext
from bot.adapters.telegram.popups import answer_popup

log = logging.getLogger(__name__)


def refusal(query: CallbackQuery) -> str | None:
    """Why this press must not reach a handler (a template name), or None."""
    message = query.message
    if message is None:
        return "tg_press_elsewhere"
    if not isinstance(message, Message):
        return "tg_press_stale"
    markup = message.reply_markup
    buttons = {
        button.callback_data
        for row in (markup.inline_keyboard if markup else ())
        for button in row
    }
    return None if query.data is not None and query.data in buttons else "tg_press_stale"


async def check_press(query: CallbackQuery, context: BotContext, lang: str) -> None:
    """Return when the press may be handled; otherwise answer it and end the update."""
    reason = refusal(query)
    if reason is None:
        return
    log.info("refused a button press (%s)", reason.removeprefix("tg_press_"))
    await answer_popup(query, context.services.say(lang, reason))
    raise ApplicationHandlerStop
