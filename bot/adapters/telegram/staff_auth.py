"""Who may act on tickets: members of the staff group, or the STAFF_USER_IDS allow-list.

Rules (issue 4), in the order they are applied:
- the *sender* decides (the `from` user of the message or the button press), never the chat:
  a forged button press or a forwarded message from elsewhere proves nothing;
- an anonymous group admin arrives as Telegram's generic GroupAnonymousBot, with the group as
  `sender_chat`: we cannot tell who it is, so it is refused with an explanation;
- user ids only, never usernames (a username can be given up and taken by someone else);
- an id in STAFF_USER_IDS may act; an empty list allows nobody, not everybody;
- otherwise getChatMember on the staff group: creator, administrator or member may act.
  Answers are cached for a few minutes (one call per person, not per click); when the call
  fails, the allow-list alone decides, so an outage never opens the door.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Literal

from telegram import Bot, Chat, Update, User
from telegram.constants import ChatMemberStatus
from telegram.error import TelegramError

from bot.adapters.telegram.popups import answer_popup

log = logging.getLogger(__name__)

GROUP_ANONYMOUS_BOT_ID = 1087968824  # Telegram's stand-in user for anonymous group admins
MEMBER_CACHE_SECONDS = 300.0
Verdict = Literal["staff", "anonymous", "refused"]
_STAFF_STATUSES = {ChatMemberStatus.OWNER, ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.MEMBER}


class StaffAuth:
    def __init__(
        self,
        allow_list: frozenset[int],
        *,
        ttl: float = MEMBER_CACHE_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.allow_list = allow_list
        self.ttl = ttl
        self.clock = clock
        self._cache: dict[tuple[int, int], tuple[bool, float]] = {}

    async def check(
        self, bot: Bot, staff_chat: int, user: User | None, sender_chat: Chat | None = None
    ) -> Verdict:
        if user is None:
            return "refused"
        if user.id == GROUP_ANONYMOUS_BOT_ID or (
            sender_chat is not None and sender_chat.id == staff_chat
        ):
            return "anonymous"
        if user.is_bot:
            return "refused"
        if user.id in self.allow_list:
            return "staff"
        key = (staff_chat, user.id)
        cached = self._cache.get(key)
        if cached is not None and self.clock() - cached[1] < self.ttl:
            return "staff" if cached[0] else "refused"
        try:
            member = await bot.get_chat_member(staff_chat, user.id)
        except TelegramError as exc:
            # Not cached: the next action asks again once Telegram answers.
            log.warning("getChatMember failed (%s): allow-list only", type(exc).__name__)
            return "refused"
        is_staff = member.status in _STAFF_STATUSES or (
            member.status == ChatMemberStatus.RESTRICTED
            and bool(getattr(member, "is_member", False))
        )
        self._cache[key] = (is_staff, self.clock())
        return "staff" if is_staff else "refused"

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
        verdict: Verdict = "refused"
        if group is not None:
            verdict = await self.check(bot, group, update.effective_user, sender_chat)
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

    def forget(self) -> None:
        """Drop cached answers (the staff group changed id)."""
        self._cache.clear()
