"""An external write lock held 30 s (reduced: CHAOS_SCALE), and poison outbox rows of each
kind: the bot keeps running (its event loop keeps turning), logs the wait and handles every
update after the lock is released; poison rows are tried a bounded number of times, marked
failed, the other rows delivered, and the sender uses under 5% of a CPU meanwhile."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import time
from datetime import UTC, datetime, timedelta

from bot.escalation.outbox import RetryPolicy
from bot.escalation.records import NewOutbox
from tests.chaos.conftest import running_bot
from tests.chaos.figures import record, scale, until

QUESTION = "Ben ik verzekerd als vrijwilliger?"


async def loop_ticks(stop: asyncio.Event, gaps: list[float], every: float = 0.05) -> None:
    """How late the event loop runs a task that asks to wake every 50 ms."""
    loop = asyncio.get_running_loop()
    while not stop.is_set():
        before = loop.time()
        await asyncio.sleep(every)
        gaps.append(loop.time() - before - every)


async def test_an_external_write_lock_is_waited_out(fake, tmp_path, chaos_assistant, caplog):
    caplog.set_level(logging.WARNING)
    held = 30.0 * scale() if scale() < 1 else 30.0
    held = max(held, 6.0)  # longer than SQLite's 5 s busy timeout, always
    chats = list(range(3000, 3010))
    async with running_bot(fake, tmp_path, chaos_assistant) as (_, _, storage):
        stop, gaps = asyncio.Event(), []
        ticker = asyncio.create_task(loop_ticks(stop, gaps))
        lock = sqlite3.connect(str(storage.path), isolation_level=None)
        lock.execute("BEGIN IMMEDIATE")
        locked_at = time.monotonic()
        for chat in chats:
            fake.user_says(chat, QUESTION)
        await asyncio.sleep(held)
        lock.execute("COMMIT")
        lock.close()
        released = time.monotonic()
        answered = [await fake.next_call("sendMessage", chat_id=c, timeout=30) for c in chats]
        after = time.monotonic() - released
        fake.user_says(chats[0], QUESTION)
        again = await fake.next_call("sendMessage", chat_id=chats[0], timeout=10)
        stop.set()
        await ticker
        unhandled = storage.inbox_unhandled()
    waits_logged = caplog.text.count("database locked")
    record(
        "write lock",
        f"held {released - locked_at:.1f} s with {len(chats)} questions waiting: answered "
        f"{len(answered)}/{len(chats)} within {after:.2f} s of the release, next question "
        f"answered {bool(again['text'])}; event loop late by at most {max(gaps):.3f} s "
        f"during the lock; {waits_logged} wait lines logged; unhandled inbox rows "
        f"{len(unhandled)}",
    )
    assert len(answered) == len(chats)
    assert waits_logged >= 1
    assert max(gaps) < 1.0  # the loop never blocks on the lock (generous: one 50 ms tick)
    assert unhandled == []


POISON = {
    "no text": ("sendMessage", {}),
    "bad keyboard": ("sendMessage", {"text": "x", "reply_markup": {"inline_keyboard": 5}}),
    "unknown method": ("sendCarrierPigeon", {"text": "x"}),
    "unreadable answer": ("sendMessage", {"text": "garbled every time"}),
    "edit of a bad id": ("editMessageText", {"text": "x", "message_id": "not a number"}),
}


async def test_poison_rows_are_bounded_and_cost_no_cpu(fake, tmp_path, chaos_assistant):
    policy = RetryPolicy(base=timedelta(seconds=1), cap=timedelta(seconds=2), max_attempts=4)
    now = datetime.now(UTC)
    async with running_bot(fake, tmp_path, chaos_assistant, policy=policy,
                           network_retries=0) as (_, escalation, storage):
        fake.garble_next("sendMessage", chat_id=4003, times=policy.max_attempts)
        rows = []
        for n, (method, payload) in enumerate(POISON.values()):
            rows.append(NewOutbox(f"poison{n}", "user", 4000 + n, method, payload))
            rows.append(NewOutbox(f"after{n}", "user", 4000 + n, "sendMessage",
                                  {"text": f"na {n}"}))
            rows.append(NewOutbox(f"other{n}", "user", 4100 + n, "sendMessage",
                                  {"text": f"ander {n}"}))
        storage.enqueue(rows, ticket_id=None, now=now)
        escalation.kick()
        await asyncio.sleep(0.5)  # the first attempts and the healthy rows go out
        # While only the poison rows are left, retried with backoff: what does it cost?
        cpu, wall = time.process_time(), time.monotonic()
        await asyncio.sleep(4)
        retrying = (time.process_time() - cpu) / (time.monotonic() - wall)
        await until(
            lambda: all(storage.outbox_row(r.key).status != "pending" for r in rows), 30
        )
        cpu, wall = time.process_time(), time.monotonic()
        await asyncio.sleep(1)
        idle = (time.process_time() - cpu) / (time.monotonic() - wall)
        outcome = {k: (storage.outbox_row(f"poison{n}").status,
                       storage.outbox_row(f"poison{n}").attempts)
                   for n, k in enumerate(POISON)}
        others = [storage.outbox_row(r.key).status for r in rows
                  if not r.key.startswith("poison")]
    record(
        "poison rows",
        f"(status, attempts) {outcome}; other rows sent {others.count('sent')}/{len(others)}; "
        f"CPU of the whole test process (bot and fake server) {retrying:.1%} while the poison "
        f"rows were retried (backoff from 1 s), {idle:.1%} once they had failed",
    )
    assert all(status == "failed" for status, _ in outcome.values())
    assert all(attempts <= policy.max_attempts for _, attempts in outcome.values())
    assert others.count("sent") == len(others)
    assert retrying < 0.05 and idle < 0.05
