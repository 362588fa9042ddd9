"""/klacht and /plainte: the confidential complaint flow as a guided conversation.

Four questions, one per message (what happened; which organisation, skippable; may the centre
contact it: yes / no / only anonymously; how to be reached, or "via this chat"), « Back » and
Cancel on every question after the first, as in the allowance and insurance conversations.
Then the preview: every answer, and exactly who reads it (the complaints group of
CENTRE_NAME, not the general staff group), with Send / Edit / Don't send. The steps are
`bot.escalation.complaint_steps`; sending is the complaint desk's. Until Send, the answers are
in memory only (chat_data); /vergeet drops them too. Private chats only: in a group the
command says so.

Callback data (within Telegram's 64 bytes):

    k:<step>:<value>     answer the question <step> (a button's value), or back|cancel
    k:preview:send|edit|cancel
    k:edit:<question>|back
"""

from __future__ import annotations

import logging
import warnings
from datetime import timedelta
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
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
from bot.adapters.telegram.context import BotContext, chat_id
from bot.adapters.telegram.menu import COMMAND_LANGUAGE
from bot.adapters.telegram.popups import answer_popup
from bot.adapters.telegram.replies import send_html
from bot.escalation.complaint_desk import ComplaintDesk
from bot.escalation.complaint_steps import (
    QUESTIONS,
    SKIP,
    VIA_CHAT,
    ComplaintDraft,
    ComplaintInputError,
)
from bot.escalation.complaints import CONTACT_CHOICES

log = logging.getLogger(__name__)

DRAFT = "complaint"  # chat_data key of the flow in progress
DESK = "complaint_desk"  # bot_data key of the ComplaintDesk
COMMANDS = ("klacht", "plainte")
END = ConversationHandler.END
ASKING = "asking"  # the one ConversationHandler state; which question is open is draft.step

LABELS: dict[str, dict[str, str]] = {
    "nl": {
        "back": "« Terug", "cancel": "✖ Stoppen", SKIP: "Overslaan",
        "yes": "Ja", "no": "Nee", "anonymous": "Alleen anoniem", VIA_CHAT: "Via dit gesprek",
        "send": "✅ Versturen", "edit": "✏️ Aanpassen", "drop": "✖ Niet versturen",
        "what": "Wat er gebeurde", "organisation": "Organisatie",
        "contact_org": "Contact met de organisatie", "reach": "Bereikbaarheid",
        "to_preview": "« Terug naar het overzicht",
    },
    "fr": {
        "back": "« Retour", "cancel": "✖ Arrêter", SKIP: "Passer",
        "yes": "Oui", "no": "Non", "anonymous": "Seulement anonymement",
        VIA_CHAT: "Via cette conversation",
        "send": "✅ Envoyer", "edit": "✏️ Modifier", "drop": "✖ Ne pas envoyer",
        "what": "Ce qui s'est passé", "organisation": "Organisation",
        "contact_org": "Contact avec l'organisation", "reach": "Comment vous joindre",
        "to_preview": "« Retour à l'aperçu",
    },
}
# The buttons each question offers besides typing.
CHOICES: dict[str, tuple[str, ...]] = {
    "what": (), "organisation": (SKIP,), "contact_org": CONTACT_CHOICES, "reach": (VIA_CHAT,),
}


def complaint_desk(context: BotContext) -> ComplaintDesk:
    desk: ComplaintDesk = context.bot_data[DESK]
    return desk


