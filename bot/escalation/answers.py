"""The outbox rows of a message a handler sends, and `AnswerOutbox`, which queues them: the
durable path every answer takes once the escalation workflow owns the outbox.

With the workflow plugged in, the adapter's `send_html` (bot/adapters/telegram/replies.py)
hands every message to `AnswerOutbox.queue` instead of calling Telegram itself. The rows are
committed before the handler returns and the outbox worker delivers them in the chat's lane,
with its bounded retries, backoff and final "failed" state; a send that fails or hangs is
retried there, so an answer is never lost because one call failed, and a hung call in one
chat never holds up another chat's answers.

Keys (outbox.ANSWER_KEY_PREFIXES): `u<update id>:<n>` for the n-th message sent while
handling that update, so handling the same update again (after a lock, or a replay at start)
queues nothing twice; a message sent outside an update gets a unique `x…` key. Each part of a
long message is a row of its own, `<key>:<part>`, the keyboard on the last part, where the
reader finishes. Their text is dropped from the outbox as soon as they are delivered or given
up.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from bot.delivery.lanes import CURRENT
from bot.escalation.outbox import Target
from bot.escalation.outbox_worker import StorageCaller
from bot.escalation.records import NewOutbox, TicketStorage


def unique_key() -> str:
    """The key of a message sent outside the handling of an update."""
    return f"x{uuid.uuid4().hex}"


def answer_rows(
    key: str,
    target: Target,
    chat_id: int,
    parts: Sequence[str],
    *,
    keyboard: dict[str, Any] | None,
    reply_to: int | None,
) -> list[NewOutbox]:
    """One sendMessage row per part of the message keyed `key`."""
    rows = []
    for index, part in enumerate(parts):
        payload: dict[str, Any] = {"text": part}
        if index == len(parts) - 1 and keyboard:
            payload["reply_markup"] = keyboard
        if reply_to:
            payload["reply_to_message_id"] = reply_to
        rows.append(NewOutbox(f"{key}:{index + 1}", target, chat_id, "sendMessage", payload))
    return rows


class AnswerOutbox:
    """Queues a handler's message as outbox rows, keyed by the update being handled
    (bot.delivery.lanes.CURRENT), and wakes the worker."""

    def __init__(
        self,
        storage: TicketStorage,
        db: StorageCaller,
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
        """The message's rows, committed; then the worker is woken."""
        handling = CURRENT.get()
        key = handling.next_key() if handling is not None else unique_key()
        target: Target = "staff" if self.is_staff_chat(chat_id) else "user"
        rows = answer_rows(key, target, chat_id, parts, keyboard=keyboard, reply_to=reply_to)
        await self.db(self.storage.enqueue, rows, ticket_id=None, now=self.clock())
        self.kick()
