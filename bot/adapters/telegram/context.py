"""What every handler can reach: the assistant, storage, settings, clock, hand-off and desk.

`BotContext` is registered through `ContextTypes`, so handlers read `context.services` and
`context.desk` instead of globals, and tests can build several independent applications in
one process. Nothing here imports another handler module: every module of the adapter may
import this one.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple, Protocol

from telegram import CallbackQuery, MaybeInaccessibleMessage, Message, Update
from telegram.constants import ChatType
from telegram.ext import CallbackContext, ExtBot

from bot.core import present
from bot.core.assistant import AssistantLike, centre_say
from bot.core.chat_language import chat_language
from bot.core.model import Check, Language
from bot.delivery.flood import FloodControl
from bot.escalation.answers import AnswerOutbox
from bot.escalation.desk import Desk, DraftRequest, Reason
from bot.settings import Settings
from bot.storage import Storage


class EscalationHandoff(Protocol):
    """Where a question that needs a person goes (handoff.py: the contact line; the
    escalation workflow: a draft ticket), as the desk's own request (chat, user, language,
    question, why, the core's reply, the message to reply to)."""

    async def escalate(self, request: DraftRequest, context: BotContext) -> None: ...


EraseHook = Callable[["BotContext", int], Awaitable[None]]
# A staff gate of another group (the complaints group): returns when the update is not its
# business or its sender may act; raises ApplicationHandlerStop after explaining a refusal.
StaffGate = Callable[[Update, "BotContext"], Awaitable[None]]


@dataclass
class Services:
    settings: Settings
    assistant: AssistantLike
    storage: Storage
    today: Callable[[], date]
    handoff: EscalationHandoff
    flood: FloodControl
    commands: dict[Language, list[tuple[str, str]]]  # what /help and set_my_commands show
    desk: Desk | None = None  # the escalation workflow, when it is plugged in
    # The guided checks plugged in (allowance, insurance): only these are offered under replies.
    checks: set[Check] = field(default_factory=set)
    # What else remembers a chat (the complaint route): every erasure calls these too.
    erase_hooks: list[EraseHook] = field(default_factory=list)
    # The other groups' staff gates, run by the one staff gate (GROUP_STAFF_GATE, app.py).
    staff_gates: list[StaffGate] = field(default_factory=list)
    # Handlers' messages go through it (replies.send_html), when the workflow owns one.
    outbox: AnswerOutbox | None = None

    def say(self, lang: str, name: str, **context: Any) -> str:
        """Render bot/templates/<lang>/<name>.html with the centre's details filled in."""
        return centre_say(self.settings, self.assistant)(lang, name, **context)

    @property
    def screens(self) -> present.Screens:
        """The screens the knowledge base fills in (topic browsing, entries, alternatives)."""
        return present.Screens(self.assistant, self.say, self.today())

    def language_for(self, update: Update, command: str | None = None) -> Language:
        """The language to speak in this chat (bot.core.chat_language), from the update: a
        language-specific `command`, the chat's choice, the user's Telegram app language."""
        chat, user = update.effective_chat, update.effective_user
        return chat_language(
            default=self.settings.default_language,
            command=command,
            chosen=lambda: self.storage.chat_language(chat.id) if chat is not None else None,
            app_language=user.language_code if user is not None else None,
        )


class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    @property
    def services(self) -> Services:
        services: Services = self.bot_data["services"]
        return services

    @property
    def desk(self) -> Desk:
        """The escalation desk; only handlers the escalation workflow registered use it."""
        desk = self.services.desk
        if desk is None:
            raise LookupError("the escalation workflow is not plugged in")
        return desk


class Press(NamedTuple):
    """A button press with everything a handler needs: the query, its message, its data."""

    query: CallbackQuery
    message: MaybeInaccessibleMessage  # a Message, unless it is too old to be shown to us
    data: str


PressHandler = Callable[[Update, Press, "BotContext"], Awaitable[None]]


def on_press(handler: PressHandler) -> Callable[[Update, BotContext], Coroutine[Any, Any, None]]:
    """A button handler with the guard of `pressed` done once, before it runs."""

    @functools.wraps(handler)
    async def handle(update: Update, context: BotContext) -> None:
        press = pressed(update)
        if press is not None:
            await handler(update, press, context)

    return handle


def pressed(update: Update) -> Press | None:
    """The guard at the top of every button handler: None when there is no press (or no
    message under it: a press on an inline-mode message, which we never send)."""
    query = update.callback_query
    if query is None or query.message is None:
        return None
    return Press(query, query.message, query.data or "")


def message_of(query: CallbackQuery) -> Message | None:
    """The message under a press, when Telegram still shows it to us (not too old)."""
    return query.message if isinstance(query.message, Message) else None


def chat_id(update: Update) -> int:
    """The chat an update happened in. Every handler we register serves chat updates
    (commands, messages, presses on our own messages), so there always is one."""
    chat = update.effective_chat
    if chat is None:
        raise LookupError("an update without a chat reached a chat handler")
    return chat.id


async def hand_off(
    update: Update,
    context: BotContext,
    language: Language,
    question: str,
    reason: Reason,
    *,
    message_id: int | None = None,
) -> None:
    """The question to a person (`Services.handoff`), for the chat and the user of `update`."""
    user = update.effective_user
    request = DraftRequest(
        chat_id(update), user.id if user else None, language, question, reason,
        message_id=message_id,
    )
    await context.services.handoff.escalate(request, context)


def is_private(update: Update) -> bool:
    return update.effective_chat is not None and update.effective_chat.type == ChatType.PRIVATE
