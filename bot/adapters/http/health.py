"""Liveness and readiness, without HTTP.

Ready means: the database answers, the knowledge base is loaded, and a Bot API request
succeeded within the last minute. In webhook mode nothing else calls Telegram regularly, so
`Health.probe_forever` calls getMe when no request has succeeded for `probe_every`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.clock import utc_now

log = logging.getLogger(__name__)
API_WINDOW = timedelta(minutes=1)


@dataclass(frozen=True)
class Readiness:
    database: bool
    knowledge_base: bool
    bot_api: bool

    @property
    def ready(self) -> bool:
        return self.database and self.knowledge_base and self.bot_api

    def as_dict(self) -> dict[str, bool]:
        return {
            "ready": self.ready, "database": self.database,
            "knowledge_base": self.knowledge_base, "bot_api": self.bot_api,
        }


class Health:
    def __init__(
        self,
        storage: Any,
        kb: Any,
        *,
        clock: Callable[[], datetime] = utc_now,
        api_window: timedelta = API_WINDOW,
    ) -> None:
        self.storage = storage
        self.kb = kb
        self.clock = clock
        self.api_window = api_window
        self.last_api_success: datetime | None = None

    def api_succeeded(self) -> None:
        self.last_api_success = self.clock()

    def readiness(self) -> Readiness:
        return Readiness(
            database=self._database_answers(),
            knowledge_base=self.kb is not None and bool(self.kb.entries),
            bot_api=self.last_api_success is not None
            and self.clock() - self.last_api_success <= self.api_window,
        )

    def _database_answers(self) -> bool:
        try:
            self.storage.get_value("readyz")
        except Exception:  # any driver error means "not reachable"; the reason is logged
            log.warning("readiness: the database did not answer", exc_info=True)
            return False
        return True

    async def probe_forever(
        self, get_me: Callable[[], Awaitable[object]], probe_every: timedelta
    ) -> None:
        """Call getMe whenever no Bot API request succeeded for `probe_every`."""
        while True:
            last = self.last_api_success
            if last is None or self.clock() - last >= probe_every:
                try:
                    await get_me()  # the observer records the success
                except Exception as exc:  # counted by the observer; readiness shows it
                    log.warning("readiness: Bot API probe failed: %s", type(exc).__name__)
            await asyncio.sleep(probe_every.total_seconds())
