"""The report's records are stored and read back alike on SQLite and PostgreSQL."""

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.reporting.records import FeedbackEvent, QuestionEvent
from bot.testing.report_history import PLANTED_CHAT_IDS, fill_storage, generate_history
from tests.storage_backends import BACKENDS, backend_url, open_url

NOW = datetime(2026, 11, 30, 8, tzinfo=UTC)


@pytest.mark.parametrize("backend", BACKENDS)
def test_questions_votes_and_tickets_come_back_for_the_period_asked(backend, tmp_path):
    with backend_url(backend, tmp_path) as url:
        db = open_url(url)
        try:
            monday = date(2026, 11, 23)
            db.record_question(day=monday, language="fr", action="answer",
                               entry_id="insurance.car.fr", topic="insurance")
            db.record_question(day=monday + timedelta(days=7), language="nl",
                               action="escalate", entry_id=None, topic=None)
            db.record_feedback("insurance.car.fr", -1, today=monday, ballot="b1")
            history = generate_history(monday, monday + timedelta(days=6), now=NOW)
            fill_storage(db, history)

            events = db.question_events(monday, monday + timedelta(days=6))
            assert events[0] == QuestionEvent(monday, "fr", "answer", "insurance.car.fr",
                                              "insurance")
            assert len(events) == 1 + len(history.events)  # the next Monday is outside
            assert FeedbackEvent(monday, "insurance.car.fr", -1) in db.feedback_events(
                monday, monday)
            tickets = db.report_tickets(NOW)
            assert sorted(t.question for t in tickets) == sorted(
                t.question for t in history.tickets)
            first = min(t.opened_at for t in history.tickets)
            assert tickets[0].opened_at == first  # oldest first, times as stored
            assert db.report_tickets(first - timedelta(seconds=1)) == []
            # A report record has no field that could carry a chat id.
            assert not any(str(PLANTED_CHAT_IDS[0]) in repr(t) for t in tickets)
        finally:
            db.close()