def handlers(
    retention_days: int, timeout_minutes: float
) -> list[BaseHandler[Update, BotContext, Any]]:
    """The conversation (private chats), the group answer, and stale buttons: GROUP_CHAT.
    After `timeout_minutes` without an answer (CONVERSATION_TIMEOUT_MINUTES, as the guided
    checks; 0 = never) the draft is dropped and the person told: a half-written complaint
    does not wait in memory."""
    flow = ComplaintConversation(retention_days, timeout_minutes)
    private = filters.ChatType.PRIVATE
    in_step: list[BaseHandler[Update, BotContext, object]] = [
        CallbackQueryHandler(flow.on_button, pattern=r"^k:"),
        MessageHandler(filters.UpdateType.MESSAGE & private & filters.TEXT & ~filters.COMMAND,
                       flow.on_text),
    ]
    with warnings.catch_warnings():
        # As in the allowance conversation: buttons are tracked per chat, and a stale button
        # is recognised by the step in its data.
        warnings.simplefilter("ignore", PTBUserWarning)
        conversation: ConversationHandler[BotContext] = ConversationHandler(
            entry_points=[CommandHandler(list(COMMANDS), flow.on_command, filters=private)],
            states={
                ASKING: in_step,
                ConversationHandler.TIMEOUT: [TypeHandler(Update, flow.on_timeout)],
            },
            fallbacks=[],
            conversation_timeout=(
                timedelta(minutes=timeout_minutes) if timeout_minutes else None
            ),
            allow_reentry=True,
            per_chat=True,
            per_user=True,
            per_message=False,
            name="complaint",
        )
    return [
        conversation,
        CommandHandler(list(COMMANDS), on_group_command, filters=~private),
        CallbackQueryHandler(_ended, pattern=r"^k:"),
    ]


async def on_group_command(update: Update, context: BotContext) -> None:
    """/klacht in a group: never there, where others read along."""
    lang = context.services.language_for(update, _command(update))
    message = update.effective_message
    if message is not None:
        await message.reply_html(context.services.say(lang, "cmp_private_only"))


async def _ended(update: Update, context: BotContext) -> None:
    query = update.callback_query
    if query is None:
        return
    lang = context.services.language_for(update)
    await answer_popup(query, context.services.say(lang, "cmp_stale"))


def _command(update: Update) -> str:
    message = update.effective_message
    text = (message.text if message else None) or "/"
    return text.split(maxsplit=1)[0][1:].partition("@")[0].lower()


def _chat_data(context: BotContext) -> dict[Any, Any]:
    data = context.chat_data
    if data is None:
        raise LookupError("the complaint conversation needs chat_data")
    return data


