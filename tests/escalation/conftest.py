"""What the escalation tests share: a real SQLite database per test."""

import pytest

from bot.storage.sqlite import SQLiteStorage


@pytest.fixture
def storage(tmp_path):
    db = SQLiteStorage(tmp_path / "bot.sqlite3")
    yield db
    db.close()
