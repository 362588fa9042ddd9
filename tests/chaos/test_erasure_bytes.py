"""Chaos suite, erasure and retention: after /vergeet, and after the retention period, no
raw byte of what a user or the staff wrote is left in the database, its -wal or its -shm,
also when every connection starts with `PRAGMA secure_delete=0` (issue 12, the table's
erasure row). Driven end to end: the real Application, the fake Bot API, a SQLite file."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from bot.adapters.telegram.app import setup_bot
from bot.adapters.telegram.escalation import Escalation, Options, build_escalating_application
from bot.core.assistant import Assistant, load_assistant
from bot.core.render import Centre
from bot.escalation.outbox import RetryPolicy
from bot.settings import Settings
from bot.storage.sqlite import SQLiteStorage
from bot.testing.fake_bot_api import TOKEN, FakeBotAPI
from tests.disk_copies import connections_start_without_secure_delete, copies_on_disk

pytestmark = pytest.mark.chaos

TODAY = date(2026, 3, 2)
STAFF = -1009999
USER = 42
CENTRE = "Expertisecentrum Vrijwilligerswerk"
# What each person wrote, with a marker that occurs nowhere else.
PLAIN = "QPLAINmarker4417"  # a question the assistant answers itself
QUESTION = "QTICKETmarker8826"  # the question sent to the staff
DETAIL = "QDETAILmarker1093"  # a detail typed before sending
ADDITION = "QADDITIONmarker5520"  # a message added to the open ticket
ANSWER = "QSTAFFmarker3361"  # the staff member's answer
MARKERS = (PLAIN, QUESTION, DETAIL, ADDITION, ANSWER)


class Clock:
    def __init__(self) -> None:
        self.shift = timedelta(0)

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.shift


@pytest.fixture(scope="module")
def assistant() -> Assistant:
    return load_assistant(today=TODAY, centre=Centre({"nl": CENTRE, "fr": CENTRE}, "info@x.be"))


@pytest.fixture
async def fake() -> AsyncIterator[FakeBotAPI]:
    api = FakeBotAPI()
    api.staff_chat_id = STAFF
    await api.start()
    yield api
    await api.stop()


@pytest.fixture(params=["SQLite's default here", "connections start with secure_delete=0"])
def start(request, monkeypatch):
    if request.param != "SQLite's default here":
        connections_start_without_secure_delete(monkeypatch)
    return request.param


@asynccontextmanager
async def running(fake: FakeBotAPI, path: Any, assistant: Assistant, clock: Clock):
    settings = Settings.from_env({
        "BOT_TOKEN": TOKEN, "BOT_API_BASE_URL": fake.base_url,
        "DATABASE_URL": f"sqlite:///{path}", "STAFF_CHAT_ID": str(STAFF),
        "CENTRE_NAME": CENTRE, "CENTRE_CONTACT": "info@x.be", "DEFAULT_LANGUAGE": "nl",
    })
    storage = SQLiteStorage(path)
    fast = RetryPolicy(base=timedelta(milliseconds=50), cap=timedelta(milliseconds=200),
                       staff_wait=timedelta(milliseconds=200))
    escalation = Escalation(settings, storage, assistant, clock=clock, today=lambda: TODAY,
                            options=Options(policy=fast))
    app = build_escalating_application(settings, storage, escalation, today=lambda: TODAY,
                                       request_timeout=2.0)
    await app.initialize()
    await setup_bot(app)
    await escalation.start(app)
    assert app.updater is not None
    await app.updater.start_polling(poll_interval=0, timeout=1)
    await app.start()
    try:
        yield escalation, storage
    finally:
        await app.updater.stop()
        await app.stop()
        await escalation.stop()
        await app.shutdown()
        storage.close()


async def converse(fake: FakeBotAPI) -> None:
    """A plain question answered; a question with a detail sent to the staff, an addition,
    the staff's answer relayed: every marker reaches the bot and its database."""
    fake.user_says(USER, f"hoeveel onkostenvergoeding mag ik per dag krijgen {PLAIN}")
    answered = await fake.next_call("sendMessage", chat_id=USER)
    assert answered.vote_buttons() == ["👍", "👎"], answered["text"]
    fake.user_says(USER, "/medewerker")
    await fake.next_call("sendMessage", chat_id=USER)
    fake.user_says(USER, f"Wie betaalt de schade als een vrijwilliger valt? {QUESTION}")
    await fake.next_call("sendMessage", chat_id=USER)
    fake.user_says(USER, f"Het gaat om vzw De Boot. {DETAIL}")
    prompt = await fake.next_call("sendMessage", chat_id=USER)
    assert QUESTION in prompt["text"] and DETAIL in prompt["text"]
    fake.user_presses(USER, prompt.message_id, label="✅ Versturen")
    await fake.next_call("sendMessage", chat_id=USER)  # the receipt
    ticket = await fake.next_call("sendMessage", chat_id=STAFF)
    fake.user_says(USER, f"Nog iets: het was op zaterdag. {ADDITION}")
    choose = await fake.next_call("sendMessage", chat_id=USER)
    add = [d for row in choose.buttons() for _, d in row if d.startswith("tk:add")]
    fake.user_presses(USER, choose.message_id, add[0])
    await fake.next_call("editMessageText", chat_id=USER)  # "added to ticket #1"
    await fake.next_call("sendMessage", chat_id=STAFF)  # the addition, under the ticket
    fake.staff_replies(ticket.message_id, f"De verzekering van de organisatie. {ANSWER}")
    relayed = await fake.next_call("sendMessage", chat_id=USER)
    assert ANSWER in relayed["text"]


