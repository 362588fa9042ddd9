"""/vergoeding and /defraiement: the allowance check as a guided conversation.

One question per message, in the language of the command (or of the button that started it),
buttons where the choices are fixed, « Back » and Cancel on every question after the first.
The answers are read by the core's `parse_*` helpers, the verdict is `render_check`; this
module only moves between questions. Answers stay in memory (chat_data), never in the
database, and are dropped when the conversation ends.

Callback data (within Telegram's 64 bytes; the scheme of the other buttons is in keyboards.py):

    a:go:<lang>[:<amount>]   start from the offer under an answer (per-day amount pre-filled)
    a:<step>:<value>         answer the question <step> (allowance_steps.Draft.steps())
    a:<step>:back|cancel     go back one question / stop
"""

from __future__ import annotations

import logging
import warnings
from datetime import date
from decimal import Decimal
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

from bot.adapters.telegram import keyboards
from bot.adapters.telegram.allowance_steps import TOTAL, Draft
from bot.adapters.telegram.app import BotApplication, Plugin
from bot.adapters.telegram.context import BotContext, Services, as_language, chat_id
from bot.adapters.telegram.popups import answer_popup
from bot.adapters.telegram.replies import send_html
from bot.core.allowance import (
    AnswerError,
    car_rate_periods,
    ceilings_known,
    check_allowance,
)
from bot.core.allowance_text import answer_error_text, render_check
from bot.core.amounts import format_eur
from bot.core.figures import Figures, load_figures
from bot.core.model import Language

log = logging.getLogger(__name__)

DRAFT = "allowance"  # chat_data key of the conversation in progress
COMMAND_LANGUAGE: dict[str, Language] = {"vergoeding": "nl", "defraiement": "fr"}
END = ConversationHandler.END
ASKING = "asking"  # the one ConversationHandler state; which question is open is Draft.step

LABELS: dict[Language, dict[str, str]] = {
    "nl": {
        "back": "« Terug", "cancel": "✖ Stoppen", "yes": "Ja", "no": "Nee",
        "flat-rate": "Forfaitaire vergoeding", "real-costs": "Reële kosten (met bewijs)",
        "total": "Ik ken alleen het totaal", "none": "Geen (0 km)",
        "standard": "Gewone vrijwilliger", "sport": "Sport (trainer, scheidsrechter, …)",
        "watch": "Dag- of nachtoppas", "patient-transport": "Niet-dringend ziekenvervoer",
    },
    "fr": {
        "back": "« Retour", "cancel": "✖ Arrêter", "yes": "Oui", "no": "Non",
        "flat-rate": "Défraiement forfaitaire", "real-costs": "Frais réels (avec preuves)",
        "total": "Je ne connais que le total", "none": "Aucun (0 km)",
        "standard": "Volontaire ordinaire", "sport": "Sport (entraîneur, arbitre, …)",
        "watch": "Garde de jour ou de nuit",
        "patient-transport": "Transport non urgent de patients",
    },
}
# Each step's fixed choices as (label key, value the step's parser reads).
CHOICES: dict[str, list[tuple[str, str]]] = {
    "system": [("flat-rate", "flat-rate"), ("real-costs", "real-costs")],
    "elsewhere": [("yes", "ja"), ("no", "nee")],
    "km_car": [("none", "0")],
    "km_bike": [("none", "0")],
    "transport": [("yes", "ja"), ("no", "nee")],
    "category": [(c, c) for c in ("standard", "sport", "watch", "patient-transport")],
    "benefits": [("yes", "ja"), ("no", "nee")],
}


def allowance_plugin(figures: Figures | None = None) -> Plugin:
    """The conversation for build_application(plugins=[...]). Without `figures`, the figures
    the assistant already loaded are used (else KNOWLEDGE_DIR's knowledge/figures.yaml)."""

    def register(application: BotApplication) -> None:
        services: Services = application.bot_data["services"]
        found = figures or _figures_of(services)
        services.checks.add("allowance")  # replies now offer the check (keyboards.with_offer)
        application.add_handler(_conversation(AllowanceConversation(found)))
        # A button of a conversation that already ended: say so instead of a spinning button.
        application.add_handler(CallbackQueryHandler(_ended, pattern=r"^a:"))

    return Plugin(
        name="allowance",
        register=register,
        commands={
            "nl": [("vergoeding", "Reken je onkostenvergoeding na")],
            "fr": [("defraiement", "Vérifier votre défraiement")],
        },
    )


