"""SQL for corrections: which answers were given to which chat, and who opted out (a mixin of
SQLiteStorage and PostgresStorage, like tickets_sql.py; the rules are in
bot/escalation/corrections.py).

The SQL is written once for both databases: `?` placeholders and INSERT OR IGNORE, which
postgres.PGConnection translates. Patterns go in as parameters (a literal `%` would be read
as a placeholder by psycopg).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import date

from bot.escalation.corrections import KEY_PREFIX, AnswerGiven

_CORRECTION_ROWS = f"{KEY_PREFIX}%"


class AnswersSQL:
    _db: sqlite3.Connection

    def record_answer(self, chat_id: int, entry_id: str, revision: str, *, today: date) -> None:
        # One row per chat, entry, revision and day: asking the same thing ten times in a
        # day is one record.
        self._db.execute(
            "INSERT OR IGNORE INTO answers_given (chat_id, entry_id, revision, day) "
            "VALUES (?, ?, ?, ?)",
            (chat_id, entry_id, revision, today.isoformat()),
        )

    def answers_given(self, entry_ids: Sequence[str], *, since: date) -> list[AnswerGiven]:
        if not entry_ids:
            return []
        marks = ",".join("?" * len(entry_ids))
        rows = self._db.execute(
            f"SELECT chat_id, entry_id, revision, day FROM answers_given "
            f"WHERE entry_id IN ({marks}) AND day >= ? ORDER BY chat_id, day",
            (*entry_ids, since.isoformat()),
        ).fetchall()
        return [AnswerGiven(int(c), str(e), str(r), date.fromisoformat(d)) for c, e, r, d in rows]

    def set_corrections_wanted(self, chat_id: int, wanted: bool, *, today: date) -> None:
        if wanted:
            self._db.execute("DELETE FROM correction_optouts WHERE chat_id = ?", (chat_id,))
            return
        self._db.execute(
            "INSERT OR IGNORE INTO correction_optouts (chat_id, since) VALUES (?, ?)",
            (chat_id, today.isoformat()),
        )
        # Queued before the opt-out but not sent yet: not sent at all.
        self._db.execute(
            "UPDATE outbox SET status = 'cancelled', payload = '{}' WHERE chat_id = ? "
            "AND status = 'pending' AND key LIKE ?",
            (chat_id, _CORRECTION_ROWS),
        )

    def corrections_opted_out(self) -> set[int]:
        rows = self._db.execute("SELECT chat_id FROM correction_optouts").fetchall()
        return {int(r[0]) for r in rows}

    def forget_answers_before(self, day: date) -> int:
        cursor = self._db.execute(
            "DELETE FROM answers_given WHERE day < ?", (day.isoformat(),)
        )
        # The correction messages sent before then go too (their keys name the chat). No
        # chat can be picked again for them: the records that picked it are older still.
        self._db.execute(
            "DELETE FROM outbox WHERE key LIKE ? AND status != 'pending' AND created_at < ?",
            (_CORRECTION_ROWS, day.isoformat()),
        )
        return int(cursor.rowcount or 0)

    def erase_answers_of_chat(self, chat_id: int) -> None:
        """/vergeet: the answers given, the opt-out and every correction message of the chat
        (sent or not) go; nothing about a correction can reach it afterwards."""
        self._db.execute("DELETE FROM answers_given WHERE chat_id = ?", (chat_id,))
        self._db.execute("DELETE FROM correction_optouts WHERE chat_id = ?", (chat_id,))
        self._db.execute(
            "DELETE FROM outbox WHERE chat_id = ? AND key LIKE ?", (chat_id, _CORRECTION_ROWS)
        )
