"""Fixtures for end-to-end Telegram tests: the real Application against FakeBotAPI.

Every bot in these tests is built by `start_bot`, which insists on a loopback base URL, so no
test can reach api.telegram.org by accident (ptb's OfflineRequest idea, at our boundary).
"""

from __future__ import annotations

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
from bot.testing.fake_bot_api import TOKEN, FakeBotAPI, SentCall

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


@pytest.fixture
async def idle_bot(
    bot_api: FakeBotAPI, settings: Settings, assistant: Assistant, storage: SQLiteStorage
) -> AsyncIterator[BotApplication]:
    """The production Application against the fake, built but not initialised and never
    polling: every Bot API request it makes is the test's own."""
    assert settings.bot_api_base_url == bot_api.base_url  # loopback only, as in start_bot
    app = build_application(settings, assistant, storage, today=lambda: TODAY,
                            request_timeout=1.0)
    try:
        yield app
    finally:
        await app.shutdown()
        await app.bot.shutdown()  # what an initialize that failed half-way opened


# ---------------------------------------------------------------- escalation (issue 4)
class ShiftedClock:
    """Real time plus a settable shift: the outbox waits in real time, retention jumps ahead."""

    def __init__(self) -> None:
        from datetime import timedelta

        self.shift = timedelta(0)

    def __call__(self) -> Any:
        from datetime import UTC, datetime

        return datetime.now(UTC) + self.shift


@pytest.fixture
def clock() -> ShiftedClock:
    return ShiftedClock()


@pytest.fixture
def escalation_bot(
    bot_api: FakeBotAPI, settings: Settings, assistant: Assistant, storage: SQLiteStorage,
    clock: ShiftedClock,
) -> Callable[..., Any]:
    """Start the bot with the escalation workflow: `async with escalation_bot() as (app, esc)`.

    Options: `db=` another storage on the same file (a restart), `options=` escalation
    Options; the rest goes to build_application. Retries are fast (milliseconds)."""
    from datetime import timedelta

    from bot.adapters.telegram.escalation import (
        Escalation,
        Options,
        build_escalating_application,
    )
    from bot.escalation.outbox import RetryPolicy

    bot_api.staff_chat_id = STAFF_CHAT_ID
    fast = Options(
        policy=RetryPolicy(
            base=timedelta(milliseconds=50),
            cap=timedelta(milliseconds=200),
            staff_wait=timedelta(milliseconds=200),
        )
    )

    @asynccontextmanager
    async def start(
        *, db: Any = None, options: Options | None = None, **app_options: Any
    ) -> AsyncIterator[tuple[BotApplication, Escalation]]:
        db = db or storage
        escalation = Escalation(
            settings, db, assistant, clock=clock, today=lambda: TODAY, options=options or fast
        )
        app_options.setdefault("request_timeout", 1.0)
        app = build_escalating_application(
            settings, db, escalation, today=lambda: TODAY, **app_options
        )
        await app.initialize()
        await setup_bot(app)
        await escalation.start(app)  # what run_polling's post_init does
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=1)
        await app.start()
        try:
            yield app, escalation
        finally:
            await app.updater.stop()
            await app.stop()
            await escalation.stop()
            await app.shutdown()

    return start


async def until(condition: Callable[[], bool], timeout: float = 5.0) -> None:  # noqa: ASYNC109 - reads like next_call(timeout=)
    """Wait for a storage condition the bot reaches after its last Telegram call (e.g. an
    outbox row marked sent once Telegram's answer came back)."""
    import asyncio

    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(0.01)


class Chat:
    """One person talking to the bot: says or presses, then reads the bot's next message."""

    def __init__(self, api: FakeBotAPI, chat_id: int, lang: str) -> None:
        self.api, self.chat_id, self.lang = api, chat_id, lang
        self.last: SentCall | None = None

    async def says(self, text: str) -> SentCall:
        self.api.user_says(self.chat_id, text, language_code=self.lang)
        return await self._read()

    async def presses(self, label: str) -> SentCall:
        assert self.last is not None
        self.api.user_presses(self.chat_id, self.last.message_id, label=label,
                              language_code=self.lang)
        return await self._read()

    async def _read(self) -> SentCall:
        self.last = await self.api.next_call("sendMessage", chat_id=self.chat_id)
        return self.last

    async def verdict(self, label: str) -> SentCall:
        """Press the last answer; the verdict may come in several parts (Telegram's 4,096
        characters), the buttons on the last one: all parts' text, the last part's buttons."""
        parts = [await self.presses(label)]
        while not parts[-1].get("reply_markup"):
            parts.append(await self._read())
        whole = SentCall(parts[-1])
        whole["text"] = "\n\n".join(p["text"] for p in parts)
        whole.result = parts[-1].result
        return whole
