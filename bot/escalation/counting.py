"""The core with a per-day count of the questions it answered itself, for the staff's /stats.

Only the day and the answer's language are counted, never the text. The workflow's own
rankings of a question for the staff (the desk asks the core directly) are not answers given,
so they are not counted; everything the core offers besides `ask` passes through unchanged.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Protocol

from bot.core.assistant import AssistantLike
from bot.core.model import Language, Reply


class AnswerCount(Protocol):
    """Where the count is kept (the storage)."""

    def count_assistant_answer(self, language: str, *, today: date) -> None: ...


class CountingAssistant:
    """The core, plus a per-day count of the questions it answered itself (for /stats)."""

    def __init__(self, core: AssistantLike, storage: AnswerCount) -> None:
        self.core = core
        self.storage = storage

    def ask(self, text: str, *, chat_lang: Language | None = None, today: date) -> Reply:
        reply = self.core.ask(text, chat_lang=chat_lang, today=today)
        if reply.action == "answer":
            self.storage.count_assistant_answer(reply.language, today=today)
        return reply

    def __getattr__(self, name: str) -> Any:
        return getattr(self.core, name)
