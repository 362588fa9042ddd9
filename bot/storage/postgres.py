"""PostgreSQL implementation of the Storage Protocol (psycopg 3, extra `postgres`).

The SQL lives once, in the mixins SQLiteStorage uses (tickets_sql.py, queue_sql.py); this
module runs it on PostgreSQL through a thin connection adapter that translates the few
dialect differences (placeholders, INSERT OR IGNORE, the id of a new row). The migration
history is the same list (schema.py), translated the same way, with the version in a table.

Several replicas on one database:
- the inbox is keyed by update id, so an update is handled by the replica that stored it;
- ticket numbers come from a sequence (unique across replicas; a rolled-back number leaves a
  gap, which the staff never rely on);
- `pending_outbox` leases the rows it returns to this replica for `lease`
  (OUTBOX_LEASE_SECONDS, default `LEASE`; FOR UPDATE SKIP LOCKED, then a lease column), so two
  replicas never send the same row, and a crashed replica's rows are taken over when its
  lease expires; attempts, next_attempt_at and retry_after are columns of the row, so they
  hold across replicas.
"""

from __future__ import annotations

import os
import re
import socket
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.escalation.drafts import Draft
from bot.escalation.outbox import OutboxRow
from bot.storage import FeedbackCount
from bot.storage.answers_sql import AnswersSQL
from bot.storage.complaints_sql import ComplaintsSQL
from bot.storage.prefs_sql import ChatPrefsSQL
from bot.storage.queue_sql import _OUTBOX_COLUMNS, QueueSQL, _row
from bot.storage.reporting_sql import ReportingSQL
from bot.storage.schema import MIGRATIONS
from bot.storage.tickets_sql import TicketsSQL, iso

LEASE = timedelta(seconds=60)  # the default of OUTBOX_LEASE_SECONDS
_INSERT_OR_IGNORE = re.compile(r"^\s*INSERT OR IGNORE INTO", re.IGNORECASE)


def pg_dialect(script: str) -> str:
    """A migration step written for SQLite, in PostgreSQL's words."""
    script = script.replace("INTEGER PRIMARY KEY AUTOINCREMENT", "BIGSERIAL PRIMARY KEY")
    return re.sub(r"\bINTEGER\b", "BIGINT", script)


# PostgreSQL-only objects a step needs (same step numbers as schema.MIGRATIONS).
PG_EXTRAS: dict[int, str] = {3: "CREATE SEQUENCE ticket_numbers;"}


class _Cursor:
    def __init__(self, cursor: Any, lastrowid: int | None = None) -> None:
        self._cursor = cursor
        self.lastrowid = lastrowid
        self.rowcount = cursor.rowcount

    def fetchone(self) -> Any:
        return self._cursor.fetchone()

    def fetchall(self) -> list[Any]:
        return list(self._cursor.fetchall())


class PGConnection:
    """The sqlite3-shaped subset the SQL mixins use (`execute`), on a psycopg connection."""

    def __init__(self, connection: Any) -> None:
        self.connection = connection  # autocommit; BEGIN/COMMIT come from the mixins
        self.lock = threading.RLock()

    def execute(self, sql: str, params: Sequence[Any] = ()) -> _Cursor:
        statement = sql.strip()
        upper = statement.upper()
        if upper == "BEGIN IMMEDIATE":
            statement = "BEGIN"
        returning = False
        if _INSERT_OR_IGNORE.match(statement):
            statement = _INSERT_OR_IGNORE.sub("INSERT INTO", statement) + " ON CONFLICT DO NOTHING"
        if upper.startswith("INSERT INTO TICKETS "):
            statement += " RETURNING id"
            returning = True
        # The mixins' SQL has no literal "?" or "%": only placeholders to translate.
        statement = statement.replace("?", "%s")
        cursor = self.connection.execute(statement, tuple(params) or None)
        lastrowid = int(cursor.fetchone()[0]) if returning else None
        return _Cursor(cursor, lastrowid)


