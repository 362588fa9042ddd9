"""`python -m bot telegram` started before the Bot API can be reached: it waits, then works.

The real command is pointed at a loopback port where nothing listens yet (a network that is
not up, a Telegram outage); the fake Bot API opens on that port a few seconds later. The bot
must say so in one log line per attempt, back off, and answer once the API is there; a stop
signal while it waits is a clean exit. The last tests wait in-process, against the fake
answering 5xx or 400 to getMe.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import signal
import socket
import sys
import time
from pathlib import Path

import pytest
from telegram.error import BadRequest

from bot.adapters.telegram.reachable import initialize_when_reachable
from bot.testing.fake_bot_api import TOKEN, FakeBotAPI

ROOT = Path(__file__).resolve().parents[2]
MINI = ROOT / "tests" / "data" / "kb-mini"
WAITING = re.compile(
    r"WARNING bot\.adapters\.telegram\.reachable: Telegram Bot API not reachable "
    r"\(NetworkError: httpx\.ConnectError: [^)]*\); retrying in (\d+) s$"
)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def _start_bot(
    port: int, tmp_path: Path, token: str = TOKEN
) -> tuple[asyncio.subprocess.Process, Path]:
    env = {
        **os.environ, "BOT_TOKEN": token,
        "BOT_API_BASE_URL": f"http://127.0.0.1:{port}/bot{{token}}",
        "CENTRE_NAME": "Centrum", "CENTRE_CONTACT": "info@example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path}/bot.db", "KNOWLEDGE_DIR": str(MINI),
    }
    log = tmp_path / "bot.log"
    with log.open("wb") as out:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "telegram", env=env, cwd=ROOT, stdout=out, stderr=out,
        )
    return process, log


def _waits(log: Path) -> list[re.Match[str]]:
    return [m for line in log.read_text().splitlines() if (m := WAITING.search(line))]


async def _lines_matching(log: Path, count: int, timeout: float = 60) -> list[re.Match[str]]:  # noqa: ASYNC109
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if len(found := _waits(log)) >= count:
            return found
        await asyncio.sleep(0.1)
    raise AssertionError(f"fewer than {count} 'not reachable' lines in {log}")


async def test_the_bot_waits_for_the_bot_api_then_answers(tmp_path):
    """Two attempts fail (one line each, 1 s then 2 s), then the API is up and /start works."""
    port = _free_port()
    process, log = await _start_bot(port, tmp_path)
    telegram = FakeBotAPI()
    try:
        waits = await _lines_matching(log, 2)
        assert [int(m.group(1)) for m in waits[:2]] == [1, 2]  # doubling backoff
        await telegram.start(port)
        telegram.user_says(42, "/start")
        welcome = await telegram.next_call("sendMessage", chat_id=42, timeout=60)
        assert "Welkom" in welcome["text"]
    finally:
        process.send_signal(signal.SIGTERM)
        code = await asyncio.wait_for(process.wait(), 30)
        await telegram.stop()
    output = log.read_text()
    assert code == 0, output
    assert "Traceback" not in output and TOKEN not in output
    assert "Telegram Bot API reachable: starting" in output


async def test_a_stop_signal_while_waiting_is_a_clean_exit(tmp_path):
    """SIGTERM during the wait (the API never came): exit 0, no traceback."""
    process, log = await _start_bot(_free_port(), tmp_path)
    await _lines_matching(log, 1)
    process.send_signal(signal.SIGTERM)
    code = await asyncio.wait_for(process.wait(), 30)
    output = log.read_text()
    assert code == 0, output
    assert "Traceback" not in output
    assert "stopped while waiting for the Telegram Bot API" in output


async def test_a_token_telegram_refuses_is_named_without_the_token_and_exits_2(tmp_path):
    """Reachable, but 401 Unauthorized: no waiting, no traceback (ptb's own message would
    print the token), one line saying what to do."""
    wrong = "987654321:AAWrongTokenRevokedByBotFather_xyz"
    telegram = FakeBotAPI()
    await telegram.start()
    try:
        process, log = await _start_bot(int(telegram.url.rsplit(":", 1)[1]), tmp_path, wrong)
        code = await asyncio.wait_for(process.wait(), 60)
    finally:
        await telegram.stop()
    output = log.read_text()
    assert code == 2, output
    assert "error: BOT_TOKEN was refused by Telegram (Unauthorized)" in output
    assert "Traceback" not in output and wrong not in output and wrong.split(":")[1] not in output


async def test_each_attempt_while_waiting_is_one_call_and_one_line(bot_api, idle_bot, caplog):
    """While getMe fails, the wait is the backoff's alone (the rate limiter's quick retries
    are off: one call, one line per attempt); once the API answers, they are back on."""
    caplog.set_level(logging.WARNING, logger="bot.adapters.telegram.reachable")
    bot_api.fail_next("getMe", status=502, times=2)
    limiter = idle_bot.bot.rate_limiter
    quick_retries = limiter.network_retries

    await initialize_when_reachable(idle_bot, first=0.01, cap=0.02)

    assert [c.status for c in bot_api.attempts("getMe")] == [502, 502, 200]
    assert [r.getMessage() for r in caplog.records] == [
        "Telegram Bot API not reachable (NetworkError: Bad Gateway); retrying in 0.01 s",
        "Telegram Bot API not reachable (NetworkError: Bad Gateway); retrying in 0.02 s",
    ]
    assert quick_retries > 0 and limiter.network_retries == quick_retries


async def test_an_answer_from_telegram_at_start_is_not_waited_out(bot_api, idle_bot):
    """A 400 to getMe is Telegram answering, not an outage: raised at once, after one call."""
    bot_api.fail_next("getMe", status=400, description="Bad Request: not a bot")

    with pytest.raises(BadRequest):
        await initialize_when_reachable(idle_bot, first=0.01, cap=0.02)

    assert [c.status for c in bot_api.attempts("getMe")] == [400]
