"""Telegram's own limits and transient failures, handled below the handlers.

`AIORateLimiter` already waits `retry_after` on a 429 and retries. It does not retry a
timeout or a 5xx, which ptb raises as TimedOut / NetworkError, so the user would lose the
reply to a one-off network hiccup. This subclass retries those a few times with a short
backoff. The cost is "at least once": a sendMessage that timed out after Telegram accepted
it is sent again; a duplicate answer is better than none. getUpdates is left to the Updater,
which has its own retry loop; BadRequest (also a NetworkError subclass) is never retried.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any, Protocol

from telegram.error import BadRequest, NetworkError
from telegram.ext import AIORateLimiter

log = logging.getLogger(__name__)

JSON = bool | dict[str, Any] | list[dict[str, Any]]


class ApiObserver(Protocol):
    """Told about every Bot API attempt (bot.adapters.http: metrics and readiness)."""

    def api_succeeded(self, endpoint: str) -> None: ...

    def api_failed(self, endpoint: str, error: BaseException) -> None: ...


class RetryingRateLimiter(AIORateLimiter):
    def __init__(
        self,
        *,
        max_retries: int = 3,
        network_retries: int = 2,
        backoff: float = 0.25,
        overall_max_rate: float = 30,
    ) -> None:
        super().__init__(max_retries=max_retries, overall_max_rate=overall_max_rate)
        self.network_retries = network_retries
        self.backoff = backoff
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
            callback = _observed(callback, endpoint, self.observer)
        attempt = 0
        while True:
            try:
                return await super().process_request(
                    callback, args, kwargs, endpoint, data, rate_limit_args
                )
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
