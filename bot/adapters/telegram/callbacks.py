"""Button presses (callback queries). The data scheme is documented in bot/core/buttons.py.

Every press is answered (answerCallbackQuery), or the user's app keeps a spinner on the
button. Topic browsing edits its one message in place, so Back really goes back.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from telegram import (
    CallbackQuery,
    MaybeInaccessibleMessage,
    Message,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import Application, CallbackQueryHandler

from bot.adapters.telegram import ticket_handlers
from bot.adapters.telegram.context import (
    BotContext,
    EscalationRequest,
    Press,
    on_press,
)
from bot.adapters.telegram.popups import answer_popup
from bot.adapters.telegram.replies import (
    deliver,
    forget_chat,
    markup,
    remember_answer,
    send_html,
    set_chat_language,
)
from bot.core import buttons, chat_language, present
from bot.core.model import Reply, as_language
from bot.core.present import Shown
from bot.delivery.split import LIMIT, utf16_len
from bot.escalation.ballots import ballot, ballot_secret, voted

log = logging.getLogger(__name__)


async def _edit(query: CallbackQuery, screen: Shown) -> bool:
    """Edit the pressed message in place; False if it is too long to fit in one message."""
    if utf16_len(screen.text) > LIMIT:
        return False
    # Pressing the same button twice edits to identical content; Telegram refuses that.
    with _unless_unchanged():
        await query.edit_message_text(
            screen.text, parse_mode=ParseMode.HTML, reply_markup=markup(screen.keyboard),
            disable_web_page_preview=True,
        )
    return True


@contextmanager
def _unless_unchanged() -> Iterator[None]:
    """Let an edit that changes nothing ("message is not modified") pass silently."""
    try:
        yield
    except BadRequest as exc:
        if "not modified" not in str(exc).lower():
            raise


@on_press
async def on_language(update: Update, press: Press, context: BotContext) -> None:
    query, message = press.query, press.message
    services = context.services
    lang = press.language(services.settings.default_language)
    await query.answer()
    await set_chat_language(context, message.chat.id, lang)


@on_press
async def on_vote(update: Update, press: Press, context: BotContext) -> None:
    query, message, data = press
    services = context.services
    if not isinstance(message, Message):  # too old to edit: nothing to take back
        await query.answer()
        return
    _, sign, entry_id = data.split(":", 2)
    rated = await _entry_or_gone(update, query, context, entry_id)
    if rated is None:
        return
    # One vote per person per answer: a double tap finds its ballot and counts once.
    voter = ballot(
        ballot_secret(services.settings.bot_token), "answer", query.from_user.id,
        message.chat.id, message.message_id,
    )
    outcome = services.storage.record_feedback(
        entry_id, 1 if sign == "+" else -1, today=services.today(), ballot=voter
    )
    done = voted(sign == "+", outcome)
    lang = chat_language.of_entry(entry_id, services.language_for(update))
    await answer_popup(query, services.say(lang, "tg_thanks_vote") if done.thanks else None)
    if not done.counted:
        return  # already counted, and already answered below
    # Remove the 👍/👎 so the same answer is not rated twice; other buttons (Back) stay.
    with _unless_unchanged():  # a second tap already removed them
        shown = message.reply_markup.to_dict() if message.reply_markup else None
        await query.edit_message_reply_markup(markup(buttons.without_votes(shown)))
    if not done.alternatives:
        return
    # 👎: the closest other entries for the same question, and a staff member.
    asked = message.reply_to_message.text if message.reply_to_message else None
    question = asked or rated.question
    found = services.assistant.alternatives(
        question, lang=lang, exclude=entry_id, today=services.today()
    )
    screen = present.alternatives(found, lang, services.say)
    await send_html(
        context,
        message.chat.id,
        screen.text,
        keyboard=screen.keyboard,
        # A reply to the question, so its "staff member" button can send that question on.
        reply_to=message.reply_to_message.message_id if message.reply_to_message else None,
    )


@on_press
async def on_entry(update: Update, press: Press, context: BotContext) -> None:
    """A candidate chosen after a clarify or a 👎: send its answer as a new message."""
    query, message, data = press
    reply = await _entry_or_gone(update, query, context, data.split(":", 1)[1])
    if reply is None:
        return
    await query.answer()
    await deliver(
        context,
        message.chat.id,
        reply,  # the user picked this entry, language and all
        reply_to=None,
        user_id=query.from_user.id,
        reason="core",
    )


@on_press
async def on_topic_list(update: Update, press: Press, context: BotContext) -> None:
    query = press.query
    services = context.services
    lang = press.language(services.settings.default_language)
    await query.answer()
    await _edit(query, present.topic_list(services.assistant.topics(lang), lang, services.say))


@on_press
async def on_topic(update: Update, press: Press, context: BotContext) -> None:
    query, _message, data = press
    services = context.services
    _, lang_code, topic = data.split(":", 2)
    lang = as_language(lang_code, services.settings.default_language)
    await query.answer()
    titles = dict(services.assistant.topics(lang))
    entries = services.assistant.entries_in_topic(topic, lang)
    has_article = services.assistant.article(topic, lang, today=services.today()) is not None
    await _edit(query, present.topic(
        topic, titles.get(topic, topic), entries, lang, services.say, has_article=has_article
    ))


async def _show_browsed(
    query: CallbackQuery, message: MaybeInaccessibleMessage, context: BotContext, reply: Reply,
    topic: str,
) -> None:
    screen = present.browsed(reply, topic)
    await query.answer()
    if screen is None:  # an entry past its review date: as a typed question would
        await deliver(context, message.chat.id, reply, reply_to=None, user_id=query.from_user.id)
        return
    if not await _edit(query, screen):
        await send_html(context, message.chat.id, screen.text, keyboard=screen.keyboard)
    await remember_answer(context, message.chat.id, reply)


@on_press
async def on_browsed_entry(update: Update, press: Press, context: BotContext) -> None:
    query, message, data = press
    reply = await _entry_or_gone(update, query, context, data.split(":", 1)[1])
    if reply is None:
        return
    await _show_browsed(query, message, context, reply, reply.topic or "")


@on_press
async def on_article(update: Update, press: Press, context: BotContext) -> None:
    query, message, data = press
    services = context.services
    _, lang_code, topic = data.split(":", 2)
    lang = as_language(lang_code, services.settings.default_language)
    reply = services.assistant.article(topic, lang, today=services.today())
    if reply is None:
        await query.answer()
        return
    await _show_browsed(query, message, context, reply, topic)


@on_press
async def on_staff(update: Update, press: Press, context: BotContext) -> None:
    query, message = press.query, press.message
    services = context.services
    lang = press.language(services.language_for(update))
    await query.answer()
    replied = message.reply_to_message if isinstance(message, Message) else None
    request = EscalationRequest(
        chat_id=message.chat.id,
        user_id=query.from_user.id,
        language=lang,
        question=replied.text or "" if replied else "",
        reason="button",
        message_id=replied.message_id if replied else None,
    )
    await services.handoff.escalate(request, context)


@on_press
async def on_erase(update: Update, press: Press, context: BotContext) -> None:
    query, message, data = press
    services = context.services
    _, lang_code, answer = data.split(":", 2)
    lang = as_language(lang_code, services.settings.default_language)
    if not isinstance(message, Message):  # too old to edit: ask for the command again
        await answer_popup(query, services.say(lang, "tg_press_stale"))
        return
    chat_id = message.chat.id
    await query.answer()
    if answer == "no":
        text = services.say(lang, "tg_erase_cancelled")
    elif services.desk is not None:  # the tickets and the staff group's copies too
        text = await ticket_handlers.erase_tickets(context, chat_id, lang)
    else:
        await forget_chat(context, chat_id)
        log.info("chat data erased on request")
        text = services.say(lang, "tg_erased")
    await query.edit_message_text(text, parse_mode=ParseMode.HTML)


def _entry_reply(context: BotContext, entry_id: str) -> Reply | None:
    """The answer of an entry named by a button, or None: the knowledge base may have
    renamed or removed it since the button was sent."""
    services = context.services
    try:
        return services.assistant.answer_entry(entry_id, today=services.today())
    except KeyError:
        return None


async def _entry_or_gone(
    update: Update, query: CallbackQuery, context: BotContext, entry_id: str
) -> Reply | None:
    """`_entry_reply`, and when the entry is gone, the popup that says so."""
    reply = _entry_reply(context, entry_id)
    if reply is None:
        await _gone(query, context, update)
    return reply


async def _gone(query: CallbackQuery, context: BotContext, update: Update) -> None:
    services = context.services
    await answer_popup(query, services.say(services.language_for(update), "tg_press_stale"))


async def on_unknown(update: Update, context: BotContext) -> None:
    """A press no handler knows (data of an older version of the bot): say so, once."""
    query = update.callback_query
    if query is not None:
        log.info("a button press no handler knows")
        await _gone(query, context, update)


# The data each handler accepts, exactly (bot/core/buttons.py writes it); anything else falls
# through to on_unknown, registered last, so no handler ever parses data it did not write.
_LANG = "(nl|fr)"
ROUTES = (
    (rf"^l:{_LANG}$", on_language),
    (r"^v:[+-]:[^:]+$", on_vote),
    (r"^e:[^:]+$", on_entry),
    (rf"^tl:{_LANG}$", on_topic_list),
    (rf"^t:{_LANG}:[^:]+$", on_topic),
    (r"^q:[^:]+$", on_browsed_entry),
    (rf"^ar:{_LANG}:[^:]+$", on_article),
    (rf"^h:{_LANG}$", on_staff),
    (rf"^x:{_LANG}:(yes|no)$", on_erase),
)


def register(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    for pattern, callback in ROUTES:
        application.add_handler(CallbackQueryHandler(callback, pattern=pattern))
    application.add_handler(CallbackQueryHandler(on_unknown))