def report(when: str, start: str, path: Any) -> dict[str, int]:
    left = copies_on_disk(path, *MARKERS)
    print(f"\nerasure row ({start}), {when}: copies of each marker on disk {left}")
    return left


async def test_after_vergeet_no_byte_of_the_conversation_is_on_disk(
    fake, assistant, tmp_path, start
):
    path = tmp_path / "bot.sqlite3"
    async with running(fake, path, assistant, Clock()):
        await converse(fake)
        before = copies_on_disk(path, *MARKERS)
        assert all(before.values()), before  # the test sees them while they are kept
        fake.user_says(USER, "/vergeet")
        confirm = await fake.next_call("sendMessage", chat_id=USER)
        fake.user_presses(USER, confirm.message_id, label="Ja, wis alles")
        done = await fake.next_call("editMessageText", chat_id=USER)
        assert "Gewist" in done["text"]
        assert report("after /vergeet", start, path) == dict.fromkeys(MARKERS, 0)
    assert report("after /vergeet and a clean stop", start, path) == dict.fromkeys(MARKERS, 0)


async def test_after_the_retention_period_no_byte_of_the_conversation_is_on_disk(
    fake, assistant, tmp_path, start
):
    path = tmp_path / "bot.sqlite3"
    clock = Clock()
    async with running(fake, path, assistant, clock) as (escalation, _storage):
        await converse(fake)
        assert all(copies_on_disk(path, *MARKERS).values())
        clock.shift = timedelta(days=escalation.options.retention_days + 1)
        assert escalation.maintain()  # the hourly sweep, now
        assert report("after retention", start, path) == dict.fromkeys(MARKERS, 0)
    assert report("after retention and a clean stop", start, path) == dict.fromkeys(MARKERS, 0)


async def test_a_plain_question_is_not_kept_once_handled(fake, assistant, tmp_path, start):
    """The README says questions the assistant answers are not stored: the inbox row loses
    the update at once, and the next hourly sweep leaves no copy in the files."""
    path = tmp_path / "bot.sqlite3"
    clock = Clock()
    async with running(fake, path, assistant, clock) as (escalation, storage):
        fake.user_says(USER, f"hoeveel onkostenvergoeding mag ik per dag krijgen {PLAIN}")
        await fake.next_call("sendMessage", chat_id=USER)
        fake.user_says(USER, "/start")  # the question's update is marked handled by now
        await fake.next_call("sendMessage", chat_id=USER)
        kept = storage._db.execute(
            "SELECT COUNT(*) FROM inbox WHERE raw LIKE ?", (f"%{PLAIN}%",)
        ).fetchone()[0]
        assert kept == 0
        assert copies_on_disk(path, PLAIN)[PLAIN] > 0  # still in the WAL's page images
        clock.shift = timedelta(hours=1)
        escalation.maintain()
        assert report("plain question, after the next sweep", start, path)[PLAIN] == 0
