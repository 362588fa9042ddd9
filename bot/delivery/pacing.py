"""When a call to a chat may leave: Telegram's flood control and group limit, as asyncio waits.

Telegram's flood control is per chat: a 429 names how long *that* chat must wait
(retry_after), so `FloodPauses` holds back only that chat's calls (calls without a chat, such
as setMyCommands, wait for each other). Its group rule is 20 messages a minute per group:
`GroupWindow` is a sliding window (never more than 20 calls to one group in any 60 s), not a
leaky bucket that lets 40 through in the first minute. Both only wait; `retrying.Pacer` asks
them before every request the ptb rate limiter (`bot/adapters/telegram/retry.py`) makes.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from collections.abc import Mapping
from typing import Any, TypeGuard

Chat = int | str | None  # a chat id, an @channel name, or None: a call without a chat


def chat_of(request: Mapping[str, Any]) -> Chat:
    """The chat a Bot API request goes to, read from its parameters as AIORateLimiter reads
    them (an @name stays a string)."""
    chat = request.get("chat_id")
    if chat is None:
        return None
    try:
        return int(chat)
    except (TypeError, ValueError):
        return str(chat)


def is_group(chat: Chat) -> TypeGuard[int | str]:
    """Groups (negative ids, @names) fall under the group limit; private chats do not."""
    return isinstance(chat, str) or (chat is not None and chat < 0)


class FloodPauses:
    """Until when each chat is under Telegram's flood control (None: calls without a chat)."""

    MARGIN = 0.1  # seconds added to retry_after, as ptb does: clocks differ a little

    def __init__(self) -> None:
        self._until: dict[Chat, float] = {}

    def pause(self, chat: Chat, seconds: float) -> None:
        until = asyncio.get_running_loop().time() + seconds + self.MARGIN
        self._until[chat] = max(until, self._until.get(chat, 0.0))

    async def wait(self, chat: Chat) -> None:
        loop = asyncio.get_running_loop()
        while (until := self._until.get(chat)) is not None:
            left = until - loop.time()
            if left <= 0:
                with contextlib.suppress(KeyError):
                    del self._until[chat]
                return
            await asyncio.sleep(left)


class GroupWindow:
    """At most `limit` calls to one group in any `period` seconds (a group's calls wait here,
    nobody else's). Counted from when each call left, with `MARGIN` to spare: Telegram counts
    them when they arrive, a little later."""

    MARGIN = 0.5  # seconds

    def __init__(self, limit: int = 20, period: float = 60.0) -> None:
        self.limit = limit
        self.period = period + self.MARGIN
        self._sent: dict[int | str, deque[float]] = {}

    async def wait(self, chat: int | str) -> None:
        loop = asyncio.get_running_loop()
        sent = self._sent.setdefault(chat, deque())
        while True:
            now = loop.time()
            while sent and sent[0] <= now - self.period:
                sent.popleft()
            if len(sent) < self.limit:
                sent.append(now)  # no await since the check: two callers cannot both pass
                return
            await asyncio.sleep(sent[0] + self.period - now)
