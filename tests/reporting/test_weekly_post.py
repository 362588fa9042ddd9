"""The weekly post without Telegram: the week before today becomes three staff-group posts in
the outbox, once, and nothing is queued without a staff group."""

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.adapters.report.weekly import WeeklyPost
from bot.escalation.desk import Desk
from bot.settings import Settings
from bot.storage.sqlite import SQLiteStorage
from bot.testing.fake_bot_api import TOKEN
from bot.testing.report_history import fill_storage, generate_history

NOW = datetime(2026, 3, 2, 7, 30, tzinfo=UTC)  # a Monday morning in Brussels
STAFF_CHAT = -100


def say(lang, name, **context):
    return f"{lang}/{name}"


@pytest.fixture
def db(tmp_path):
    storage = SQLiteStorage(tmp_path / "bot.sqlite3")
    fill_storage(storage, generate_history(NOW.date() - timedelta(days=20), NOW.date(), now=NOW))
    yield storage
    storage.close()


def desk_for(db, assistant, staff_chat):
    return Desk(db, assistant, say, clock=lambda: NOW, today=lambda: NOW.date(),
                split=lambda text: [text], configured_staff_chat=staff_chat)


def weekly(assistant):
    settings = Settings.from_env({"BOT_TOKEN": TOKEN, "CENTRE_NAME": "C", "CENTRE_CONTACT": "c"})
    return WeeklyPost(settings, assistant, clock=lambda: NOW)


async def test_the_week_before_becomes_photo_summary_and_page_queued_once(db, assistant):
    desk = desk_for(db, assistant, STAFF_CHAT)
    post = weekly(assistant)

    assert await post.post_week(desk, db)
    assert not await post.post_week(desk, db)  # a second run (a restart, a replica)

    week = f"report:{date(2026, 3, 1).isoformat()}"
    rows = [r for r in db.pending_outbox() if r.key.startswith("report:")]
    assert sorted(r.key for r in rows) == sorted(
        f"{week}:{what}" for what in ("photo", "summary", "document")
    )
    assert {r.chat_id for r in rows} == {STAFF_CHAT}


async def test_without_a_staff_group_nothing_is_queued(db, assistant):
    assert not await weekly(assistant).post_week(desk_for(db, assistant, None), db)
    assert not [r for r in db.pending_outbox() if r.key.startswith("report:")]
