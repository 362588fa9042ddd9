"""One object per bot process that ties metrics and readiness to the running bot.

    observability = Observability(storage, assistant.kb)
    assistant = observability.observe_assistant(assistant)   # questions, latency
    application = build_escalating_application(...)
    observability.attach(application)                        # Bot API attempts, getMe probe

Nothing in the handlers changes: questions are counted by wrapping the assistant, Bot API
successes and failures (429 waits included) by the rate limiter every request goes through,
tickets and the outbox by reading the database at scrape time.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from bot.adapters.http.health import Health
from bot.adapters.http.metrics import Metrics, StateCollector
from bot.adapters.telegram.app import BotApplication
from bot.adapters.telegram.lifecycle import run_with
from bot.adapters.telegram.retry import RetryingRateLimiter
from bot.clock import brussels_today, utc_now
from bot.core.model import Language, Reply

PROBE_EVERY = timedelta(seconds=20)


class ObservedAssistant:
    """The assistant, counting each reply by language and action and timing it."""

    def __init__(self, core: Any, metrics: Metrics) -> None:
        self.core = core
        self.metrics = metrics

    def ask(self, text: str, *, chat_lang: Language | None = None, today: date) -> Reply:
        started = time.perf_counter()
        reply: Reply = self.core.ask(text, chat_lang=chat_lang, today=today)
        self.metrics.question(reply.language, reply.action, time.perf_counter() - started)
        return reply

    def __getattr__(self, name: str) -> Any:
        return getattr(self.core, name)


class Observability:
    def __init__(
        self,
        storage: Any,
        kb: Any,
        *,
        clock: Callable[[], datetime] = utc_now,
        today: Callable[[], date] = brussels_today,
        probe_every: timedelta = PROBE_EVERY,
    ) -> None:
        self.metrics = Metrics()
        self.health = Health(storage, kb, clock=clock)
        self.metrics.registry.register(StateCollector(storage, kb, clock=clock, today=today))
        self.probe_every = probe_every
        self._probe: asyncio.Task[None] | None = None

    # ApiObserver (bot.delivery.retrying)
    def api_succeeded(self, endpoint: str) -> None:
        self.health.api_succeeded()

    def api_failed(self, endpoint: str, error: BaseException) -> None:
        self.metrics.api_error(endpoint, error)

    def observe_assistant(self, assistant: Any) -> ObservedAssistant:
        return ObservedAssistant(assistant, self.metrics)

    def attach(self, application: BotApplication) -> None:
        """Observe every Bot API request of this application and probe it while it runs."""
        limiter = application.bot.rate_limiter
        if not isinstance(limiter, RetryingRateLimiter):
            raise TypeError("the bot's rate limiter is not the RetryingRateLimiter")
        limiter.observer = self
        run_with(application, self.start, self.stop)

    async def start(self, application: BotApplication) -> None:
        self._probe = asyncio.create_task(
            self.health.probe_forever(application.bot.get_me, self.probe_every),
            name="bot-api-probe",
        )

    async def stop(self) -> None:
        if self._probe is not None:
            self._probe.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._probe
            self._probe = None
