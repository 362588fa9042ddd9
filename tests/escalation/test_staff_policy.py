"""Who may act for the staff group, without Telegram: the sender decides, anonymous admins
and bots are refused, the allow-list always counts, membership is asked once per few minutes,
and an outage never opens the door."""

from bot.escalation.staff_policy import (
    GROUP_ANONYMOUS_BOT_ID,
    MembershipUnknown,
    Sender,
    StaffPolicy,
)

GROUP = -100


class Members:
    """The group's members as getChatMember would say; counts the questions asked."""

    def __init__(self, *members: int, down: bool = False):
        self.members, self.down, self.asked = set(members), down, 0

    async def __call__(self, group: int, user_id: int) -> bool:
        self.asked += 1
        if self.down:
            raise MembershipUnknown
        return user_id in self.members


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


async def test_a_member_of_the_group_may_act_and_a_stranger_may_not():
    policy = StaffPolicy(frozenset())
    members = Members(7)
    assert await policy.verdict(GROUP, Sender(7), members) == "staff"
    assert await policy.verdict(GROUP, Sender(8), members) == "refused"


async def test_an_anonymous_admin_is_told_apart_from_a_refusal():
    """Telegram's stand-in user, or a message posted as the group itself: nobody to check."""
    policy = StaffPolicy(frozenset({GROUP_ANONYMOUS_BOT_ID}))
    members = Members(7)
    assert await policy.verdict(GROUP, Sender(GROUP_ANONYMOUS_BOT_ID, True), members) \
        == "anonymous"
    assert await policy.verdict(GROUP, Sender(7, sender_chat_id=GROUP), members) == "anonymous"
    assert members.asked == 0


async def test_bots_and_updates_without_a_sender_are_refused():
    policy = StaffPolicy(frozenset({5}))
    assert await policy.verdict(GROUP, Sender(5, is_bot=True), Members(5)) == "refused"
    assert await policy.verdict(GROUP, None, Members(5)) == "refused"


async def test_the_allow_list_admits_without_asking_and_an_empty_one_admits_nobody():
    members = Members()
    assert await StaffPolicy(frozenset({9})).verdict(GROUP, Sender(9), members) == "staff"
    assert members.asked == 0
    assert await StaffPolicy(frozenset()).verdict(GROUP, Sender(9), members) == "refused"


async def test_membership_is_asked_once_per_person_until_the_cache_expires():
    clock = Clock()
    policy = StaffPolicy(frozenset(), ttl=300.0, clock=clock)
    members = Members(7)
    for _ in range(3):
        await policy.verdict(GROUP, Sender(7), members)
    assert members.asked == 1

    members.members.clear()  # removed from the group
    clock.now = 301.0
    assert await policy.verdict(GROUP, Sender(7), members) == "refused"
    assert members.asked == 2


async def test_when_telegram_cannot_say_the_allow_list_alone_decides_and_nothing_is_cached():
    policy = StaffPolicy(frozenset({9}))
    down = Members(7, down=True)
    assert await policy.verdict(GROUP, Sender(7), down) == "refused"
    assert await policy.verdict(GROUP, Sender(9), down) == "staff"

    down.down = False
    assert await policy.verdict(GROUP, Sender(7), down) == "staff"


async def test_forgetting_asks_again_for_the_new_group():
    """After a group migration the cached answers go: the new group is asked."""
    policy = StaffPolicy(frozenset())
    members = Members(7)
    await policy.verdict(GROUP, Sender(7), members)
    policy.forget()
    await policy.verdict(GROUP, Sender(7), members)
    assert members.asked == 2
    await policy.verdict(-200, Sender(7), members)  # another group: its own question
    assert members.asked == 3
