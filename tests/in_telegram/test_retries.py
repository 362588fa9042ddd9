"""Telegram says 429, fails with 5xx, or does not answer: the user still gets the reply."""

from __future__ import annotations

import pytest
from telegram.error import BadRequest, NetworkError, RetryAfter

QUESTION = "hoeveel onkostenvergoeding mag ik per dag krijgen"


async def test_reply_survives_flood_limit_from_telegram(bot_api, running_bot):
    """When Telegram answers 429, the bot waits retry_after and the user still gets the answer."""
    bot_api.fail_next("sendMessage", status=429, retry_after=1)
    bot_api.user_says(42, QUESTION)

    sent = await bot_api.next_call("sendMessage", chat_id=42, timeout=5)

    assert sent.vote_buttons() == ["👍", "👎"]
    assert [c.status for c in bot_api.attempts("sendMessage")] == [429, 200]


async def test_reply_survives_server_errors(bot_api, running_bot):
    """Two 5xx answers in a row from Telegram do not cost the user their answer."""
    bot_api.fail_next("sendMessage", status=502)
    bot_api.fail_next("sendMessage", status=500)
    bot_api.user_says(42, QUESTION)

    sent = await bot_api.next_call("sendMessage", chat_id=42, timeout=5)

    assert sent.vote_buttons() == ["👍", "👎"]
    assert [c.status for c in bot_api.attempts("sendMessage")] == [502, 500, 200]


async def test_reply_survives_a_request_that_times_out(bot_api, running_bot):
    """A sendMessage that hangs past the read timeout is sent again and arrives."""
    bot_api.hang_next("sendMessage", seconds=3)
    bot_api.user_says(42, QUESTION)

    sent = await bot_api.next_call("sendMessage", chat_id=42, timeout=8)

    assert sent.vote_buttons() == ["👍", "👎"]
    assert len(bot_api.attempts("sendMessage")) >= 2
    assert len(bot_api.calls("sendMessage", chat_id=42)) == 1


async def test_polling_recovers_from_a_failed_get_updates(bot_api, running_bot):
    """If fetching updates fails once, the bot keeps polling and answers the next message."""
    bot_api.fail_next("getUpdates", status=502)
    bot_api.user_says(42, "/help")

    sent = await bot_api.next_call("sendMessage", chat_id=42, timeout=8)

    assert "/onderwerpen" in sent["text"]


async def test_a_request_telegram_refuses_is_not_sent_again(bot_api, idle_bot):
    """A 400 is Telegram's answer, not a network failure: one attempt, and the error is raised."""
    await idle_bot.initialize()
    bot_api.fail_next("sendMessage", status=400, description="Bad Request: can't parse entities")

    with pytest.raises(BadRequest):
        await idle_bot.bot.send_message(42, "<b>unclosed")

    assert [c.status for c in bot_api.attempts("sendMessage")] == [400]


async def test_a_failed_get_updates_is_left_to_the_updaters_own_retries(bot_api, idle_bot):
    """The rate limiter does not retry getUpdates (ptb's Updater has its own loop for that):
    two failures in a row are two errors for the Updater, not one call retried."""
    await idle_bot.initialize()
    bot_api.fail_next("getUpdates", status=502, times=2)

    for _ in range(2):
        with pytest.raises(NetworkError):
            await idle_bot.bot.get_updates(timeout=0)

    assert await idle_bot.bot.get_updates(timeout=0) == ()


async def test_a_call_can_ask_for_fewer_flood_retries(bot_api, idle_bot):
    """ptb's per-call `rate_limit_args` sets how many 429s that call waits out (here one)."""
    await idle_bot.initialize()
    bot_api.fail_next("sendMessage", status=429, retry_after=1, times=2)

    with pytest.raises(RetryAfter):
        await idle_bot.bot.send_message(42, "one wait only", rate_limit_args=1)

    assert [c.status for c in bot_api.attempts("sendMessage")] == [429, 429]
