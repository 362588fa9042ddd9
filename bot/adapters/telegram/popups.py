"""Button-press answers (answerCallbackQuery): the one way the bot shows a popup, with its
text made plain and short by bot/delivery/popup.py; and the pressed message's buttons taken
away, so they cannot be pressed again."""

from __future__ import annotations

import logging

from telegram import CallbackQuery
from telegram.error import TelegramError

from bot.delivery.popup import popup_text

log = logging.getLogger(__name__)


async def answer_popup(
    query: CallbackQuery, text: str | None = None, *, alert: bool = False
) -> None:
    """Answer a press: stops the button's spinner; with `text`, shows it as plain text (as
    an alert the user must close, when `alert`)."""
    shown = popup_text(text)
    await query.answer(shown, show_alert=alert and shown is not None)


async def drop_buttons(
    query: CallbackQuery, *, unless: type[TelegramError] = TelegramError
) -> None:
    """Remove the buttons of the pressed message. A failure of kind `unless` (the buttons
    are gone already: a double press, a message too old to edit) is only logged."""
    try:
        await query.edit_message_reply_markup(None)
    except unless as exc:
        log.info("could not remove buttons: %s", type(exc).__name__)