def _figures_of(services: Services) -> Figures:
    kb = getattr(services.assistant, "kb", None)  # the real Assistant has them loaded already
    if kb is not None:
        loaded: Figures = kb.figures
        return loaded
    return load_figures(services.settings.knowledge_dir / "knowledge" / "figures.yaml")


def _conversation(flow: AllowanceConversation) -> ConversationHandler[BotContext]:
    private = filters.ChatType.PRIVATE
    in_step: list[BaseHandler[Update, BotContext, object]] = [
        CallbackQueryHandler(flow.on_button, pattern=r"^a:(?!go:)"),
        MessageHandler(filters.UpdateType.MESSAGE & private & filters.TEXT & ~filters.COMMAND,
                       flow.on_text),
    ]
    with warnings.catch_warnings():
        # ptb warns that with per_message=False a button is tracked per chat, not per message;
        # that is what we want (stale buttons are recognised by the step in their data).
        warnings.simplefilter("ignore", PTBUserWarning)
        return ConversationHandler(
            entry_points=[
                CommandHandler(list(COMMAND_LANGUAGE), flow.on_command, filters=private),
                CallbackQueryHandler(flow.on_offer, pattern=r"^a:go:"),
            ],
            states={ASKING: in_step},
            fallbacks=[],
            allow_reentry=True,  # /vergoeding halfway starts afresh
            per_chat=True,
            per_user=True,
            per_message=False,
            name="allowance",
        )


async def _ended(update: Update, context: BotContext) -> None:
    query = update.callback_query
    if query is None:
        return
    lang = context.services.language_for(update)
    await answer_popup(query, context.services.say(lang, "alw_stale"))


class AllowanceConversation:
    def __init__(self, figures: Figures) -> None:
        self.figures = figures

    # ---------------------------------------------------------------- starting
    async def on_command(self, update: Update, context: BotContext) -> str:
        message = update.effective_message
        text = (message.text if message else None) or "/"
        command = text.split(maxsplit=1)[0][1:].partition("@")[0].lower()
        lang = COMMAND_LANGUAGE.get(command) or context.services.language_for(update)
        return await self._begin(update, context, Draft(lang=lang))

    async def on_offer(self, update: Update, context: BotContext) -> str | int:
        query = update.callback_query
        if query is None:
            return END
        await query.answer()
        if update.effective_chat is None or update.effective_chat.type != "private":
            return END  # a conversation in a group would swallow everyone's messages
        parts = (query.data or "a:go:nl").split(":")
        lang = as_language(parts[2], "nl")
        hint = Decimal(parts[3]) if len(parts) > 3 else None
        return await self._begin(update, context, Draft(lang=lang, hint=hint))

    async def _begin(self, update: Update, context: BotContext, draft: Draft) -> str:
        _chat_data(context)[DRAFT] = draft
        intro = context.services.say(draft.lang, "alw_intro")
        await self._ask(update, context, draft, prefix=intro)
        return ASKING

    # ---------------------------------------------------------------- answers
    async def on_text(self, update: Update, context: BotContext) -> str | int:
        draft = _chat_data(context).get(DRAFT)
        if not isinstance(draft, Draft):
            return END
        message = update.effective_message
        return await self._take(update, context, draft, (message.text if message else "") or "")

    async def on_button(self, update: Update, context: BotContext) -> str | int | None:
        query = update.callback_query
        if query is None:
            return None
        draft = _chat_data(context).get(DRAFT)
        _, step, value = (query.data or "a::").split(":", 2)
        if not isinstance(draft, Draft):
            await _ended(update, context)
            return END
        if step != draft.step:
            # A button on an earlier question: its answer was given (or undone) already.
            await _ended(update, context)
            return None
        await query.answer()
        await _drop_buttons(query)
        if value == "cancel":
            _chat_data(context).pop(DRAFT, None)
            await send_html(context, chat_id(update),
                            context.services.say(draft.lang, "alw_cancelled"))
            return END
        if value == "back":
            draft.back()
            await self._ask(update, context, draft)
            return ASKING
        return await self._take(update, context, draft, value)

    async def _take(
        self, update: Update, context: BotContext, draft: Draft, text: str
    ) -> str | int:
        try:
            value = draft.parse(text)
        except AnswerError as exc:
            problem = context.services.say(
                draft.lang, "alw_invalid", error=answer_error_text(exc, draft.lang),
                answer=text.strip()[:40],
            )
            await self._ask(update, context, draft, prefix=problem)
            return ASKING
        answered = draft.step
        if answered == "when":
            draft.answers["when"] = value  # the year decides which questions follow
            if not ceilings_known(draft.year, draft.day, self.figures):
                return await self._unknown_year(update, context, draft)
            draft.car_periods = car_rate_periods(draft.year, draft.day, self.figures)
        if draft.answer(value) is None:
            return await self._verdict(update, context, draft)
        await self._ask(update, context, draft)
        return ASKING

    # ---------------------------------------------------------------- endings
    async def _unknown_year(self, update: Update, context: BotContext, draft: Draft) -> int:
        _chat_data(context).pop(DRAFT, None)
        text = context.services.say(draft.lang, "alw_unknown_year", year=draft.year)
        await send_html(context, chat_id(update), text,
                        keyboard=keyboards.staff_only(draft.lang))
        return END

    async def _verdict(self, update: Update, context: BotContext, draft: Draft) -> int:
        _chat_data(context).pop(DRAFT, None)
        check = check_allowance(draft.to_input(), self.figures)
        done = context.services.say(draft.lang, "alw_done", verdict=check.verdict)
        text = f"{render_check(check, draft.lang)}\n\n{done}"
        staff = keyboards.staff_only(draft.lang) if check.verdict != "ok" else None
        await send_html(context, chat_id(update), text, keyboard=staff)
        return END

    # ---------------------------------------------------------------- questions
    async def _ask(
        self, update: Update, context: BotContext, draft: Draft, *, prefix: str = ""
    ) -> None:
        template = f"alw_{draft.step.partition('.')[0]}"
        question = context.services.say(draft.lang, template, **_facts(draft))
        text = f"{prefix}\n\n{question}" if prefix else question
        today = context.services.today()
        await send_html(context, chat_id(update), text,
                        keyboard=_keyboard(draft, today.year))


