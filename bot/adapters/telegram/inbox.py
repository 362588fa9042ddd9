"""The durable inbox (bot/escalation/inbox.py, where its guarantee is explained) as ptb's
update queue: ptb's Updater and the webhook `put` every update here, and it is written to the
inbox before it is queued. The "handled" mark is written by the update processor
(`ChatLanes.on_handled` = `handled`) with the update itself, so it is right whatever order
chats finish in.
"""

from __future__ import annotations

import asyncio
import json

from telegram import Bot, Update

from bot.escalation.inbox import Inbox


class InboxQueue(asyncio.Queue[object]):
    def __init__(self, inbox: Inbox) -> None:
        super().__init__()
        self.inbox = inbox

    async def put(self, item: object) -> None:
        if isinstance(item, Update):
            chat = item.effective_chat
            if not await self.inbox.record(
                item.update_id, chat.id if chat else None, item.to_json()
            ):
                return
        super().put_nowait(item)

    def put_nowait(self, item: object) -> None:
        if isinstance(item, Update):  # only `put` can write it to the inbox first
            raise TypeError("updates go through `await put(update)`")
        super().put_nowait(item)

    async def handled(self, update: Update) -> None:
        await self.inbox.handled(update.update_id)

    async def replay(self, bot: Bot) -> int:
        """At start: queue the updates written before a crash but never handled."""
        return await self.inbox.replay(
            lambda raw: Update.de_json(json.loads(raw), bot), super().put_nowait
        )
