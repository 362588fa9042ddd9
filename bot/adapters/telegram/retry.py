"""Telegram's own limits and transient failures, handled below the handlers: the ptb glue
that applies `bot/delivery/retrying.py` (and its waits in `pacing.py`) to every request.

`AIORateLimiter` keeps the bot within 30 messages a second overall. Its group limit is a
leaky bucket that lets 20 messages through at once and then one every 3 s, up to 40 in the
first minute; Telegram's rule is 20 a minute per group, so groups get the sliding window of
`pacing.GroupWindow` instead. On a 429 AIORateLimiter would pause *every* request for
retry_after; this subclass leaves out its retry loop and pauses only the chat that got the
429 (`retrying.Pacer`).

Here ptb's exceptions are read: RetryAfter is flood control; a timeout or a 5xx (ptb raises
them as TimedOut / NetworkError) is transient; BadRequest (also a NetworkError subclass) is
never retried. getUpdates is left to the Updater, which has its own retry loop.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Any

from telegram.error import BadRequest, NetworkError, RetryAfter
from telegram.ext import AIORateLimiter
from telegram.warnings import PTBDeprecationWarning

from bot.delivery.pacing import GroupWindow, chat_of, is_group
from bot.delivery.retrying import TRANSIENT, ApiObserver, Flood, Pacer, Verdict, observed

JSON = bool | dict[str, Any] | list[dict[str, Any]]


def retry_seconds(exc: RetryAfter) -> float:
    with warnings.catch_warnings():
        # ptb 22 moves retry_after from int to timedelta and warns on access; either is fine.
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value: Any = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def judge(exc: Exception) -> Verdict:
    if isinstance(exc, RetryAfter):
        return Flood(retry_seconds(exc))
    if isinstance(exc, NetworkError) and not isinstance(exc, BadRequest):
        return TRANSIENT
    return None


class RetryingRateLimiter(AIORateLimiter):
    def __init__(
        self,
        *,
        max_retries: int = 3,
        network_retries: int = 2,
        backoff: float = 0.25,
        overall_max_rate: float = 30,
        group_window: GroupWindow | None = None,
    ) -> None:
        # group_max_rate=0: groups are limited by the sliding window instead.
        super().__init__(
            max_retries=max_retries, overall_max_rate=overall_max_rate, group_max_rate=0
        )
        self.pacer = Pacer(backoff=backoff, group_window=group_window)
        self.flood_retries = max_retries
        self.network_retries = network_retries
        self.observer: ApiObserver | None = None

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, JSON]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> JSON:
        if self.observer is not None:
            callback = observed(callback, endpoint, self.observer)
        chat = chat_of(data)

        async def attempt() -> JSON:
            # AIORateLimiter's rate limits, without its retry loop (it pauses everyone).
            return await self._run_request(
                chat=chat is not None,
                group=chat if is_group(chat) else False,
                allow_paid_broadcast=bool(data.get("allow_paid_broadcast", False)),
                callback=callback,
                args=args,
                kwargs=kwargs,
            )

        return await self.pacer.call(
            attempt, chat, judge, what=endpoint,
            flood_retries=self.flood_retries if rate_limit_args is None else rate_limit_args,
            network_retries=0 if endpoint == "getUpdates" else self.network_retries,
        )
