"""Erased text leaves the disk: no byte of it stays in the database, its -wal or its -shm."""

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.escalation.records import CandidateRow
from bot.storage.sqlite import SQLiteStorage

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
MARKER = "ZQX-marker-erased-question-7781"


def on_disk(path: Path) -> int:
    """Occurrences of the marker's bytes in the database file and its companions."""
    needle = MARKER.encode()
    return sum(
        p.read_bytes().count(needle)
        for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm"))
        if p.exists()
    )


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


@pytest.fixture(params=["default", "secure_delete=0 elsewhere"])
def path(request, tmp_path):
    path = tmp_path / "bot.sqlite3"
    if request.param != "default":
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
