"""Several replicas on one PostgreSQL: each update, ticket number and outbox row counts once.

Each "replica" is its own PostgresStorage (its own connection and lease owner) on one fresh
database of the test server (tests/storage_backends.py; skipped with the reason without one).
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.escalation.outbox import Outcome
from bot.escalation.records import Change, NewOutbox
from bot.storage.postgres import PostgresStorage
from bot.storage.schema import MIGRATIONS
from tests.storage_backends import postgres_database

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def url():
    with postgres_database() as database_url:
        yield database_url


@pytest.fixture
def replicas(url):
    first = PostgresStorage(url, owner="replica-a")
    second = PostgresStorage(url, owner="replica-b")
    yield first, second
    first.close()
    second.close()


def _open_ticket(db, source):
    ticket, _ = db.create_draft(
        chat_id=42, user_id=42, language="nl", question="Vraag?", topic=None, candidates=[],
        source_key=source, now=NOW,
    )
    return db.apply(
        Change(ticket.id, frozenset({"draft"}), "open", NOW, assign_number=True,
               outbox=[NewOutbox(f"t:{ticket.id}:staff", "staff", -100, "sendMessage",
                                 {"text": "Ticket"})])
    )


def test_an_update_stored_by_one_replica_is_refused_by_the_other(replicas):
    """A redelivered update (to another replica behind the load balancer) is handled once."""
    a, b = replicas
    assert a.inbox_record(1001, 42, "{}", now=NOW) is True
    assert b.inbox_record(1001, 42, "{}", now=NOW) is False


def test_ticket_numbers_are_unique_when_replicas_confirm_at_the_same_time(url):
    """Twenty confirmations from four replicas at once get twenty different numbers."""
    stores = [PostgresStorage(url, owner=f"r{n}") for n in range(4)]
    numbers: list[int] = []
    lock = threading.Lock()

    def confirm(db, n):
        for i in range(5):
            ticket = _open_ticket(db, f"m:{n}:{i}")
            with lock:
                numbers.append(ticket.number)

    threads = [threading.Thread(target=confirm, args=(db, n)) for n, db in enumerate(stores)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for db in stores:
        db.close()
    assert len(numbers) == 20 and len(set(numbers)) == 20


def test_each_outbox_row_is_handed_to_one_replica_only(replicas):
    """While one replica holds the pending rows, the other gets none of them."""
    a, b = replicas
    for n in range(3):
        _open_ticket(a, f"m:1:{n}")
    taken_by_a = a.pending_outbox()
    assert len(taken_by_a) == 3
    assert b.pending_outbox() == []
    assert [r.id for r in a.pending_outbox()] == [r.id for r in taken_by_a]  # renewed


def test_a_crashed_replicas_rows_are_taken_over_when_its_lease_expires(replicas):
    """Rows leased by a replica that died are sent by another one after the lease."""
    a, b = replicas
    _open_ticket(a, "m:1:1")
    assert len(a.pending_outbox()) == 1
    b._db.execute(  # the lease ran out: as if LEASE passed without replica a renewing it
        "UPDATE outbox SET lease_until = ?", ((datetime.now(UTC) - timedelta(seconds=1))
                                             .isoformat(),)
    )
    assert len(b.pending_outbox()) == 1
    assert a.pending_outbox() == []


def test_retry_times_and_attempts_hold_across_replicas(replicas):
    """A 429 recorded by one replica (attempts, next attempt) is what the other one sees."""
    a, b = replicas
    _open_ticket(a, "m:1:1")
    (row,) = a.pending_outbox()
    later = NOW + timedelta(seconds=30)
    a.mark_attempt(row.id, Outcome("pending", 1, later), "RetryAfter")
    a._db.execute("UPDATE outbox SET lease_until = NULL, lease_owner = NULL")  # a crashed
    (seen,) = b.pending_outbox()
    assert seen.attempts == 1 and seen.next_attempt_at == later


def test_sent_rows_are_not_handed_out_again(replicas):
    a, b = replicas
    _open_ticket(a, "m:1:1")
    (row,) = a.pending_outbox()
    a.mark_sent(row.id, 77, now=NOW)
    assert a.pending_outbox() == [] and b.pending_outbox() == []


def test_replicas_starting_together_migrate_once(url):
    """Concurrent starts on an empty database leave one schema at the current version."""
    errors: list[BaseException] = []

    def start():
        try:
            PostgresStorage(url).close()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=start) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    db = PostgresStorage(url)
    assert db.schema_version == len(MIGRATIONS)
    db.close()


def test_a_database_newer_than_the_code_is_refused(url):
    db = PostgresStorage(url)
    db._db.execute("UPDATE schema_version SET version = ?", (len(MIGRATIONS) + 1,))
    db.close()
    with pytest.raises(RuntimeError, match="newer than this code"):
        PostgresStorage(url)


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_python_m_bot_migrate_brings_the_database_to_the_current_version(kind, tmp_path):
    """`python -m bot migrate` creates the schema on SQLite and PostgreSQL alike."""
    if kind == "sqlite":
        run = _migrate(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    else:
        with postgres_database() as database_url:
            run = _migrate(database_url)
    assert run.returncode == 0, run.stderr
    assert f"database schema at version {len(MIGRATIONS)}" in run.stdout


def test_migrate_names_an_unreachable_database_without_its_password():
    run = _migrate("postgresql://bot:hunter2@127.0.0.1:1/bot")
    assert run.returncode == 2
    assert "DATABASE_URL" in run.stderr and "hunter2" not in run.stderr


def _migrate(database_url):
    env = {**os.environ, "DATABASE_URL": database_url}
    return subprocess.run(
        [sys.executable, "-m", "bot", "migrate"], cwd=ROOT, env=env, capture_output=True,
        text=True, timeout=120, check=False,
    )


def test_counting_the_backlog_for_metrics_takes_no_row_away(replicas):
    """A replica being scraped for /metrics counts pending rows without leasing them."""
    a, b = replicas
    _open_ticket(a, "m:1:1")
    count, oldest = a.outbox_backlog()
    assert count == 1 and oldest == NOW
    assert len(b.pending_outbox()) == 1


def _lease_runs_out(db):
    """As if a lease's time passed without its replica renewing it."""
    db._db.execute(
        "UPDATE outbox SET lease_until = ?", ((datetime.now(UTC) - timedelta(seconds=1))
                                             .isoformat(),)
    )


