"""The confidential complaint route, wired into the bot: the /klacht conversation, the
complaints group (claim, close, answer by reply), withdrawal, erasure and retention.

The conversation is the complaint guide (bot/escalation/complaint_guide.py) run by the guided
adapter (guided.py), private chats only (in a group the command says so); Send hands the
answers to the desk. Its buttons' data is the guided checks' (bot/core/guided/session.py).

    escalation = Escalation(settings, storage, assistant)
    complaints = ComplaintRoute(settings, storage, assistant, on_write=escalation.kick)
    application = build_escalating_application(settings, storage, escalation,
                                                plugins=[complaints.plugin])

It needs the escalation workflow plugged in: its outbox sender delivers the complaint's rows
(the post in COMPLAINTS_CHAT_ID, the receipt, relayed answers, edits). Who may act in the
complaints group (the desk's `door`) is checked once, by `ComplaintRoute.gate`, which the
staff gate runs (app.py's GROUP_STAFF_GATE); the handlers behind it only parse, call the desk
(bot/escalation/complaint_desk.py) and show what it returned.
"""

from __future__ import annotations

import functools

from telegram import Update
from telegram.constants import ParseMode
from telegram.ext import (
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.adapters.telegram.app import (
    GROUP_CHAT,
    GROUP_STAFF,
    GROUP_STAFF_EVENTS,
    BotApplication,
    Plugin,
)
from bot.adapters.telegram.context import BotContext, Services, chat_id, message_of
from bot.adapters.telegram.guided import GuidedConversation
from bot.adapters.telegram.lifecycle import run_with
from bot.adapters.telegram.popups import answer_popup, drop_buttons
from bot.adapters.telegram.replies import markup, send_html
from bot.adapters.telegram.staff_auth import GroupDoor, chat_message, staff_member
from bot.adapters.telegram.user_handlers import command_name
from bot.core.menu import COMPLAINT_COMMANDS
from bot.escalation.complaint_guide import ComplaintDraft, ComplaintGuide
from bot.escalation.desk import ChatMessage
from bot.escalation.workflow import ComplaintWorkflow


class ComplaintRoute(ComplaintWorkflow):
    """The complaint route's workflow (bot/escalation/workflow.py) with its Telegram parts:
    the complaints group's door on Telegram, and the plugin with the handlers."""

    @functools.cached_property
    def door(self) -> GroupDoor:
        return GroupDoor(self.group)

    @functools.cached_property
    def plugin(self) -> Plugin:
        return Plugin("complaints", self._register, commands=COMPLAINT_COMMANDS)

    # ---------------------------------------------------------------- wiring
    def _register(self, application: BotApplication) -> None:
        services: Services = application.bot_data["services"]
        services.erase_hooks.append(self.forget)
        for handler in (
            CallbackQueryHandler(self.on_staff_button, pattern=r"^kst:"),
            CallbackQueryHandler(self.on_withdraw, pattern=r"^kw:"),
        ):
            application.add_handler(handler, group=GROUP_STAFF)
        group = self.door.chat
        replies = group & filters.REPLY & filters.UpdateType.MESSAGE & ~filters.COMMAND
        # The staff gate asks these two whether an update is a complaint action.
        self._reply = MessageHandler(replies, self.on_staff_reply)
        self._open = CommandHandler("open", self.on_open, filters=group)
        services.staff_gates.append(self.gate)
        application.add_handler(self._reply, group=GROUP_STAFF)
        application.add_handler(self._open, group=GROUP_STAFF)
        from_person = (filters.ChatType.PRIVATE & filters.REPLY & filters.UpdateType.MESSAGE
                       & ~filters.COMMAND)
        application.add_handler(MessageHandler(from_person, self.on_person_reply),
                                group=GROUP_STAFF)
        # Before the gate, which drops unaddressed group messages and anonymous admins (they
        # post as a bot): the upgrade to a supergroup, and telling an anonymous admin why.
        for event in (
            MessageHandler(group & filters.StatusUpdate.MIGRATE, self.door.on_migrate),
            MessageHandler(group & filters.SenderChat.ALL & filters.UpdateType.MESSAGE,
                           self.door.on_anonymous),
        ):
            application.add_handler(event, group=GROUP_STAFF_EVENTS)
        # After CONVERSATION_TIMEOUT_MINUTES without an answer the draft is dropped and the
        # person told: a half-written complaint does not wait in memory.
        flow = GuidedConversation(
            ComplaintGuide(self.retention_days), services.settings.conversation_timeout_minutes,
            offered=False, available=lambda context: self.desk.available,
            submit=self.submit,
        )
        services.erase_hooks.append(flow.forget)  # /vergeet drops a complaint being written
        commands = list(ComplaintGuide.commands)
        for chat_handler in (
            flow.handler(),
            CommandHandler(commands, self.on_group_command, filters=~filters.ChatType.PRIVATE),
            CallbackQueryHandler(flow.on_stale, pattern=r"^k:"),  # a flow that has ended
        ):
            application.add_handler(chat_handler, group=GROUP_CHAT)
        run_with(application, self._on_start, self.stop)

    async def _on_start(self, application: BotApplication) -> None:
        self.start()

    # ---------------------------------------------------------------- the person
    async def submit(self, update: Update, context: BotContext, draft: ComplaintDraft) -> str:
        """Send under the preview (the complaint desk's `send`)."""
        query = update.callback_query
        preview = query.message.message_id if query and query.message else 0
        user = update.effective_user
        return self.desk.send(draft, chat_id(update), user.id if user else None, preview)

    async def on_group_command(self, update: Update, context: BotContext) -> None:
        """/klacht in a group: never there, where others read along."""
        lang = context.services.language_for(update, command_name(update))
        message = update.effective_message
        if message is not None:
            await message.reply_html(context.services.say(lang, "cmp_private_only"))

    async def on_withdraw(self, update: Update, context: BotContext) -> None:
        """kw:ask|yes|no:<id> under the receipt: withdraw (asking once more) until taken up."""
        query = update.callback_query
        if query is None:
            raise ApplicationHandlerStop
        message = message_of(query)
        done = self.desk.withdraw_button(query.data, message.chat.id if message else None)
        if done is None:
            await query.answer()
            raise ApplicationHandlerStop
        if not done.ok:
            await answer_popup(query, done.text, alert=True)
            await drop_buttons(query)  # the withdraw button is stale now
            raise ApplicationHandlerStop
        await query.answer()
        if done.text:
            await query.edit_message_text(done.text, parse_mode=ParseMode.HTML,
                                          reply_markup=markup(done.keyboard))
        raise ApplicationHandlerStop

    async def on_person_reply(self, update: Update, context: BotContext) -> None:
        """A reply to the bot's message about the person's complaint (its receipt, an
        answer): passed on to the complaints group. Any other reply goes on as usual."""
        message = update.message
        if message is None:
            return
        text = self.desk.person_reply(chat_message(update, message, context.bot.id))
        if text is None:
            return
        await send_html(context, message.chat.id, text, reply_to=message.message_id)
        raise ApplicationHandlerStop

    async def forget(self, context: BotContext, chat_id: int) -> None:
        """/vergeet (an erase hook): the chat's complaints lose their texts too."""
        text = self.desk.forget_chat(chat_id)
        if text is not None:
            await send_html(context, chat_id, text)

    # ---------------------------------------------------------------- the complaints group
    async def gate(self, update: Update, context: BotContext) -> None:
        """The complaints group's staff gate, run by the one staff gate: for a button on a
        complaint's post, /open, or a reply to a complaint's post (the desk's
        `is_complaint_action`), the sender must be a member."""
        query = update.callback_query
        if query is not None:
            if not self.door.group.owns_press(query.data):
                return
            await self.door.press_here_or_stop(query)
        elif not self.desk.is_complaint_action(
            opens=bool(self._open.check_update(update)),
            reply=self._reply_in_group(update, context),
        ):
            return
        await self.door.admit_or_stop(update, context)

    def _reply_in_group(self, update: Update, context: BotContext) -> ChatMessage | None:
        """A reply in the complaints group that may be about a complaint, else None."""
        message = update.message
        if message is None or not self._reply.check_update(update):
            return None
        return chat_message(update, message, context.bot.id)

    async def on_open(self, update: Update, context: BotContext) -> None:
        """/open in the complaints group: the complaints in hand (the gate let a member in)."""
        message = update.effective_message
        if message is not None:
            await send_html(context, message.chat.id, self.desk.open_list(),
                            reply_to=message.message_id)
        raise ApplicationHandlerStop

    async def on_staff_button(self, update: Update, context: BotContext) -> None:
        """kst:claim|close:<id> on a complaint's post (the gate checked where and who)."""
        query = update.callback_query
        done = None
        if query is not None:
            done = self.desk.staff_button(staff_member(update), query.data, ref=f"q:{query.id}")
        if query is not None and done is not None:
            await answer_popup(query, done.text)
        raise ApplicationHandlerStop

    async def on_staff_reply(self, update: Update, context: BotContext) -> None:
        """A reply to the bot's message about a complaint: relayed to the person (anything
        else is staff talking to the bot about something else)."""
        message = update.message
        if message is not None:
            notice = self.desk.staff_reply(chat_message(update, message, context.bot.id))
            if notice:
                await send_html(context, message.chat.id, notice, reply_to=message.message_id)
        raise ApplicationHandlerStop
