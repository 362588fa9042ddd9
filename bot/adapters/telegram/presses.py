"""Which button presses reach a handler at all (called by the gate, group GATE in app.py):
only a press on a button that is on the bot's message now (bot.core.addressing.press_refusal
says why not). Every refusal answers the press, so the user's app never keeps a spinner.
"""

from __future__ import annotations

import logging

from telegram import CallbackQuery, Message
from telegram.ext import ApplicationHandlerStop

from bot.adapters.telegram.context import BotContext
from bot.adapters.telegram.popups import answer_popup
from bot.core.addressing import press_refusal

log = logging.getLogger(__name__)


def refusal(query: CallbackQuery) -> str | None:
    """Why this press must not reach a handler (a template name), or None."""
    message = query.message
    shown: set[object] | None = None
    if isinstance(message, Message):  # else too old to be shown to us
        rows = message.reply_markup.inline_keyboard if message.reply_markup else ()
        shown = {button.callback_data for row in rows for button in row}
    return press_refusal(query.data, shown, elsewhere=message is None)


async def check_press(query: CallbackQuery, context: BotContext, lang: str) -> None:
    """Return when the press may be handled; otherwise answer it and end the update."""
    reason = refusal(query)
    if reason is None:
        return
    log.info("refused a button press (%s)", reason.removeprefix("tg_press_"))
    await answer_popup(query, context.services.say(lang, reason))
    raise ApplicationHandlerStop
