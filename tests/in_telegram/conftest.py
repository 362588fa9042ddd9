"""Fixtures for end-to-end Telegram tests: the real Application against FakeBotAPI.

Every bot in these tests is built by `start_bot`, which insists on a loopback base URL, so no
test can reach api.telegram.org by accident (ptb's OfflineRequest idea, at our boundary).
"""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from bot.adapters.telegram.app import BotApplication, build_application, setup_bot
from bot.core.assistant import Assistant, load_assistant
from bot.core.render import Centre
from bot.settings import Settings
from bot.storage.sqlite import SQLiteStorage

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # for tests.fakes
from tests.fakes.telegram_api import TOKEN, FakeBotAPI

TODAY = date(2026, 3, 2)
CENTRE_NAME = "Expertisecentrum Vrijwilligerswerk"
CENTRE_CONTACT = "info@vrijwilligerswerk.example – 02 123 45 67"
STAFF_CHAT_ID = -1009999


@pytest.fixture(scope="session")
def assistant() -> Assistant:
    """The real core on the real knowledge base, loaded once."""
    return load_assistant(
        today=TODAY, centre=Centre({"nl": CENTRE_NAME, "fr": CENTRE_NAME}, CENTRE_CONTACT)
    )


@pytest.fixture
def today() -> date:
    return TODAY


@pytest.fixture
async def bot_api() -> AsyncIterator[FakeBotAPI]:
    fake = FakeBotAPI()
    await fake.start()
    yield fake
    await fake.stop()


def make_settings(bot_api: FakeBotAPI, tmp_path: Path, **overrides: str) -> Settings:
    environ = {
        "BOT_TOKEN": TOKEN,
        "BOT_API_BASE_URL": bot_api.base_url,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'bot.sqlite3'}",
        "STAFF_CHAT_ID": str(STAFF_CHAT_ID),
        "CENTRE_NAME": CENTRE_NAME,
        "CENTRE_CONTACT": CENTRE_CONTACT,
        "DEFAULT_LANGUAGE": "nl",
        **overrides,
    }
    return Settings.from_env(environ)


@pytest.fixture
def settings(bot_api: FakeBotAPI, tmp_path: Path) -> Settings:
    return make_settings(bot_api, tmp_path)


@pytest.fixture
def storage(settings: Settings) -> AsyncIterator[SQLiteStorage]:
    db = SQLiteStorage(settings.database_path)
    yield db  # type: ignore[misc]
    db.close()


@asynccontextmanager
async def start_bot(
    settings: Settings,
    assistant: Any,
    storage: Any,
    *,
    base_url: str,
    today: date = TODAY,
    **options: Any,
) -> AsyncIterator[BotApplication]:
    """Run a real Application (polling) against a loopback Bot API, then stop it cleanly."""
    if not base_url.startswith("http://127.0.0.1:") or settings.bot_api_base_url != base_url:
        raise AssertionError(f"tests must talk to the loopback fake, not {base_url!r}")
    options.setdefault("request_timeout", 1.0)
    app = build_application(settings, assistant, storage, today=lambda: today, **options)
    await app.initialize()
    await setup_bot(app)  # what run_polling's post_init does
    assert app.updater is not None
    await app.updater.start_polling(poll_interval=0, timeout=1)
    await app.start()
    try:
        yield app
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()


@pytest.fixture
def bot_factory(
    bot_api: FakeBotAPI, settings: Settings, assistant: Assistant, storage: SQLiteStorage
) -> Callable[..., Any]:
    """start_bot with this test's fake, settings and database; options go to build_application."""

    def factory(**options: Any) -> Any:
        return start_bot(settings, assistant, storage, base_url=bot_api.base_url, **options)

    return factory


@pytest.fixture
async def running_bot(bot_factory: Callable[..., Any]) -> AsyncIterator[BotApplication]:
    async with bot_factory() as app:
        yield app
