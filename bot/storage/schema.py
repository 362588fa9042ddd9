"""Ordered schema migrations. Never edit a shipped step: append a new one.

The database's `PRAGMA user_version` is the number of steps already applied, so starting the
bot on an old file applies exactly the missing steps, in order, in one transaction each.
"""

from __future__ import annotations

MIGRATIONS: tuple[str, ...] = (
    # 1: per-chat preferences (only the chosen language for now).
    """
    CREATE TABLE chat_prefs (
        chat_id     INTEGER PRIMARY KEY,
        language    TEXT NOT NULL CHECK (language IN ('nl', 'fr')),
        updated_on  TEXT NOT NULL
    );
    """,
    # 2: anonymous answer feedback: which entry, which vote, which day. No chat or user id,
    # so it needs no erasure and can be kept to improve the knowledge base.
    """
    CREATE TABLE answer_feedback (
        id        INTEGER PRIMARY KEY AUTOINCREMENT,
        entry_id  TEXT NOT NULL,
        vote      INTEGER NOT NULL CHECK (vote IN (1, -1)),
        day       TEXT NOT NULL
    );
    CREATE INDEX answer_feedback_entry ON answer_feedback (entry_id);
    """,
)
