"""Storage calls made from async code run off the event loop's thread, and wait out locks.

`StorageCalls(storage)` is awaited as `await db(storage.method, *args)` (or with any function
that calls storage methods, such as a desk use case). The call runs in the storage's own
thread when it has one (`SQLiteStorage.submit`: its connection lives in one thread) or in a
worker thread (PostgreSQL), so the event loop keeps serving other chats while a statement
waits for a lock. A lock error ("database is locked", a PostgreSQL lock timeout) is not
raised: the call is retried with a growing wait, logged once when it starts waiting and then
every `LOG_EVERY` seconds, and logged again when it got through. Every other exception is
raised as it is.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")
LOG_EVERY = 5.0  # seconds between "still waiting" lines
_LOCK_TEXTS = ("database is locked", "database table is locked", "database is busy")
# psycopg's names for "someone else holds the lock"; matched by name so SQLite users never
# import psycopg.
_LOCK_CLASSES = {"LockNotAvailable", "DeadlockDetected", "SerializationFailure"}


def is_lock_error(exc: BaseException) -> bool:
    """True when `exc` means another connection holds a lock: worth waiting and retrying."""
    if isinstance(exc, sqlite3.OperationalError):
        return any(text in str(exc).lower() for text in _LOCK_TEXTS)
    return any(klass.__name__ in _LOCK_CLASSES for klass in type(exc).__mro__)


class StorageCalls:
    def __init__(
        self, storage: Any, *, first_wait: float = 0.05, max_wait: float = 1.0
    ) -> None:
        self.storage = storage
        self.first_wait = first_wait
        self.max_wait = max_wait

    async def __call__(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        wait, waited, logged_at = self.first_wait, 0.0, -LOG_EVERY
        while True:
            try:
                result = await self._in_thread(fn, *args, **kwargs)
            except Exception as exc:
                if not is_lock_error(exc):
                    raise
                if waited - logged_at >= LOG_EVERY:
                    log.warning(
                        "database locked by another connection: %s waits (%.1f s so far)",
                        _name(fn), waited,
                    )
                    logged_at = waited
                await asyncio.sleep(wait)
                waited += wait
                wait = min(wait * 2, self.max_wait)
                continue
            if waited:
                log.warning("database lock released: %s went through after %.1f s",
                            _name(fn), waited)
            return result

    async def _in_thread(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        submit: Callable[..., Future[T]] | None = getattr(self.storage, "submit", None)
        if submit is not None:
            return await asyncio.wrap_future(submit(fn, *args, **kwargs))
        return await asyncio.to_thread(fn, *args, **kwargs)


def _name(fn: Callable[..., Any]) -> str:
    return getattr(fn, "__qualname__", None) or type(fn).__name__
