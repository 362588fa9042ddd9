"""Turning a core `Reply` (or a desk `Notice`) into Telegram messages: HTML, split if long,
with the keyboard the core or the desk built. The core has decided; this module only sends."""

from __future__ import annotations

from telegram import BotCommand, BotCommandScopeChat, InlineKeyboardMarkup
from telegram.constants import ParseMode

from bot.adapters.telegram.context import BotContext, Services
from bot.core import present
from bot.core.buttons import Keyboard
from bot.core.model import Language, Reply
from bot.delivery.split import split_message
from bot.escalation.corrections import answer_given
from bot.escalation.desk import DraftRequest, Notice, Reason
from bot.storage.offloop import StorageCalls


def markup(keyboard: Keyboard | None) -> InlineKeyboardMarkup | None:
    """A Bot API keyboard dict (as the desk builds them) as ptb's markup."""
    return InlineKeyboardMarkup.de_json(keyboard, None) if keyboard else None


async def send_html(
    context: BotContext,
    chat_id: int,
    text: str,
    *,
    keyboard: Keyboard | None = None,
    reply_to: int | None = None,
) -> None:
    """Send text (already Telegram-HTML-safe), split at paragraphs; the keyboard goes on the
    last part, where the reader finishes.

    With the escalation workflow's outbox (bot/escalation/answers.py) the parts are queued
    as outbox rows and delivered by its sender, retried until they go out or end as failed;
    without it (tests of the bare adapter) they are sent here and now."""
    parts = split_message(text)
    outbox = context.services.outbox
    if outbox is not None:
        await outbox.queue(chat_id, parts, keyboard=keyboard, reply_to=reply_to)
        return
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        await context.bot.send_message(
            chat_id,
            part,
            parse_mode=ParseMode.HTML,
            reply_markup=markup(keyboard) if last else None,
            # Replying to the question lets a later 👎 find it again without us storing it.
            reply_to_message_id=reply_to,
            allow_sending_without_reply=True,
            disable_web_page_preview=True,
        )


async def send_shown(
    context: BotContext, chat_id: int, shown: present.Shown, *, reply_to: int | None = None
) -> None:
    """Send a screen the core built (bot/core/present.py)."""
    await send_html(context, chat_id, shown.text, keyboard=shown.keyboard, reply_to=reply_to)


async def send_notice(context: BotContext, notice: Notice) -> None:
    await send_html(
        context, notice.chat_id, notice.text, keyboard=notice.keyboard, reply_to=notice.reply_to
    )


async def set_chat_language(context: BotContext, chat_id: int, lang: Language) -> None:
    """Remember the chat's language, and show that language's command menu in this chat."""
    services = context.services
    services.storage.set_chat_language(chat_id, lang, today=services.today())
    if chat_id > 0:  # private chats only: a group's menu is shared by all its members
        await context.bot.set_my_commands(
            [BotCommand(name, text) for name, text in services.commands[lang]],
            scope=BotCommandScopeChat(chat_id),
        )
    await send_html(context, chat_id, services.say(lang, "tg_language_set"))


async def forget_chat(context: BotContext, chat_id: int) -> None:
    """Erase what is stored about the chat and its personal command menu."""
    context.services.storage.erase_chat(chat_id)
    for hook in context.services.erase_hooks:
        await hook(context, chat_id)
    if chat_id > 0:
        await context.bot.delete_my_commands(scope=BotCommandScopeChat(chat_id))


async def answer(
    context: BotContext, chat_id: int, text: str, *, reply_to: int | None, user_id: int | None
) -> None:
    """Ask the core about a question typed in this chat and deliver its reply."""
    services = context.services
    # Off the event loop's thread (a lock is waited out, never raised): made on the loop,
    # these reads and writes held up every chat behind the storage's queue.
    db = StorageCalls(services.storage)
    reply = await db(_ask, services, chat_id, text)
    # The weekly report's anonymous count: day, language, action, entry, topic; no text.
    await db(
        services.storage.record_question,
        day=services.today(), language=reply.language, action=reply.action,
        entry_id=reply.entry_id, topic=reply.topic,
    )
    await deliver(context, chat_id, reply, reply_to=reply_to, user_id=user_id)


def _ask(services: Services, chat_id: int, text: str) -> Reply:
    """The core's reply in the chat's chosen language, in one trip to the storage's thread
    (the core takes a few milliseconds; with the escalation workflow its assistant also
    counts the questions it answered itself, for /stats)."""
    chosen = services.storage.chat_language(chat_id)
    return services.assistant.ask(text, chat_lang=chosen, today=services.today())


async def deliver(
    context: BotContext,
    chat_id: int,
    reply: Reply,
    *,
    reply_to: int | None,
    user_id: int | None,
    reason: Reason = "core",
) -> None:
    """Send what the core decided (bot/core/present.py decides how it is shown), or hand the
    question to a person. Guided checks are taken up in private chats only."""
    services = context.services
    message = present.shown(reply, services.say, takes=services.checks if chat_id > 0 else ())
    if message is not None:
        await send_shown(context, chat_id, message, reply_to=reply_to)
        await remember_answer(context, chat_id, reply)
        return
    request = DraftRequest(
        chat_id=chat_id,
        user_id=user_id,
        language=reply.language,
        question=reply.question,
        reason=reason,
        reply=reply,
        message_id=reply_to,
    )
    await services.handoff.escalate(request, context)


async def remember_answer(context: BotContext, chat_id: int, reply: Reply) -> None:
    """Keep which answer the chat was given, so a later correction can reach it (issue 14;
    what is kept: bot/escalation/corrections.py), off the event loop."""
    services = context.services
    given = answer_given(reply, chat_id, services.today())
    if given is not None:
        await StorageCalls(services.storage)(
            services.storage.record_answer, given.chat_id, given.entry_id, given.revision,
            today=given.day,
        )
