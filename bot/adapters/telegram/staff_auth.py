"""The staff policy (bot/escalation/staff_policy.py) on Telegram: the sender read from the
update, membership asked with getChatMember, and a refusal shown where the action was made."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable

from telegram import Bot, Update
from telegram.constants import ChatMemberStatus
from telegram.error import TelegramError

from bot.adapters.telegram.popups import answer_popup
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
