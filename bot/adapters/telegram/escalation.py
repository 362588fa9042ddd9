"""The escalation workflow, wired into the Telegram bot.

`Escalation` owns what lives as long as the bot: the durable inbox queue, the outbox sender,
the staff authorisation cache and the staff chat id (which follows a supergroup migration).
`build_escalating_application` is `build_application` with all of it plugged in:

    escalation = Escalation(settings, storage, assistant)
    application = build_escalating_application(settings, storage, escalation)

It passes the handoff (issue 3's hand-off point), a Plugin with the user and staff handlers,
the inbox as ptb's update queue, and an assistant wrapper that counts the questions the
assistant answered itself (for /stats; no text is stored). `start()` replays the inbox,
anonymises what is due and starts the sender; run_polling calls it through post_init, tests
call it directly.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from telegram.ext import Application

from bot.adapters.telegram import staff_handlers, ticket_handlers
from bot.adapters.telegram.app import BotApplication, Plugin, brussels_today, build_application
from bot.adapters.telegram.context import AssistantLike, BotContext
from bot.adapters.telegram.inbox import InboxQueue
from bot.adapters.telegram.sender import Sender
from bot.adapters.telegram.staff_auth import StaffAuth
from bot.core.model import Language, Reply
from bot.escalation.outbox import OutboxRow, RetryPolicy
from bot.settings import Settings
from bot.storage import Storage

log = logging.getLogger(__name__)

STAFF_CHAT_KEY = "staff_chat_id"  # kv key: the id followed after a migration
MAINTENANCE_EVERY = timedelta(hours=1)
COMMANDS: dict[Language, list[tuple[str, str]]] = {
    "nl": [("status", "Je vragen bij de medewerkers")],
    "fr": [("status", "Vos demandes auprès de l'équipe")],
}


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Options:
    retention_days: int = 180
    response_workdays: int = 2
    policy: RetryPolicy = field(default_factory=RetryPolicy)


class CountingAssistant:
    """The core, plus a per-day count of the questions it answered itself (for /stats)."""

    def __init__(self, core: AssistantLike, storage: Storage) -> None:
        self.core = core
        self.storage = storage

    def ask(self, text: str, *, chat_lang: Language | None = None, today: date) -> Reply:
        reply = self.core.ask(text, chat_lang=chat_lang, today=today)
        if reply.action == "answer":
            self.storage.count_assistant_answer(reply.language, today=today)
        return reply

    def __getattr__(self, name: str) -> Any:
        return getattr(self.core, name)


class Escalation:
    def __init__(
        self,
        settings: Settings,
        storage: Storage,
        assistant: AssistantLike,
        *,
        clock: Callable[[], datetime] = utc_now,
        today: Callable[[], date] = brussels_today,
        options: Options | None = None,
    ) -> None:
        self.settings = settings
        self.storage = storage
        self.core = assistant
        self.clock = clock
        self.today = today
        self.options = options or Options(
            retention_days=settings.retention_days, response_workdays=settings.response_workdays
        )
        self.inbox = InboxQueue(storage, clock)
        self.auth = StaffAuth(settings.staff_user_ids)
        self.handoff = ticket_handlers.TicketHandoff(self)
        self.assistant = CountingAssistant(assistant, storage)
        self.plugin = Plugin("escalation", self._register, commands=COMMANDS)
        self.sender: Sender | None = None
        self._maintenance: asyncio.Task[None] | None = None

    # ---------------------------------------------------------------- state
    @property
    def staff_chat_id(self) -> int | None:
        followed = self.storage.get_value(STAFF_CHAT_KEY)
        return int(followed) if followed else self.settings.staff_chat_id

    def say(self, lang: str, name: str, **context: Any) -> str:
        """Render a template outside a handler (the sender's callbacks), like Services.say."""
        context.setdefault("centre_name", self.settings.centre_name)
        context.setdefault("centre_contact", self.settings.centre_contact)
        return self.core.message(lang, name, **context)  # type: ignore[arg-type]

    def kick(self) -> None:
        """Rows were committed to the outbox: deliver now."""
        if self.sender is not None:
            self.sender.kick()

    # ---------------------------------------------------------------- lifecycle
    def _register(self, application: BotApplication) -> None:
        application.bot_data["escalation"] = self
        staff_handlers.register(application)
        ticket_handlers.register(application)
        # run_polling calls post_init/post_stop; chain ours after issue 3's own.
        previous_init, previous_stop = application.post_init, application.post_stop

        async def post_init(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
            if previous_init is not None:
                await previous_init(app)
            await self.start(app)

        async def post_stop(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
            await self.stop()
            if previous_stop is not None:
                await previous_stop(app)

        application.post_init = post_init
        application.post_stop = post_stop

    async def start(self, application: BotApplication) -> None:
        if application.update_processor.max_concurrent_updates != 1:
            raise RuntimeError("the durable inbox needs sequential update processing")
        self.maintain()
        self.inbox.replay(application.bot)
        self.sender = Sender(
            application.bot,
            self.storage,
            clock=self.clock,
            policy=self.options.policy,
            on_give_up=self._gave_up,
            on_migrated=lambda old, new: staff_handlers.follow_migration(self, old, new),
        )
        self.sender.start()
        self._maintenance = asyncio.create_task(self._maintain_forever(), name="retention")

    async def stop(self) -> None:
        if self._maintenance is not None:
            self._maintenance.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._maintenance
            self._maintenance = None
        if self.sender is not None:
            await self.sender.stop()
            self.sender = None

    def maintain(self) -> list[int]:
        """Anonymise tickets past the retention period; drop old outbox texts and inbox ids."""
        now = self.clock()
        done = self.storage.anonymise_due(now=now, retention_days=self.options.retention_days)
        self.storage.forget_old_texts(now=now)
        if done:
            log.info("anonymised %d ticket(s) past the retention period", len(done))
        return done

    async def _maintain_forever(self) -> None:
        while True:
            await asyncio.sleep(MAINTENANCE_EVERY.total_seconds())
            try:
                self.maintain()
            except Exception:  # a failed sweep is retried next hour; the bot keeps running
                log.exception("retention sweep failed")

    async def _gave_up(self, row: OutboxRow, status: str) -> None:
        staff_handlers.user_unreachable(self, row, status)


def build_escalating_application(
    settings: Settings, storage: Storage, escalation: Escalation, **options: Any
) -> BotApplication:
    """build_application with the escalation workflow plugged in (see the module docstring)."""
    plugins = [*options.pop("plugins", ()), escalation.plugin]
    return build_application(
        settings,
        escalation.assistant,
        storage,
        handoff=escalation.handoff,
        plugins=plugins,
        update_queue=escalation.inbox,
        **options,
    )


def runtime(context: BotContext) -> Escalation:
    return context.bot_data["escalation"]  # type: ignore[no-any-return]
