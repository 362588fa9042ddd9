"""What every handler can reach: the assistant, storage, settings, clock and hand-off.

`BotContext` is registered through `ContextTypes`, so handlers read `context.services`
instead of globals, and tests can build several independent applications in one process.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import CallbackContext, ExtBot

from bot.core.model import Candidate, Entry, Language, Reply
from bot.settings import Settings
from bot.storage import Storage

if TYPE_CHECKING:
    from bot.adapters.telegram.gate import FloodControl
    from bot.adapters.telegram.handoff import EscalationHandoff

LANGUAGES: tuple[Language, ...] = ("nl", "fr")


class AssistantLike(Protocol):
    """The part of `bot.core.assistant.Assistant` the Telegram adapter uses."""

    def ask(self, text: str, *, chat_lang: Language | None = None, today: date) -> Reply: ...
    def answer_entry(self, entry_id: str, *, today: date) -> Reply: ...
    def alternatives(
        self, question: str, *, lang: Language, exclude: str | None, today: date
    ) -> tuple[Candidate, ...]: ...
    def topics(self, lang: Language) -> list[tuple[str, str]]: ...
    def entries_in_topic(self, topic: str, lang: Language) -> list[Entry]: ...
    def article(self, topic: str, lang: Language, *, today: date) -> Reply | None: ...
    def detect_language(self, text: str) -> str: ...
    def message(self, lang: Language, name: str, **context: Any) -> str: ...


@dataclass
class Services:
    settings: Settings
    assistant: AssistantLike
    storage: Storage
    today: Callable[[], date]
    handoff: EscalationHandoff
    flood: FloodControl
    commands: dict[Language, list[tuple[str, str]]]  # what /help and set_my_commands show

    def say(self, lang: Language, name: str, **context: Any) -> str:
        """Render bot/templates/<lang>/<name>.html with the centre's details filled in."""
        context.setdefault("centre_name", self.settings.centre_name)
        context.setdefault("centre_contact", self.settings.centre_contact)
        return self.assistant.message(lang, name, **context)

    def language_for(self, update: Update) -> Language:
        """The language to speak in this chat before we have read the message itself:
        the chat's choice, else the user's Telegram app language, else DEFAULT_LANGUAGE."""
        chat = update.effective_chat
        if chat is not None:
            chosen = self.storage.chat_language(chat.id)
            if chosen is not None:
                return chosen
        user = update.effective_user
        code = (user.language_code or "")[:2] if user else ""
        return code if code in LANGUAGES else self.settings.default_language  # type: ignore[return-value]


class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    @property
    def services(self) -> Services:
        return self.bot_data["services"]  # type: ignore[no-any-return]


def is_private(update: Update) -> bool:
    return update.effective_chat is not None and update.effective_chat.type == ChatType.PRIVATE


def other_language(lang: Language) -> Language:
    return "fr" if lang == "nl" else "nl"
