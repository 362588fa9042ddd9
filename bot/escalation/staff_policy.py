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

`StaffGroup` is the door of one staff group (the ticket desk's, the complaints group) built on
the policy: where its messages and presses must come from, what a refused sender is told, and
following the group when it becomes a supergroup. The adapter reads the sender from the
update, asks getChatMember and shows the refusal.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Literal

log = logging.getLogger(__name__)

GROUP_ANONYMOUS_BOT_ID = 1087968824  # Telegram's stand-in user for anonymous group admins
MEMBER_CACHE_SECONDS = 300.0
Verdict = Literal["staff", "anonymous", "refused"]
# getChatMember's statuses that may act; a restricted user only while still a member.
MEMBER_STATUSES = frozenset({"creator", "administrator", "member"})


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


def counts_as_member(status: str, is_member: bool) -> bool:
    """Whether getChatMember's answer (`status`, and `is_member` for a restricted user) makes
    someone a member of the group: left, kicked, or restricted and gone do not."""
    return status in MEMBER_STATUSES or (status == "restricted" and is_member)


def addresses_bot(replies_to_bot: bool, text: str | None) -> bool:
    """Whether a message in a staff group is meant for the bot: a reply to one of its
    messages, or a command."""
    return replies_to_bot or (text or "").startswith("/")


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


@dataclass
class StaffGroup:
    """The door of one staff group: who may act there (one policy, one cache), which presses
    belong to it, and the group followed to its supergroup.

    `current_id` gives the group's id now, `refusal(anonymous)` the text for a refused sender,
    `follow(old, new)` moves the desk to the new id (False when it was not this group or is
    followed already); `name` and `setting` make the log line the maintainer needs, `action`
    names what was refused; `prefix` and `parse_press` tell its buttons' data."""

    policy: StaffPolicy
    current_id: Callable[[], int | None]
    refusal: Callable[[bool], str]
    follow: Callable[[int, int], bool]
    name: str
    setting: str
    action: str
    prefix: str  # the group's buttons' callback data starts with it
    parse_press: Callable[[str | None], object | None]  # None: data we could not have sent

    def holds(self, chat_id: int) -> bool:
        """Whether `chat_id` is this group. Groups have negative ids: a private chat's message
        is told apart without reading the group's current id (a database read, on the event
        loop, for every update)."""
        return chat_id < 0 and chat_id == self.current_id()

    async def refusal_for(self, sender: Sender | None, is_member: IsMember) -> str | None:
        """None when `sender` may act here; otherwise what they are told (`refusal`, which
        explains itself to an anonymous admin), and the refusal is logged."""
        group = self.current_id()
        verdict: Verdict = "refused"
        if group is not None and sender is not None:
            verdict = await self.policy.verdict(group, sender, is_member)
        if verdict == "staff":
            return None
        # No ids or names in the log: that someone was refused is what the operator needs.
        log.warning("refused a %s (%s)", self.action, verdict)
        return self.refusal(verdict == "anonymous")

    def owns_press(self, data: str | None) -> bool:
        """Whether a button press is on one of this group's buttons (or claims to be)."""
        return (data or "").startswith(self.prefix)

    def press_is_here(self, data: str | None, chat_id: int | None) -> bool:
        """Whether a press on this group's buttons carries data we could have sent and was
        made on a message in the group (`chat_id`); a forged or misplaced one is logged."""
        valid = self.parse_press(data) is not None
        if valid and chat_id is not None and chat_id == self.current_id():
            return True
        log.warning("refused a %s button press with invalid data or outside the %s",
                    self.action, self.name)
        return False

    def follow_migration(self, old: int, new: int) -> bool:
        """The group `old` became the supergroup `new`: the desk follows it and the cached
        answers go (they were about the old group). False when it was not this group, or
        it was followed already."""
        if old != self.current_id() or not self.follow(old, new):
            return False
        self.policy.forget()
        # The group's id is configuration, not a person's: the maintainer needs it.
        log.warning("the %s moved to a supergroup: set %s=%s", self.name, self.setting, new)
        return True
