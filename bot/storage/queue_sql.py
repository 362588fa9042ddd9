"""SQLite for the outbox, the durable inbox and small persistent values (a mixin of
`SQLiteStorage`, like tickets_sql.py)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from bot.escalation.outbox import ANSWER_KEY_PREFIXES, OutboxRow, Outcome
from bot.escalation.records import NewOutbox
from bot.escalation.retention import OUTBOX_TEXT_KEPT
from bot.storage.tickets_sql import from_iso, iso

_OUTBOX_COLUMNS = (
    "id, key, target, chat_id, method, payload, ticket_id, status, attempts, next_attempt_at, "
    "created_at, last_error, sent_message_id"
)
# A handler's message (an answer, a clarification: keys ANSWER_KEY_PREFIXES) keeps its text only
# until it is delivered or given up: unlike a ticket's messages nothing reads it afterwards,
# and a plain question's answer must not outlive the question, which is not stored either.
# (substr, not LIKE: the PostgreSQL adapter passes SQL on as it is, and "%" is its placeholder.)
_FORGET_ANSWER = (
    "CASE WHEN ticket_id IS NULL AND substr(key, 1, 1) IN ({}) THEN '{{}}' ELSE payload END"
).format(", ".join(f"'{prefix}'" for prefix in ANSWER_KEY_PREFIXES))
# Handled inbox rows keep only their update id, long enough to recognise a redelivery.
INBOX_IDS_KEPT = timedelta(days=2)


def _row(r: tuple[object, ...]) -> OutboxRow:
    return OutboxRow(
        id=int(r[0]),  # type: ignore[call-overload]
        key=str(r[1]),
        target=r[2],  # type: ignore[arg-type]
        chat_id=int(r[3]),  # type: ignore[call-overload]
        method=str(r[4]),
        payload=json.loads(str(r[5])),
        ticket_id=r[6],  # type: ignore[arg-type]
        status=r[7],  # type: ignore[arg-type]
        attempts=int(r[8]),  # type: ignore[call-overload]
        next_attempt_at=from_iso(r[9]),  # type: ignore[arg-type]
        created_at=from_iso(r[10]),  # type: ignore[arg-type]
        last_error=str(r[11] or ""),
        sent_message_id=r[12],  # type: ignore[arg-type]
    )


class QueueSQL:
    _db: sqlite3.Connection
    compact_after_erasure: Callable[[], None]  # from TicketsSQL, in SQLiteStorage

    # ---------------------------------------------------------------- outbox
    def enqueue(self, rows: Sequence[NewOutbox], *, ticket_id: int | None, now: datetime) -> None:
        for row in rows:
            self._db.execute(
                "INSERT OR IGNORE INTO outbox (key, target, chat_id, method, payload, ticket_id, "
                "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (row.key, row.target, row.chat_id, row.method,
                 json.dumps(row.payload, ensure_ascii=False), ticket_id, iso(now)),
            )

    def pending_outbox(self) -> list[OutboxRow]:
        rows = self._db.execute(
            f"SELECT {_OUTBOX_COLUMNS} FROM outbox WHERE status = 'pending' ORDER BY id"
        ).fetchall()
        return [_row(r) for r in rows]

    def claim_outbox(self, row_id: int) -> bool:
        """One process owns an SQLite file: the row is ours while it is pending."""
        row = self._db.execute(
            "SELECT 1 FROM outbox WHERE id = ? AND status = 'pending'", (row_id,)
        ).fetchone()
        return row is not None

    def outbox_backlog(self) -> tuple[int, datetime | None]:
        """How many rows are pending and when the oldest was queued (metrics; no lease)."""
        count, oldest = self._db.execute(
            "SELECT COUNT(*), MIN(created_at) FROM outbox WHERE status = 'pending'"
        ).fetchone()
        return int(count), from_iso(oldest)

    def outbox_row(self, key: str) -> OutboxRow | None:
        row = self._db.execute(
            f"SELECT {_OUTBOX_COLUMNS} FROM outbox WHERE key = ?", (key,)
        ).fetchone()
        return _row(row) if row else None

    def mark_sent(self, row_id: int, message_id: int | None, *, now: datetime) -> None:
        self._db.execute(
            "UPDATE outbox SET status = 'sent', attempts = attempts + 1, sent_at = ?, "
            f"sent_message_id = ?, last_error = '', payload = {_FORGET_ANSWER} WHERE id = ?",
            (iso(now), message_id, row_id),
        )

    def mark_attempt(self, row_id: int, outcome: Outcome, error: str) -> None:
        forget = _FORGET_ANSWER if outcome.status != "pending" else "payload"
        self._db.execute(
            "UPDATE outbox SET status = ?, attempts = ?, next_attempt_at = ?, last_error = ?, "
            f"payload = {forget} WHERE id = ?",
            (outcome.status, outcome.attempts, iso(outcome.next_attempt_at), error[:200], row_id),
        )

    def retarget_staff_chat(self, old: int, new: int) -> None:
        """The staff group became a supergroup: unsent staff messages go to the new id."""
        self._db.execute(
            "UPDATE outbox SET chat_id = ?, next_attempt_at = NULL WHERE target = 'staff' "
            "AND chat_id = ? AND status = 'pending'",
            (new, old),
        )

    def forget_old_texts(self, *, now: datetime) -> None:
        """Sent outbox rows keep their key but lose their text; handled inbox ids expire."""
        self._db.execute(
            "UPDATE outbox SET payload = '{}' WHERE status != 'pending' AND payload != '{}' "
            "AND created_at < ?",
            (iso(now - OUTBOX_TEXT_KEPT),),
        )
        self._db.execute(
            "DELETE FROM inbox WHERE handled_at IS NOT NULL AND handled_at < ?",
            (iso(now - INBOX_IDS_KEPT),),
        )
        self.compact_after_erasure()

    # ---------------------------------------------------------------- inbox
    def inbox_record(
        self, update_id: int, chat_id: int | None, raw: str, *, now: datetime
    ) -> bool:
        cursor = self._db.execute(
            "INSERT OR IGNORE INTO inbox (update_id, chat_id, raw, received_at) "
            "VALUES (?, ?, ?, ?)",
            (update_id, chat_id, raw, iso(now)),
        )
        return cursor.rowcount > 0

    def inbox_done(self, update_id: int, *, now: datetime) -> None:
        # The raw update holds the user's words: drop it as soon as it has been handled.
        self._db.execute(
            "UPDATE inbox SET handled_at = ?, raw = NULL WHERE update_id = ?",
            (iso(now), update_id),
        )

    def inbox_unhandled(self) -> list[tuple[int, str]]:
        rows = self._db.execute(
            "SELECT update_id, raw FROM inbox WHERE handled_at IS NULL AND raw IS NOT NULL "
            "ORDER BY update_id"
        ).fetchall()
        return [(int(u), str(r)) for u, r in rows]

    def erase_inbox_of_chat(self, chat_id: int) -> None:
        """Unhandled raw updates of this chat (there are rarely any) go with an erasure."""
        self._db.execute(
            "UPDATE inbox SET raw = NULL WHERE chat_id = ? AND raw IS NOT NULL", (chat_id,)
        )
        self.compact_after_erasure()

    # ---------------------------------------------------------------- small values
    def get_value(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM kv WHERE key = ?", (key,)).fetchone()
        return str(row[0]) if row else None

    def set_value(self, key: str, value: str) -> None:
        self._db.execute(
            "INSERT INTO kv (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )
