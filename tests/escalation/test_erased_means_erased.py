"""Erased text leaves the disk: no byte of it stays in the database, its -wal or its -shm."""

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.escalation.records import CandidateRow
from bot.storage.sqlite import SQLiteStorage
from tests.disk_copies import connections_start_without_secure_delete, copies_on_disk

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
MARKER = "ZQX-marker-erased-question-7781"


def on_disk(path: Path) -> int:
    """Occurrences of the marker's bytes in the database file and its companions."""
    return copies_on_disk(path, MARKER)[MARKER]


def ticket_with_marker(db: SQLiteStorage) -> None:
    for n in range(20):  # several versions of the page, as a real conversation makes
        db.create_draft(
            chat_id=42,
            user_id=42,
            language="nl",
            question=f"{MARKER} vraag {n}",
            topic="insurance",
            candidates=[CandidateRow("insurance.x.nl", "X?", 0.5)],
            source_key=f"m:42:{n}",
            now=NOW,
        )


@pytest.fixture(
    params=["default", "secure_delete=0 elsewhere", "connections start with secure_delete=0"]
)
def path(request, tmp_path, monkeypatch):
    path = tmp_path / "bot.sqlite3"
    if request.param == "connections start with secure_delete=0":
        connections_start_without_secure_delete(monkeypatch)
    elif request.param != "default":
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("PRAGMA secure_delete = 0")
        other.execute("PRAGMA journal_mode = WAL")
        other.close()
    return path


def test_every_connection_turns_secure_delete_on(tmp_path):
    db = SQLiteStorage(tmp_path / "bot.sqlite3")
    assert db._db.execute("PRAGMA secure_delete").fetchone()[0] == 1
    db.close()


def test_an_erased_ticket_leaves_no_copy_of_its_text_on_disk(path):
    db = SQLiteStorage(path)
    ticket_with_marker(db)
    assert on_disk(path) > 0
    db.erase_tickets_of_chat(42, now=NOW)
    assert on_disk(path) == 0
    db.close()
    assert on_disk(path) == 0


def test_tickets_anonymised_by_retention_leave_no_copy_on_disk(path):
    db = SQLiteStorage(path)
    ticket_with_marker(db)
    assert db.anonymise_due(now=NOW + timedelta(days=400), retention_days=180)
    assert on_disk(path) == 0
    db.close()


def test_a_handled_update_leaves_no_copy_of_its_text_after_the_next_sweep(path):
    """A plain question is kept only until it is handled; the hourly sweep then leaves no
    copy of it in the files either."""
    db = SQLiteStorage(path)
    raw = f'{{"update_id": 1, "message": {{"text": "{MARKER} hoeveel mag ik krijgen?"}}}}'
    for update_id in range(1, 30):  # a busy hour: many versions of the inbox pages
        db.inbox_record(update_id, 42, raw, now=NOW)
        db.inbox_done(update_id, now=NOW)
    assert db._db.execute("SELECT COUNT(*) FROM inbox WHERE raw IS NOT NULL").fetchone()[0] == 0
    db.forget_old_texts(now=NOW + timedelta(hours=1))
    assert on_disk(path) == 0
    db.close()
