"""What a volunteer can send: commands, questions in their own words, and everything else.

Handlers translate only: they read the Update, ask the core, and hand the Reply to
`replies.deliver`. Button presses are in callbacks.py.
"""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import Application, CommandHandler, MessageHandler, filters

from bot.adapters.telegram.context import BotContext, chat_id, hand_off, is_private
from bot.adapters.telegram.gate import is_addressed
from bot.adapters.telegram.replies import (
    answer,
    send_html,
    send_notice,
    send_shown,
    set_chat_language,
)
from bot.core import chat_language, present
from bot.core.addressing import without_mention
from bot.core.menu import parse_command
from bot.storage.offloop import StorageCalls

# Everything a person can send that is not text; each gets "I read text questions".
NOT_TEXT = (
    filters.Sticker.ALL | filters.PHOTO | filters.VOICE | filters.VIDEO | filters.VIDEO_NOTE
    | filters.AUDIO | filters.ANIMATION | filters.Document.ALL | filters.LOCATION
    | filters.VENUE | filters.CONTACT | filters.POLL | filters.Dice.ALL
)


def command_name(update: Update) -> str:
    """The command of a message, without its slash and @botname: "/Taal@bot fr" -> "taal"."""
    parsed = parse_command(update.effective_message.text if update.effective_message else None)
    return parsed[0] if parsed else ""


async def start(update: Update, context: BotContext) -> None:
    """Welcome in both languages, the user's own first, with language buttons."""
    services = context.services
    welcome = present.welcome(services.language_for(update), services.say)
    await send_shown(context, chat_id(update), welcome)


async def help_command(update: Update, context: BotContext) -> None:
    services = context.services
    lang = services.language_for(update)
    text = services.say(lang, "tg_help", commands=services.commands[lang])
    await send_html(context, chat_id(update), text)


async def choose_language(update: Update, context: BotContext) -> None:
    """/taal and /langue: `/taal fr` switches at once; without an argument, show buttons."""
    services = context.services
    chat = chat_id(update)
    wanted = chat_language.named(context.args or [])
    if wanted is not None:
        await set_chat_language(context, chat, wanted)
        return
    lang = context.services.language_for(update, command_name(update))
    current = services.storage.chat_language(chat)
    await send_shown(context, chat, present.language_choice(lang, current, services.say))


async def topics(update: Update, context: BotContext) -> None:
    """/onderwerpen and /sujets: the topic list, as buttons."""
    services = context.services
    lang = services.language_for(update, command_name(update))
    await send_shown(context, chat_id(update), services.screens.topic_list(lang))


async def ask_staff(update: Update, context: BotContext) -> None:
    """/medewerker and /humain (optionally followed by the question)."""
    lang = context.services.language_for(update, command_name(update))
    message = update.effective_message
    await hand_off(
        update, context, lang, " ".join(context.args or []), "command",
        message_id=message.message_id if message else None,
    )


async def erase(update: Update, context: BotContext) -> None:
    """/vergeet and /oublier: say what will be erased and ask to confirm."""
    services = context.services
    lang = services.language_for(update, command_name(update))
    await send_shown(context, chat_id(update), present.erase_question(lang, services.say))


async def question(update: Update, context: BotContext) -> None:
    """Any text (new or edited): the core decides what to answer."""
    message = update.effective_message
    if message is None or not message.text:
        return
    services = context.services
    chat = message.chat
    username = context.bot.username
    # Other groups were filtered by the gate; in the staff chat only answer when asked.
    if chat.type != ChatType.PRIVATE and not is_addressed(message, context.bot.id, username):
        return
    if services.desk is not None and update.message is not None and is_private(update):
        # A draft being confirmed or a ticket still open may be waiting for this text.
        waiting = await StorageCalls(services.storage)(
            services.desk.take_text, chat.id, message.text, message.message_id
        )
        if waiting is not None:
            await send_notice(context, waiting)
            return
    text = without_mention(message.text, username)
    refused = services.screens.too_long(
        text, chosen=lambda: services.storage.chat_language(chat.id),
        fallback=lambda: services.language_for(update),
    )
    if refused is not None:
        await send_shown(context, chat.id, refused, reply_to=message.message_id)
        return
    user_id = message.from_user.id if message.from_user else None
    await answer(context, chat.id, text, reply_to=message.message_id, user_id=user_id)


async def not_text(update: Update, context: BotContext) -> None:
    """Stickers, photos, voice, files, places, contacts, polls: explain we read text."""
    message = update.effective_message
    if message is None:
        return
    services = context.services
    lang = services.language_for(update)
    await message.reply_html(
        services.say(lang, "tg_not_text"), do_quote=not is_private(update)
    )


async def unknown_command(update: Update, context: BotContext) -> None:
    services = context.services
    lang = services.language_for(update)
    await send_html(context, chat_id(update), services.say(lang, "tg_unknown_command"))


def register(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Add the user handlers in group 0, after any plug-in handlers (first match wins)."""
    every = filters.UpdateType.MESSAGES  # new and edited messages alike
    commands = [
        (["start"], start),
        (["help"], help_command),
        (["taal", "langue"], choose_language),
        (["onderwerpen", "sujets"], topics),
        (["medewerker", "humain"], ask_staff),
        (["vergeet", "oublier"], erase),
    ]
    for names, callback in commands:
        application.add_handler(CommandHandler(names, callback, filters=every))
    application.add_handler(MessageHandler(every & filters.TEXT & ~filters.COMMAND, question))
    application.add_handler(MessageHandler(every & NOT_TEXT, not_text))
    application.add_handler(
        MessageHandler(filters.COMMAND & filters.ChatType.PRIVATE, unknown_command)
    )
