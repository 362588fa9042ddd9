"""Complaints in SQL (a mixin of SQLiteStorage and PostgresStorage, like tickets_sql.py).

The complaints table is its own (schema step 9); its outbox rows carry keys "k<id>:..." and no
ticket id, so nothing that reads tickets (/promote, drafts, /stats, reports) can see them.
Erasure empties the texts of the complaint *and* of every outbox row it had, in the same
transaction that queues the edit replacing the group's post.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from datetime import datetime
from typing import Any

from bot.escalation.complaints import (
    Complaint,
    ComplaintAge,
    Erased,
    Move,
    NewComplaint,
    complaint_of_key,
)
from bot.escalation.records import NewOutbox
from bot.storage.tickets_sql import from_iso, iso

_COLUMNS = (
    "id, chat_id, user_id, language, state, what, organisation, contact_org, reach, created_at, "
    "last_activity_at, claimed_by, claimed_name, claimed_at, erased_at, erased_why"
)


def _complaint(r: tuple[Any, ...]) -> Complaint:
    return Complaint(
        id=int(r[0]),
        chat_id=r[1],
        user_id=r[2],
        language=r[3],
        state=r[4],
        what=r[5] or "",
        organisation=r[6] or "",
        contact_org=r[7],
        reach=r[8] or "",
        created_at=datetime.fromisoformat(r[9]),
        last_activity_at=datetime.fromisoformat(r[10]),
        claimed_by=r[11],
        claimed_name=r[12] or "",
        claimed_at=from_iso(r[13]),
        erased_at=from_iso(r[14]),
        erased_why=r[15] or "",
    )


class ComplaintsSQL:
    _db: sqlite3.Connection
    _transaction: Callable[[], AbstractContextManager[sqlite3.Connection]]
    _insert_outbox: Callable[..., None]
    compact_after_erasure: Callable[[], None]

    def create_complaint(
        self,
        new: NewComplaint,
        *,
        source_key: str,
        now: datetime,
        outbox_after: Callable[[Complaint], Sequence[NewOutbox]],
    ) -> tuple[Complaint, bool]:
        with self._transaction() as db:
            found = db.execute(
                f"SELECT {_COLUMNS} FROM complaints WHERE source_key = ?", (source_key,)
            ).fetchone()
            if found:
                return _complaint(found), False
            db.execute(
                "INSERT INTO complaints (chat_id, user_id, language, state, what, organisation, "
                "contact_org, reach, source_key, created_at, last_activity_at) "
                "VALUES (?, ?, ?, 'open', ?, ?, ?, ?, ?, ?, ?)",
                (new.chat_id, new.user_id, new.language, new.what, new.organisation,
                 new.contact_org, new.reach, source_key, iso(now), iso(now)),
            )
            # By its unique source: the same on SQLite and PostgreSQL (no lastrowid there).
            row = db.execute(
                f"SELECT {_COLUMNS} FROM complaints WHERE source_key = ?", (source_key,)
            ).fetchone()
            complaint = _complaint(row)
            self._insert_outbox(db, outbox_after(complaint), None, now)
        return complaint, True

    def complaint(self, complaint_id: int) -> Complaint | None:
        row = self._db.execute(
            f"SELECT {_COLUMNS} FROM complaints WHERE id = ?", (complaint_id,)
        ).fetchone()
        return _complaint(row) if row else None

    def complaints_of_chat(self, chat_id: int) -> list[Complaint]:
        rows = self._db.execute(
            f"SELECT {_COLUMNS} FROM complaints WHERE chat_id = ? ORDER BY id", (chat_id,)
        ).fetchall()
        return [_complaint(r) for r in rows]

    def complaint_for_staff_message(self, chat_id: int, message_id: int) -> int | None:
        return self._complaint_of_message("staff", chat_id, message_id)

    def complaint_for_user_message(self, chat_id: int, message_id: int) -> int | None:
        return self._complaint_of_message("user", chat_id, message_id)

    def _complaint_of_message(self, target: str, chat_id: int, message_id: int) -> int | None:
        rows = self._db.execute(
            "SELECT key FROM outbox WHERE target = ? AND chat_id = ? "
            "AND sent_message_id = ? AND ticket_id IS NULL",
            (target, chat_id, message_id),
        ).fetchall()
        for (key,) in rows:
            found = complaint_of_key(str(key))
            if found is not None:
                return found
        return None

    def move_complaint(self, move: Move) -> Complaint | None:
        with self._transaction() as db:
            row = db.execute(
                "SELECT state, erased_at FROM complaints WHERE id = ?", (move.complaint_id,)
            ).fetchone()
            if row is None or row[0] not in move.from_states or row[1] is not None:
                return None
            sets: dict[str, Any] = {"state": move.to_state, "last_activity_at": iso(move.now)}
            if move.claimed_by is not None:
                sets.update(claimed_by=move.claimed_by, claimed_name=move.claimed_name,
                            claimed_at=iso(move.now))
            assignments = ", ".join(f"{column} = ?" for column in sets)
            db.execute(
                f"UPDATE complaints SET {assignments} WHERE id = ?",
                (*sets.values(), move.complaint_id),
            )
            if move.outbox_after is not None:
                after = _complaint(db.execute(
                    f"SELECT {_COLUMNS} FROM complaints WHERE id = ?", (move.complaint_id,)
                ).fetchone())
                self._insert_outbox(db, move.outbox_after(after), None, move.now)
        return self.complaint(move.complaint_id)

    def erase_complaints(
        self,
        ids: Sequence[int],
        *,
        now: datetime,
        why: Erased,
        withdraw: bool = False,
        outbox_after: Callable[[Complaint], Sequence[NewOutbox]],
    ) -> list[Complaint]:
        if not ids:
            return []
        erased: list[Complaint] = []
        with self._transaction() as db:
            for complaint_id in ids:
                row = db.execute(
                    "SELECT state FROM complaints WHERE id = ? AND erased_at IS NULL",
                    (complaint_id,),
                ).fetchone()
                if row is None or (withdraw and row[0] != "open"):
                    continue
                state = "withdrawn" if withdraw else (
                    "closed" if row[0] in ("open", "claimed") else row[0]
                )
                db.execute(
                    "UPDATE complaints SET chat_id = NULL, user_id = NULL, what = NULL, "
                    "organisation = NULL, reach = NULL, source_key = NULL, claimed_name = '', "
                    "state = ?, erased_at = ?, erased_why = ?, last_activity_at = ? "
                    "WHERE id = ?",
                    (state, iso(now), why, iso(now), complaint_id),
                )
                # Every message about it loses its text; what was still queued is not sent.
                db.execute(
                    "UPDATE outbox SET payload = '{}', status = CASE WHEN status = 'pending' "
                    "THEN 'cancelled' ELSE status END WHERE key LIKE ? AND ticket_id IS NULL",
                    (f"k{complaint_id}:%",),
                )
                after = _complaint(db.execute(
                    f"SELECT {_COLUMNS} FROM complaints WHERE id = ?", (complaint_id,)
                ).fetchone())
                self._insert_outbox(db, outbox_after(after), None, now)
                erased.append(after)
        if erased:
            self.compact_after_erasure()
        return erased

    def complaints_in_hand(self) -> list[Complaint]:
        rows = self._db.execute(
            f"SELECT {_COLUMNS} FROM complaints WHERE state IN ('open', 'claimed') "
            "AND erased_at IS NULL ORDER BY id"
        ).fetchall()
        return [_complaint(r) for r in rows]

    def complaint_ages(self) -> list[ComplaintAge]:
        rows = self._db.execute(
            "SELECT id, last_activity_at, erased_at IS NOT NULL FROM complaints"
        ).fetchall()
        return [ComplaintAge(int(r[0]), datetime.fromisoformat(r[1]), bool(r[2])) for r in rows]