def _chat_data(context: BotContext) -> dict[Any, Any]:
    """The chat's memory; the conversation is kept per chat, so ptb always gives one."""
    data = context.chat_data
    if data is None:
        raise LookupError("the allowance conversation needs chat_data")
    return data


def _facts(draft: Draft) -> dict[str, Any]:
    """What the question templates may mention: earlier answers and the pre-filled amount."""
    span = draft.period(draft.step)
    return {
        "period": f"{_day(span[0])} – {_day(span[1])}" if span else "",
        "year": draft.year,
        "days": draft.answers.get("days", 0),
        "system": draft.answers.get("system", "flat-rate"),
        "hint": format_eur(draft.hint, draft.lang) if draft.hint is not None else "",
    }


def _day(value: date) -> str:
    return f"{value.day}/{value.month}/{value.year}"


def _keyboard(draft: Draft, this_year: int) -> InlineKeyboardMarkup:
    labels = LABELS[draft.lang]

    def button(label: str, value: str) -> InlineKeyboardButton:
        return InlineKeyboardButton(label, callback_data=f"a:{draft.step}:{value}")

    rows: list[list[InlineKeyboardButton]] = []
    if draft.step == "when":
        rows.append([button(str(y), str(y)) for y in (this_year, this_year - 1)])
    elif draft.step == "amount":
        if draft.hint is not None:
            rows.append([button(format_eur(draft.hint, draft.lang), f"{draft.hint:f}")])
        rows.append([button(labels["total"], TOTAL)])
    else:
        one_per_row = draft.step == "category"  # long labels
        fixed = CHOICES.get(draft.step.partition(".")[0], [])
        choices = [button(labels[key], value) for key, value in fixed]
        rows.extend([[b] for b in choices] if one_per_row else [choices] if choices else [])
    controls = [button(labels["cancel"], "cancel")]
    if draft.history:
        controls.insert(0, button(labels["back"], "back"))
    rows.append(controls)
    return InlineKeyboardMarkup(rows)


async def _drop_buttons(query: Any) -> None:
    """Remove the buttons of an answered question, so it cannot be answered twice."""
    try:
        await query.edit_message_reply_markup(None)
    except BadRequest as exc:  # already without buttons: nothing to do
        log.debug("buttons not removed: %s", exc)
