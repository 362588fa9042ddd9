"""/geen_correcties and /sans_corrections: no more corrections of answers this chat was given,
with a button to take that back (callback data `co:<lang>:on`).

The corrections themselves are queued by `python -m bot corrections --send`
(bot/commands/corrections.py) and delivered by the outbox sender.
"""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.constants import ParseMode
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot.adapters.telegram.context import BotContext, Press, chat_id, on_press
from bot.adapters.telegram.replies import send_html
from bot.adapters.telegram.user_handlers import command_name
from bot.core import buttons
from bot.core.model import Language

OPT_OUT: dict[Language, str] = {"nl": "geen_correcties", "fr": "sans_corrections"}


async def opt_out(update: Update, context: BotContext) -> None:
    services = context.services
    lang = services.language_for(update, command_name(update))
    chat = chat_id(update)
    services.storage.set_corrections_wanted(chat, False, today=services.today())
    again = buttons.corrections_again(lang)
    await send_html(context, chat, services.say(lang, "corr_opted_out"), keyboard=again)


@on_press
async def opt_in(update: Update, press: Press, context: BotContext) -> None:
    query, message = press.query, press.message
    services = context.services
    lang = buttons.language_of(press.data, services.settings.default_language)
    services.storage.set_corrections_wanted(message.chat.id, True, today=services.today())
    await query.answer()
    await query.edit_message_text(services.say(lang, "corr_opted_in"), parse_mode=ParseMode.HTML)


def register(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Private chats only (corrections only ever go to private chats); group 0."""
    private = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGES
    application.add_handler(CommandHandler(list(OPT_OUT.values()), opt_out, filters=private))
    application.add_handler(CallbackQueryHandler(opt_in, pattern=r"^co:(nl|fr):on$"))
