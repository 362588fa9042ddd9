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
from bot.adapters.telegram.staff_auth import GroupDoor, StaffAuth, staff_member, to_bot
from bot.escalation.desk import Desk, staff_command_of
from bot.escalation.tickets import parse_staff_data


class StaffGate:
    """The staff gate: which updates are staff actions, and their senders checked once, at
    the group's door."""

    def __init__(self, door: GroupDoor) -> None:
        self.door = door

    def _is_staff_action(self, update: Update, context: BotContext, desk: Desk) -> bool:
        if update.callback_query is not None:
            return (update.callback_query.data or "").startswith("st:")
        message = update.effective_message  # commands: edited ones too, as CommandHandler
        if message is None or not desk.is_staff_chat(message.chat.id):
            return False
        if staff_command_of(message.text, context.bot.username) is not None:
            return True
        replied = message.reply_to_message
        return (
            # replies to a ticket, and edits of them (an answer corrected after the relay)
            (update.message or update.edited_message) is not None
            and replied is not None
            and to_bot(message, context.bot.id)
            and not (message.text or "").startswith("/")
            and desk.ticket_for_reply(message.chat.id, replied.message_id) is not None
        )

    async def __call__(self, update: Update, context: BotContext) -> None:
        desk = context.desk
        if not self._is_staff_action(update, context, desk):
            for other in context.services.staff_gates:  # the complaints group's
                await other(update, context)
            return
        query = update.callback_query
        if query is not None:
            await self.door.press_here_or_stop(query, parse_staff_data(query.data) is not None)
        await self.door.admit_or_stop(update, context)


def staff_door(auth: StaffAuth, desk: Desk) -> GroupDoor:
    return GroupDoor(
        auth, group=lambda: desk.staff_chat_id,
        refusal=lambda anonymous: desk.refused_text(anonymous=anonymous),
        follow=desk.follow_migration, name="staff group", setting="STAFF_CHAT_ID",
        action="staff action",
    )


# -------------------------------------------------------------------- behind the gate
async def on_button(update: Update, context: BotContext) -> None:
    """st:claim|suggest|oos|close:<number>[:<n>] on a ticket message."""
    query: CallbackQuery | None = update.callback_query
    press = parse_staff_data(query.data) if query else None
    if query is None or press is None:
        return
    desk = context.desk
    done = desk.press(staff_member(update), press, ref=f"q:{query.id}")
    if done.notice and desk.staff_chat_id is not None:
        await send_html(context, desk.staff_chat_id, done.notice)
    await answer_popup(query, done.text)
    raise ApplicationHandlerStop


async def on_reply(update: Update, context: BotContext) -> None:
    """A reply to one of the bot's messages in the staff group: relay it if it is a ticket's."""
    message = update.message
    if message is None or not to_bot(message, context.bot.id):
        return  # the staff talking among themselves
    desk = context.desk
    replied = message.reply_to_message
    assert replied is not None  # to_bot checked it
    ticket = desk.ticket_for_reply(message.chat.id, replied.message_id)
    if ticket is not None:  # else a reply to /open or a notice: not a question for the bot
        notice = desk.reply(
            staff_member(update), ticket, message.text, message.chat.id, message.message_id
        )
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
    desk = context.desk
    replied = message.reply_to_message
    assert replied is not None  # to_bot checked it
    ticket = desk.ticket_for_reply(message.chat.id, replied.message_id)
    edited = message.edit_date or message.date
    notice = None
    if ticket is not None:  # else an edit of a reply to /open or a notice: staff chatter
        notice = desk.correct(
            staff_member(update), ticket, message.chat.id, message.message_id, message.text,
            int(edited.timestamp()),
        )
    if notice:
        await send_html(context, message.chat.id, notice, reply_to=message.message_id)
    raise ApplicationHandlerStop


async def on_command(update: Update, context: BotContext) -> None:
    message = update.effective_message
    command = staff_command_of(message.text, context.bot.username) if message else None
    if message is not None and command is not None:
        text = context.desk.staff_command(
            staff_member(update), command, " ".join(context.args or []),
            ref=f"s:{message.chat.id}:{message.message_id}",
        )
        await send_html(context, message.chat.id, text, reply_to=message.message_id)
    raise ApplicationHandlerStop
