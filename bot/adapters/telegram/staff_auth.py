"""The staff policy (bot/escalation/staff_policy.py) on Telegram: the sender read from the
update, membership asked with getChatMember, and a refusal shown where the action was made;
and `GroupDoor`, the one door that both staff groups (the ticket desk's, the complaints
group) share."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable

from telegram import Bot, CallbackQuery, Message, Update
from telegram.constants import ChatMemberStatus
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop, filters

from bot.adapters.telegram.context import BotContext
from bot.adapters.telegram.popups import answer_popup
from bot.escalation.desk import StaffMember
from bot.escalation.staff_policy import MembershipUnknown, Sender, StaffPolicy, Verdict

log = logging.getLogger(__name__)

_STAFF_STATUSES = {ChatMemberStatus.OWNER, ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.MEMBER}


class StaffAuth(StaffPolicy):
    async def admit(
        self, bot: Bot, update: Update, group: int | None, refusal: Callable[[bool], str],
        action: str,
    ) -> bool:
        """Whether the sender of `update` may act for `group`; when not, the refusal
        (`refusal(anonymous)`) is shown (a popup for a press, a reply to a message) and logged
        as a refused `action`."""
        query = update.callback_query
        message = update.effective_message
        sender_chat = message.sender_chat if message is not None and query is None else None
        user = update.effective_user
        verdict: Verdict = "refused"
        if group is not None and user is not None:
            sender = Sender(user.id, user.is_bot, sender_chat.id if sender_chat else None)
            verdict = await self.verdict(group, sender, functools.partial(_is_member, bot))
        if verdict == "staff":
            return True
        # No ids or names in the log: that someone was refused is what the operator needs.
        log.warning("refused a %s (%s)", action, verdict)
        text = refusal(verdict == "anonymous")
        if query is not None:
            await answer_popup(query, text, alert=True)
        elif message is not None:
            await message.reply_html(text)
        return False


async def _is_member(bot: Bot, group: int, user_id: int) -> bool:
    try:
        member = await bot.get_chat_member(group, user_id)
    except TelegramError as exc:
        log.warning("getChatMember failed (%s): allow-list only", type(exc).__name__)
        raise MembershipUnknown from exc
    return member.status in _STAFF_STATUSES or (
        member.status == ChatMemberStatus.RESTRICTED and bool(getattr(member, "is_member", False))
    )


def to_bot(message: Message, bot_id: int) -> bool:
    """Whether `message` replies to one of the bot's own messages."""
    replied = message.reply_to_message
    return replied is not None and replied.from_user is not None and replied.from_user.id == bot_id


def staff_member(update: Update) -> StaffMember:
    """The sender of an update the group's gate let through."""
    user = update.effective_user
    assert user is not None  # the staff gate let only a known sender through
    return StaffMember(user.id, user.first_name)


class GroupChat(filters.MessageFilter):
    """Messages in one staff group, by its current id (it changes on a supergroup upgrade)."""

    def __init__(self, name: str, group: Callable[[], int | None]) -> None:
        super().__init__(name=name)
        self.group = group

    def filter(self, message: Message) -> bool:
        # Groups have negative ids: a private chat's message is told apart without reading
        # the group's current id (a database read, on the event loop, for every update).
        return message.chat.id < 0 and message.chat.id == self.group()


class GroupDoor:
    """The door of one staff group: who may act there (one authorisation cache), anonymous
    admins told why nothing happens, and the group followed when it becomes a supergroup.

    `group` gives the group's current id, `refusal(anonymous)` the text for a refused sender,
    `follow(old, new)` moves the desk to the new id (False when it was not this group or is
    followed already); `name` and `setting` make the log line the maintainer needs."""

    def __init__(
        self, auth: StaffAuth, *, group: Callable[[], int | None],
        refusal: Callable[[bool], str], follow: Callable[[int, int], bool], name: str,
        setting: str, action: str,
    ) -> None:
        self.auth = auth
        self.group = group
        self.refusal = refusal
        self.follow = follow
        self.name = name
        self.setting = setting
        self.action = action
        self.chat = GroupChat(name, group)  # a filter: messages in this group

    async def admit(self, update: Update, context: BotContext) -> bool:
        """Whether the sender may act here; when not, the refusal is shown and logged."""
        return await self.auth.admit(context.bot, update, self.group(), self.refusal,
                                     self.action)

    async def press_here_or_stop(self, query: CallbackQuery, valid: bool) -> None:
        """Return when a press on this group's buttons has `valid` data and was made in the
        group; otherwise answer it and end the update (forged data, or a message elsewhere)."""
        message = query.message
        if valid and message is not None and message.chat.id == self.group():
            return
        log.warning("refused a %s button press with invalid data or outside the %s",
                    self.action, self.name)
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
        if to_bot(message, context.bot.id) or (message.text or "").startswith("/"):
            await self.admit(update, context)  # refuses an anonymous sender and says why
        raise ApplicationHandlerStop

    async def on_migrate(self, update: Update, context: BotContext) -> None:
        message = update.message
        new = message.migrate_to_chat_id if message is not None else None
        if message is not None and new is not None and message.chat.id == self.group():
            self.follow_migration(message.chat.id, new)
        raise ApplicationHandlerStop

    def follow_migration(self, old: int, new: int) -> None:
        if self.follow(old, new):
            self.auth.forget()
            # The group's id is configuration, not a person's: the maintainer needs it.
            log.warning("the %s moved to a supergroup: set %s=%s", self.name, self.setting, new)
