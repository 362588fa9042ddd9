"""Runs before every handler (group -2): who gets an answer at all.

- Group chats: answer only when addressed (a command, an @mention of the bot, or a reply to
  one of its messages), so the bot never talks over a group's own conversation. The staff
  chat is the exception: staff handlers there see everything.
- Flood control per user: more than FLOOD_LIMIT messages in FLOOD_WINDOW seconds gets one
  polite slow-down reply, then silence until the rate drops. Kept in memory on purpose:
  it protects a running process, and a restart forgetting it is harmless.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from typing import Literal

from telegram import Message, MessageEntity, Update
from telegram.constants import ChatType
from telegram.ext import ApplicationHandlerStop

from bot.adapters.telegram.context import BotContext

FLOOD_LIMIT = 20
FLOOD_WINDOW = 60.0

Verdict = Literal["ok", "warn", "drop"]


class FloodControl:
    def __init__(
        self,
        limit: int = FLOOD_LIMIT,
        window: float = FLOOD_WINDOW,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limit = limit
        self.window = window
        self.clock = clock
        self._seen: dict[int, deque[float]] = {}
        self._warned: set[int] = set()
        self._checks = 0

    def check(self, user_id: int) -> Verdict:
        now = self.clock()
        self._checks += 1
        if self._checks % 1000 == 0:
            self.forget_idle()
        seen = self._seen.setdefault(user_id, deque())
        while seen and now - seen[0] >= self.window:
            seen.popleft()
        seen.append(now)
        if len(seen) <= self.limit:
            self._warned.discard(user_id)
            return "ok"
        if user_id in self._warned:
            return "drop"
        self._warned.add(user_id)
        return "warn"

    def forget_idle(self) -> None:
        """Drop users with nothing in the window, so memory follows active users only."""
        now = self.clock()
        for user_id in [u for u, s in self._seen.items() if not s or now - s[-1] >= self.window]:
            del self._seen[user_id]
            self._warned.discard(user_id)


def is_addressed(message: Message, bot_id: int, bot_username: str) -> bool:
    """Is this group message meant for the bot: a command, a mention or a reply to it?"""
    text = message.text or message.caption or ""
    if text.startswith("/"):
        command = text.split(maxsplit=1)[0]
        _, _, target = command.partition("@")
        return not target or target.lower() == bot_username.lower()
    mention = f"@{bot_username}".lower()
    entities = message.parse_entities([MessageEntity.MENTION]) or message.parse_caption_entities(
        [MessageEntity.MENTION]
    )
    if any(value.lower() == mention for value in entities.values()):
        return True
    replied = message.reply_to_message
    return bool(replied and replied.from_user and replied.from_user.id == bot_id)


def without_mention(text: str, bot_username: str) -> str:
    """The question without the '@bot' that addressed it in a group."""
    cleaned = text.replace(f"@{bot_username}", " ")
    return " ".join(cleaned.split()) if cleaned != text else text


async def gate(update: Update, context: BotContext) -> None:
    services = context.services
    if update.channel_post or update.edited_channel_post:
        raise ApplicationHandlerStop  # the bot does not serve channels
    user = update.effective_user
    if user is not None and user.is_bot:
        raise ApplicationHandlerStop
    chat = update.effective_chat
    message = update.effective_message
    if update.callback_query is not None or message is None:
        return  # button presses are on our own messages: always for us
    if (
        chat is not None
        and chat.type != ChatType.PRIVATE
        and chat.id != services.settings.staff_chat_id
        and not is_addressed(message, context.bot.id, context.bot.username)
    ):
        raise ApplicationHandlerStop
    if user is None:
        return
    verdict = services.flood.check(user.id)
    if verdict == "ok":
        return
    if verdict == "warn":
        lang = services.language_for(update)
        await message.reply_html(
            services.say(lang, "tg_slow_down", limit=services.flood.limit),
            do_quote=chat is not None and chat.type != ChatType.PRIVATE,
        )
    raise ApplicationHandlerStop
