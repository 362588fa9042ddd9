"""SQLite for tickets, their messages, drafts, /stats counts and erasure (a mixin of
`SQLiteStorage`; it only needs `self._db`, a sqlite3 connection in autocommit mode).

Every write that belongs together runs in one `BEGIN IMMEDIATE` transaction: a ticket's state
change, its messages and the outbox rows announcing it are committed together or not at all.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any, Literal

from bot.escalation.ballots import BallotOutcome
from bot.escalation.drafts import Draft
from bot.escalation.records import (
    CandidateRow,
    Change,
    Erasure,
    NewMessage,
    NewOutbox,
    Ticket,
    TicketMessage,
)
from bot.escalation.retention import StaffMessage, TicketAge, due_for_anonymisation
from bot.escalation.stats import TicketFacts, Vote
from bot.escalation.tickets import State
from bot.storage.events_sql import EventsSQL

_TICKET_COLUMNS = (
    "id, number, chat_id, user_id, language, topic, state, question, candidates, created_at, "
    "last_activity_at, opened_at, first_answer_at, claimed_by, claimed_name, anonymised_at"
)


_MESSAGE_COLUMNS = (
    "id, ticket_id, direction, kind, text, author_id, author_name, created_at, source_key"
)


def _message(r: tuple[Any, ...]) -> TicketMessage:
    return TicketMessage(
        r[0], r[1], r[2], r[3], r[4] or "", r[5], r[6] or "", datetime.fromisoformat(r[7]), r[8]
    )


def iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def from_iso(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _ticket(row: tuple[Any, ...]) -> Ticket:
    candidates = tuple(CandidateRow(**c) for c in json.loads(row[8] or "[]"))
    return Ticket(
        id=row[0],
        number=row[1],
        chat_id=row[2],
        user_id=row[3],
        language=row[4],
        topic=row[5],
        state=row[6],
        question=row[7] or "",
        candidates=candidates,
        created_at=datetime.fromisoformat(row[9]),
        last_activity_at=datetime.fromisoformat(row[10]),
        opened_at=from_iso(row[11]),
        first_answer_at=from_iso(row[12]),
        claimed_by=row[13],
        claimed_name=row[14] or "",
        anonymised_at=from_iso(row[15]),
    )


class TicketsSQL(EventsSQL):
    _db: sqlite3.Connection

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE takes the write lock at once, so a read-then-write (compare and
        set, next ticket number) cannot interleave with another writer."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def _next_ticket_number(self, db: sqlite3.Connection) -> int:
        """Inside the write transaction (SQLite has one writer); PostgreSQL uses a sequence."""
        (top,) = db.execute("SELECT COALESCE(MAX(number), 0) FROM tickets").fetchone()
        return int(top) + 1

    # ---------------------------------------------------------------- tickets
    def create_draft(
        self,
        *,
        chat_id: int,
        user_id: int | None,
        language: Literal["nl", "fr"],
        question: str,
        topic: str | None,
        candidates: Sequence[CandidateRow],
        source_key: str,
        now: datetime,
    ) -> tuple[Ticket, bool]:
        with self._transaction() as db:
            found = db.execute(
                f"SELECT {_TICKET_COLUMNS} FROM tickets WHERE source_key = ?", (source_key,)
            ).fetchone()
            if found:
                return _ticket(found), False
            cursor = db.execute(
                "INSERT INTO tickets (chat_id, user_id, language, topic, state, question, "
                "candidates, source_key, created_at, last_activity_at) "
                "VALUES (?, ?, ?, ?, 'draft', ?, ?, ?, ?, ?)",
                (
                    chat_id,
                    user_id,
                    language,
                    topic,
                    question,
                    json.dumps([c.__dict__ for c in candidates]),
                    source_key,
                    iso(now),
                    iso(now),
                ),
            )
            ticket_id = int(cursor.lastrowid or 0)
        ticket = self.ticket(ticket_id)
        assert ticket is not None  # just inserted
        return ticket, True

    def ticket(self, ticket_id: int) -> Ticket | None:
        row = self._db.execute(
            f"SELECT {_TICKET_COLUMNS} FROM tickets WHERE id = ?", (ticket_id,)
        ).fetchone()
        return _ticket(row) if row else None

    def ticket_by_number(self, number: int) -> Ticket | None:
        row = self._db.execute(
            f"SELECT {_TICKET_COLUMNS} FROM tickets WHERE number = ?", (number,)
        ).fetchone()
        return _ticket(row) if row else None

    def tickets_of_chat(self, chat_id: int, states: frozenset[State]) -> list[Ticket]:
        marks = ",".join("?" * len(states))
        rows = self._db.execute(
            f"SELECT {_TICKET_COLUMNS} FROM tickets WHERE chat_id = ? AND state IN ({marks}) "
            "ORDER BY id",
            (chat_id, *sorted(states)),
        ).fetchall()
        return [_ticket(r) for r in rows]

    def tickets_in_states(self, states: frozenset[State]) -> list[Ticket]:
        marks = ",".join("?" * len(states))
        rows = self._db.execute(
            f"SELECT {_TICKET_COLUMNS} FROM tickets WHERE state IN ({marks}) ORDER BY number",
            tuple(sorted(states)),
        ).fetchall()
        return [_ticket(r) for r in rows]

    def apply(self, change: Change) -> Ticket | None:
        with self._transaction() as db:
            row = db.execute(
                "SELECT state FROM tickets WHERE id = ?", (change.ticket_id,)
            ).fetchone()
            if row is None or row[0] not in change.from_states:
                return None
            sets: dict[str, Any] = {
                "state": change.to_state,
                "last_activity_at": iso(change.now),
                **change.fields,
            }
            if change.assign_number:
                sets["number"] = self._next_ticket_number(db)
                sets["opened_at"] = iso(change.now)
            if change.claimed_by is not None:
                sets["claimed_by"] = change.claimed_by
                sets["claimed_name"] = change.claimed_name
            assignments = ", ".join(f"{column} = ?" for column in sets)
            extra = ""
            if change.first_answer:
                extra = ", first_answer_at = COALESCE(first_answer_at, ?)"
            db.execute(
                f"UPDATE tickets SET {assignments}{extra} WHERE id = ?",
                (
                    *sets.values(),
                    *([iso(change.now)] if change.first_answer else []),
                    change.ticket_id,
                ),
            )
            self._insert_messages(db, change.ticket_id, change.messages, change.now)
            if change.event is not None:
                self._insert_event(db, change.ticket_id, change.event, change.now)
            self._insert_outbox(db, change.outbox, change.ticket_id, change.now)
            if change.outbox_after is not None:
                after = self.ticket(change.ticket_id)
                assert after is not None  # updated above, in this transaction
                self._insert_outbox(db, change.outbox_after(after), change.ticket_id, change.now)
        return self.ticket(change.ticket_id)

    def add_messages(
        self,
        ticket_id: int,
        messages: Sequence[NewMessage],
        outbox: Sequence[NewOutbox],
        now: datetime,
    ) -> bool:
        with self._transaction() as db:
            if not self._insert_messages(db, ticket_id, messages, now):
                return False
            db.execute(
                "UPDATE tickets SET last_activity_at = ? WHERE id = ?", (iso(now), ticket_id)
            )
            self._insert_outbox(db, outbox, ticket_id, now)
        return True

    @staticmethod
    def _insert_messages(
        db: sqlite3.Connection, ticket_id: int, messages: Sequence[NewMessage], now: datetime
    ) -> bool:
        """Insert; False if a message with the same source was already stored (a replay)."""
        for m in messages:
            cursor = db.execute(
                "INSERT OR IGNORE INTO ticket_messages (ticket_id, direction, kind, text, "
                "author_id, author_name, source_key, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    ticket_id,
                    m.direction,
                    m.kind,
                    m.text,
                    m.author_id,
                    m.author_name,
                    m.source_key,
                    iso(now),
                ),
            )
            if cursor.rowcount == 0:
                return False
        return True

    @staticmethod
    def _insert_outbox(
        db: sqlite3.Connection, rows: Sequence[NewOutbox], ticket_id: int | None, now: datetime
    ) -> None:
        # OR IGNORE on the unique key: the same logical message is never queued twice.
        for row in rows:
            db.execute(
                "INSERT OR IGNORE INTO outbox (key, target, chat_id, method, payload, ticket_id, "
                "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    row.key,
                    row.target,
                    row.chat_id,
                    row.method,
                    json.dumps(row.payload, ensure_ascii=False),
                    ticket_id,
                    iso(now),
                ),
            )

    def messages(self, ticket_id: int) -> list[TicketMessage]:
        rows = self._db.execute(
            f"SELECT {_MESSAGE_COLUMNS} FROM ticket_messages WHERE ticket_id = ? ORDER BY id",
            (ticket_id,),
        ).fetchall()
        return [_message(r) for r in rows]

    def message_by_source(self, source_key: str) -> TicketMessage | None:
        row = self._db.execute(
            f"SELECT {_MESSAGE_COLUMNS} FROM ticket_messages WHERE source_key = ?",
            (source_key,),
        ).fetchone()
        return _message(row) if row else None

    def ticket_for_staff_message(self, chat_id: int, message_id: int) -> int | None:
        row = self._db.execute(
            "SELECT ticket_id FROM outbox WHERE target = 'staff' AND chat_id = ? "
            "AND sent_message_id = ? AND ticket_id IS NOT NULL",
            (chat_id, message_id),
        ).fetchone()
        return int(row[0]) if row else None

    # ---------------------------------------------------------------- knowledge loop
    def add_draft(self, draft: Draft) -> bool:
        ticket = self.ticket_by_number(draft.ticket)
        if ticket is None:
            return False
        cursor = self._db.execute(
            "INSERT OR REPLACE INTO drafts (ticket_id, number, language, question, answer, "
            "topic, created_on) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (ticket.id, draft.ticket, draft.language, draft.question, draft.answer,
             draft.topic, draft.created.isoformat()),
        )
        return cursor.rowcount > 0

    def drafts(self) -> list[Draft]:
        rows = self._db.execute(
            "SELECT number, language, question, answer, topic, created_on FROM drafts "
            "ORDER BY created_on, number"
        ).fetchall()
        return [Draft(r[0], r[1], r[2], r[3], r[4], date.fromisoformat(r[5])) for r in rows]

    # ---------------------------------------------------------------- /stats
    def count_assistant_answer(self, language: str, *, today: date) -> None:
        self._db.execute(
            "INSERT INTO assistant_answers (day, language, count) VALUES (?, ?, 1) "
            "ON CONFLICT (day, language) DO UPDATE SET count = assistant_answers.count + 1",
            (today.isoformat(), language),
        )

    def record_feedback(
        self, entry_id: str, vote: Literal[1, -1], *, today: date, ballot: str
    ) -> BallotOutcome:
        """A 👍/👎 on an assistant answer; one per ballot (ballots.py), the last one counts."""
        return self._cast("answer_feedback", ballot, vote, today, entry_id=entry_id)

    def record_staff_feedback(
        self, vote: Literal[1, -1], *, today: date, ballot: str
    ) -> BallotOutcome:
        """A 👍/👎 on a relayed staff answer; one per ballot, the last one counts."""
        return self._cast("staff_answer_feedback", ballot, vote, today)

    def _cast(
        self, table: str, ballot: str, vote: int, today: date, **columns: str
    ) -> BallotOutcome:
        with self._transaction() as db:
            row = db.execute(f"SELECT vote FROM {table} WHERE ballot = ?", (ballot,)).fetchone()
            if row is not None and int(row[0]) == vote:
                return "same"
            names = ", ".join(("ballot", "vote", "day", *columns))
            marks = ", ".join("?" * (3 + len(columns)))
            # An upsert, not a plain insert: two replicas casting the same ballot at once
            # (PostgreSQL) end with one row, never an error.
            db.execute(
                f"INSERT INTO {table} ({names}) VALUES ({marks}) ON CONFLICT (ballot) "
                f"DO UPDATE SET vote = excluded.vote, day = excluded.day",
                (ballot, vote, today.isoformat(), *columns.values()),
            )
        return "new" if row is None else "changed"

    def ticket_facts(self) -> list[TicketFacts]:
        rows = self._db.execute(
            "SELECT language, topic, opened_at, first_answer_at FROM tickets "
            "WHERE opened_at IS NOT NULL"
        ).fetchall()
        return [
            TicketFacts(r[0], r[1], datetime.fromisoformat(r[2]), from_iso(r[3])) for r in rows
        ]

    def assistant_answers(self) -> list[tuple[date, int]]:
        rows = self._db.execute(
            "SELECT day, SUM(count) FROM assistant_answers GROUP BY day"
        ).fetchall()
        return [(date.fromisoformat(d), int(n)) for d, n in rows]

    def votes(self) -> list[Vote]:
        rows = self._db.execute(
            "SELECT day, vote, 0 FROM answer_feedback "
            "UNION ALL SELECT day, vote, 1 FROM staff_answer_feedback"
        ).fetchall()
        return [Vote(date.fromisoformat(d), int(v), bool(staff)) for d, v, staff in rows]

    # ---------------------------------------------------------------- privacy
    def compact_after_erasure(self) -> None:
        """Copy the WAL into the database and truncate it: no old page image keeps erased
        text (with secure_delete on, freed pages of the database are zeroed too)."""
        self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def erase_tickets_of_chat(self, chat_id: int, *, now: datetime) -> Erasure:
        ids = [
            int(r[0])
            for r in self._db.execute(
                "SELECT id FROM tickets WHERE chat_id = ?", (chat_id,)
            ).fetchall()
        ]
        staff = self._staff_messages(ids)
        self._anonymise(ids, now, close=True)
        self.compact_after_erasure()
        return Erasure(len(ids), staff)

    def anonymise_due(self, *, now: datetime, retention_days: int) -> list[int]:
        rows = self._db.execute(
            "SELECT id, last_activity_at, anonymised_at IS NOT NULL FROM tickets"
        ).fetchall()
        ages = [TicketAge(r[0], datetime.fromisoformat(r[1]), bool(r[2])) for r in rows]
        due = due_for_anonymisation(ages, now, retention_days)
        self._anonymise(due, now, close=True)
        if due:
            self.compact_after_erasure()
        return due

    def _staff_messages(self, ticket_ids: list[int]) -> list[StaffMessage]:
        if not ticket_ids:
            return []
        marks = ",".join("?" * len(ticket_ids))
        rows = self._db.execute(
            f"SELECT chat_id, sent_message_id, sent_at FROM outbox WHERE target = 'staff' "
            f"AND method = 'sendMessage' AND sent_message_id IS NOT NULL "
            f"AND ticket_id IN ({marks}) ORDER BY id",
            ticket_ids,
        ).fetchall()
        return [StaffMessage(r[0], r[1], datetime.fromisoformat(r[2])) for r in rows]

    def _anonymise(self, ticket_ids: list[int], now: datetime, *, close: bool) -> None:
        """Empty tickets of everything personal; keep language, topic, state and times.

        Pending outbox rows of these tickets are cancelled: after erasure nothing more about
        them may reach the staff group (or the user)."""
        if not ticket_ids:
            return
        marks = ",".join("?" * len(ticket_ids))
        with self._transaction() as db:
            db.execute(
                f"UPDATE tickets SET chat_id = NULL, user_id = NULL, question = NULL, "
                f"candidates = '[]', source_key = NULL, claimed_name = '', anonymised_at = ?, "
                f"state = CASE WHEN ? AND state IN ('draft', 'open', 'claimed', 'answered', "
                f"'user_blocked') THEN 'closed' ELSE state END "
                f"WHERE id IN ({marks})",
                (iso(now), close, *ticket_ids),
            )
            db.execute(
                f"UPDATE ticket_messages SET text = NULL, author_id = NULL, author_name = '', "
                f"source_key = NULL WHERE ticket_id IN ({marks})",
                ticket_ids,
            )
            db.execute(
                f"UPDATE outbox SET payload = '{{}}', status = CASE WHEN status = 'pending' "
                f"THEN 'cancelled' ELSE status END WHERE ticket_id IN ({marks})",
                ticket_ids,
            )
            db.execute(f"DELETE FROM drafts WHERE ticket_id IN ({marks})", ticket_ids)
            self._anonymise_events(db, ticket_ids)
