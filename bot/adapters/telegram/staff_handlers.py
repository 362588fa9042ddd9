"""The staff side, in the STAFF_CHAT_ID group, translated: the staff gate, ticket buttons,
answers by reply (and their corrections, by editing), /open, /ticket N, /stats, /promote N,
/reopen N.

Authorisation happens once, at the top: `StaffGate` runs before the staff handlers (see
app.py for the groups) and decides, for every update that is a staff action (a ticket button,
a staff command, a reply to a ticket message, an anonymous admin addressing the bot), whether
its sender may act; a refusal is explained and ends the update. The handlers after it only
parse, call the desk (bot/escalation/desk.py) and show what it returned.
"""

from __future__ import annotations

from telegram import CallbackQuery, Update
from telegram.ext import ApplicationHandlerStop

from bot.adapters.telegram.context import BotContext
from bot.adapters.telegram.popups import answer_popup
from bot.adapters.telegram.replies import send_html
from bot.adapters.telegram.staff_auth import GroupDoor, chat_message, staff_member, to_bot


class StaffGate:
    """The staff gate: which updates are staff actions (the desk's `is_staff_action`), and
    their senders checked once, at the group's door."""

    def __init__(self, door: GroupDoor) -> None:
        self.door = door

    def _is_staff_action(self, update: Update, context: BotContext) -> bool:
        query = update.callback_query
        if query is not None:
            return self.door.group.owns_press(query.data)
        message = update.effective_message  # commands: edited ones too, as CommandHandler
        if message is None:
            return False
        return context.desk.is_staff_action(
            chat_message(update, message, context.bot.id), context.bot.username,
            reply=(update.message or update.edited_message) is not None,
        )

    async def __call__(self, update: Update, context: BotContext) -> None:
        if not self._is_staff_action(update, context):
            for other in context.services.staff_gates:  # the complaints group's
                await other(update, context)
            return
        if update.callback_query is not None:
            await self.door.press_here_or_stop(update.callback_query)
        await self.door.admit_or_stop(update, context)


# -------------------------------------------------------------------- behind the gate
async def on_button(update: Update, context: BotContext) -> None:
    """st:claim|suggest|oos|close:<number>[:<n>] on a ticket message."""
    query: CallbackQuery | None = update.callback_query
    if query is None:
        return
    desk = context.desk
    done = desk.staff_button(staff_member(update), query.data, ref=f"q:{query.id}")
    if done is None:
        return
    if done.notice and desk.staff_chat_id is not None:
        await send_html(context, desk.staff_chat_id, done.notice)
    await answer_popup(query, done.text)
    raise ApplicationHandlerStop


async def on_reply(update: Update, context: BotContext) -> None:
    """A reply to one of the bot's messages in the staff group: relayed if it is a ticket's
    (a reply to /open or a notice is not a question for the bot either)."""
    message = update.message
    if message is None or not to_bot(message, context.bot.id):
        return  # the staff talking among themselves
    notice = context.desk.reply_to(chat_message(update, message, context.bot.id))
    if notice:
        await send_html(context, message.chat.id, notice)
    raise ApplicationHandlerStop


async def on_edit(update: Update, context: BotContext) -> None:
    """An edited reply to one of the bot's messages in the staff group: if it was a relayed
    answer, the desk relays the new text as a correction or says why it cannot; the staff's
    own edits are never answered as questions."""
    message = update.edited_message
    if message is None or not to_bot(message, context.bot.id):
        return
    edited = message.edit_date or message.date
    notice = context.desk.correct_reply(chat_message(update, message, context.bot.id),
                                        int(edited.timestamp()))
    if notice:
        await send_html(context, message.chat.id, notice, reply_to=message.message_id)
    raise ApplicationHandlerStop


async def on_command(update: Update, context: BotContext) -> None:
    message = update.effective_message
    if message is not None:
        text = context.desk.command_message(chat_message(update, message, context.bot.id),
                                            context.bot.username)
        if text is not None:
            await send_html(context, message.chat.id, text, reply_to=message.message_id)
    raise ApplicationHandlerStop
