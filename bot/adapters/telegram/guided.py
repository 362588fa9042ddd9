"""The guided checks on Telegram: /vergoeding and /defraiement (allowances), /verzekering and
/assurance (an association's insurance), each a ptb ConversationHandler around a core `Guide`
(bot/core/guided/), which decides every step; this module only translates updates and turns.
The complaint flow (/klacht, /plainte: complaint_route.py) runs through the same
`GuidedConversation`, without the offer button and handing its answers to the complaint desk.

One question per message, in the language of the command (or of the offer button that started
it). What a chat's check remembers, and its buttons' callback data, is the core's `Session`
(bot/core/guided/session.py): the answers stay in chat_data, never in the database, and are
dropped when the check ends, is stopped, or expires after CONVERSATION_TIMEOUT_MINUTES without
an answer (the user is told). A message that is plainly a new question is answered as one,
with a button to resume the check.
"""

from __future__ import annotations

import warnings
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from telegram import Update
from telegram.error import BadRequest
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

from bot.adapters.telegram import user_handlers
from bot.adapters.telegram.app import BotApplication, Plugin
from bot.adapters.telegram.context import (
    BotContext,
    Services,
    chat_id,
    hand_off,
    is_private,
    pressed,
)
from bot.adapters.telegram.popups import answer_popup, drop_buttons
from bot.adapters.telegram.replies import send_html
from bot.core.figures import Figures
from bot.core.guided import Guide, Turn, checks
from bot.core.guided.allowance import AllowanceGuide
from bot.core.guided.insurance import InsuranceGuide
from bot.core.guided.session import Session, forget, handover_language
from bot.core.model import Check, Language

END = ConversationHandler.END
ASKING = "asking"  # the one ConversationHandler state; which question is open is Draft.step
AnyGuide = Guide[Any]
# Hands a finished draft to a desk (the complaint flow); returns a text to send, or "".
Submit = Callable[[Update, BotContext, Any], Awaitable[str]]


def allowance_plugin(figures: Figures | None = None) -> Plugin:
    """The allowance check for build_application(plugins=[...]). Without `figures`, the
    figures the assistant already loaded are used (else KNOWLEDGE_DIR's figures.yaml)."""

    def guide(services: Services) -> AnyGuide:
        return checks.allowance_guide(services.assistant, services.settings.knowledge_dir, figures)

    return _plugin("allowance", guide, AllowanceGuide.menu())


def insurance_plugin(figures: Figures | None = None) -> Plugin:
    """The insurance check for associations, likewise."""

    def guide(services: Services) -> AnyGuide:
        return checks.insurance_guide(services.assistant, services.settings.knowledge_dir, figures)

    return _plugin("insurance", guide, InsuranceGuide.menu())


def _plugin(
    name: Check,
    make: Callable[[Services], AnyGuide],
    commands: dict[Language, list[tuple[str, str]]],
) -> Plugin:
    def register(application: BotApplication) -> None:
        services: Services = application.bot_data["services"]
        flow = GuidedConversation(make(services), services.settings.conversation_timeout_minutes)
        services.checks.add(name)  # replies now offer it (bot.core.buttons.with_offer)
        services.erase_hooks.append(flow.forget)  # /vergeet drops a check in progress too
        application.add_handler(flow.handler())
        p = flow.prefix
        application.add_handler(CallbackQueryHandler(flow.on_handover, pattern=rf"^{p}:person:"))
        # A button of a check that already ended: say so instead of a spinning button.
        application.add_handler(CallbackQueryHandler(flow.on_stale, pattern=rf"^{p}:"))

    return Plugin(name=name, register=register, commands=commands)


