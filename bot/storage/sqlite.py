"""SQLite implementation of the Storage Protocol (stdlib sqlite3).

One connection, living in one thread of its own. Every public method runs in that thread:
called from elsewhere it is handed over and the caller waits for the result, so statements
of two callers never interleave inside one transaction. Async code does not wait at all: it
awaits `submit(...)` through `bot.storage.offloop.StorageCalls`, which also retries lock
errors. How long a statement waits for another connection's write lock depends on who
asked:

- async code (`submit`): `ATTEMPT_WAIT`, then StorageCalls sleeps and tries again, so the
  thread is never held for long;
- a plain synchronous caller on a thread that runs an event loop (a handler that has not
  been moved off the loop): no wait at all: the lock error is raised at once and the update
  is retried whole by the update processor (bot/adapters/telegram/processing.py), so the
  loop never blocks on a lock;
- any other caller (the CLI, tests): `SYNC_WAIT`, SQLite's usual busy timeout.

WAL mode lets readers (a `sqlite3` shell, the metrics) read while the bot writes.

Durability: `synchronous = NORMAL` (WAL), except for the inbox write. A commit is in the WAL
file when it returns, so a crash of the bot (kill -9, an exception) loses nothing; only an OS
crash or a power cut can lose the last commits, and WAL recovery keeps a prefix of them, in
order. Syncing the disk on every commit cost 3-6 ms each, seven commits per answered question,
all on the connection's one thread: at 20 questions a second that thread was the bottleneck.
The one commit whose loss an OS crash would make unrecoverable is the inbox write (Telegram
is told on the next fetch that the update arrived, and never sends it again), so
`inbox_record` commits with `synchronous = FULL`, which also syncs every commit before it.
Losing a later commit only repeats work the durable inbox and the outbox already make safe to
repeat: an update not marked handled is replayed, a row not marked sent is sent again.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import sqlite3
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from bot.storage import FeedbackCount
from bot.storage.answers_sql import AnswersSQL
from bot.storage.complaints_sql import ComplaintsSQL
from bot.storage.prefs_sql import ChatPrefsSQL
from bot.storage.queue_sql import QueueSQL
from bot.storage.reporting_sql import ReportingSQL
from bot.storage.schema import MIGRATIONS
from bot.storage.tickets_sql import TicketsSQL

T = TypeVar("T")
C = TypeVar("C", bound=type)
ATTEMPT_WAIT_MS = 100
SYNC_WAIT_MS = 5000
_NOT_ROUTED = {"submit", "close"}  # they manage the thread themselves


def _on_event_loop() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def _in_connection_thread(cls: C) -> C:
    """Route every public method of `cls` (and of its mixins) through `self._call`."""
    for klass in reversed(cls.__mro__[:-1]):
        for name, value in list(vars(klass).items()):
            if name.startswith("_") or name in _NOT_ROUTED or not inspect.isfunction(value):
                continue
            setattr(cls, name, _routed(value))
    return cls


def _routed(method: Callable[..., T]) -> Callable[..., T]:
    @functools.wraps(method)
    def routed(self: Any, *args: Any, **kwargs: Any) -> T:
        result: T = self._call(method, self, *args, **kwargs)
        return result

    return routed


@_in_connection_thread
class SQLiteStorage(
    ChatPrefsSQL, TicketsSQL, QueueSQL, AnswersSQL, ComplaintsSQL, ReportingSQL
):
    """Chat preferences and feedback here; tickets, outbox and inbox, answers given (for
    corrections), complaints and the weekly report's counts in the mixins."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        if str(path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._closed = False
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sqlite")
        self._ident = self._thread.submit(threading.get_ident).result()
        self._db = self._thread.submit(self._connect, str(path)).result()

    def _connect(self, path: str) -> sqlite3.Connection:
        db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        db.execute(f"PRAGMA busy_timeout = {SYNC_WAIT_MS}")
        db.execute("PRAGMA foreign_keys = ON")
        # Erased text must not survive in free pages: set here, whatever the build's default.
        db.execute("PRAGMA secure_delete = ON")
        if path != ":memory:":
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = NORMAL")  # see the module's docstring
        migrate(db)
        return db

    # ---------------------------------------------------------------- the one thread
    def _with_wait(self, wait_ms: int, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        self._db.execute(f"PRAGMA busy_timeout = {wait_ms}")
        try:
            return fn(*args, **kwargs)
        finally:
            self._db.execute(f"PRAGMA busy_timeout = {SYNC_WAIT_MS}")

    def _call(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        if threading.get_ident() == self._ident:
            return fn(*args, **kwargs)  # already in the thread (a method calling another)
        wait = 0 if _on_event_loop() else SYNC_WAIT_MS
        future: Future[T] = self._thread.submit(self._with_wait, wait, fn, *args, **kwargs)
        return future.result()

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        """Run `fn` in the connection's thread; the future's result is fn's (for async code:
        `await asyncio.wrap_future(...)`, which StorageCalls does, retrying lock errors)."""
        return self._thread.submit(self._with_wait, ATTEMPT_WAIT_MS, fn, *args, **kwargs)

    @classmethod
    def from_url(cls, url: str) -> SQLiteStorage:
        if not url.startswith("sqlite:///"):
            raise ValueError(f"unsupported DATABASE_URL {url!r}: only sqlite:/// is supported")
        return cls(url.removeprefix("sqlite:///"))

    @property
    def schema_version(self) -> int:
        return self._call(lambda: int(self._db.execute("PRAGMA user_version").fetchone()[0]))

    def inbox_record(
        self, update_id: int, chat_id: int | None, raw: str, *, now: datetime
    ) -> bool:
        """The durable inbox's write, synced to disk before it returns: once it did, ptb may
        confirm the update to Telegram, which then never sends it again."""
        self._db.execute("PRAGMA synchronous = FULL")
        try:
            return super().inbox_record(update_id, chat_id, raw, now=now)
        finally:
            self._db.execute("PRAGMA synchronous = NORMAL")

    def erase_chat(self, chat_id: int) -> None:
        self._db.execute("DELETE FROM chat_prefs WHERE chat_id = ?", (chat_id,))
        self.erase_answers_of_chat(chat_id)
        self.compact_after_erasure()

    def feedback(self) -> list[FeedbackCount]:
        rows = self._db.execute(
            "SELECT entry_id, SUM(vote = 1), SUM(vote = -1) FROM answer_feedback "
            "GROUP BY entry_id ORDER BY entry_id"
        ).fetchall()
        return [FeedbackCount(entry_id, int(up), int(down)) for entry_id, up, down in rows]

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._thread.submit(self._db.close).result()
        self._thread.shutdown()


def migrate(db: sqlite3.Connection) -> int:
    """Apply the migrations this database has not seen yet; return the new version."""
    version = int(db.execute("PRAGMA user_version").fetchone()[0])
    if version > len(MIGRATIONS):
        raise RuntimeError(
            f"database schema version {version} is newer than this code ({len(MIGRATIONS)}); "
            "refusing to run an older bot on it"
        )
    for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
        # executescript commits first; BEGIN/COMMIT make each step all-or-nothing.
        db.executescript(f"BEGIN;\n{script}\nPRAGMA user_version = {number};\nCOMMIT;")
    return len(MIGRATIONS)
