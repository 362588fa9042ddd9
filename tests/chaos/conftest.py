"""The chaos suite's harness: the real Application with the escalation workflow, against the
fake Bot API with faults injected (bot/testing/fake_faults.py), on a real SQLite file.

Marked `chaos`: `python -m pytest -m chaos` runs it alone; CHAOS_SCALE=1 runs the issue's
full sizes (see README). The figures each test measured are printed at the end of the run.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.adapters.telegram.app import setup_bot
from bot.adapters.telegram.escalation import (
    Escalation,
    Options,
    build_escalating_application,
)
from bot.core.assistant import Assistant, load_assistant
from bot.core.render import Centre
from bot.escalation.outbox import RetryPolicy
from bot.settings import Settings
from bot.storage.sqlite import SQLiteStorage
from bot.testing.fake_bot_api import TOKEN, FakeBotAPI
from tests.chaos.figures import FIGURES, scale

TODAY = date(2026, 3, 2)
STAFF_CHAT_ID = -1009999
CENTRE = "Expertisecentrum Vrijwilligerswerk"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/chaos/" in str(item.path).replace("\\", "/"):
            item.add_marker(pytest.mark.chaos)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not FIGURES:
        return
    terminalreporter.section(f"chaos suite (CHAOS_SCALE={scale()})")
    for row, text in FIGURES:
        terminalreporter.write_line(f"{row}: {text}")


@pytest.fixture(scope="session")
def chaos_assistant() -> Assistant:
    return load_assistant(today=TODAY, centre=Centre({"nl": CENTRE, "fr": CENTRE}, "info@x.be"))


@pytest.fixture
async def fake() -> AsyncIterator[FakeBotAPI]:
    api = FakeBotAPI()
    api.staff_chat_id = STAFF_CHAT_ID
    await api.start()
    yield api
    await api.stop()


def chaos_settings(fake: FakeBotAPI, tmp_path: Path) -> Settings:
    return Settings.from_env({
        "BOT_TOKEN": TOKEN,
        "BOT_API_BASE_URL": fake.base_url,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'bot.sqlite3'}",
        "STAFF_CHAT_ID": str(STAFF_CHAT_ID),
        "CENTRE_NAME": CENTRE,
        "CENTRE_CONTACT": "info@x.be",
        "DEFAULT_LANGUAGE": "nl",
    })


@asynccontextmanager
async def running_bot(
    fake: FakeBotAPI,
    tmp_path: Path,
    assistant: Assistant,
    *,
    policy: RetryPolicy | None = None,
    **app_options: Any,
) -> AsyncIterator[tuple[Any, Escalation, SQLiteStorage]]:
    """The bot as `python -m bot telegram` runs it (long polling, durable inbox, outbox)."""
    settings = chaos_settings(fake, tmp_path)
    storage = SQLiteStorage(settings.database_path)
    policy = policy or RetryPolicy(base=timedelta(milliseconds=500), cap=timedelta(seconds=4))
    escalation = Escalation(settings, storage, assistant, today=lambda: TODAY,
                            options=Options(policy=policy))
    app = build_escalating_application(settings, storage, escalation, today=lambda: TODAY,
                                       **app_options)
    await app.initialize()
    await setup_bot(app)
    await escalation.start(app)
    await app.updater.start_polling(poll_interval=0, timeout=1)
    await app.start()
    try:
        yield app, escalation, storage
    finally:
        await app.updater.stop()
        await app.stop()
        await escalation.stop()
        await app.shutdown()
        storage.close()
