"""Runs before every handler (group GATE, see app.py): who gets an answer at all.

- Group chats: answer only when addressed (a command, an @mention of the bot, or a reply to
  one of its messages), so the bot never talks over a group's own conversation. The staff
  chat is the exception: staff handlers there see everything.
- Flood control per user (bot/delivery/flood.py): one polite slow-down reply, then silence.
- Button presses only from a button still on the bot's message (presses.py).
"""

from __future__ import annotations

from telegram import Message, MessageEntity, Update
from telegram.constants import ChatType
from telegram.ext import ApplicationHandlerStop

from bot.adapters.telegram.context import BotContext
from bot.adapters.telegram.presses import check_press


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
    if update.callback_query is not None:  # on our own messages: for us, if still there
        await check_press(update.callback_query, context, services.language_for(update))
        return
    if message is None:
        return
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
