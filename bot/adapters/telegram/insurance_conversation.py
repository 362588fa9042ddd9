"""/verzekering and /assurance: the insurance check for associations as a guided conversation.

One question per message, every answer a button (typed words work too), « Back » and Cancel on
every question after the first, as in the allowance conversation. The decision is the core's
`check_insurance`, the verdict `render_verdict`; this module only moves between questions. It
ends with the verdict, its reasons and sources, buttons to the relevant FAQ entries (the `e:`
buttons the bot already answers) and a staff member (the hand-off every other staff button
uses, with the situation as the question). Answers stay in memory (chat_data), never stored.

Callback data (within Telegram's 64 bytes):

    i:go:<lang>            start from the offer under an answer (keyboards.with_offer)
    i:<step>:<value>       answer the question <step> (insurance_steps.STEPS)
    i:<step>:back|cancel   go back one question / stop
    i:person:<lang>         after the verdict: pass the situation to a staff member
"""

from __future__ import annotations

import logging
import warnings
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
from bot.adapters.telegram.app import BotApplication, Plugin
from bot.adapters.telegram.context import (
    BotContext,
    EscalationRequest,
    Services,
    as_language,
    chat_id,
    pressed,
)
from bot.adapters.telegram.insurance_steps import CHOICES, Draft
from bot.adapters.telegram.popups import answer_popup
from bot.adapters.telegram.replies import send_html
from bot.core.figures import Figures, load_figures
from bot.core.insurance import InsuranceInputError, InsuranceVerdict, check_insurance
from bot.core.insurance_text import render_verdict
from bot.core.model import Language

log = logging.getLogger(__name__)

DRAFT = "insurance"  # chat_data key of the conversation in progress
LAST = "insurance_last"  # chat_data key: the last verdict's summary, for the staff button
COMMAND_LANGUAGE: dict[str, Language] = {"verzekering": "nl", "assurance": "fr"}
END = ConversationHandler.END
ASKING = "asking"
MAX_FAQ_BUTTONS = 5

LABELS: dict[Language, dict[str, str]] = {
    "nl": {
        "back": "« Terug", "cancel": "✖ Stoppen", "yes": "Ja", "no": "Nee",
        "vzw": "vzw", "foundation": "Stichting", "public": "Openbaar bestuur",
        "de-facto": "Feitelijke vereniging",
        "flanders": "Vlaanderen", "brussels-nl": "Brussel, Nederlandstalig",
        "brussels-fr": "Brussel, Franstalig", "wallonia": "Wallonië",
        "german": "Duitse taalgebied",
    },
    "fr": {
        "back": "« Retour", "cancel": "✖ Arrêter", "yes": "Oui", "no": "Non",
        "vzw": "ASBL", "foundation": "Fondation", "public": "Organisme public",
        "de-facto": "Association de fait",
        "flanders": "Flandre", "brussels-nl": "Bruxelles, néerlandophone",
        "brussels-fr": "Bruxelles, francophone", "wallonia": "Wallonie",
        "german": "Région de langue allemande",
    },
}


def insurance_plugin(figures: Figures | None = None) -> Plugin:
    """The conversation for build_application(plugins=[...]). Without `figures`, the figures
    the assistant already loaded are used (else KNOWLEDGE_DIR's knowledge/figures.yaml)."""

    def register(application: BotApplication) -> None:
        found = figures or _figures_of(application.bot_data["services"])
        application.bot_data["services"].checks.add("insurance")
        application.add_handler(_conversation(InsuranceConversation(found)))
        application.add_handler(CallbackQueryHandler(_on_staff, pattern=r"^i:person:"))
        # A button of a conversation that already ended: say so instead of a spinning button.
        application.add_handler(CallbackQueryHandler(_ended, pattern=r"^i:"))

    return Plugin(
        name="insurance",
        register=register,
        commands={
            "nl": [("verzekering", "Verzekeringscheck voor verenigingen")],
            "fr": [("assurance", "Contrôle d'assurance pour les associations")],
        },
    )


def _figures_of(services: Services) -> Figures:
    kb = getattr(services.assistant, "kb", None)
    if kb is not None:
        loaded: Figures = kb.figures
        return loaded
    return load_figures(services.settings.knowledge_dir / "knowledge" / "figures.yaml")


def _conversation(flow: InsuranceConversation) -> ConversationHandler[BotContext]:
    private = filters.ChatType.PRIVATE
    in_step: list[BaseHandler[Update, BotContext, object]] = [
        CallbackQueryHandler(flow.on_button, pattern=r"^i:(?!go:|person:)"),
        MessageHandler(filters.UpdateType.MESSAGE & private & filters.TEXT & ~filters.COMMAND,
                       flow.on_text),
    ]
    with warnings.catch_warnings():
        # As in the allowance conversation: buttons are tracked per chat, and a stale button
        # is recognised by the step in its data.
        warnings.simplefilter("ignore", PTBUserWarning)
        return ConversationHandler(
            entry_points=[
                CommandHandler(list(COMMAND_LANGUAGE), flow.on_command, filters=private),
                CallbackQueryHandler(flow.on_offer, pattern=r"^i:go:"),
            ],
            states={ASKING: in_step},
            fallbacks=[],
            allow_reentry=True,
            per_chat=True,
            per_user=True,
            per_message=False,
            name="insurance",
        )


