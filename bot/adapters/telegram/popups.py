"""Button-press answers (answerCallbackQuery): the one way the bot shows a popup, with its
text made plain and short by bot/delivery/popup.py."""

from __future__ import annotations

from telegram import CallbackQuery

from bot.delivery.popup import popup_text


async def answer_popup(
    query: CallbackQuery, text: str | None = None, *, alert: bool = False
) -> None:
    """Answer a press: stops the button's spinner; with `text`, shows it as plain text (as
    an alert the user must close, when `alert`)."""
    shown = popup_text(text)
    await query.answer(shown, show_alert=alert and shown is not None)
