"""`python -m bot bench --telegram`: many simulated users through the fake Bot API server.

Each simulated user asks a question, waits for the bot's reply, then asks the next one, like
a person would; all users at once. The bot is the real Application (polling, handlers, the
real assistant, SQLite in a temporary folder) talking HTTP to bot/testing/fake_bot_api.py on
127.0.0.1. Printed: updates handled per second and p50/p99 time from a user's message being
released by the fake to the bot's reply arriving there.

The fake server ships in `bot.testing`; it needs aiohttp (a dev dependency).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from datetime import date
from typing import Any


def _load_fake() -> Any:
    try:
        from bot.testing import fake_bot_api
    except ImportError as exc:  # pragma: no cover - aiohttp missing
        raise SystemExit(f"bench --telegram needs the dev extra: {exc}") from None
    return fake_bot_api


def _questions(assistant: Any) -> list[tuple[str, str]]:
    """(text, language) pairs: every FAQ question and its variants, plus vague one-worders
    that make the assistant clarify."""
    found: list[tuple[str, str]] = []
    for lang in ("nl", "fr"):
        for topic, _ in assistant.topics(lang):
            for entry in assistant.entries_in_topic(topic, lang):
                found.append((entry.question, lang))
                found.extend((variant, lang) for variant in entry.variants)
    found += [("verzekering", "nl"), ("vergoeding", "nl"), ("assurance bénévole", "fr")]
    return found


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))]


async def _run(
    users: int, per_user: int, today: date, overall_rate: int, seed: int = 11
) -> dict[str, float]:
    fakes = _load_fake()
    from bot.adapters.telegram.app import build_application, setup_bot
    from bot.core.assistant import load_assistant
    from bot.delivery.flood import FloodControl
    from bot.settings import Settings
    from bot.storage.sqlite import SQLiteStorage

    assistant = load_assistant(today=today)
    questions = _questions(assistant)
    rng = random.Random(seed)
    fake = fakes.FakeBotAPI()
    await fake.start()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings.from_env({
            "BOT_TOKEN": fakes.TOKEN,
            "BOT_API_BASE_URL": fake.base_url,
            "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3",
            "CENTRE_NAME": "Bench centre",
            "CENTRE_CONTACT": "bench@example.org",
        })
        storage = SQLiteStorage(settings.database_path)
        app = build_application(
            settings, assistant, storage, today=lambda: today,
            flood=FloodControl(limit=per_user + 1), overall_rate=overall_rate,
        )
        latencies: list[float] = []
        asked = dict.fromkeys(range(1, users + 1), 0)
        pending: dict[tuple[int, int], float] = {}
        done = asyncio.Event()

        def ask(chat_id: int) -> None:
            text, lang = rng.choice(questions)
            message_id = fake.user_says(chat_id, text, language_code=lang)
            pending[(chat_id, message_id)] = time.perf_counter()
            asked[chat_id] += 1

        def on_call(call: Any) -> None:
            if call.method != "sendMessage" or call.status != 200:
                return
            chat_id = call.params["chat_id"]
            replied = (call.params.get("reply_parameters") or {}).get("message_id")
            started = pending.pop((int(chat_id), int(replied or 0)), None)
            if started is None:
                return
            latencies.append(time.perf_counter() - started)
            if asked[chat_id] < per_user:
                ask(chat_id)
            elif not pending:
                done.set()

        fake.listener = on_call
        await app.initialize()
        await setup_bot(app)
        await app.updater.start_polling(poll_interval=0, timeout=1)  # type: ignore[union-attr]
        await app.start()
        began = time.perf_counter()
        for chat_id in asked:
            ask(chat_id)
        try:
            await asyncio.wait_for(done.wait(), timeout=max(60.0, users * per_user / 5))
        finally:
            elapsed = time.perf_counter() - began
            await app.updater.stop()  # type: ignore[union-attr]
            await app.stop()
            await app.shutdown()
            await fake.stop()
            storage.close()
    return {
        "handled": len(latencies),
        "per_second": len(latencies) / elapsed,
        "p50": statistics.median(latencies),
        "p99": _percentile(latencies, 0.99),
        "elapsed": elapsed,
    }


def run_telegram_bench(args: argparse.Namespace) -> int:
    users = int(getattr(args, "users", 200))
    per_user = int(getattr(args, "per_user", 10))
    today = getattr(args, "today", None) or date.today()  # noqa: DTZ011 - local calendar day
    runs = [
        ("no bot-wide cap", users, per_user, 0),
        # Production keeps AIORateLimiter's 30 requests/s bot-wide cap: show what it costs.
        ("AIORateLimiter 30/s (production)", min(users, 100), 1, 30),
    ]
    print(f"Telegram bench: real Application + real assistant against the fake Bot API "
          f"on 127.0.0.1, updates processed one at a time, today={today}")
    for label, n_users, n_each, rate in runs:
        result = asyncio.run(_run(n_users, n_each, today, rate))
        print(
            f"  {n_users} users x {n_each} questions, {label}: "
            f"{result['handled']:.0f} replies in {result['elapsed']:.1f} s = "
            f"{result['per_second']:.0f} updates/s; message -> reply "
            f"p50 {result['p50'] * 1000:.1f} ms, p99 {result['p99'] * 1000:.1f} ms"
        )
    return 0
