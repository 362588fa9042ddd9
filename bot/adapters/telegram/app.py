"""build_application: one python-telegram-bot Application with our handlers, limits and logs.

Handler groups, in the order ptb runs them (every group sees the update until a handler raises
ApplicationHandlerStop; inside a group the first matching handler wins). This is the one list;
the modules register into these groups by name:

  GROUP_STAFF_EVENTS (-4)  both staff groups' events the gate would drop: anonymous admins
                           (they arrive as a bot) and the supergroup migration (escalation.py,
                           complaint_route.py, through staff_auth.GroupDoor)
  GROUP_GATE (-3)          gate.py: who gets an answer at all: no channels, no bots, groups
                           only when addressed, flood control per user
  GROUP_STAFF_GATE (-2)    escalation: staff authorisation, once, for every staff action
                           (ticket buttons, staff commands, replies to ticket messages), and
                           through `Services.staff_gates` the complaints group's (its buttons,
                           /open, replies to complaint posts: members only)
  GROUP_STAFF (-1)         the staff actions behind that gate (escalation.py and
                           complaint_route.py), /status, and a person's reply to a
                           complaint's message;
                           each stops the update when it was theirs, so the general handlers
                           below never see it
  GROUP_CHAT (0)           plug-in handlers first (the guided checks' and the complaint flow's
                           conversations see their replies before the catch-all question
                           handler), then /geen_correcties, the user commands, questions (which
                           hand text to a waiting ticket first), and buttons last (callbacks.py,
                           whose erase confirmation also empties tickets when the workflow is
                           plugged in; its catch-all answers presses nobody else took)
"""

from __future__ import annotations

import asyncio
import logging
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from telegram import BotCommand, Update
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    ApplicationHandlerStop,
    ContextTypes,
    TypeHandler,
)

from bot.adapters.telegram import callbacks, corrections, user_handlers
from bot.adapters.telegram.context import BotContext, EscalationHandoff, Services
from bot.adapters.telegram.gate import gate
from bot.adapters.telegram.handoff import Handoff
from bot.adapters.telegram.processing import ChatLanes
from bot.adapters.telegram.replies import send_html
from bot.adapters.telegram.retry import RetryingRateLimiter
from bot.clock import brussels_today
from bot.core.assistant import AssistantLike
from bot.core.menu import MenuLines, menu_with
from bot.delivery.flood import FloodControl
from bot.delivery.pacing import GroupWindow
from bot.logs import install_token_redaction, quiet_http_loggers
from bot.settings import Settings
from bot.storage import Storage
from bot.storage.offloop import is_lock_error

log = logging.getLogger(__name__)

BotApplication = Application[Any, BotContext, Any, Any, Any, Any]
GROUP_STAFF_EVENTS, GROUP_GATE, GROUP_STAFF_GATE, GROUP_STAFF, GROUP_CHAT = -4, -3, -2, -1, 0
@dataclass(frozen=True)
class Plugin:
    """Handlers another module adds (the allowance conversation /vergoeding, /defraiement).

    `register` receives the Application and calls `add_handler`; `commands` adds menu lines
    (name, description) per language to set_my_commands and /help.
    """

    name: str
    register: Callable[[BotApplication], None]
    commands: MenuLines = field(default_factory=dict)


def build_application(
    settings: Settings,
    assistant: AssistantLike,
    storage: Storage,
    *,
    today: Callable[[], date] = brussels_today,
    handoff: EscalationHandoff | None = None,
    plugins: Sequence[Plugin] = (),
    flood: FloodControl | None = None,
    request_timeout: float = 10.0,
    network_retries: int = 2,
    overall_rate: int = 30,
    update_queue: asyncio.Queue[object] | None = None,
    concurrent_chats: int = 256,
    group_window: GroupWindow | None = None,
) -> BotApplication:
    """The bot, ready for run_polling(). `overall_rate` is AIORateLimiter's bot-wide cap per
    second (Telegram's bulk guidance); 0 lifts it, which only the bench does. Updates are
    handled per chat in order, up to `concurrent_chats` chats at once (processing.py); a group
    gets at most 20 messages a minute (`group_window`, bot/delivery/pacing.py)."""
    install_token_redaction(settings.bot_token)
    quiet_http_loggers()
    commands = menu_with(plugin.commands for plugin in plugins)
    lanes = ChatLanes(concurrent_chats)
    application: BotApplication = (
        ApplicationBuilder()
        .token(settings.bot_token)
        .base_url(settings.bot_api_base_url)
        .context_types(ContextTypes(context=BotContext))
        .rate_limiter(
            RetryingRateLimiter(
                max_retries=3, network_retries=network_retries, overall_max_rate=overall_rate,
                group_window=group_window,
            )
        )
        .connect_timeout(request_timeout)
        .read_timeout(request_timeout)
        .write_timeout(request_timeout)
        .pool_timeout(request_timeout)
        .post_init(setup_bot)
        # The escalation workflow passes a queue that writes each update to the database
        # before it is handled (its durable inbox); ptb's own queue otherwise.
        .update_queue(update_queue if update_queue is not None else asyncio.Queue())
        .concurrent_updates(lanes)
        .build()
    )
    lanes.reprocess = application.process_update
    application.bot_data["services"] = Services(
        settings=settings,
        assistant=assistant,
        storage=storage,
        today=today,
        handoff=handoff or Handoff(),
        flood=flood or FloodControl(),
        commands=commands,
    )
    application.add_handler(TypeHandler(Update, gate), group=GROUP_GATE)
    for plugin in plugins:  # GROUP_CHAT before the user handlers, or their own groups
        plugin.register(application)
    corrections.register(application)  # GROUP_CHAT: /geen_correcties, /sans_corrections
    user_handlers.register(application)  # GROUP_CHAT
    callbacks.register(application)  # GROUP_CHAT, last: its catch-all answers unknown presses
    application.add_error_handler(on_error)
    return application


async def setup_bot(application: BotApplication) -> None:
    """At start: the command menu per language (nl, fr, and the default for other apps)."""
    services: Services = application.bot_data["services"]
    bot = application.bot
    for lang, commands in services.commands.items():
        menu = [BotCommand(name, text) for name, text in commands]
        await bot.set_my_commands(menu, language_code=lang)
        if lang == services.settings.default_language:
            await bot.set_my_commands(menu)


async def on_error(update: object, context: BotContext) -> None:
    """Log what failed and where (never message text or names), then tell the user.

    A database lock is not a failure of the update: the update processor handles it again
    once the lock is free (no error message to the user, no other handler runs now)."""
    error = context.error
    processor = context.application.update_processor
    if (
        error is not None and is_lock_error(error) and isinstance(update, Update)
        and isinstance(processor, ChatLanes)
    ):
        processor.met_lock(update)
        raise ApplicationHandlerStop
    frames = "".join(traceback.format_tb(error.__traceback__)) if error else ""
    update_id = update.update_id if isinstance(update, Update) else None
    # The exception's own message can quote user text, so only its type is logged.
    log.error("update %s failed with %s\n%s", update_id, type(error).__name__, frames.rstrip())
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    services = context.services
    try:
        await send_html(
            context,
            update.effective_chat.id,
            services.say(services.language_for(update), "tg_error"),
        )
    except TelegramError as exc:  # Telegram itself is failing: the log line above is enough
        log.warning("could not tell the user about the error: %s", type(exc).__name__)
