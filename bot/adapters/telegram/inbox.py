"""The durable inbox: every update is in the database before any handler sees it.

python-telegram-bot's Updater confirms a batch of updates to Telegram (the next getUpdates
offset) as soon as it has put them on the Application's queue, before they are handled. A
crash in between would lose them. `InboxQueue` is that queue: `put` writes the raw update to
the `inbox` table first (one local commit), and the update is marked handled once its last
handler returned. At start, `replay()` queues every update that was written but never marked
handled.

What this guarantees: every update Telegram delivered is handled at least once. ptb confirms
a batch only on its *next* getUpdates call, after every update of the batch went through
`put`; if the process dies before an update's inbox commit, that update was never confirmed
and Telegram delivers it again. The remaining cost is on the other side: an update whose
handling finished but whose "handled" mark was not yet written (a crash in that instant) is
handled again at start. Ticket actions are idempotent (source keys, outbox keys) and so are
answers (their outbox key names the update), so that replays as a no-op. An update seen
twice (a redelivery, or a replay that Telegram also redelivers) is dropped by its update_id.

Both writes go through `StorageCalls`: off the event loop's thread, a database lock waited
out and logged, never raised into ptb's update-fetching task (which would end it and leave
the bot deaf). The "handled" mark is written by the update processor (`ChatLanes.on_handled`
= `handled`) with the update itself, so it is right whatever order chats finish in.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from datetime import datetime

from telegram import Bot, Update

from bot.escalation.records import TicketStorage
from bot.storage.offloop import StorageCalls

log = logging.getLogger(__name__)


class InboxQueue(asyncio.Queue[object]):
    def __init__(
        self,
        storage: TicketStorage,
        clock: Callable[[], datetime],
        db: StorageCalls | None = None,
    ) -> None:
        super().__init__()
        self.storage = storage
        self.clock = clock
        self.db = db or StorageCalls(storage)

    async def put(self, item: object) -> None:
        """ptb's Updater (and the webhook) put every update here: written first."""
        if isinstance(item, Update):
            chat = item.effective_chat
            is_new = await self.db(
                self.storage.inbox_record,
                item.update_id, chat.id if chat else None, item.to_json(), now=self.clock(),
            )
            if not is_new:
                log.info("update %s seen before: dropped", item.update_id)
                return
        super().put_nowait(item)

    def put_nowait(self, item: object) -> None:
        if isinstance(item, Update):  # only `put` can write it to the inbox first
            raise TypeError("updates go through `await put(update)`")
        super().put_nowait(item)

    async def handled(self, update: Update) -> None:
        await self.db(self.storage.inbox_done, update.update_id, now=self.clock())

    async def replay(self, bot: Bot) -> int:
        """Queue the updates written before a crash but never handled; returns how many."""
        count = 0
        for _update_id, raw in await self.db(self.storage.inbox_unhandled):
            update = Update.de_json(json.loads(raw), bot)
            if update is None:
                continue
            super().put_nowait(update)  # already in the inbox: skip the record step
            count += 1
        if count:
            log.info("replaying %d update(s) not handled before the last stop", count)
        return count
