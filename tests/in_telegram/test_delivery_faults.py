"""A message that cannot go out never loops, never blocks the others, and a database lock never
silences the bot (issue 12, items 1–3)."""

import asyncio
import logging
import sqlite3
from datetime import UTC, datetime, timedelta

import pytest
from conftest import STAFF_CHAT_ID, until
from test_escalation_round_trip import NL_QUESTION, USER

from bot.adapters.telegram.escalation import Options
from bot.escalation.outbox import RetryPolicy
from bot.escalation.records import NewOutbox

OTHER = 77
POISON = {
    "no text": ("sendMessage", {"reply_markup": None}),
    "bad keyboard": ("sendMessage", {"text": "Hallo", "reply_markup": {"inline_keyboard": 5}}),
    "unknown method": ("sendCarrierPigeon", {"text": "Hallo"}),
}
QUESTION = "Ben ik verzekerd als vrijwilliger?"


def fast(**policy):
    """The conftest's millisecond backoff, with other limits."""
    ms = timedelta(milliseconds=50)
    return Options(policy=RetryPolicy(base=ms, cap=4 * ms, staff_wait=4 * ms, **policy))


def queue(storage, key, chat_id, method="sendMessage", payload=None):
    row = NewOutbox(key, "user", chat_id, method, payload or {"text": f"bericht {key}"})
    storage.enqueue([row], ticket_id=None, now=datetime.now(UTC))


def texts(bot_api, chat_id):
    return [c["text"] for c in bot_api.calls("sendMessage", chat_id=chat_id)]


@pytest.mark.parametrize("kind", list(POISON))
async def test_a_poison_row_is_tried_a_few_times_then_failed_and_the_rest_go_out(
    bot_api, escalation_bot, storage, kind
):
    """A row that fails before Telegram even sees it (no text, a broken keyboard, a method
    that does not exist) is attempted a bounded number of times, ends as failed, and the
    messages queued behind it, in its chat and in others, are delivered."""
    method, payload = POISON[kind]
    queue(storage, "poison", USER, method, payload)
    queue(storage, "after", USER)
    queue(storage, "other", OTHER)
    async with escalation_bot():
        await until(lambda: storage.outbox_row("after").status == "sent", timeout=10)
        await until(lambda: storage.outbox_row("other").status == "sent")
    poison = storage.outbox_row("poison")
    assert poison.status == "failed"
    assert poison.attempts == RetryPolicy().max_internal_attempts
    assert texts(bot_api, USER) == ["bericht after"]  # in order: after the poison gave up
    assert texts(bot_api, OTHER) == ["bericht other"]


async def test_the_bot_keeps_answering_while_a_poison_row_is_retried(
    bot_api, escalation_bot, storage
):
    """The outbox worker yields between attempts: a poison row does not freeze the bot."""
    queue(storage, "poison", OTHER, *POISON["no text"])
    async with escalation_bot():
        bot_api.user_says(USER, QUESTION)
        answer = await bot_api.next_call("sendMessage", chat_id=USER)
        assert "verzeker" in answer["text"].lower()
    assert storage.outbox_row("poison").attempts < RetryPolicy().max_internal_attempts + 1


async def test_an_unreadable_answer_counts_as_an_attempt_and_is_bounded(
    bot_api, escalation_bot, storage
):
    """Telegram delivers the message but its answer cannot be read, every time: the row is
    retried with backoff a bounded number of times, not in a loop (before: 177 copies in 5 s),
    and the other chat's message is delivered meanwhile."""
    bot_api.garble_next("sendMessage", chat_id=USER, times=50)
    queue(storage, "garbled", USER)
    queue(storage, "other", OTHER)
    async with escalation_bot(options=fast(max_attempts=4), network_retries=0):
        await until(lambda: storage.outbox_row("garbled").status == "failed", timeout=10)
        assert storage.outbox_row("other").status == "sent"
    assert storage.outbox_row("garbled").attempts == 4
    assert len(texts(bot_api, USER)) == 4  # each attempt was delivered: bounded, not 177


async def test_a_message_telegram_accepted_is_never_sent_again_while_its_mark_waits(
    bot_api, escalation_bot, storage, settings, caplog
):
    """Another connection holds the write lock when Telegram confirms a receipt: the "sent"
    mark waits for the lock (logged), and the receipt goes out exactly once."""
    caplog.set_level(logging.WARNING)
    async with escalation_bot():
        bot_api.user_says(USER, NL_QUESTION)
        prompt = await bot_api.next_call("sendMessage", chat_id=USER)
        lock = sqlite3.connect(settings.database_path, isolation_level=None)
        ticket_row = None

        def lock_when_receipt_is_sent(call):
            nonlocal ticket_row
            receipt = "ticket #1" in call.params.get("text", "")
            if call.method == "sendMessage" and receipt and ticket_row is None:
                ticket_row = call
                lock.execute("BEGIN IMMEDIATE")

        bot_api.listener = lock_when_receipt_is_sent
        send = [d for row in prompt.buttons() for _, d in row if d.startswith("tk:confirm")]
        bot_api.user_presses(USER, prompt.message_id, send[0])
        await until(lambda: ticket_row is not None, timeout=10)
        await asyncio.sleep(1.5)  # the lock is held this long
        lock.execute("COMMIT")
        lock.close()
        await bot_api.next_call("sendMessage", chat_id=STAFF_CHAT_ID, timeout=10)
        await until(lambda: storage.pending_outbox() == [], timeout=10)
    receipts = [t for t in texts(bot_api, USER) if "ticket #1" in t]
    assert len(receipts) == 1
    assert "database locked" in caplog.text


async def test_a_write_lock_longer_than_the_busy_timeout_does_not_silence_the_bot(
    bot_api, escalation_bot, storage, settings, caplog
):
    """While another process holds the database's write lock for 6 s (longer than SQLite's
    5 s busy timeout), the bot keeps running and logs the wait; every update that arrived
    meanwhile is answered once the lock is released, and so is the next one (before: the
    update-fetching task died and the bot never answered again)."""
    caplog.set_level(logging.WARNING)
    async with escalation_bot():
        lock = sqlite3.connect(settings.database_path, isolation_level=None)
        lock.execute("BEGIN IMMEDIATE")
        bot_api.user_says(USER, QUESTION)
        bot_api.user_says(OTHER, "Mag ik als werkloze vrijwilligerswerk doen?")
        await asyncio.sleep(6)
        lock.execute("COMMIT")
        lock.close()
        first = await bot_api.next_call("sendMessage", chat_id=USER, timeout=10)
        other = await bot_api.next_call("sendMessage", chat_id=OTHER, timeout=10)
        bot_api.user_says(USER, QUESTION)
        again = await bot_api.next_call("sendMessage", chat_id=USER, timeout=10)
    assert first["text"] and other["text"] and again["text"]
    assert "database locked" in caplog.text
    await until(lambda: storage.inbox_unhandled() == [])
