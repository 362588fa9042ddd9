"""SQLite implementation of the Storage Protocol (stdlib sqlite3).

One connection, used from the event loop's thread: every statement is a short local write,
far below the Telegram round trip, so it does not need a thread pool. WAL mode lets a
`sqlite3` shell read the file while the bot runs.
"""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

from bot.core.model import Language
from bot.storage import FeedbackCount
from bot.storage.answers_sql import AnswersSQL
from bot.storage.complaints_sql import ComplaintsSQL
from bot.storage.queue_sql import QueueSQL
from bot.storage.reporting_sql import ReportingSQL
from bot.storage.schema import MIGRATIONS
from bot.storage.tickets_sql import TicketsSQL


class SQLiteStorage(TicketsSQL, QueueSQL, AnswersSQL, ComplaintsSQL, ReportingSQL):
    """Chat preferences and feedback here; tickets, outbox and inbox, answers given (for
    corrections), complaints and the weekly report's counts in the mixins."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        if str(path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA foreign_keys = ON")
        # Erased text must not survive in free pages: set here, whatever the build's default.
        self._db.execute("PRAGMA secure_delete = ON")
        if str(path) != ":memory:":
            self._db.execute("PRAGMA journal_mode = WAL")
        migrate(self._db)

    @classmethod
    def from_url(cls, url: str) -> SQLiteStorage:
        if not url.startswith("sqlite:///"):
            raise ValueError(f"unsupported DATABASE_URL {url!r}: only sqlite:/// is supported")
        return cls(url.removeprefix("sqlite:///"))

    @property
    def schema_version(self) -> int:
        return int(self._db.execute("PRAGMA user_version").fetchone()[0])

    def chat_language(self, chat_id: int) -> Language | None:
        row = self._db.execute(
            "SELECT language FROM chat_prefs WHERE chat_id = ?", (chat_id,)
        ).fetchone()
        return row[0] if row else None

    def set_chat_language(self, chat_id: int, language: Language, *, today: date) -> None:
        self._db.execute(
            "INSERT INTO chat_prefs (chat_id, language, updated_on) VALUES (?, ?, ?) "
            "ON CONFLICT (chat_id) DO UPDATE SET language = excluded.language, "
            "updated_on = excluded.updated_on",
            (chat_id, language, today.isoformat()),
        )

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
        self._db.close()


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
