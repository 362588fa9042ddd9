"""SQL for per-chat preferences (a mixin of both storages; it only needs `self._db`)."""

from __future__ import annotations

import sqlite3
from datetime import date

from bot.core.model import Language


class ChatPrefsSQL:
    _db: sqlite3.Connection

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
