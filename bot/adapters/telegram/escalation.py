"""The escalation workflow, wired into the Telegram bot.

`Escalation` owns what lives as long as the bot: the desk (bot/escalation/desk.py, where the
workflow is), the durable inbox queue, the outbox sender and the staff authorisation cache.
`build_escalating_application` is `build_application` with all of it plugged in:

    escalation = Escalation(settings, storage, assistant)
    application = build_escalating_application(settings, storage, escalation)

It passes a Plugin with the user and staff handlers (and the desk, which the hand-off then
uses: handoff.py), the inbox as ptb's update queue, and the core wrapped to count the
questions it answered itself (bot/escalation/counting.py). `start()` replays the inbox,
anonymises what is due and starts the sender; run_polling calls it through post_init, tests
call it directly.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from telegram import Update
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.adapters.telegram import staff_handlers, ticket_handlers
from bot.adapters.telegram.app import (
    GROUP_CHAT,
    GROUP_STAFF,
    GROUP_STAFF_EVENTS,
    GROUP_STAFF_GATE,
    BotApplication,
    Plugin,
    build_application,
)
from bot.adapters.telegram.context import Services
from bot.adapters.telegram.inbox import InboxQueue
from bot.adapters.telegram.lifecycle import run_with
from bot.adapters.telegram.processing import ChatLanes
from bot.adapters.telegram.sender import Sender
from bot.adapters.telegram.staff_auth import GroupDoor
from bot.clock import brussels_today, utc_now
from bot.core.assistant import AssistantLike, centre_say
from bot.core.menu import ESCALATION_COMMANDS
from bot.delivery.split import split_message
from bot.delivery.sweep import Sweep
from bot.escalation.answers import AnswerOutbox
from bot.escalation.ballots import ballot_secret
from bot.escalation.counting import CountingAssistant
from bot.escalation.desk import STAFF_COMMANDS, Desk
from bot.escalation.outbox import OutboxRow, RetryPolicy
from bot.escalation.outbox_worker import RECHECK
from bot.settings import Settings
from bot.storage import Storage
from bot.storage.offloop import StorageCalls

log = logging.getLogger(__name__)

MAINTENANCE_EVERY = timedelta(hours=1)


@dataclass(frozen=True)
class Options:
    retention_days: int = 180
    response_workdays: int = 2
    policy: RetryPolicy = field(default_factory=RetryPolicy)


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
        self.clock = clock
        self.options = options or Options(
            retention_days=settings.retention_days, response_workdays=settings.response_workdays
        )
        self.desk = Desk(
            storage,
            assistant,
            centre_say(settings, assistant),
            clock=clock,
            today=today,
            split=split_message,  # the sender's limit: one outbox row per Telegram message
            configured_staff_chat=settings.staff_chat_id,
            response_workdays=self.options.response_workdays,
            on_write=self.kick,
            staff_language=settings.staff_language,
            ballot_secret=ballot_secret(settings.bot_token),
        )
        self.db = StorageCalls(storage)  # storage calls off the event loop, locks waited out
        self.inbox = InboxQueue(storage, clock, self.db)
        self.door = GroupDoor(self.desk.door(settings.staff_user_ids))
        self.assistant = CountingAssistant(assistant, storage)
        self.plugin = Plugin("escalation", self._register, commands=ESCALATION_COMMANDS)
        self.sender: Sender | None = None
        self._maintenance = Sweep(self.maintain, MAINTENANCE_EVERY, "retention")

    @property
    def staff_chat_id(self) -> int | None:
        return self.desk.staff_chat_id

    def kick(self) -> None:
        """Rows were committed to the outbox: deliver now."""
        if self.sender is not None:
            self.sender.kick()

    # ---------------------------------------------------------------- lifecycle
    def _register(self, application: BotApplication) -> None:
        services: Services = application.bot_data["services"]
        services.desk = self.desk
        services.outbox = AnswerOutbox(
            self.storage, self.db, clock=self.clock, kick=self.kick,
            is_staff_chat=self.desk.is_staff_chat,
        )
        door, staff = self.door, self.door.chat
        private = filters.ChatType.PRIVATE
        # The groups and why they are in this order: app.py's module docstring.
        for group, handler in (
            (GROUP_STAFF_EVENTS, MessageHandler(
                staff & filters.SenderChat.ALL & filters.UpdateType.MESSAGE, door.on_anonymous
            )),
            (GROUP_STAFF_EVENTS, MessageHandler(filters.StatusUpdate.MIGRATE, door.on_migrate)),
            (GROUP_STAFF_GATE, TypeHandler(Update, staff_handlers.StaffGate(door))),
            (GROUP_STAFF, CommandHandler(
                list(STAFF_COMMANDS), staff_handlers.on_command, filters=staff
            )),
            (GROUP_STAFF, MessageHandler(
                staff & filters.REPLY & filters.UpdateType.MESSAGE & ~filters.COMMAND,
                staff_handlers.on_reply,
            )),
            (GROUP_STAFF, MessageHandler(
                staff & filters.REPLY & filters.UpdateType.EDITED_MESSAGE & ~filters.COMMAND,
                staff_handlers.on_edit,
            )),
            (GROUP_STAFF, CallbackQueryHandler(staff_handlers.on_button, pattern=r"^st:")),
            (GROUP_STAFF, CommandHandler("status", ticket_handlers.status, filters=private)),
            (GROUP_CHAT, CallbackQueryHandler(ticket_handlers.on_button, pattern=r"^tk:")),
        ):
            application.add_handler(handler, group=group)
        run_with(application, self.start, self.stop)

    async def start(self, application: BotApplication) -> None:
        lanes = application.update_processor
        if not isinstance(lanes, ChatLanes):
            raise RuntimeError("the durable inbox needs the ChatLanes update processor")
        lanes.on_handled = self.inbox.handled
        await self.db(self.maintain)
        await self.inbox.replay(application.bot)
        self.sender = Sender(
            application.bot,
            self.storage,
            clock=self.clock,
            policy=self.options.policy,
            on_give_up=self._gave_up,
            on_migrated=self._migrated,
            # Half the lease: a crashed replica's rows are looked at soon after it expires.
            recheck=min(RECHECK, self.settings.outbox_lease / 2),
            db=self.db,
        )
        self.sender.start()
        self._maintenance.start()

    async def stop(self) -> None:
        await self._maintenance.stop()
        if self.sender is not None:
            await self.sender.stop()
            self.sender = None

    def maintain(self) -> list[int]:
        """The desk's retention sweep (anonymised tickets, old outbox texts, answers given)."""
        return self.desk.sweep(self.options.retention_days)

    async def _gave_up(self, row: OutboxRow, status: str) -> None:
        await self.db(self.desk.user_unreachable, row, status)

    async def _migrated(self, old: int, new: int) -> None:
        if await self.db(self.desk.group_moved, old, new):
            await self.db(self.door.group.follow_migration, old, new)


def build_escalating_application(
    settings: Settings, storage: Storage, escalation: Escalation, **options: Any
) -> BotApplication:
    """build_application with the escalation workflow plugged in (see the module docstring)."""
    plugins = [*options.pop("plugins", ()), escalation.plugin]
    return build_application(
        settings,
        escalation.assistant,
        storage,
        plugins=plugins,
        update_queue=escalation.inbox,
        **options,
    )
