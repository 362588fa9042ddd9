"""Button presses (callback queries). The data scheme is documented in bot/core/buttons.py.

Every press is answered (answerCallbackQuery), or the user's app keeps a spinner on the
button. Topic browsing edits its one message in place, so Back really goes back.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import Any

from telegram import CallbackQuery, Message, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import Application, CallbackQueryHandler

from bot.adapters.telegram import ticket_handlers
from bot.adapters.telegram.context import BotContext, Press, hand_off, on_press
from bot.adapters.telegram.popups import answer_popup
from bot.adapters.telegram.replies import (
    deliver,
    forget_chat,
    markup,
    remember_answer,
    send_shown,
    set_chat_language,
)
from bot.core import buttons, chat_language, present
from bot.core.buttons import Pressed, PressKind
from bot.core.model import Reply
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


async def on_language(update: Update, press: Press, pressed: Pressed, context: BotContext) -> None:
    await press.query.answer()
    lang = pressed.language(context.services.settings.default_language)
    await set_chat_language(context, press.message.chat.id, lang)


async def on_vote(update: Update, press: Press, pressed: Pressed, context: BotContext) -> None:
    query, message, _data = press
    services = context.services
    if not isinstance(message, Message):  # too old to edit: nothing to take back
        await query.answer()
        return
    entry_id = pressed.entry_id
    rated = await _entry_or_gone(update, query, context, entry_id)
    if rated is None:
        return
    # One vote per person per answer: a double tap finds its ballot and counts once.
    voter = ballot(
        ballot_secret(services.settings.bot_token), "answer", query.from_user.id,
        message.chat.id, message.message_id,
    )
    outcome = services.storage.record_feedback(
        entry_id, 1 if pressed.yes else -1, today=services.today(), ballot=voter
    )
    done = voted(pressed.yes, outcome)
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
    asked = message.reply_to_message
    question = (asked and asked.text) or rated.question
    screen = services.screens.alternatives(question, lang, entry_id)
    # A reply to the question, so its "staff member" button can send that question on.
    reply_to = asked.message_id if asked else None
    await send_shown(context, message.chat.id, screen, reply_to=reply_to)


async def on_entry(update: Update, press: Press, pressed: Pressed, context: BotContext) -> None:
    """A candidate chosen after a clarify or a 👎: send its answer as a new message."""
    query, message, _data = press
    reply = await _entry_or_gone(update, query, context, pressed.entry_id)
    if reply is None:
        return
    await query.answer()
    # The user picked this entry, language and all.
    await deliver(context, message.chat.id, reply, reply_to=None, user_id=query.from_user.id)


async def on_topic_list(
    update: Update, press: Press, pressed: Pressed, context: BotContext
) -> None:
    services = context.services
    await press.query.answer()
    lang = pressed.language(services.settings.default_language)
    await _edit(press.query, services.screens.topic_list(lang))


async def on_topic(update: Update, press: Press, pressed: Pressed, context: BotContext) -> None:
    services = context.services
    await press.query.answer()
    lang = pressed.language(services.settings.default_language)
    await _edit(press.query, services.screens.topic(pressed.topic, lang))


async def _show_browsed(press: Press, context: BotContext, reply: Reply, topic: str) -> None:
    query, chat = press.query, press.message.chat.id
    screen = present.browsed(reply, topic)
    await query.answer()
    if screen is None:  # an entry past its review date: as a typed question would
        await deliver(context, chat, reply, reply_to=None, user_id=query.from_user.id)
        return
    if not await _edit(query, screen):
        await send_shown(context, chat, screen)
    await remember_answer(context, chat, reply)


async def on_browsed_entry(
    update: Update, press: Press, pressed: Pressed, context: BotContext
) -> None:
    reply = await _entry_or_gone(update, press.query, context, pressed.entry_id)
    if reply is not None:
        await _show_browsed(press, context, reply, reply.topic or "")


async def on_article(update: Update, press: Press, pressed: Pressed, context: BotContext) -> None:
    services = context.services
    lang = pressed.language(services.settings.default_language)
    reply = services.screens.article(pressed.topic, lang)
    if reply is None:
        await press.query.answer()
        return
    await _show_browsed(press, context, reply, pressed.topic)


async def on_staff(update: Update, press: Press, pressed: Pressed, context: BotContext) -> None:
    message = press.message
    await press.query.answer()
    replied = message.reply_to_message if isinstance(message, Message) else None
    await hand_off(
        update, context, pressed.language(context.services.language_for(update)),
        replied.text or "" if replied else "", "button",
        message_id=replied.message_id if replied else None,
    )


async def on_erase(update: Update, press: Press, pressed: Pressed, context: BotContext) -> None:
    query, message = press.query, press.message
    services = context.services
    lang = pressed.language(services.settings.default_language)
    if not isinstance(message, Message):  # too old to edit: ask for the command again
        await answer_popup(query, services.say(lang, "tg_press_stale"))
        return
    chat_id = message.chat.id
    await query.answer()
    if not pressed.yes:
        text = services.say(lang, "tg_erase_cancelled")
    elif services.desk is not None:  # the tickets and the staff group's copies too
        text = await ticket_handlers.erase_tickets(context, chat_id, lang)
    else:
        await forget_chat(context, chat_id)
        log.info("chat data erased on request")
        text = services.say(lang, "tg_erased")
    await query.edit_message_text(text, parse_mode=ParseMode.HTML)


async def _entry_or_gone(
    update: Update, query: CallbackQuery, context: BotContext, entry_id: str
) -> Reply | None:
    """The answer of the entry a button names, or None after the popup that says it is gone
    (renamed or removed since the button was sent)."""
    reply = context.services.screens.entry(entry_id)
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


ROUTES: dict[PressKind, Callable[[Update, Press, Pressed, BotContext], Awaitable[None]]] = {
    "language": on_language,
    "vote": on_vote,
    "entry": on_entry,
    "topics": on_topic_list,
    "topic": on_topic,
    "browsed": on_browsed_entry,
    "article": on_article,
    "staff": on_staff,
    "erase": on_erase,
}


@on_press
async def on_button(update: Update, press: Press, context: BotContext) -> None:
    """A press on a button of bot/core/buttons.py, to the handler of its kind."""
    pressed = buttons.read(press.data)
    if pressed is not None:
        await ROUTES[pressed.kind](update, press, pressed, context)


def _ours(data: object) -> bool:
    """Exactly the data bot/core/buttons.py writes: anything else falls through to
    on_unknown, registered last, so no handler ever parses data it did not write."""
    return buttons.read(data) is not None


def register(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    application.add_handler(CallbackQueryHandler(on_button, pattern=_ours))
    application.add_handler(CallbackQueryHandler(on_unknown))