class GuidedConversation:
    """Runs `guide` in private chats. `offered`: an offer button under a reply can start it;
    `available`: whether it can start now (else `<texts>_unavailable`); `submit`: where the
    answers go when the guide's last turn says so."""

    def __init__(
        self,
        guide: AnyGuide,
        timeout_minutes: float,
        *,
        offered: bool = True,
        available: Callable[[BotContext], bool] = lambda context: True,
        submit: Submit | None = None,
    ) -> None:
        self.guide, self.minutes = guide, timeout_minutes
        self.offered, self.available, self.submit = offered, available, submit
        self.prefix = guide.prefix  # as bot.core.buttons.with_offer writes the offer's data

    def handler(self) -> ConversationHandler[BotContext]:
        p = self.prefix
        text = filters.UpdateType.MESSAGE & filters.ChatType.PRIVATE & filters.TEXT
        in_step: list[BaseHandler[Update, BotContext, object]] = [
            CallbackQueryHandler(self.on_button, pattern=rf"^{p}:(?!go:|person:)"),
            MessageHandler(text & ~filters.COMMAND, self.on_text),
        ]
        with warnings.catch_warnings():
            # ptb warns that with per_message=False a button is tracked per chat, not per
            # message; that is what we want (a stale button is recognised by its step).
            warnings.simplefilter("ignore", PTBUserWarning)
            entry_points: list[BaseHandler[Update, BotContext, object]] = [
                CommandHandler(list(self.guide.commands), self.on_command,
                               filters=filters.ChatType.PRIVATE),
            ]
            if self.offered:
                entry_points.append(CallbackQueryHandler(self.on_offer, pattern=rf"^{p}:go:"))
            return ConversationHandler(
                entry_points=entry_points,
                states={
                    ASKING: in_step,
                    ConversationHandler.TIMEOUT: [TypeHandler(Update, self.on_timeout)],
                },
                fallbacks=[],
                allow_reentry=True,  # the command halfway starts afresh
                per_chat=True,
                per_user=True,
                per_message=False,
                conversation_timeout=timedelta(minutes=self.minutes) if self.minutes else None,
                name=self.guide.name,
            )

    def _session(self, context: BotContext) -> Session:
        services = context.services
        return Session(self.guide, _memory(context), services.say, services.today())

    # ---------------------------------------------------------------- starting
    async def on_command(self, update: Update, context: BotContext) -> str | int:
        command = user_handlers.command_name(update)
        lang = self.guide.commands.get(command) or context.services.language_for(update)
        if not self.available(context):
            text = context.services.say(lang, f"{self.guide.texts}_unavailable")
            await send_html(context, chat_id(update), text)
            return END
        session = self._session(context)
        return await self._send(update, context, session, session.start(lang))

    async def on_offer(self, update: Update, context: BotContext) -> str | int:
        query = update.callback_query
        if query is None:
            return END
        await query.answer()
        if not is_private(update):
            return END  # a conversation in a group would swallow everyone's messages
        session = self._session(context)
        return await self._send(update, context, session, session.start_offered(query.data or ""))

    # ---------------------------------------------------------------- answers
    async def on_text(self, update: Update, context: BotContext) -> str | int:
        message = update.effective_message
        if message is None:
            return END
        session = self._session(context)
        turn = session.typed(message.text or "")
        if turn is None:
            # Plainly a new question (or the check was erased meanwhile): it goes the way
            # every question goes (a ticket waiting for text, the length limit, the core's
            # reply), and an open check waits one tap away.
            await user_handlers.question(update, context)
            turn = session.paused()
        return await self._send(update, context, session, turn)

    async def on_button(self, update: Update, context: BotContext) -> str | int | None:
        press = pressed(update)
        if press is None:
            return None
        session = self._session(context)
        turn = session.pressed(press.data)
        if turn is None:  # an earlier question's, or the check's that ended: say so
            await self.on_stale(update, context)
        else:
            await press.query.answer()
            await drop_buttons(press.query, unless=BadRequest)  # answered: not twice
        return await self._send(update, context, session, turn)

    # ---------------------------------------------------------------- endings
    async def on_timeout(self, update: Update, context: BotContext) -> None:
        """ptb calls this with the last update once the check has waited its time."""
        session = self._session(context)
        turn = session.expire(self.minutes)
        if turn is not None:
            await self._send(update, context, session, turn)

    async def forget(self, context: BotContext, chat_id: int) -> None:
        """An erase hook: the answers of a check in progress and the last verdict go too."""
        memory = context.application.chat_data.get(chat_id)
        if memory is not None:
            forget(self.guide, memory)

    async def on_stale(self, update: Update, context: BotContext) -> None:
        query = update.callback_query
        if query is not None:
            lang = context.services.language_for(update)
            await answer_popup(query, context.services.say(lang, f"{self.guide.texts}_stale"))

    async def on_handover(self, update: Update, context: BotContext) -> None:
        """The staff button under a verdict: the hand-off, with the situation as question."""
        press = pressed(update)
        if press is None:
            return
        await press.query.answer()
        summary = self._session(context).summary
        await hand_off(update, context, handover_language(press.data), summary, "button")

    async def _send(
        self, update: Update, context: BotContext, session: Session, turn: Turn | None
    ) -> str | int:
        """Send `turn` (or hand the answers to `submit`); the check's state afterwards."""
        if turn is not None and turn.submit and self.submit is not None:
            text = await self.submit(update, context, session.draft)
            if text:
                await send_html(context, chat_id(update), text)
        elif turn is not None:
            await send_html(context, chat_id(update), turn.text, keyboard=session.keyboard(turn))
        return ASKING if session.is_open else END


def _memory(context: BotContext) -> dict[Any, Any]:
    """The chat's memory; the conversation is kept per chat, so ptb always gives one."""
    data = context.chat_data
    if data is None:
        raise LookupError("a guided conversation needs chat_data")
    return data
