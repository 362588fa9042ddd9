"""The durable inbox: every update is in the database before any handler sees it.

python-telegram-bot's Updater confirms a batch of updates to Telegram (the next getUpdates
offset) as soon as it has put them on the Application's queue, before they are handled. A
crash in between would lose them. `InboxQueue` is that queue: `put` writes the raw update to
the `inbox` table first (one local commit), and the update is marked handled when ptb calls
`task_done()` after the last handler returned. At start, `replay()` queues every update that
was written but never marked handled.

What this guarantees: every update Telegram delivered is handled at least once. ptb confirms
a batch only on its *next* getUpdates call, after every update of the batch went through
`put`; if the process dies before an update's inbox commit, that update was never confirmed
and Telegram delivers it again. The remaining cost is on the other side: an update whose
handling finished but whose "handled" mark was not yet written (a crash in that instant) is
handled again at start. Ticket actions are idempotent (source keys, outbox keys), so that
replays as a no-op; a plain question would be answered twice. An update seen twice (a
redelivery, or a replay that Telegram also redelivers) is dropped by its update_id.

Needs ptb's default sequential processing (concurrent_updates = 1): then `task_done()` calls
come in queue order, which is how they are matched to update ids.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections import deque
from collections.abc import Callable
from datetime import datetime

from telegram import Bot, Update

from bot.escalation.records import TicketStorage

log = logging.getLogger(__name__)


class InboxQueue(asyncio.Queue[object]):
    def __init__(self, storage: TicketStorage, clock: Callable[[], datetime]) -> None:
        super().__init__()
        self.storage = storage
        self.clock = clock
        self._taken: deque[int | None] = deque()  # update ids handed to ptb, oldest first

    def put_nowait(self, item: object) -> None:
        # asyncio.Queue.put() ends in put_nowait(), so both paths are covered here.
        if isinstance(item, Update):
            chat = item.effective_chat
            is_new = self.storage.inbox_record(
                item.update_id, chat.id if chat else None, item.to_json(), now=self.clock()
            )
            if not is_new:
                log.info("update %s seen before: dropped", item.update_id)
                return
        super().put_nowait(item)

    def get_nowait(self) -> object:
        item = super().get_nowait()  # asyncio.Queue.get() ends here too
        self._taken.append(item.update_id if isinstance(item, Update) else None)
        return item

    def task_done(self) -> None:
        super().task_done()
        update_id = self._taken.popleft() if self._taken else None
        if update_id is not None:
            self.storage.inbox_done(update_id, now=self.clock())

    def replay(self, bot: Bot) -> int:
        """Queue the updates written before a crash but never handled; returns how many."""
        count = 0
        for _update_id, raw in self.storage.inbox_unhandled():
            update = Update.de_json(json.loads(raw), bot)
            if update is None:
                continue
            super().put_nowait(update)  # already in the inbox: skip the record step
            count += 1
        if count:
            log.info("replaying %d update(s) not handled before the last stop", count)
        return count
