"""Who may act on tickets and complaints: members of the staff group, or the STAFF_USER_IDS
allow-list. Pure: whether someone is a member is asked through `is_member`, which the Telegram
adapter answers with getChatMember (bot/adapters/telegram/staff_auth.py).

Rules (issue 4), in the order they are applied:
- the *sender* decides (the `from` user of the message or the button press), never the chat:
  a forged button press or a forwarded message from elsewhere proves nothing;
- an anonymous group admin arrives as Telegram's generic GroupAnonymousBot, with the group as
  `sender_chat`: we cannot tell who it is, so it is refused with an explanation;
- user ids only, never usernames (a username can be given up and taken by someone else);
- an id in STAFF_USER_IDS may act; an empty list allows nobody, not everybody;
- otherwise membership of the group: creator, administrator or member may act. Answers are
  cached for a few minutes (one call per person, not per click); when the question cannot be
  answered (`MembershipUnknown`), the allow-list alone decides, so an outage never opens the
  door, and nothing is cached: the next action asks again.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Literal

GROUP_ANONYMOUS_BOT_ID = 1087968824  # Telegram's stand-in user for anonymous group admins
MEMBER_CACHE_SECONDS = 300.0
Verdict = Literal["staff", "anonymous", "refused"]


@dataclass(frozen=True)
class Sender:
    """Who sent a message or pressed a button, as far as authorisation cares."""

    user_id: int
    is_bot: bool = False
    sender_chat_id: int | None = None  # a message posted as a chat (an anonymous admin)


class MembershipUnknown(Exception):
    """The group could not be asked (Telegram failed): the allow-list alone decides."""


# is_member(group, user_id): whether the user belongs to the group; raises MembershipUnknown.
IsMember = Callable[[int, int], Awaitable[bool]]


class StaffPolicy:
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

    async def verdict(self, group: int, sender: Sender | None, is_member: IsMember) -> Verdict:
        if sender is None:
            return "refused"
        if sender.user_id == GROUP_ANONYMOUS_BOT_ID or sender.sender_chat_id == group:
            return "anonymous"
        if sender.is_bot:
            return "refused"
        if sender.user_id in self.allow_list:
            return "staff"
        key = (group, sender.user_id)
        cached = self._cache.get(key)
        if cached is not None and self.clock() - cached[1] < self.ttl:
            return "staff" if cached[0] else "refused"
        try:
            member = await is_member(group, sender.user_id)
        except MembershipUnknown:
            return "refused"
        self._cache[key] = (member, self.clock())
        return "staff" if member else "refused"

    def forget(self) -> None:
        """Drop cached answers (the group changed id)."""
        self._cache.clear()