def test_a_row_taken_over_during_a_long_pass_is_left_to_the_new_replica(replicas):
    """A pass that outlives its lease (the staff group's 20 messages a minute) does not send
    a row another replica took over meanwhile: one of them claims it, not both."""
    a, b = replicas
    _open_ticket(a, "m:1:1")
    (row,) = a.pending_outbox()  # A's pass starts, then waits behind other staff posts
    _lease_runs_out(a)
    assert [r.id for r in b.pending_outbox()] == [row.id]  # B takes it over
    assert a.claim_outbox(row.id) is False  # A reaches the row at last and leaves it
    assert b.claim_outbox(row.id) is True


def test_claiming_a_row_renews_the_lease_for_the_send(replicas):
    """Right before a send the lease is renewed, so no other replica takes the row mid-call."""
    a, b = replicas
    _open_ticket(a, "m:1:1")
    (row,) = a.pending_outbox()
    _lease_runs_out(a)
    assert a.claim_outbox(row.id) is True  # nobody took it yet: still A's, for a whole lease
    assert b.pending_outbox() == []


def test_a_sent_row_cannot_be_claimed(replicas):
    a, _ = replicas
    _open_ticket(a, "m:1:1")
    (row,) = a.pending_outbox()
    a.mark_sent(row.id, 77, now=NOW)
    assert a.claim_outbox(row.id) is False


def test_the_outbox_lease_is_the_configured_one(url):
    """OUTBOX_LEASE_SECONDS reaches the storage: rows are leased for that long."""
    from bot.settings import Settings
    from bot.storage import open_storage

    settings = Settings.from_env({"OUTBOX_LEASE_SECONDS": "7", "DATABASE_URL": url},
                                 command="chat")
    db = open_storage(url, outbox_lease=settings.outbox_lease)
    try:
        _open_ticket(db, "m:1:1")
        before = datetime.now(UTC)
        db.pending_outbox()
        (until,) = db._db.execute("SELECT lease_until FROM outbox").fetchone()
        leased = datetime.fromisoformat(until) - before
        assert timedelta(seconds=6) < leased <= timedelta(seconds=8)
    finally:
        db.close()


async def test_the_sender_sends_nothing_another_replica_took_over(replicas):
    """End to end with the real sender and the fake Bot API: A's stale pass sends nothing,
    B's sends the row once."""
    from telegram import Bot

    from bot.adapters.telegram.sender import TelegramTransport
    from bot.escalation.outbox_worker import OutboxWorker
    from bot.storage.offloop import StorageCalls
    from bot.testing.fake_bot_api import TOKEN, FakeBotAPI

    def worker(storage):  # as Workflow.deliver_through starts it
        return OutboxWorker(TelegramTransport(bot), storage, db=StorageCalls(storage),
                            clock=lambda: NOW)

    a, b = replicas
    telegram = FakeBotAPI()
    await telegram.start()
    bot = Bot(TOKEN, base_url=telegram.base_url.replace("{token}", ""))
    try:
        await bot.initialize()
        _open_ticket(a, "m:1:1")
        (stale,) = a.pending_outbox()
        _lease_runs_out(a)
        assert len(b.pending_outbox()) == 1
        assert await worker(a).deliver(stale) is False
        assert telegram.calls("sendMessage") == []
        assert await worker(b).flush() == 1
        assert len(telegram.calls("sendMessage", chat_id=-100)) == 1
    finally:
        await bot.shutdown()
        await telegram.stop()


@pytest.mark.parametrize(("value", "problem"), [
    ("0", "OUTBOX_LEASE_SECONDS has value '0': must be at least 1."),
    ("a minute", "OUTBOX_LEASE_SECONDS has value 'a minute': not a whole number."),
])
def test_the_outbox_lease_setting_is_validated_at_start(value, problem):
    from bot.settings import Settings, SettingsError

    assert Settings.from_env({}, command="chat").outbox_lease == timedelta(seconds=60)
    with pytest.raises(SettingsError) as raised:
        Settings.from_env({"OUTBOX_LEASE_SECONDS": value}, command="chat")
    assert problem in raised.value.problems
