"""Remembering which answer a chat was given, so a later correction can reach it.

Only what bot/escalation/corrections.py needs: the chat, the entry, the entry's revision and
the day. Private chats only: corrections go to the people who asked, never to a group.
"""

from __future__ import annotations

from bot.adapters.telegram.context import BotContext
from bot.core.model import Reply


def remember_answer(context: BotContext, chat_id: int, reply: Reply) -> None:
    """Record an answer that was just delivered (a no-op for anything but an entry answer)."""
    if reply.action != "answer" or not reply.entry_id or not reply.revision or chat_id <= 0:
        return
    services = context.services
    services.storage.record_answer(
        chat_id, reply.entry_id, reply.revision, today=services.today()
    )
