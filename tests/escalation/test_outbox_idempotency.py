"""An outbox key names one message: queuing it again keeps the first row, its text and state."""

from datetime import UTC, datetime, timedelta

import pytest

from bot.escalation.records import CandidateRow, NewOutbox
from bot.storage.sqlite import SQLiteStorage

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def db(tmp_path):
    storage = SQLiteStorage(tmp_path / "bot.sqlite3")
    yield storage
    storage.close()


def first_then_second(key: str) -> tuple[NewOutbox, NewOutbox]:
    return (
        NewOutbox(key, "user", 42, "sendMessage", {"text": "first"}),
        NewOutbox(key, "user", 42, "sendMessage", {"text": "second"}),
    )


def test_enqueue_twice_keeps_the_first_row_and_its_sent_state(db):
    first, second = first_then_second("receipt:1")
    db.enqueue([first], ticket_id=None, now=NOW)
    row = db.outbox_row("receipt:1")
    db.mark_sent(row.id, 777, now=NOW)
    db.enqueue([second], ticket_id=None, now=NOW + timedelta(seconds=1))  # must not raise
    again = db.outbox_row("receipt:1")
    assert again.id == row.id and again.status == "sent"
    assert again.payload == {"text": "first"}
    assert db.pending_outbox() == []


def test_a_ticket_message_queued_twice_keeps_the_first_outbox_row(db):
    ticket, _ = db.create_draft(
        chat_id=42, user_id=42, language="nl", question="Vraag?", topic=None,
        candidates=[CandidateRow("insurance.x.nl", "X?", 0.5)], source_key="m:42:1", now=NOW,
    )
    first, second = first_then_second("staff-post:1")
    db.add_messages(ticket.id, [], [first], NOW)
    row = db.outbox_row("staff-post:1")
    db.mark_sent(row.id, 555, now=NOW)
    db.add_messages(ticket.id, [], [second], NOW + timedelta(seconds=1))  # must not raise
    again = db.outbox_row("staff-post:1")
    assert again.id == row.id and again.status == "sent" and again.payload == {"text": "first"}
