"""`python -m bot telegram` as an operator runs it: settings checked, then a live bot."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path

from bot.testing.fake_bot_api import TOKEN

ROOT = Path(__file__).resolve().parents[2]


def test_bad_configuration_lists_each_problem_and_exits_2(tmp_path):
    """A missing token and a bad staff chat id: one line each, exit status 2, no traceback."""
    env = {"PATH": os.environ["PATH"], "PYTHONPATH": str(ROOT), "STAFF_CHAT_ID": "staff"}
    done = subprocess.run(
        [sys.executable, "-m", "bot", "telegram"], env=env, cwd=tmp_path,
        capture_output=True, text=True, timeout=60, check=False,
    )
    assert done.returncode == 2
    assert "BOT_TOKEN is missing" in done.stderr
    assert "STAFF_CHAT_ID has value 'staff': not an integer." in done.stderr
    assert "Traceback" not in done.stderr


async def test_the_command_runs_a_bot_that_answers(bot_api, tmp_path):
    """The real command, pointed at the fake server, answers /start and logs no token."""
    env = {
        "PATH": os.environ["PATH"], "PYTHONPATH": str(ROOT), "BOT_TOKEN": TOKEN,
        "BOT_API_BASE_URL": bot_api.base_url, "CENTRE_NAME": "Centrum",
        "CENTRE_CONTACT": "info@example.org", "DATABASE_URL": f"sqlite:///{tmp_path}/bot.db",
        "LOG_LEVEL": "DEBUG",
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "telegram", env=env, cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    try:
        bot_api.user_says(42, "/start")
        sent = await bot_api.next_call("sendMessage", chat_id=42, timeout=30)
        assert "Welkom" in sent["text"]
    finally:
        process.send_signal(signal.SIGINT)
        _, stderr = await asyncio.wait_for(process.communicate(), 30)
    log = stderr.decode()
    assert "Application started" in log
    assert TOKEN not in log and TOKEN.split(":")[1] not in log
    assert (tmp_path / "bot.db").exists()