class PostgresStorage(
    ChatPrefsSQL, TicketsSQL, QueueSQL, AnswersSQL, ComplaintsSQL, ReportingSQL
):
    """The same storage as SQLiteStorage, on a PostgreSQL database several replicas share."""

    def compact_after_erasure(self) -> None:
        """No SQLite WAL here: PostgreSQL reclaims deleted rows with (auto)vacuum, which the
        hosting runs; erased rows are invisible to every query at once."""

    def __init__(
        self, url: str, *, owner: str | None = None, lease: timedelta = LEASE
    ) -> None:
        import psycopg  # the `postgres` extra; imported here so SQLite users never need it

        if lease <= timedelta(0):
            raise ValueError("the outbox lease must be positive")
        self.url = url
        self.lease = lease
        self.owner = owner or f"{socket.gethostname()}:{os.getpid()}:{id(self):x}"
        self._conn = psycopg.connect(url, autocommit=True)
        self._db = PGConnection(self._conn)  # type: ignore[assignment]
        try:
            migrate_postgres(self._conn)
        except BaseException:
            self._conn.close()
            raise

    @classmethod
    def from_url(cls, url: str, *, lease: timedelta = LEASE) -> PostgresStorage:
        return cls(url, lease=lease)

    @property
    def schema_version(self) -> int:
        return _version(self._conn)

    # ---------------------------------------------------------------- what differs
    def _next_ticket_number(self, db: Any) -> int:
        return int(db.execute("SELECT nextval('ticket_numbers')").fetchone()[0])

    def pending_outbox(self) -> list[OutboxRow]:
        """The pending rows no other live replica holds, leased to this one."""
        now = datetime.now(UTC)
        rows = self._db.execute(
            f"UPDATE outbox SET lease_owner = ?, lease_until = ? WHERE id IN ("
            f"SELECT id FROM outbox WHERE status = 'pending' AND (lease_owner IS NULL "
            f"OR lease_owner = ? OR lease_until < ?) ORDER BY id FOR UPDATE SKIP LOCKED) "
            f"RETURNING {_OUTBOX_COLUMNS}",
            (self.owner, iso(now + self.lease), self.owner, iso(now)),
        ).fetchall()
        return sorted((_row(r) for r in rows), key=lambda r: r.id)

    def claim_outbox(self, row_id: int) -> bool:
        """Renew this replica's lease on one row right before sending it.

        A pass leases every pending row at its start, but sends them one after another (the
        staff group's limit is 20 messages a minute): a long pass can outlive its lease. A
        row another replica has taken over meanwhile (or sent) is left to it; every row this
        replica sends was leased to it a moment before, for a whole lease."""
        now = datetime.now(UTC)
        row = self._db.execute(
            "UPDATE outbox SET lease_owner = ?, lease_until = ? WHERE id = ? AND status = "
            "'pending' AND (lease_owner IS NULL OR lease_owner = ? OR lease_until < ?) "
            "RETURNING id",
            (self.owner, iso(now + self.lease), row_id, self.owner, iso(now)),
        ).fetchone()
        return row is not None

    def add_draft(self, draft: Draft) -> bool:
        ticket = self.ticket_by_number(draft.ticket)
        if ticket is None:
            return False
        cursor = self._db.execute(
            "INSERT INTO drafts (ticket_id, number, language, question, answer, topic, "
            "created_on) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (ticket_id) DO UPDATE SET "
            "number = excluded.number, language = excluded.language, question = "
            "excluded.question, answer = excluded.answer, topic = excluded.topic, "
            "created_on = excluded.created_on",
            (ticket.id, draft.ticket, draft.language, draft.question, draft.answer,
             draft.topic, draft.created.isoformat()),
        )
        return cursor.rowcount > 0

    # ---------------------------------------------------------------- chat preferences
    def erase_chat(self, chat_id: int) -> None:
        self._db.execute("DELETE FROM chat_prefs WHERE chat_id = ?", (chat_id,))
        self.erase_answers_of_chat(chat_id)

    def feedback(self) -> list[FeedbackCount]:
        rows = self._db.execute(
            "SELECT entry_id, SUM(CASE WHEN vote = 1 THEN 1 ELSE 0 END), "
            "SUM(CASE WHEN vote = -1 THEN 1 ELSE 0 END) FROM answer_feedback "
            "GROUP BY entry_id ORDER BY entry_id"
        ).fetchall()
        return [FeedbackCount(entry_id, int(up), int(down)) for entry_id, up, down in rows]

    def close(self) -> None:
        self._conn.close()

    @contextmanager
    def _transaction(self) -> Iterator[Any]:
        with self._db.lock:  # type: ignore[attr-defined]
            self._db.execute("BEGIN")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")


def _version(conn: Any) -> int:
    conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version BIGINT NOT NULL)")
    row = conn.execute("SELECT version FROM schema_version").fetchone()
    return int(row[0]) if row else 0


def migrate_postgres(conn: Any) -> int:
    """Apply the missing steps of the one migration history, each in its own transaction.

    An advisory lock serialises replicas starting at the same moment."""
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(8710431)")
        version = _version(conn)
        if version > len(MIGRATIONS):
            raise RuntimeError(
                f"database schema version {version} is newer than this code "
                f"({len(MIGRATIONS)}); refusing to run an older bot on it"
            )
        for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
            with conn.transaction():
                conn.execute(pg_dialect(script) + PG_EXTRAS.get(number, ""))
                conn.execute("DELETE FROM schema_version")
                conn.execute("INSERT INTO schema_version (version) VALUES (%s)", (number,))
    return len(MIGRATIONS)
