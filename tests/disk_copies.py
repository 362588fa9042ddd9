"""Counting what is left on disk: the raw bytes of marker texts in a SQLite database, its
-wal and its -shm, and a way to make every new connection start as SQLite builds without
secure_delete do (issue 12 #6: the code must set what it needs itself)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest


def copies_on_disk(path: Path, *markers: str) -> dict[str, int]:
    """For each marker, how often its UTF-8 bytes occur in the database and its companions."""
    files = [p for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")) if p.exists()]
    contents = [p.read_bytes() for p in files]
    return {m: sum(c.count(m.encode()) for c in contents) for m in markers}


def connections_start_without_secure_delete(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every sqlite3 connection opened from now on starts with `PRAGMA secure_delete = 0`,
    the default of most SQLite builds (this machine's build defaults to on)."""
    real = sqlite3.connect

    def connect(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        connection = real(*args, **kwargs)
        connection.execute("PRAGMA secure_delete = 0")
        return connection

    monkeypatch.setattr(sqlite3, "connect", connect)