class ComplaintConversation:
    def __init__(self, retention_days: int, timeout_minutes: float) -> None:
        self.retention_days = retention_days
        self.minutes = timeout_minutes

    async def on_timeout(self, update: Update, context: BotContext) -> None:
        """ptb calls this with the last update once the flow has waited its time."""
        draft = _chat_data(context).pop(DRAFT, None)
        if isinstance(draft, ComplaintDraft):
            text = context.services.say(draft.lang, "cmp_expired", minutes=round(self.minutes))
            await send_html(context, chat_id(update), text)

    # ---------------------------------------------------------------- starting
    async def on_command(self, update: Update, context: BotContext) -> str | int:
        command = _command(update)
        services = context.services
        lang = COMMAND_LANGUAGE.get(command) or services.language_for(update)
        if not complaint_desk(context).available:  # no complaints group: say how to reach us
            await send_html(context, chat_id(update), services.say(lang, "cmp_unavailable"))
            return END
        draft = ComplaintDraft(lang="fr" if lang == "fr" else "nl")
        _chat_data(context)[DRAFT] = draft
        await self._show(update, context, draft, prefix=services.say(draft.lang, "cmp_intro"))
        return ASKING

    # ---------------------------------------------------------------- answers
    async def on_text(self, update: Update, context: BotContext) -> str | int:
        draft = _chat_data(context).get(DRAFT)
        if not isinstance(draft, ComplaintDraft):  # erased meanwhile: an ordinary question
            await user_handlers.question(update, context)
            return END
        message = update.effective_message
        text = (message.text if message else "") or ""
        try:
            draft.take_text(text)
        except ComplaintInputError as exc:
            await self._invalid(update, context, draft, exc)
            return ASKING
        await self._show(update, context, draft)
        return ASKING

    async def on_button(self, update: Update, context: BotContext) -> str | int | None:
        query = update.callback_query
        if query is None:
            return None
        draft = _chat_data(context).get(DRAFT)
        _, step, value = (query.data or "k::").split(":", 2)
        if not isinstance(draft, ComplaintDraft):
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
                            context.services.say(draft.lang, "cmp_cancelled"))
            return END
        if step == "preview":
            return await self._preview_choice(update, context, draft, value)
        if value == "back":
            draft.back()
        elif step == "edit":
            draft.edit(value)
        else:
            try:
                draft.take_button(value)
            except ComplaintInputError as exc:
                await self._invalid(update, context, draft, exc)
                return ASKING
        await self._show(update, context, draft)
        return ASKING

    async def _preview_choice(
        self, update: Update, context: BotContext, draft: ComplaintDraft, value: str
    ) -> str | int:
        if value == "edit":
            draft.open_edit_menu()
            await self._show(update, context, draft)
            return ASKING
        if value != "send":
            return ASKING
        query = update.callback_query
        message = query.message if query else None
        user = update.effective_user
        chat = chat_id(update)
        # The preview it was sent from: a double press or a replayed update sends it once.
        source = f"p:{chat}:{message.message_id if message else 0}"
        complaint = complaint_desk(context).submit(
            draft.to_new(chat, user.id if user else None), source_key=source
        )
        _chat_data(context).pop(DRAFT, None)
        if complaint is None:  # the complaints group was unset meanwhile
            await send_html(context, chat, context.services.say(draft.lang, "cmp_unavailable"))
        return END  # the receipt comes through the outbox, after the post is queued

    # ---------------------------------------------------------------- showing a step
    async def _invalid(
        self, update: Update, context: BotContext, draft: ComplaintDraft,
        problem: ComplaintInputError,
    ) -> None:
        text = context.services.say(draft.lang, "cmp_invalid", problem=problem.problem,
                                    limit=problem.limit)
        await self._show(update, context, draft, prefix=text)

    async def _show(
        self, update: Update, context: BotContext, draft: ComplaintDraft, *, prefix: str = ""
    ) -> None:
        say = context.services.say
        if draft.step == "preview":
            text = say(draft.lang, "cmp_preview", what=draft.what,
                       organisation=draft.organisation, contact_org=draft.contact_org,
                       reach=draft.reach, retention_days=self.retention_days)
        elif draft.step == "edit":
            text = say(draft.lang, "cmp_edit")
        else:
            text = say(draft.lang, "cmp_question", step=draft.step)
        if prefix:
            text = f"{prefix}\n\n{text}"
        await send_html(context, chat_id(update), text, keyboard=_keyboard(draft))


def _keyboard(draft: ComplaintDraft) -> InlineKeyboardMarkup:
    labels = LABELS[draft.lang]

    def button(key: str, value: str | None = None) -> InlineKeyboardButton:
        return InlineKeyboardButton(labels[key], callback_data=f"k:{draft.step}:{value or key}")

    if draft.step == "preview":
        return InlineKeyboardMarkup([
            [button("send"), button("edit")], [button("drop", "cancel")],
        ])
    if draft.step == "edit":
        rows = [[button(question)] for question in QUESTIONS]
        rows.append([button("to_preview", "back")])
        return InlineKeyboardMarkup(rows)
    choices = [button(value) for value in CHOICES[draft.step]]
    rows = [[b] for b in choices] if len(choices) > 2 else ([choices] if choices else [])
    controls = [button("cancel")]
    if draft.editing:
        controls = [button("to_preview", "back")]
    elif draft.can_go_back:
        controls.insert(0, button("back"))
    rows.append(controls)
    return InlineKeyboardMarkup(rows)


async def _drop_buttons(query: Any) -> None:
    """Remove the buttons of an answered question, so it cannot be answered twice."""
    try:
        await query.edit_message_reply_markup(None)
    except BadRequest as exc:
        log.debug("buttons not removed: %s", exc)
