"""SQL for the weekly report (a mixin of both storages; it only needs `self._db`).

Writes one anonymous row per question handled; reads the rows, the answer votes and the
tickets' anonymous facts (plus the question text while within retention) for a period.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime

from bot.reporting.records import Action, FeedbackEvent, QuestionEvent, TicketRecord
from bot.storage.tickets_sql import from_iso, iso


class ReportingSQL:
    _db: sqlite3.Connection

    def record_question(
        self,
        *,
        day: date,
        language: str,
        action: Action,
        entry_id: str | None,
        topic: str | None,
    ) -> None:
        self._db.execute(
            "INSERT INTO question_events (day, language, action, entry_id, topic) "
            "VALUES (?, ?, ?, ?, ?)",
            (day.isoformat(), language, action, entry_id, topic),
        )

    def question_events(self, start: date, end: date) -> list[QuestionEvent]:
        rows = self._db.execute(
            "SELECT day, language, action, entry_id, topic FROM question_events "
            "WHERE day >= ? AND day <= ? ORDER BY day, id",
            (start.isoformat(), end.isoformat()),
        ).fetchall()
        return [QuestionEvent(date.fromisoformat(r[0]), r[1], r[2], r[3], r[4]) for r in rows]

    def feedback_events(self, start: date, end: date) -> list[FeedbackEvent]:
        rows = self._db.execute(
            "SELECT day, entry_id, vote FROM answer_feedback WHERE day >= ? AND day <= ?",
            (start.isoformat(), end.isoformat()),
        ).fetchall()
        return [FeedbackEvent(date.fromisoformat(r[0]), r[1], int(r[2])) for r in rows]

    def report_tickets(self, until: datetime) -> list[TicketRecord]:
        """Every ticket opened up to `until` (the report needs older ones too: the open
        tickets' ages). Chat, user and staff columns are not even read."""
        rows = self._db.execute(
            "SELECT language, topic, state, opened_at, first_answer_at, question FROM tickets "
            "WHERE opened_at IS NOT NULL AND opened_at <= ? ORDER BY opened_at",
            (iso(until.astimezone(UTC)),),  # stored as UTC ISO text: compare alike
        ).fetchall()
        return [
            TicketRecord(
                language=r[0],
                topic=r[1],
                state=r[2],
                opened_at=datetime.fromisoformat(r[3]),
                first_answer_at=from_iso(r[4]),
                question=r[5] or "",
            )
            for r in rows
        ]
