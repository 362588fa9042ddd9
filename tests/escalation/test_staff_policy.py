"""Who may act for the staff group, without Telegram: the sender decides, anonymous admins
and bots are refused, the allow-list always counts, membership is asked once per few minutes,
and an outage never opens the door."""

import logging

from bot.escalation.staff_policy import (
    GROUP_ANONYMOUS_BOT_ID,
    MembershipUnknown,
    Sender,
    StaffGroup,
    StaffPolicy,
    addresses_bot,
    counts_as_member,
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


# ------------------------------------------------------------------ one staff group's door
class Desk:
    """The desk a door belongs to: the group's id, and following it to a supergroup."""

    def __init__(self, group=GROUP):
        self.group = group

    def follow(self, old, new):
        if self.group == new:
            return False
        self.group = new
        return True


def door(desk, allow_list=frozenset()):
    return StaffGroup(
        StaffPolicy(allow_list), current_id=lambda: desk.group,
        refusal=lambda anonymous: f"refused anonymous={anonymous}", follow=desk.follow,
        name="staff group", setting="STAFF_CHAT_ID", action="staff action", prefix="st:",
        parse_press=lambda data: data if data in ("st:claim:1", "st:close:1") else None,
    )


async def test_a_member_passes_the_door_and_everyone_else_is_told_why_not(caplog):
    staff = door(Desk())
    members = Members(7)
    caplog.set_level(logging.WARNING)
    assert await staff.refusal_for(Sender(7), members) is None
    assert await staff.refusal_for(Sender(8), members) == "refused anonymous=False"
    assert await staff.refusal_for(None, members) == "refused anonymous=False"
    assert await staff.refusal_for(Sender(GROUP_ANONYMOUS_BOT_ID, True), members) \
        == "refused anonymous=True"
    # Logged without ids or names: only that, and why.
    assert [r.getMessage() for r in caplog.records] == [
        "refused a staff action (refused)", "refused a staff action (refused)",
        "refused a staff action (anonymous)",
    ]


async def test_without_a_group_nobody_passes_and_nobody_is_asked():
    members = Members(7)
    staff = door(Desk(group=None), allow_list=frozenset({7}))
    assert await staff.refusal_for(Sender(7), members) == "refused anonymous=False"
    assert members.asked == 0


def test_the_doors_buttons_count_only_with_our_data_on_a_message_in_the_group():
    staff = door(Desk())
    assert staff.owns_press("st:claim:1") and staff.owns_press("st:forged")
    assert not staff.owns_press("kst:claim:1") and not staff.owns_press(None)
    assert staff.press_is_here("st:claim:1", GROUP)
    assert not staff.press_is_here("st:forged", GROUP)
    assert not staff.press_is_here("st:claim:1", -200)  # the message is in another chat
    assert not staff.press_is_here("st:claim:1", None)  # the message is gone


def test_the_group_is_told_apart_by_its_id_and_private_chats_never_match():
    desk = Desk(group=GROUP)
    staff = door(desk)
    assert staff.holds(GROUP) and not staff.holds(-200)
    desk.group = 100  # a positive id is a private chat: never a staff group
    assert not staff.holds(100)


async def test_following_the_group_forgets_who_was_a_member_once():
    desk = Desk()
    staff = door(desk)
    members = Members(7)
    await staff.refusal_for(Sender(7), members)

    assert not staff.follow_migration(-200, -300)  # not this group
    assert staff.follow_migration(GROUP, -300)
    assert not staff.follow_migration(GROUP, -300)  # told twice (the sender and the group)
    assert staff.holds(-300)
    await staff.refusal_for(Sender(7), members)
    assert members.asked == 2  # the new group is asked


def test_who_counts_as_a_member_from_getchatmembers_answer():
    for status in ("creator", "administrator", "member"):
        assert counts_as_member(status, False)
    assert counts_as_member("restricted", True)
    assert not counts_as_member("restricted", False)
    for status in ("left", "kicked"):
        assert not counts_as_member(status, True)


def test_a_message_addresses_the_bot_when_it_replies_to_it_or_is_a_command():
    assert addresses_bot(True, "Ja")
    assert addresses_bot(False, "/open")
    assert not addresses_bot(False, "Ja")
    assert not addresses_bot(False, None)
