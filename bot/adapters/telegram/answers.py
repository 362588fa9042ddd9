"""Answers through the durable outbox: what a handler sends is a row first, then a message.

With the escalation workflow plugged in (it owns the outbox and its sender), `send_html`
(replies.py) hands every message here instead of calling Telegram itself. The rows
(bot/escalation/answers.py: one per part, keyed by the update being handled,
bot.delivery.lanes.CURRENT) are committed before the handler returns and the sender delivers
them in the chat's lane, with its bounded retries, backoff and final "failed" state; a send
that fails or hangs is retried there, so an answer is never lost because one call failed, and
a hung call in one chat never holds up another chat's answers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from bot.delivery.lanes import CURRENT
from bot.escalation.answers import answer_rows, unique_key
from bot.escalation.outbox import Target
from bot.escalation.records import TicketStorage
from bot.storage.offloop import StorageCalls


class AnswerOutbox:
    def __init__(
        self,
        storage: TicketStorage,
        db: StorageCalls,
        *,
        clock: Callable[[], datetime],
        kick: Callable[[], None],
        is_staff_chat: Callable[[int], bool],
    ) -> None:
        self.storage = storage
        self.db = db
        self.clock = clock
        self.kick = kick
        self.is_staff_chat = is_staff_chat

    async def queue(
        self,
        chat_id: int,
        parts: Sequence[str],
        *,
        keyboard: dict[str, Any] | None,
        reply_to: int | None,
    ) -> None:
        """The message's rows, committed; then the sender is woken."""
        handling = CURRENT.get()
        key = handling.next_key() if handling is not None else unique_key()
        target: Target = "staff" if self.is_staff_chat(chat_id) else "user"
        rows = answer_rows(key, target, chat_id, parts, keyboard=keyboard, reply_to=reply_to)
        await self.db(self.storage.enqueue, rows, ticket_id=None, now=self.clock())
        self.kick()
