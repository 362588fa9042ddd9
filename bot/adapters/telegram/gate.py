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
from bot.core import addressing


def is_addressed(message: Message, bot_id: int, bot_username: str) -> bool:
    """Is this group message meant for the bot (bot.core.addressing.is_addressed)?"""
    entities = message.parse_entities([MessageEntity.MENTION]) or message.parse_caption_entities(
        [MessageEntity.MENTION]
    )
    replied = message.reply_to_message
    return addressing.is_addressed(
        message.text or message.caption or "",
        mentions=entities.values(),
        replied_to_bot=bool(replied and replied.from_user and replied.from_user.id == bot_id),
        bot_username=bot_username,
    )


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
