"""The durable inbox: every update is in the database before any handler sees it.

Telegram's long polling confirms a batch of updates (the next getUpdates offset) as soon as
the adapter has queued them, before they are handled; a crash in between would lose them. So
the adapter's update queue (`bot/adapters/telegram/inbox.py`) writes each update here first
(`record`, one local commit), the update is marked `handled` once its last handler returned,
and at start `replay` queues every update that was written but never marked handled.

What this guarantees: every update Telegram delivered is handled at least once. A batch is
confirmed only on the *next* getUpdates call, after every update of the batch was recorded;
if the process dies before an update's commit, that update was never confirmed and Telegram
delivers it again. The remaining cost is on the other side: an update whose handling
finished but whose "handled" mark was not yet written (a crash in that instant) is handled
again at start. Ticket actions are idempotent (source keys, outbox keys) and so are answers
(their outbox key names the update), so that replays as a no-op. An update seen twice (a
redelivery, or a replay that Telegram also redelivers) is dropped by its update id.

Every write goes through the `db` it is given (the adapter's `StorageCalls`: off the event
loop's thread, a database lock waited out and logged, never raised into the task that fetches
updates, which would end it and leave the bot deaf).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from bot.escalation.outbox_worker import StorageCaller
from bot.escalation.records import TicketStorage

log = logging.getLogger(__name__)
U = TypeVar("U")


class Inbox:
    """The inbox's bookkeeping, for updates as their id, their chat and their raw JSON."""

    def __init__(
        self, storage: TicketStorage, clock: Callable[[], datetime], db: StorageCaller
    ) -> None:
        self.storage = storage
        self.clock = clock
        self.db = db

    async def record(self, update_id: int, chat_id: int | None, raw: str) -> bool:
        """Write an update before it is handled; False (it is dropped) if it was seen before."""
        is_new = await self.db(
            self.storage.inbox_record, update_id, chat_id, raw, now=self.clock()
        )
        if not is_new:
            log.info("update %s seen before: dropped", update_id)
        return is_new

    async def handled(self, update_id: int) -> None:
        await self.db(self.storage.inbox_done, update_id, now=self.clock())

    async def replay(self, decode: Callable[[str], U | None], put: Callable[[U], None]) -> int:
        """`put` every update written before a crash but never handled (without recording it
        again: it is in the inbox already); returns how many. An update `decode` cannot read
        back (None) is skipped."""
        count = 0
        for _update_id, raw in await self.db(self.storage.inbox_unhandled):
            update = decode(raw)
            if update is None:
                continue
            put(update)
            count += 1
        if count:
            log.info("replaying %d update(s) not handled before the last stop", count)
        return count
