"""The outbox rows of a message a handler sends (the Telegram adapter's answers.py queues
them): the durable path every answer takes once the escalation workflow owns the outbox.

Keys (outbox.ANSWER_KEY_PREFIXES): `u<update id>:<n>` for the n-th message sent while
handling that update, so handling the same update again (after a lock, or a replay at start)
queues nothing twice; a message sent outside an update gets a unique `x…` key. Each part of a
long message is a row of its own, `<key>:<part>`, the keyboard on the last part, where the
reader finishes. Their text is dropped from the outbox as soon as they are delivered or given
up.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from bot.escalation.outbox import Target
from bot.escalation.records import NewOutbox


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
