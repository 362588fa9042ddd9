"""Tickets, outbox and inbox rows are stored once, changed atomically and erased fully."""

from datetime import UTC, datetime, timedelta

import pytest

from bot.escalation.outbox import Outcome
from bot.escalation.records import CandidateRow, Change, NewMessage, NewOutbox
from bot.storage.schema import MIGRATIONS
from bot.storage.sqlite import SQLiteStorage, migrate
from tests.storage_backends import BACKENDS, backend_url, open_url

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture(params=BACKENDS)
def db(request, tmp_path):
    """The same behaviour on SQLite and on PostgreSQL."""
    with backend_url(request.param, tmp_path) as url:
        storage = open_url(url)
        yield storage
        storage.close()


def draft(db, source="m:42:1"):
    return db.create_draft(
        chat_id=42,
        user_id=42,
        language="nl",
        question="Vraag?",
        topic="insurance",
        candidates=[CandidateRow("insurance.x.nl", "X?", 0.5)],
        source_key=source,
        now=NOW,
    )


def row(key, chat_id=42, target="user"):
    return NewOutbox(key, target, chat_id, "sendMessage", {"text": "hallo"})


def test_an_old_database_gets_the_ticket_tables_at_start(tmp_path):
    """A database from before escalation is brought up to date and keeps its data."""
    import sqlite3

    path = tmp_path / "old.sqlite3"
    raw = sqlite3.connect(path, isolation_level=None)
    for number, script in enumerate(MIGRATIONS[:2], start=1):
        raw.executescript(f"BEGIN;\n{script}\nPRAGMA user_version = {number};\nCOMMIT;")
    raw.execute("INSERT INTO chat_prefs VALUES (1, 'fr', '2026-01-01')")
    assert migrate(raw) == len(MIGRATIONS)
    raw.close()
    db = SQLiteStorage(path)
    assert db.chat_language(1) == "fr" and db.tickets_in_states(frozenset({"open"})) == []
    db.close()


def test_the_same_source_never_makes_a_second_ticket(db):
    """Creating a draft twice for one Telegram message returns the first one."""
    first, created = draft(db)
    again, created_again = draft(db)
    assert created and not created_again and first.id == again.id


def test_numbers_are_given_on_confirmation_with_the_outbox_rows(db):
    """Opening a ticket numbers it and queues its messages in the same transaction."""
    ticket, _ = draft(db)
    opened = db.apply(
        Change(
            ticket.id,
            frozenset({"draft"}),
            "open",
            NOW,
            assign_number=True,
            outbox_after=lambda t: [row(f"t{t.id}:receipt:{t.number}")],
        )
    )
    assert opened.number == 1 and opened.opened_at == NOW
    assert [r.key for r in db.pending_outbox()] == [f"t{ticket.id}:receipt:1"]


def test_a_stale_change_writes_nothing(db):
    """A change whose expected state no longer holds leaves ticket and outbox untouched."""
    ticket, _ = draft(db)
    assert (
        db.apply(Change(ticket.id, frozenset({"open"}), "closed", NOW, outbox=[row("t1:closed")]))
        is None
    )
    assert db.ticket(ticket.id).state == "draft" and db.pending_outbox() == []


def test_a_failing_change_rolls_back_completely(db):
    """If building the outbox rows fails, the state change is rolled back too."""
    ticket, _ = draft(db)

    def broken(_):
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        db.apply(
            Change(
                ticket.id,
                frozenset({"draft"}),
                "open",
                NOW,
                assign_number=True,
                outbox_after=broken,
            )
        )
    assert db.ticket(ticket.id).state == "draft" and db.ticket(ticket.id).number is None


def test_outbox_keys_and_message_sources_are_idempotent(db):
    """The same logical message and the same Telegram message are stored once."""
    ticket, _ = draft(db)
    message = NewMessage("in", "addition", "extra", source_key="m:42:2")
    assert db.add_messages(ticket.id, [message], [row("k1")], NOW)
    assert not db.add_messages(ticket.id, [message], [row("k1")], NOW)
    db.enqueue([row("k1")], ticket_id=ticket.id, now=NOW)
    assert len(db.pending_outbox()) == 1 and len(db.messages(ticket.id)) == 1


def test_sent_and_retried_rows(db):
    """A sent row records Telegram's message id; a failed attempt records when to retry."""
    db.enqueue([row("a"), row("b")], ticket_id=None, now=NOW)
    a, b = db.pending_outbox()
    db.mark_sent(a.id, 77, now=NOW)
    db.mark_attempt(b.id, Outcome("pending", 1, NOW + timedelta(seconds=2)), "NetworkError: x")
    assert db.outbox_row("a").sent_message_id == 77
    assert db.outbox_row("b").attempts == 1 and db.outbox_row("b").last_error.startswith("Net")


def test_the_inbox_recognises_an_update_it_has_seen(db):
    """An update id is recorded once; handled updates lose their raw text."""
    assert db.inbox_record(5, 42, '{"update_id": 5}', now=NOW)
    assert not db.inbox_record(5, 42, '{"update_id": 5}', now=NOW)
    assert db.inbox_unhandled() == [(5, '{"update_id": 5}')]
    db.inbox_done(5, now=NOW)
    assert db.inbox_unhandled() == []
    assert db._db.execute("SELECT raw FROM inbox").fetchone() == (None,)


def test_erasure_keeps_only_anonymous_counts(db):
    """Erasing a chat empties its tickets, messages and queued texts and cancels what waits."""
    ticket, _ = draft(db)
    db.add_messages(ticket.id, [NewMessage("in", "detail", "mijn adres")], [row("k")], NOW)
    erasure = db.erase_tickets_of_chat(42, now=NOW)
    assert erasure.tickets == 1
    erased = db.ticket(ticket.id)
    assert (erased.chat_id, erased.question, erased.state) == (None, "", "closed")
    assert [m.text for m in db.messages(ticket.id)] == [""]
    assert db.pending_outbox() == [] and db.outbox_row("k").payload == {}
    assert db.tickets_of_chat(42, frozenset({"closed"})) == []
