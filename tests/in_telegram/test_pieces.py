"""The Telegram face's small parts: settings, the message limit, storage, plug-ins."""

from __future__ import annotations

import sqlite3

import pytest
from telegram.constants import MessageLimit
from telegram.ext import CommandHandler

from bot.adapters.telegram.app import Plugin
from bot.delivery.split import LIMIT
from bot.settings import SETTINGS, Settings, SettingsError
from bot.storage.schema import MIGRATIONS
from bot.storage.sqlite import SQLiteStorage
from bot.testing.fake_bot_api import TOKEN


def test_every_settings_problem_is_listed_at_once():
    """A broken environment lists every problem, one clear line each, without the token."""
    with pytest.raises(SettingsError) as caught:
        Settings.from_env({
            "BOT_TOKEN": "not-a-token-secret",
            "STAFF_CHAT_ID": "abc",
            "DEFAULT_LANGUAGE": "en",
            "DATABASE_URL": "mysql://x",  # PostgreSQL and SQLite only
            "STAFF_USER_IDS": "1, two",
        })
    problems = caught.value.problems
    assert "STAFF_CHAT_ID has value 'abc': not an integer." in problems
    assert any(p.startswith("CENTRE_NAME is missing") for p in problems)
    assert any(p.startswith("CENTRE_CONTACT is missing") for p in problems)
    assert any(p.startswith("DEFAULT_LANGUAGE") for p in problems)
    assert any(p.startswith("DATABASE_URL") for p in problems)
    assert any("'two'" in p for p in problems)
    assert any(p.startswith("BOT_TOKEN does not look like") for p in problems)
    assert not any("not-a-token-secret" in p for p in problems)
    assert len(problems) == 7


@pytest.mark.parametrize("value", ["soon", "-5", "nan", "inf"])
def test_a_conversation_timeout_must_be_a_number_of_minutes(value):
    """CONVERSATION_TIMEOUT_MINUTES=soon (or negative) is one clear problem line."""
    environ = {"BOT_TOKEN": TOKEN, "CENTRE_NAME": "C", "CENTRE_CONTACT": "c@example.org"}
    with pytest.raises(SettingsError) as caught:
        Settings.from_env({**environ, "CONVERSATION_TIMEOUT_MINUTES": value})
    assert caught.value.problems == [
        f"CONVERSATION_TIMEOUT_MINUTES has value {value!r}: not a number of minutes (0 or more)."
    ]
    assert Settings.from_env(environ).conversation_timeout_minutes == 15
    assert Settings.from_env({**environ, "CONVERSATION_TIMEOUT_MINUTES": "0.5"}
                             ).conversation_timeout_minutes == 0.5


def test_defaults_fill_everything_but_the_required_settings():
    """With only token and centre set, the defaults give Telegram's URL and a SQLite file."""
    settings = Settings.from_env(
        {"BOT_TOKEN": TOKEN, "CENTRE_NAME": "C", "CENTRE_CONTACT": "c@example.org"}
    )
    assert settings.bot_api_base_url == "https://api.telegram.org/bot{token}"
    assert settings.database_url == "sqlite:///var/bot.sqlite3"
    assert settings.default_language == "nl"
    assert settings.staff_chat_id is None and settings.staff_user_ids == frozenset()
    assert (settings.knowledge_dir / "knowledge").is_dir()
    assert TOKEN not in repr(settings)
    assert [s.env for s in SETTINGS][:1] == ["BOT_TOKEN"]


def test_staff_user_ids_are_parsed():
    settings = Settings.from_env({
        "BOT_TOKEN": TOKEN, "CENTRE_NAME": "C", "CENTRE_CONTACT": "c", "STAFF_USER_IDS": "1, 22,",
    })
    assert settings.staff_user_ids == frozenset({1, 22})


def test_the_split_limit_is_telegrams():
    """The pure splitter's limit is the one ptb knows for a message's text."""
    assert LIMIT == MessageLimit.MAX_TEXT_LENGTH


def test_database_migrates_in_order_and_survives_reopening(tmp_path):
    """A new database gets every migration; reopening it applies none twice."""
    path = tmp_path / "nested" / "bot.sqlite3"
    db = SQLiteStorage(path)
    assert db.schema_version == len(MIGRATIONS)
    db.set_chat_language(1, "fr", today=__import__("datetime").date(2026, 1, 1))
    db.close()

    again = SQLiteStorage(path)
    assert again.chat_language(1) == "fr"
    again.erase_chat(1)
    assert again.chat_language(1) is None
    again.close()


def test_feedback_holds_no_chat_or_user(tmp_path):
    """A 👍 is stored as entry, vote, date and its ballot (a keyed hash) only."""
    from datetime import date

    db = SQLiteStorage(tmp_path / "bot.sqlite3")
    db.record_feedback("insurance.car.nl", -1, today=date(2026, 3, 2), ballot="b1")
    columns = [r[1] for r in db._db.execute("PRAGMA table_info(answer_feedback)")]
    assert columns == ["id", "entry_id", "vote", "day", "ballot"]
    db.close()


def test_newer_database_is_refused(tmp_path):
    """An older bot refuses a database written by a newer one rather than corrupting it."""
    path = tmp_path / "bot.sqlite3"
    raw = sqlite3.connect(path)
    raw.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    raw.close()
    with pytest.raises(RuntimeError, match="newer than this code"):
        SQLiteStorage(path)


async def test_plugin_handlers_and_commands_are_added(bot_api, bot_factory):
    """A plug-in (like the allowance conversation) adds its command, menu line and help line."""

    async def allowance(update, context):
        await update.effective_message.reply_text("vergoedingencheck")

    plugin = Plugin(
        name="allowance",
        register=lambda app: app.add_handler(CommandHandler(["vergoeding", "defraiement"],
                                                            allowance)),
        commands={"nl": [("vergoeding", "Check je vergoeding")],
                  "fr": [("defraiement", "Vérifier votre défraiement")]},
    )
    async with bot_factory(plugins=[plugin]):
        bot_api.user_says(42, "/vergoeding")
        assert (await bot_api.next_call("sendMessage", chat_id=42))["text"] == "vergoedingencheck"
        bot_api.user_says(42, "/help")
        assert "/vergoeding" in (await bot_api.next_call("sendMessage", chat_id=42))["text"]
    menus = {c.get("language_code"): [x["command"] for x in c["commands"]]
             for c in bot_api.calls("setMyCommands")}
    assert "vergoeding" in menus["nl"] and "defraiement" in menus["fr"]


async def test_fake_also_mounts_as_an_httpx_transport():
    """The fake answers without sockets too, for micro tests that do not need a server."""
    import httpx

    from bot.testing.fake_bot_api import FakeBotAPI

    fake = FakeBotAPI()
    async with httpx.AsyncClient(transport=fake.httpx_transport()) as client:
        me = (await client.post(f"http://fake/bot{TOKEN}/getMe")).json()
        wrong = await client.post("http://fake/bot1:wrong/getMe")
    assert me["result"]["is_bot"] is True
    assert wrong.status_code == 401
