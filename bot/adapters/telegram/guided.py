"""The guided checks on Telegram: /vergoeding and /defraiement (allowances), /verzekering and
/assurance (an association's insurance), each a ptb ConversationHandler around a core `Guide`
(bot/core/guided/), which decides every step; this module only translates updates and turns.
The complaint flow (/klacht, /plainte: complaint_route.py) runs through the same
`GuidedConversation`, without the offer button and handing its answers to the complaint desk.

One question per message, in the language of the command (or of the offer button that started
it); the answers stay in memory (chat_data), never in the database, and are dropped when the
check ends, is stopped, or expires after CONVERSATION_TIMEOUT_MINUTES without an answer (the
user is told). A message that is plainly a new question is answered as one, with a button to
resume the check.

Callback data (within Telegram's 64 bytes; the scheme of the other buttons is in
bot/core/buttons.py), with <p> the check's letter (a: allowance, i: insurance):

    <p>:go:<lang>[:<offered>]    start from the offer under a reply (allowance: the amount)
    <p>:<step>:<value>           answer the open question <step>
    <p>:<step>:back|cancel|resume   go back one question / stop / ask the open one again
    <p>:person:<lang>            after a verdict: a staff member, with its summary as question
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from telegram import CallbackQuery, Update
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
    EscalationRequest,
    Services,
    as_language,
    chat_id,
    is_private,
    pressed,
)
from bot.adapters.telegram.popups import answer_popup
from bot.adapters.telegram.replies import send_html
from bot.core import buttons
from bot.core.figures import Figures, load_figures
from bot.core.guided import Button, Draft, Guide, Turn
from bot.core.guided.allowance import AllowanceGuide
from bot.core.guided.insurance import InsuranceGuide
from bot.core.model import Check, Language

log = logging.getLogger(__name__)

END = ConversationHandler.END
ASKING = "asking"  # the one ConversationHandler state; which question is open is Draft.step
AnyGuide = Guide[Any]
# Hands a finished draft to a desk (the complaint flow); returns a text to send, or "".
Submit = Callable[[Update, BotContext, Any], Awaitable[str]]


def allowance_plugin(figures: Figures | None = None) -> Plugin:
    """The allowance check for build_application(plugins=[...]). Without `figures`, the
    figures the assistant already loaded are used (else KNOWLEDGE_DIR's figures.yaml)."""
    return _plugin(
        "allowance", lambda services: AllowanceGuide(figures or _figures_of(services)),
        {"nl": [("vergoeding", "Reken je onkostenvergoeding na")],
         "fr": [("defraiement", "Vérifier votre défraiement")]},
    )


def insurance_plugin(figures: Figures | None = None) -> Plugin:
    """The insurance check for associations, likewise."""

    def guide(services: Services) -> InsuranceGuide:
        kb = getattr(services.assistant, "kb", None)
        return InsuranceGuide(figures or _figures_of(services), kb.entries if kb else {})

    return _plugin(
        "insurance", guide,
        {"nl": [("verzekering", "Verzekeringscheck voor verenigingen")],
         "fr": [("assurance", "Contrôle d'assurance pour les associations")]},
    )


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


def _figures_of(services: Services) -> Figures:
    kb = getattr(services.assistant, "kb", None)  # the real Assistant has them loaded already
    if kb is not None:
        loaded: Figures = kb.figures
        return loaded
    return load_figures(services.settings.knowledge_dir / "knowledge" / "figures.yaml")


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
        self.last = f"{guide.name}_last"  # chat_data key: the last verdict's summary

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

    # ---------------------------------------------------------------- starting
    async def on_command(self, update: Update, context: BotContext) -> str | int:
        command = user_handlers.command_name(update)
        lang = self.guide.commands.get(command) or context.services.language_for(update)
        if not self.available(context):
            text = context.services.say(lang, f"{self.guide.texts}_unavailable")
            await send_html(context, chat_id(update), text)
            return END
        return await self._begin(update, context, self.guide.start(lang))

    async def on_offer(self, update: Update, context: BotContext) -> str | int:
        query = update.callback_query
        if query is None:
            return END
        await query.answer()
        if not is_private(update):
            return END  # a conversation in a group would swallow everyone's messages
        _, _, lang, *offered = (query.data or "").split(":")
        return await self._begin(
            update, context, self.guide.start(as_language(lang, "nl"), *offered[:1])
        )

    async def _begin(self, update: Update, context: BotContext, draft: Draft) -> str | int:
        _memory(context)[self.guide.name] = draft
        services = context.services
        return await self._send(update, context, draft,
                                self.guide.begin(draft, services.say, services.today()))

    # ---------------------------------------------------------------- answers
    async def on_text(self, update: Update, context: BotContext) -> str | int:
        draft = _memory(context).get(self.guide.name)
        message = update.effective_message
        if message is None:
            return END
        services, text = context.services, message.text or ""
        if isinstance(draft, Draft):
            turn = self.guide.read(draft, text, services.say, services.today())
            if turn is not None:
                return await self._send(update, context, draft, turn)
        # Plainly a new question (or the check was erased meanwhile): it goes the way every
        # question goes (a ticket waiting for text, the length limit, the core's reply).
        await user_handlers.question(update, context)
        if not isinstance(draft, Draft):
            return END
        return await self._send(update, context, draft, self.guide.paused(draft, services.say))

    async def on_button(self, update: Update, context: BotContext) -> str | int | None:
        press = pressed(update)
        if press is None:
            return None
        draft = _memory(context).get(self.guide.name)
        _, step, value = f"{press.data}::".split(":")[:3]
        if not isinstance(draft, Draft):
            await self.on_stale(update, context)
            return END
        if step != draft.step:
            # A button on an earlier question: its answer was given (or undone) already.
            await self.on_stale(update, context)
            return None
        await press.query.answer()
        await _drop_buttons(press.query)
        kind = value if value in ("back", "cancel", "resume") else "answer"
        services = context.services
        turn = self.guide.press(draft, kind, value, services.say, services.today())
        return await self._send(update, context, draft, turn)

    # ---------------------------------------------------------------- endings
    async def on_timeout(self, update: Update, context: BotContext) -> None:
        """ptb calls this with the last update once the check has waited its time."""
        draft = _memory(context).pop(self.guide.name, None)
        if isinstance(draft, Draft):
            turn = self.guide.expired(draft, context.services.say, self.minutes)
            await self._send(update, context, draft, turn)

    async def forget(self, context: BotContext, chat_id: int) -> None:
        """An erase hook: the answers of a check in progress and the last verdict go too."""
        memory = context.application.chat_data.get(chat_id)
        for key in (self.guide.name, self.last):
            if memory is not None:
                memory.pop(key, None)

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
        request = EscalationRequest(
            chat_id=press.message.chat.id,
            user_id=press.query.from_user.id,
            language=as_language(f"{press.data}::".split(":")[2], "nl"),
            question=str(_memory(context).get(self.last, "")),
            reason="button",
        )
        await context.services.handoff.escalate(request, context)

    async def _send(
        self, update: Update, context: BotContext, draft: Draft, turn: Turn
    ) -> str | int:
        if turn.ended:
            _memory(context).pop(self.guide.name, None)
            if turn.summary:
                _memory(context)[self.last] = turn.summary
        if turn.submit and self.submit is not None:
            text = await self.submit(update, context, draft)
            if text:
                await send_html(context, chat_id(update), text)
            return END
        rows = [[self._button(b, draft) for b in row] for row in turn.rows]
        keyboard = buttons.from_rows(rows)
        await send_html(context, chat_id(update), turn.text, keyboard=keyboard)
        return END if turn.ended else ASKING

    def _button(self, button: Button, draft: Draft) -> tuple[str, str]:
        """(label, callback data) of a core button."""
        data = {
            "answer": f"{self.prefix}:{draft.step}:{button.value}",
            "entry": f"e:{button.value}",
            "staff": f"h:{draft.lang}",
            "handover": f"{self.prefix}:person:{draft.lang}",
        }.get(button.kind, f"{self.prefix}:{draft.step}:{button.kind}")
        return button.label or buttons.LABELS[draft.lang]["staff"], data


def _memory(context: BotContext) -> dict[Any, Any]:
    """The chat's memory; the conversation is kept per chat, so ptb always gives one."""
    data = context.chat_data
    if data is None:
        raise LookupError("a guided conversation needs chat_data")
    return data


async def _drop_buttons(query: CallbackQuery) -> None:
    """Remove the buttons of an answered question, so it cannot be answered twice."""
    try:
        await query.edit_message_reply_markup(None)
    except BadRequest as exc:  # already without buttons: nothing to do
        log.debug("buttons not removed: %s", exc)
