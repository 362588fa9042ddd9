"""Telegram says 429, fails with 5xx, or does not answer: the user still gets the reply."""

from __future__ import annotations

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
