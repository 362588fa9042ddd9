"""Flood control per user: more than FLOOD_LIMIT messages in FLOOD_WINDOW seconds gets one
polite slow-down reply, then silence until the rate drops. Kept in memory on purpose: it
protects a running process, and a restart forgetting it is harmless. Pure: no Telegram.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from typing import Literal

FLOOD_LIMIT = 20
FLOOD_WINDOW = 60.0

Verdict = Literal["ok", "warn", "drop"]


class FloodControl:
    def __init__(
        self,
        limit: int = FLOOD_LIMIT,
        window: float = FLOOD_WINDOW,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limit = limit
        self.window = window
        self.clock = clock
        self._seen: dict[int, deque[float]] = {}
        self._warned: set[int] = set()
        self._checks = 0

    def check(self, user_id: int) -> Verdict:
        now = self.clock()
        self._checks += 1
        if self._checks % 1000 == 0:
            self.forget_idle()
        seen = self._seen.setdefault(user_id, deque())
        while seen and now - seen[0] >= self.window:
            seen.popleft()
        seen.append(now)
        if len(seen) <= self.limit:
            self._warned.discard(user_id)
            return "ok"
        if user_id in self._warned:
            return "drop"
        self._warned.add(user_id)
        return "warn"

    def forget_idle(self) -> None:
        """Drop users with nothing in the window, so memory follows active users only."""
        now = self.clock()
        for user_id in [u for u, s in self._seen.items() if not s or now - s[-1] >= self.window]:
            del self._seen[user_id]
            self._warned.discard(user_id)