async def _ended(update: Update, context: BotContext) -> None:
    query = update.callback_query
    if query is None:
        return
    lang = context.services.language_for(update)
    await answer_popup(query, context.services.say(lang, "ins_stale"))


async def _on_staff(update: Update, context: BotContext) -> None:
    """The staff button under a verdict: the hand-off, with the situation as the question."""
    press = pressed(update)
    if press is None:
        return
    query = press.query
    lang = as_language(press.data.split(":")[2], "nl")
    await query.answer()
    await context.services.handoff.escalate(
        EscalationRequest(
            chat_id=press.message.chat.id,
            user_id=query.from_user.id,
            language=lang,
            question=str(_chat_data(context).get(LAST, "")),
            reason="button",
        ),
        context,
    )


class InsuranceConversation:
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
            return END
        lang = as_language((query.data or "i:go:nl").split(":")[2], "nl")
        return await self._begin(update, context, Draft(lang=lang))

    async def _begin(self, update: Update, context: BotContext, draft: Draft) -> str:
        _chat_data(context)[DRAFT] = draft
        await self._ask(update, context, draft, prefix=context.services.say(draft.lang,
                                                                            "ins_intro"))
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
        _, step, value = (query.data or "i::").split(":", 2)
        if not isinstance(draft, Draft):
            await _ended(update, context)
            return END
        if step != draft.step:
            await _ended(update, context)  # a button of an earlier question
            return None
        await query.answer()
        await _drop_buttons(query)
        if value == "cancel":
            _chat_data(context).pop(DRAFT, None)
            await send_html(context, chat_id(update),
                            context.services.say(draft.lang, "ins_cancelled"))
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
        except InsuranceInputError:
            problem = context.services.say(draft.lang, "ins_invalid", answer=text.strip()[:40])
            await self._ask(update, context, draft, prefix=problem)
            return ASKING
        if draft.answer(value) is None:
            return await self._verdict(update, context, draft)
        await self._ask(update, context, draft)
        return ASKING

    # ---------------------------------------------------------------- the verdict
    async def _verdict(self, update: Update, context: BotContext, draft: Draft) -> int:
        _chat_data(context).pop(DRAFT, None)
        services = context.services
        verdict = check_insurance(draft.to_input(), self.figures, services.today())
        _chat_data(context)[LAST] = _summary(verdict, draft.lang)
        done = services.say(draft.lang, "ins_done", needs_staff=verdict.needs_staff)
        text = f"{render_verdict(verdict, draft.lang)}\n\n{done}"
        await send_html(context, chat_id(update), text,
                        keyboard=_verdict_keyboard(verdict, draft.lang, services))
        return END

    # ---------------------------------------------------------------- questions
    async def _ask(
        self, update: Update, context: BotContext, draft: Draft, *, prefix: str = ""
    ) -> None:
        question = context.services.say(draft.lang, f"ins_{draft.step}")
        text = f"{prefix}\n\n{question}" if prefix else question
        await send_html(context, chat_id(update), text, keyboard=_keyboard(draft))


def _chat_data(context: BotContext) -> dict[Any, Any]:
    """The chat's memory; the conversation is kept per chat, so ptb always gives one."""
    data = context.chat_data
    if data is None:
        raise LookupError("the insurance conversation needs chat_data")
    return data


def _summary(verdict: InsuranceVerdict, lang: Language) -> str:
    """What staff receive: the situation and the three conclusions (the verdict's top)."""
    head = render_verdict(verdict, lang, plain=True).split("\n\n")[:2]
    return "\n".join(head)


def _verdict_keyboard(
    verdict: InsuranceVerdict, lang: Language, services: Services
) -> InlineKeyboardMarkup:
    kb = getattr(services.assistant, "kb", None)
    entries: dict[str, Any] = kb.entries if kb is not None else {}
    rows: list[list[InlineKeyboardButton]] = []
    for pair in verdict.faq:
        entry_id = f"{pair}.{lang}"
        entry = entries.get(entry_id)
        if entry is None and entries:
            continue  # never a button nothing answers
        label = entry.question if entry is not None else pair
        if len(label) > keyboards.MAX_LABEL:
            label = label[: keyboards.MAX_LABEL - 1].rstrip() + "…"
        rows.append([InlineKeyboardButton(label, callback_data=f"e:{entry_id}")])
        if len(rows) == MAX_FAQ_BUTTONS:
            break
    staff = keyboards.LABELS[lang]["staff"]
    rows.append([InlineKeyboardButton(staff, callback_data=f"i:person:{lang}")])
    return InlineKeyboardMarkup(rows)


def _keyboard(draft: Draft) -> InlineKeyboardMarkup:
    labels = LABELS[draft.lang]

    def button(label: str, value: str) -> InlineKeyboardButton:
        return InlineKeyboardButton(label, callback_data=f"i:{draft.step}:{value}")

    choices = [button(labels[value], value) for value in CHOICES[draft.step]]
    rows = ([[b] for b in choices] if len(choices) > 2 else [choices])
    controls = [button(labels["cancel"], "cancel")]
    if draft.history:
        controls.insert(0, button(labels["back"], "back"))
    rows.append(controls)
    return InlineKeyboardMarkup(rows)


async def _drop_buttons(query: Any) -> None:
    """Remove the buttons of an answered question, so it cannot be answered twice."""
    try:
        await query.edit_message_reply_markup(None)
    except BadRequest as exc:
        log.debug("buttons not removed: %s", exc)
