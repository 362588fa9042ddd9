"""The escalation workflow, wired into the Telegram bot.

`Escalation` is the workflow of bot/escalation/workflow.py (the desk, the staff group's door,
the counting core, the outbox worker, the retention sweep) with what only Telegram needs: the
handlers, the durable inbox queue (inbox.py), the door as ptb filters and replies
(staff_auth.py) and the worker's Telegram transport (sender.py).
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

from collections.abc import Callable
from datetime import date, datetime
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
from bot.adapters.telegram.sender import TelegramTransport
from bot.adapters.telegram.staff_auth import GroupDoor
from bot.clock import brussels_today, utc_now
from bot.core.assistant import AssistantLike
from bot.core.menu import ESCALATION_COMMANDS
from bot.escalation.desk import STAFF_COMMANDS
from bot.escalation.inbox import Inbox
from bot.escalation.workflow import Options, Workflow
from bot.settings import Settings
from bot.storage import Storage
from bot.storage.offloop import StorageCalls

__all__ = ["Escalation", "Options", "build_escalating_application"]


class Escalation(Workflow):
    """The workflow (bot/escalation/workflow.py) with its Telegram parts: the handlers, the
    durable inbox, the staff group's door on Telegram and the worker's Telegram transport."""

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
        # Storage calls off the event loop, locks waited out.
        db = StorageCalls(storage)
        super().__init__(
            settings, storage, assistant, db=db, clock=clock, today=today, options=options
        )
        self.inbox = InboxQueue(Inbox(storage, clock, db))
        self.door = GroupDoor(self.group)
        self.plugin = Plugin("escalation", self._register, commands=ESCALATION_COMMANDS)

    # ---------------------------------------------------------------- lifecycle
    def _register(self, application: BotApplication) -> None:
        services: Services = application.bot_data["services"]
        services.desk = self.desk
        services.outbox = self.answer_outbox()
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
        self.deliver_through(TelegramTransport(application.bot))


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
