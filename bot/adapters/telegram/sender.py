"""The outbox's Telegram transport: an outbox row becomes a ptb call, ptb's errors become the
worker's judgements. Scheduling, retries and recording are `bot/escalation/outbox_worker.py`.

Error mapping (ptb's exceptions → `bot.escalation.outbox.Failure`):
  RetryAfter → rate_limited (retry_after honoured); NetworkError/TimedOut (ptb raises 5xx as
  NetworkError too) → network; Forbidden → blocked; BadRequest "chat not found" →
  chat_not_found; ChatMigrated → follow the new staff chat id and retry; other BadRequest →
  bad_request; a plain TelegramError (ptb's "Invalid server response") → server. Any other
  exception, before or after the request (a malformed payload, an unknown method, an answer
  that is not a message) → internal. "message is not modified" and "message to edit/delete
  not found" mean there is nothing left to do: the row counts as sent.
"""

from __future__ import annotations

import base64

from telegram import Bot, InlineKeyboardMarkup, Message, ReplyParameters
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
)

from bot.adapters.telegram.retry import retry_seconds
from bot.escalation.outbox import Failure, OutboxRow
from bot.escalation.outbox_worker import Done, Failed, Judgement, Moved, SentId

METHODS = ("sendMessage", "sendPhoto", "sendDocument", "editMessageText", "deleteMessage")
_DONE_ALREADY = ("message is not modified", "message to edit not found",
                 "message to delete not found", "message can't be deleted")


def classify(exc: Exception) -> tuple[Failure, float | None]:
    if isinstance(exc, RetryAfter):
        return "rate_limited", retry_seconds(exc)
    if isinstance(exc, Forbidden):
        return "blocked", None
    if isinstance(exc, BadRequest):
        not_found = "chat not found" in exc.message.lower()
        return ("chat_not_found" if not_found else "bad_request"), None
    if isinstance(exc, NetworkError):
        return "network", None
    if type(exc) is TelegramError:  # "Invalid server response": Telegram's side, or the way
        return "server", None
    if isinstance(exc, TelegramError):
        return "bad_request", None
    return "internal", None


class TelegramTransport:
    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    def judge(self, exc: Exception) -> Judgement:
        if isinstance(exc, ChatMigrated):
            return Moved(int(exc.new_chat_id))
        if isinstance(exc, BadRequest) and any(
            text in exc.message.lower() for text in _DONE_ALREADY
        ):
            return Done()
        failure, retry_after = classify(exc)
        detail = exc.message if isinstance(exc, TelegramError) else None
        return Failed(failure, retry_after, detail)

    async def send(self, row: OutboxRow, sent_id: SentId) -> int | None:
        if row.method not in METHODS:
            raise ValueError(f"unknown outbox method {row.method!r}")
        payload = row.payload
        markup = payload.get("reply_markup")
        keyboard = InlineKeyboardMarkup.de_json(markup, self.bot) if markup else None
        if row.method == "sendMessage":
            reply_to = payload.get("reply_to_message_id") or await sent_id(
                payload.get("reply_to_key"), row.chat_id
            )
            # One row is one message: long texts were split into rows when queued, so a
            # retry never repeats a part that already went out.
            sent: Message = await self.bot.send_message(
                row.chat_id,
                payload["text"],
                parse_mode=ParseMode.HTML,
                reply_markup=keyboard,
                reply_parameters=(
                    ReplyParameters(reply_to, allow_sending_without_reply=True)
                    if reply_to
                    else None
                ),
                disable_web_page_preview=True,
            )
            return sent.message_id
        if row.method in ("sendPhoto", "sendDocument"):
            return await self._send_file(row)
        target = payload.get("message_id") or await sent_id(
            payload.get("message_key"), row.chat_id
        )
        if target is None:
            return None  # the message it refers to was never sent: nothing to change
        if row.method == "editMessageText":
            await self.bot.edit_message_text(
                payload["text"],
                chat_id=row.chat_id,
                message_id=target,
                parse_mode=ParseMode.HTML,
                reply_markup=keyboard,
                disable_web_page_preview=True,
            )
            return target
        await self.bot.delete_message(row.chat_id, target)  # deleteMessage
        return target

    async def _send_file(self, row: OutboxRow) -> int:
        """A photo or document (the weekly report): the file travels in the row as base64,
        so a retry after a restart sends the same bytes."""
        payload = row.payload
        data = base64.b64decode(payload["file"])
        send = self.bot.send_photo if row.method == "sendPhoto" else self.bot.send_document
        sent: Message = await send(
            row.chat_id, data, caption=payload.get("caption"), parse_mode=ParseMode.HTML,
            filename=payload.get("filename"),
        )
        return sent.message_id
