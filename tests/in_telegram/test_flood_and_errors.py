"""Flood control per user, the error handler, erasing one's data, and a clean log."""

from __future__ import annotations

import logging

from conftest import until

from bot.delivery.flood import FloodControl
from bot.testing.fake_bot_api import TOKEN


async def test_too_many_messages_get_one_slow_down_reply(bot_api, bot_factory):
    """The 21st message within a minute gets one polite 'slow down', later ones silence."""
    clock = [0.0]
    flood = FloodControl(limit=20, window=60.0, clock=lambda: clock[0])
    async with bot_factory(flood=flood):
        for _ in range(23):
            bot_api.user_sends(42, "sticker")
        bot_api.user_sends(43, "sticker")  # another user is not slowed down
        await bot_api.next_call("sendMessage", chat_id=43)
        # Chats are handled side by side: 42's replies may still be on their way.
        await until(lambda: len(bot_api.calls("sendMessage", chat_id=42)) >= 21)

        replies = [c["text"] for c in bot_api.calls("sendMessage", chat_id=42)]
        assert len(replies) == 21
        assert "meer dan 20 per minuut" in replies[-1]

        clock[0] = 61.0  # a minute later the user is welcome again
        bot_api.user_says(42, "/help")
        sent = await bot_api.next_call("sendMessage", chat_id=42, timeout=5)
        while "Zo gebruik je me" not in sent["text"]:
            sent = await bot_api.next_call("sendMessage", chat_id=42)


async def test_a_failing_handler_tells_the_user_and_logs_no_content(
    bot_api, bot_factory, caplog
):
    """When something breaks, the user hears so and the log has no message text or name."""

    async with bot_factory() as app:
        services = app.bot_data["services"]
        real_ask = services.assistant.ask

        def broken_ask(text, **kwargs):
            raise RuntimeError(f"boom on {text}")

        services.assistant = _Patched(services.assistant, ask=broken_ask)
        with caplog.at_level(logging.ERROR):
            bot_api.user_says(42, "mijn geheime vraag over Jan Janssens")
            sent = await bot_api.next_call("sendMessage", chat_id=42)
        services.assistant = _Patched(services.assistant, ask=real_ask)

    assert "er ging bij mij iets mis" in sent["text"]
    assert "RuntimeError" in caplog.text
    assert "geheime" not in caplog.text and "Janssens" not in caplog.text


class _Patched:
    """The real assistant with one method replaced."""

    def __init__(self, inner, **methods):
        self._inner = inner
        self.__dict__.update(methods)

    def __getattr__(self, name):
        return getattr(self._inner, name)


async def test_erase_command_forgets_the_chat_after_confirmation(
    bot_api, running_bot, storage, today
):
    """/vergeet asks first; 'Ja, wis alles' erases the chosen language and says so."""
    storage.set_chat_language(42, "nl", today=today)
    bot_api.user_says(42, "/vergeet")
    ask = await bot_api.next_call("sendMessage", chat_id=42)
    assert ask.labels() == ["Ja, wis alles", "Nee, behouden"]

    bot_api.user_presses(42, ask.message_id, label="Ja, wis alles")

    done = await bot_api.next_call("editMessageText", chat_id=42)
    assert "Gewist" in done["text"]
    assert storage.chat_language(42) is None
    assert bot_api.calls("deleteMyCommands")


async def test_oublier_can_be_cancelled(bot_api, running_bot, storage, today):
    """/oublier then 'Non, garder' keeps everything."""
    storage.set_chat_language(42, "fr", today=today)
    bot_api.user_says(42, "/oublier")
    ask = await bot_api.next_call("sendMessage", chat_id=42)

    bot_api.user_presses(42, ask.message_id, label="Non, garder")

    done = await bot_api.next_call("editMessageText", chat_id=42)
    assert "je n'efface rien" in done["text"]
    assert storage.chat_language(42) == "fr"


async def test_the_token_never_appears_in_the_logs(bot_api, bot_factory, caplog):
    """Even with HTTP request logging turned up, captured logs never contain the bot token."""
    caplog.set_level(logging.DEBUG)
    async with bot_factory():
        caplog.set_level(logging.DEBUG, logger="httpx")  # httpx logs every URL with the token
        bot_api.user_says(42, "/start")
        await bot_api.next_call("sendMessage", chat_id=42)
        logging.getLogger("bot.test").warning("something mentioned %s", TOKEN)

    assert "HTTP Request" in caplog.text  # the URLs were logged ...
    assert TOKEN not in caplog.text  # ... without the token
    assert TOKEN.split(":")[1] not in caplog.text
    assert "<redacted-token>" in caplog.text


async def test_httpx_request_logging_is_quiet_by_default(bot_api, running_bot):
    """The bot raises httpx's logger to WARNING, so request URLs are not logged at all."""
    assert logging.getLogger("httpx").level == logging.WARNING
