"""The outbox worker: delivers pending outbox rows and records what Telegram answered.

It runs as one task next to the Application. Each loop it reads the pending rows, sends those
that are due (in order per ticket and chat, see `bot.escalation.outbox.due`), marks each one
sent the moment Telegram confirms it, and otherwise asks the pure `RetryPolicy` what the error
means. It sleeps until the next row is due or until `kick()` (called right after a new row is
committed), so a relay goes out at once in normal operation and after a restart all the same.

Error mapping (ptb's exceptions → `bot.escalation.outbox.Failure`):
  RetryAfter → rate_limited (retry_after honoured); NetworkError/TimedOut (ptb raises 5xx as
  NetworkError too) → network; Forbidden → blocked; BadRequest "chat not found" →
  chat_not_found; ChatMigrated → follow the new staff chat id and retry; other BadRequest →
  bad_request. "message is not modified" and "message to edit/delete not found" mean there is
  nothing left to do: the row counts as sent.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import logging
import warnings
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

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
from telegram.warnings import PTBDeprecationWarning

from bot.escalation.outbox import Failure, OutboxRow, RetryPolicy, due, next_wakeup
from bot.escalation.records import TicketStorage

log = logging.getLogger(__name__)
RECHECK = timedelta(seconds=30)

# Called after a row ends as blocked or failed (the ticket is marked, staff are told), and
# when the staff group moved to a supergroup.
OnGiveUp = Callable[[OutboxRow, str], Awaitable[None]]
OnMigrated = Callable[[int, int], Awaitable[None]]
_DONE_ALREADY = ("message is not modified", "message to edit not found",
                 "message to delete not found", "message can't be deleted")


class WaitForEarlier(Exception):
    """The row replies to or edits a message that has not been sent yet."""


def retry_seconds(exc: RetryAfter) -> float:
    with warnings.catch_warnings():
        # ptb 22 moves retry_after from int to timedelta and warns on access; either is fine.
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value: Any = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def classify(exc: TelegramError) -> tuple[Failure, float | None]:
    if isinstance(exc, RetryAfter):
        return "rate_limited", retry_seconds(exc)
    if isinstance(exc, Forbidden):
        return "blocked", None
    if isinstance(exc, BadRequest):
        not_found = "chat not found" in exc.message.lower()
        return ("chat_not_found" if not_found else "bad_request"), None
    if isinstance(exc, NetworkError):
        return "network", None
    return "bad_request", None


class Sender:
    def __init__(
        self,
        bot: Bot,
        storage: TicketStorage,
        *,
        clock: Callable[[], datetime],
        policy: RetryPolicy | None = None,
        on_give_up: OnGiveUp | None = None,
        on_migrated: OnMigrated | None = None,
        recheck: timedelta = RECHECK,
    ) -> None:
        self.bot = bot
        self.recheck = recheck
        self.storage = storage
        self.clock = clock
        self.policy = policy or RetryPolicy()
        self.on_give_up = on_give_up
        self.on_migrated = on_migrated
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    # ---------------------------------------------------------------- lifecycle
    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="outbox-sender")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    def kick(self) -> None:
        """New rows were committed: look at the outbox now rather than at the next wakeup."""
        self._wake.set()

    async def _run(self) -> None:
        while True:
            self._wake.clear()
            try:
                await self.flush()
            except Exception:  # never let one bad row stop every delivery
                log.exception("outbox pass failed")
            rows = self.storage.pending_outbox()
            wakeup = next_wakeup(rows, self.clock())
            # Look again at least every `recheck`: on a shared PostgreSQL, rows leased by a
            # replica that died become ours only when its lease expires, and nothing kicks us.
            timeout = self.recheck.total_seconds()
            if wakeup is not None:
                timeout = min(timeout, (wakeup - self.clock()).total_seconds())
            if timeout is not None and timeout <= 0:
                continue
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout)

    async def flush(self) -> int:
        """Send every row that is due now; returns how many went out."""
        sent = 0
        while True:
            batch = due(self.storage.pending_outbox(), self.clock())
            progress = False
            for row in batch:
                if await self.deliver(row):
                    sent += 1
                    progress = True
            if not progress:
                return sent

    # ---------------------------------------------------------------- one row
    async def deliver(self, row: OutboxRow) -> bool:
        """Try one row; True when it is done (sent, or nothing left to do)."""
        if not self.storage.claim_outbox(row.id):
            return False  # sent meanwhile, or another replica took it over: theirs now
        try:
            message_id = await self._call(row)
        except WaitForEarlier:
            return False
        except ChatMigrated as exc:
            await self._migrated(row, int(exc.new_chat_id))
            return False
        except BadRequest as exc:
            if any(text in exc.message.lower() for text in _DONE_ALREADY):
                self.storage.mark_sent(row.id, None, now=self.clock())
                return True
            return await self._failed(row, exc)
        except TelegramError as exc:
            return await self._failed(row, exc)
        self.storage.mark_sent(row.id, message_id, now=self.clock())
        return True

    async def _failed(self, row: OutboxRow, exc: TelegramError) -> bool:
        failure, retry_after = classify(exc)
        outcome = self.policy.after_failure(row, failure, self.clock(), retry_after)
        # Only the exception's type and Telegram's short description: never the message text.
        log.warning(
            "outbox row %s (%s to %s) failed: %s; now %s",
            row.id, row.method, row.target, type(exc).__name__, outcome.status,
        )
        self.storage.mark_attempt(row.id, outcome, f"{type(exc).__name__}: {exc.message}")
        if outcome.status in ("blocked", "failed") and self.on_give_up is not None:
            await self.on_give_up(row, outcome.status)
        return False

    async def _migrated(self, row: OutboxRow, new_chat_id: int) -> None:
        if row.target == "staff" and self.on_migrated is not None:
            await self.on_migrated(row.chat_id, new_chat_id)
        else:
            self.storage.retarget_staff_chat(row.chat_id, new_chat_id)

    def _message_id(self, key: str | None, chat_id: int) -> int | None:
        """The message id of the row `key` once sent; None if it never will be, or if it went
        to another chat (the staff group moved): message ids are only valid per chat."""
        if key is None:
            return None
        earlier = self.storage.outbox_row(key)
        if earlier is None or earlier.status == "cancelled" or earlier.chat_id != chat_id:
            return None
        if earlier.status == "pending":
            raise WaitForEarlier(key)
        return earlier.sent_message_id

    async def _call(self, row: OutboxRow) -> int | None:
        payload = row.payload
        markup = payload.get("reply_markup")
        keyboard = InlineKeyboardMarkup.de_json(markup, self.bot) if markup else None
        if row.method == "sendMessage":
            reply_to = payload.get("reply_to_message_id") or self._message_id(
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
        target = payload.get("message_id") or self._message_id(
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
        if row.method == "deleteMessage":
            await self.bot.delete_message(row.chat_id, target)
            return target
        raise ValueError(f"unknown outbox method {row.method!r}")

    async def _send_file(self, row: OutboxRow) -> int:
        """A photo or document (the weekly report): the file travels in the row as base64,
        so a retry after a restart sends the same bytes."""
        payload = row.payload
        data = base64.b64decode(payload["file"])
        caption = payload.get("caption")
        if row.method == "sendPhoto":
            sent: Message = await self.bot.send_photo(
                row.chat_id, data, caption=caption, parse_mode=ParseMode.HTML,
                filename=payload.get("filename"),
            )
        else:
            sent = await self.bot.send_document(
                row.chat_id, data, caption=caption, parse_mode=ParseMode.HTML,
                filename=payload.get("filename"),
            )
        return sent.message_id
