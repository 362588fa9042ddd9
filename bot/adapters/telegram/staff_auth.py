"""A staff group's door (bot/escalation/staff_policy.py's `StaffGroup`) on Telegram: the
sender read from the update, membership asked with getChatMember, the refusal shown where the
action was made, and the group's messages as a ptb filter. Both staff groups (the ticket
desk's, the complaints group) use it."""

from __future__ import annotations

import functools
import logging

from telegram import Bot, CallbackQuery, Message, Update
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop, filters

from bot.adapters.telegram.context import BotContext
from bot.adapters.telegram.popups import answer_popup
from bot.escalation.desk import ChatMessage, StaffMember
from bot.escalation.staff_policy import (
    MembershipUnknown,
    Sender,
    StaffGroup,
    addresses_bot,
    counts_as_member,
)

log = logging.getLogger(__name__)


async def _is_member(bot: Bot, group: int, user_id: int) -> bool:
    try:
        member = await bot.get_chat_member(group, user_id)
    except TelegramError as exc:
        log.warning("getChatMember failed (%s): allow-list only", type(exc).__name__)
        raise MembershipUnknown from exc
    return counts_as_member(member.status, bool(getattr(member, "is_member", False)))


def sender_of(update: Update) -> Sender | None:
    """Who acted: the user who pressed or wrote, and the chat a message was posted as (an
    anonymous admin's message; a press has none)."""
    user = update.effective_user
    if user is None:
        return None
    message = update.effective_message if update.callback_query is None else None
    sender_chat = message.sender_chat if message is not None else None
    return Sender(user.id, user.is_bot, sender_chat.id if sender_chat else None)


def to_bot(message: Message, bot_id: int) -> bool:
    """Whether `message` replies to one of the bot's own messages."""
    replied = message.reply_to_message
    return replied is not None and replied.from_user is not None and replied.from_user.id == bot_id


def staff_member(update: Update) -> StaffMember:
    """The sender of an update the group's gate let through."""
    user = update.effective_user
    assert user is not None  # the staff gate let only a known sender through
    return StaffMember(user.id, user.first_name)


def chat_message(update: Update, message: Message, bot_id: int) -> ChatMessage:
    """`message` of `update` as the desks route it."""
    replied = message.reply_to_message
    user = update.effective_user
    return ChatMessage(
        message.chat.id, message.message_id, message.text,
        replied_id=replied.message_id if replied else None, to_bot=to_bot(message, bot_id),
        author=StaffMember(user.id, user.first_name) if user else None,
    )


class GroupChat(filters.MessageFilter):
    """Messages in one staff group, by its current id (it changes on a supergroup upgrade)."""

    def __init__(self, group: StaffGroup) -> None:
        super().__init__(name=group.name)
        self.group = group

    def filter(self, message: Message) -> bool:
        return self.group.holds(message.chat.id)


class GroupDoor:
    """The door of one staff group on Telegram; what it decides is `StaffGroup`'s."""

    def __init__(self, group: StaffGroup) -> None:
        self.group = group
        self.chat = GroupChat(group)  # a filter: messages in this group

    async def admit(self, update: Update, context: BotContext) -> bool:
        """Whether the sender may act here; when not, the refusal is shown (a popup for a
        press, a reply to a message)."""
        refusal = await self.group.refusal_for(
            sender_of(update), functools.partial(_is_member, context.bot)
        )
        if refusal is None:
            return True
        query, message = update.callback_query, update.effective_message
        if query is not None:
            await answer_popup(query, refusal, alert=True)
        elif message is not None:
            await message.reply_html(refusal)
        return False

    async def press_here_or_stop(self, query: CallbackQuery) -> None:
        """Return when a press on this group's buttons has data we could have sent and was
        made in the group; otherwise answer it and end the update."""
        message = query.message
        if not self.group.press_is_here(query.data, message.chat.id if message else None):
            await query.answer()
            raise ApplicationHandlerStop

    async def admit_or_stop(self, update: Update, context: BotContext) -> None:
        """Return when the sender may act; otherwise explain, log, and end the update."""
        if not await self.admit(update, context):
            raise ApplicationHandlerStop

    async def on_anonymous(self, update: Update, context: BotContext) -> None:
        """Anonymous admins post as the group itself and the gate drops them as bots, so they
        are caught first and told why nothing happens, when they addressed the bot."""
        message = update.message
        if message is None:
            return
        if addresses_bot(to_bot(message, context.bot.id), message.text):
            await self.admit(update, context)  # refuses an anonymous sender and says why
        raise ApplicationHandlerStop

    async def on_migrate(self, update: Update, context: BotContext) -> None:
        message = update.message
        new = message.migrate_to_chat_id if message is not None else None
        if message is not None and new is not None:
            self.group.follow_migration(message.chat.id, new)
        raise ApplicationHandlerStop
