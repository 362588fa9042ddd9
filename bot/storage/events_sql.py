"""SQL for the audit trail: who did what on a ticket, and when (table `ticket_events`).

A mixin of `TicketsSQL`: events are written inside the transaction of the ticket change they
record (`_insert_event`, from `TicketsSQL.apply`), and lose their staff id and name in the
transaction that anonymises the ticket (`_anonymise_events`), so after retention or erasure
they stay only as anonymous counts (action and time).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import datetime

from bot.escalation.records import NewEvent, TicketEvent


class EventsSQL:
    _db: sqlite3.Connection

    @staticmethod
    def _insert_event(
        db: sqlite3.Connection, ticket_id: int, event: NewEvent, now: datetime
    ) -> None:
        # OR IGNORE on the source key: a replayed update records its action once.
        db.execute(
            "INSERT OR IGNORE INTO ticket_events (ticket_id, action, staff_id, staff_name, "
            "source_key, at) VALUES (?, ?, ?, ?, ?, ?)",
            (ticket_id, event.action, event.staff_id, event.staff_name, event.source_key,
             now.isoformat()),
        )

    @staticmethod
    def _anonymise_events(db: sqlite3.Connection, ticket_ids: Sequence[int]) -> None:
        marks = ",".join("?" * len(ticket_ids))
        db.execute(
            f"UPDATE ticket_events SET staff_id = NULL, staff_name = '', source_key = NULL "
            f"WHERE ticket_id IN ({marks})",
            tuple(ticket_ids),
        )

    def events(self, ticket_id: int) -> list[TicketEvent]:
        rows = self._db.execute(
            "SELECT ticket_id, action, staff_id, staff_name, at FROM ticket_events "
            "WHERE ticket_id = ? ORDER BY id",
            (ticket_id,),
        ).fetchall()
        return [
            TicketEvent(r[0], r[1], r[2], r[3] or "", datetime.fromisoformat(r[4])) for r in rows
        ]

    def staff_actions(self) -> list[tuple[str, datetime]]:
        """Every staff action and when, of all tickets: anonymous, for /stats."""
        rows = self._db.execute("SELECT action, at FROM ticket_events").fetchall()
        return [(r[0], datetime.fromisoformat(r[1])) for r in rows]
