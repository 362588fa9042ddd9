"""Answers through the durable outbox: what a handler sends is a row first, then a message.

With the escalation workflow plugged in (it owns the outbox and its sender), `send_html`
(replies.py) hands every message here instead of calling Telegram itself. The rows are
committed before the handler returns and the sender delivers them in the chat's lane, with
its bounded retries, backoff and final "failed" state; a send that fails or hangs is retried
there, so an answer is never lost because one call failed, and a hung call in one chat never
holds up another chat's answers.

Keys (bot.escalation.outbox.ANSWER_KEY_PREFIXES): `u<update id>:<n>` for the n-th message
sent while handling that update (processing.CURRENT), so handling the same update again
(after a lock, or a replay at start) queues nothing twice; messages sent outside an update get
a unique key. Their text is dropped from the outbox as soon as they are delivered or given up.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from bot.adapters.telegram.processing import CURRENT
from bot.escalation.outbox import Target
from bot.escalation.records import NewOutbox, TicketStorage
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
        """One row per part, the keyboard on the last; committed, then the sender is woken."""
        handling = CURRENT.get()
        key = handling.next_key() if handling is not None else f"x{uuid.uuid4().hex}"
        target: Target = "staff" if self.is_staff_chat(chat_id) else "user"
        rows = []
        for index, part in enumerate(parts):
            last = index == len(parts) - 1
            payload: dict[str, Any] = {"text": part}
            if last and keyboard:
                payload["reply_markup"] = keyboard
            if reply_to:
                payload["reply_to_message_id"] = reply_to
            rows.append(NewOutbox(f"{key}:{index + 1}", target, chat_id, "sendMessage", payload))
        await self.db(self.storage.enqueue, rows, ticket_id=None, now=self.clock())
        self.kick()
