"""The two storage implementations, for tests that must hold on both.

PostgreSQL tests need a server: `.ci/run` starts a throwaway one and exports
TEST_POSTGRES_URL (an admin connection); each test gets a fresh database of its own, dropped
afterwards. Without TEST_POSTGRES_URL the PostgreSQL cases are skipped with that reason.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

BACKENDS = ("sqlite", "postgresql")
NO_SERVER = (
    "no PostgreSQL server: set TEST_POSTGRES_URL to an admin URL (.ci/run starts one)"
)


@contextmanager
def postgres_database() -> Iterator[str]:
    """A fresh, empty database on the test server; yields its URL and drops it after."""
    admin_url = os.environ.get("TEST_POSTGRES_URL")
    if not admin_url:
        pytest.skip(NO_SERVER)
    psycopg = pytest.importorskip("psycopg")
    name = f"bot_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    base, _, _ = admin_url.rpartition("/")
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def backend_url(kind: str, tmp_path: Path) -> Iterator[str]:
    if kind == "sqlite":
        yield f"sqlite:///{tmp_path / 'bot.sqlite3'}"
    else:
        with postgres_database() as url:
            yield url


def open_url(url: str) -> Any:
    from bot.storage import open_storage

    return open_storage(url)
