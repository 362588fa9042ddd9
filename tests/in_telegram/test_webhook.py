"""Webhook mode, end to end: `python -m bot telegram` with WEBHOOK_URL set, as in production.

The bot runs as a real process; the loopback fake Bot API plays Telegram both ways: it
answers the bot's calls (setWebhook included) and posts updates to the bot's webhook, with
and without the secret header.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import CENTRE_CONTACT, CENTRE_NAME

from bot.settings import Settings, SettingsError
from bot.testing.fake_bot_api import TOKEN, FakeBotAPI

ROOT = Path(__file__).resolve().parents[2]
SECRET = "s3cret_for-the-webhook"
USER = 4711


class TelegramWithWebhooks(FakeBotAPI):
    """The fake, plus setWebhook, and updates handed to the test instead of getUpdates."""

    def __post_init__(self) -> None:
        super().__post_init__()
        self.webhook: dict[str, Any] = {}
        self.webhook_set = asyncio.Event()

    async def _api_setWebhook(self, params: dict[str, Any]) -> bool:
        self.webhook = params
        self.webhook_set.set()
        return True

    def take_update(self) -> dict[str, Any]:
        """The update a user action just produced, for the test to post to the webhook."""
        update = self.released[max(self.released)]
        self._updates.remove(update)
        return update


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
async def telegram() -> AsyncIterator[TelegramWithWebhooks]:
    fake = TelegramWithWebhooks()
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture
async def webhook_bot(
    telegram: TelegramWithWebhooks, tmp_path: Path
) -> AsyncIterator[tuple[str, str]]:
    """`python -m bot telegram` in webhook mode on a free loopback port; yields (webhook
    URL, server base URL) once the bot has registered its webhook with Telegram."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    assert telegram.base_url.startswith("http://127.0.0.1:")
    env = {
        **os.environ,
        "BOT_TOKEN": TOKEN,
        "BOT_API_BASE_URL": telegram.base_url,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'bot.sqlite3'}",
        "CENTRE_NAME": CENTRE_NAME,
        "CENTRE_CONTACT": CENTRE_CONTACT,
        "WEBHOOK_URL": f"{base}/telegram/hook",
        "WEBHOOK_LISTEN": "127.0.0.1",
        "WEBHOOK_PORT": str(port),
        "WEBHOOK_SECRET": SECRET,
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "telegram", cwd=ROOT, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    try:
        await asyncio.wait_for(telegram.webhook_set.wait(), 60)
        async with httpx.AsyncClient() as http:
            await _until_up(http, f"{base}/healthz")
        yield f"{base}/telegram/hook", base
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(process.communicate(), 30)
        assert TOKEN not in stderr.decode() and SECRET not in stderr.decode()


async def _until_up(http: httpx.AsyncClient, url: str) -> None:
    for _ in range(500):
        try:
            if (await http.get(url)).status_code == 200:
                return
        except httpx.TransportError:
            pass
        await asyncio.sleep(0.02)
    raise AssertionError(f"{url} never answered")


def _headers(secret: str | None) -> dict[str, str]:
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    return headers


async def test_the_bot_registers_its_webhook_with_the_secret_and_only_what_it_handles(
    telegram, webhook_bot
):
    """At start the bot tells Telegram its URL, the secret and the three update types."""
    hook, _ = webhook_bot
    assert telegram.webhook["url"] == hook
    assert telegram.webhook["secret_token"] == SECRET
    assert sorted(telegram.webhook["allowed_updates"]) == [
        "callback_query", "edited_message", "message",
    ]
    assert not telegram.calls("getUpdates")


async def test_an_update_with_the_secret_is_answered(telegram, webhook_bot):
    """Telegram posts a question with the right secret; the user gets the answer."""
    hook, _ = webhook_bot
    telegram.user_says(USER, "Is mijn vrijwilliger verzekerd?")
    async with httpx.AsyncClient() as http:
        posted = await http.post(hook, json=telegram.take_update(), headers=_headers(SECRET))
    assert posted.status_code == 200
    reply = await telegram.next_call("sendMessage", chat_id=USER, timeout=30)
    assert "verzeker" in reply["text"].lower()


@pytest.mark.parametrize("secret", [None, "wrong-secret"])
async def test_an_update_without_the_right_secret_gets_403_and_changes_nothing(
    telegram, webhook_bot, secret
):
    """A post without the secret header, or with a wrong one, is refused and not handled:
    the next genuine update is the first thing the user gets an answer to."""
    hook, _ = webhook_bot
    telegram.user_says(USER, "hallo")
    forged = telegram.take_update()
    async with httpx.AsyncClient() as http:
        refused = await http.post(hook, json=forged, headers=_headers(secret))
        assert refused.status_code == 403
        telegram.user_says(USER, "Is mijn vrijwilliger verzekerd?")
        genuine = telegram.take_update()
        assert (await http.post(hook, json=genuine, headers=_headers(SECRET))).status_code == 200
    reply = await telegram.next_call("sendMessage", chat_id=USER, timeout=30)
    assert "verzeker" in reply["text"].lower()
    assert len(telegram.calls("sendMessage", chat_id=USER)) == 1


async def test_health_readiness_and_metrics_are_served_on_the_webhook_port(telegram, webhook_bot):
    """The load balancer's /readyz and Prometheus' /metrics share the webhook server."""
    _, base = webhook_bot
    async with httpx.AsyncClient() as http:
        await _until_ready(http, f"{base}/readyz")
        metrics = await http.get(f"{base}/metrics")
    assert metrics.status_code == 200 and "bot_open_tickets" in metrics.text


async def _until_ready(http: httpx.AsyncClient, url: str) -> None:
    for _ in range(500):
        if (await http.get(url)).status_code == 200:
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"{url} never became ready")


BASE_ENV = {"BOT_TOKEN": TOKEN, "CENTRE_NAME": "c", "CENTRE_CONTACT": "c"}


@pytest.mark.parametrize(
    ("environ", "problem"),
    [
        ({"WEBHOOK_URL": "https://bot.example.org/hook"},
         "WEBHOOK_SECRET is missing (needed when WEBHOOK_URL is set)."),
        ({"WEBHOOK_URL": "http://bot.example.org/hook", "WEBHOOK_SECRET": "x"},
         "must be https (http only for loopback hosts)"),
        ({"WEBHOOK_URL": "https://bot.example.org/hook", "WEBHOOK_SECRET": "bad secret!"},
         "WEBHOOK_SECRET must be 1-256 characters"),
        ({"WEBHOOK_PORT": "99999"}, "WEBHOOK_PORT has value '99999': not a port number"),
        ({"METRICS_PORT": "web"}, "METRICS_PORT has value 'web': not a port number"),
    ],
)
def test_webhook_settings_are_validated_at_start(environ, problem):
    """A webhook misconfiguration is named before anything starts, without the secret."""
    with pytest.raises(SettingsError) as raised:
        Settings.from_env({**BASE_ENV, **environ})
    assert any(problem in line for line in raised.value.problems), raised.value.problems
    assert all("bad secret!" not in line for line in raised.value.problems)


@pytest.mark.parametrize("url", ["http://127.0.0.1:8443/tg", "http://localhost/tg",
                                 "http://[::1]:8080/tg", "https://bot.example.org/tg"])
def test_https_or_a_loopback_host_is_accepted(url):
    settings = Settings.from_env({**BASE_ENV, "WEBHOOK_URL": url, "WEBHOOK_SECRET": SECRET})
    assert settings.webhook_path == "/tg" and settings.webhook_port == 8080
    assert SECRET not in repr(settings)
