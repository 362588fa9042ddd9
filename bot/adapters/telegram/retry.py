"""Telegram's own limits and transient failures, handled below the handlers.

`AIORateLimiter` keeps the bot within 30 messages a second overall. Its group limit is a
leaky bucket that lets 20 messages through at once and then one every 3 s, up to 40 in the
first minute; Telegram's rule is 20 a minute per group, so groups get a sliding window here
instead (`GroupWindow`: never more than 20 calls to one group in any 60 s). On a 429
AIORateLimiter would pause *every* request for retry_after; Telegram's flood control is per
chat, so this subclass pauses only the chat that got the 429 (`FloodPauses`: calls without a
chat, such as setMyCommands, pause each other) and retries after retry_after, so one chat's
flood control never delays another chat. No call to a chat leaves before that chat's
retry_after has passed, whoever makes it. Both waits are pure policy (bot/delivery/pacing.py);
this module is the ptb glue that applies them.

It also retries a timeout or a 5xx (ptb raises them as TimedOut / NetworkError) a few times
with a short backoff. The cost is "at least once": a sendMessage that timed out after
Telegram accepted it is sent again; a duplicate answer is better than none. getUpdates is
left to the Updater, which has its own retry loop; BadRequest (also a NetworkError subclass)
is never retried. What still fails goes back to the outbox (bot/adapters/telegram/sender.py),
which retries with its own, longer backoff.
"""

from __future__ import annotations

import asyncio
import logging
import warnings
from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Any, Protocol

from telegram.error import BadRequest, NetworkError, RetryAfter
from telegram.ext import AIORateLimiter
from telegram.warnings import PTBDeprecationWarning

from bot.delivery.pacing import FloodPauses, GroupWindow, chat_of, is_group

log = logging.getLogger(__name__)

JSON = bool | dict[str, Any] | list[dict[str, Any]]


class ApiObserver(Protocol):
    """Told about every Bot API attempt (bot.adapters.http: metrics and readiness)."""

    def api_succeeded(self, endpoint: str) -> None: ...

    def api_failed(self, endpoint: str, error: BaseException) -> None: ...


def retry_seconds(exc: RetryAfter) -> float:
    with warnings.catch_warnings():
        # ptb 22 moves retry_after from int to timedelta and warns on access; either is fine.
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value: Any = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


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
        # group_max_rate=0: groups are limited by the sliding window below instead.
        super().__init__(
            max_retries=max_retries, overall_max_rate=overall_max_rate, group_max_rate=0
        )
        self.groups = group_window or GroupWindow()
        self.flood_retries = max_retries
        self.network_retries = network_retries
        self.backoff = backoff
        self.observer: ApiObserver | None = None
        self.flood = FloodPauses()

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
            callback = _observed(callback, endpoint, self.observer)
        chat = chat_of(data)
        flood_retries = self.flood_retries if rate_limit_args is None else rate_limit_args
        attempt = floods = 0
        while True:
            await self.flood.wait(chat)
            if is_group(chat):
                await self.groups.wait(chat)
            try:
                # AIORateLimiter's rate limits, without its retry loop (it pauses everyone).
                return await self._run_request(
                    chat=chat is not None,
                    group=chat if is_group(chat) else False,
                    allow_paid_broadcast=bool(data.get("allow_paid_broadcast", False)),
                    callback=callback,
                    args=args,
                    kwargs=kwargs,
                )
            except RetryAfter as exc:
                self.flood.pause(chat, retry_seconds(exc))
                if floods >= flood_retries:
                    raise
                floods += 1
                log.info("%s: flood control, this chat waits %.1f s", endpoint,
                         retry_seconds(exc))
            except BadRequest:
                raise
            except NetworkError as exc:
                if endpoint == "getUpdates" or attempt >= self.network_retries:
                    raise
                attempt += 1
                log.warning(
                    "%s failed (%s), retry %d of %d",
                    endpoint, type(exc).__name__, attempt, self.network_retries,
                )
                await asyncio.sleep(self.backoff * attempt)


def _observed(
    callback: Callable[..., Coroutine[Any, Any, JSON]], endpoint: str, observer: ApiObserver
) -> Callable[..., Coroutine[Any, Any, JSON]]:
    """The same request, reporting each attempt (429 waits included) to the observer."""

    async def call(*args: Any, **kwargs: Any) -> JSON:
        try:
            result = await callback(*args, **kwargs)
        except Exception as exc:
            observer.api_failed(endpoint, exc)
            raise
        observer.api_succeeded(endpoint)
        return result

    return call
