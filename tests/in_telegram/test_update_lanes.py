"""Which updates are handled one after another: everything in one chat (a group's members
and their button presses included) shares that chat's lane; a press on an inline-mode
message, which has no chat, goes to its user's lane; different chats go side by side.

Pure: the updates are the ones FakeBotAPI would deliver, read by ptb's Update.de_json, and
mapped by the update processor's own `lane_of`; no bot runs (the lanes themselves are
tested in tests/delivery/test_lanes.py)."""

from __future__ import annotations

from telegram import Update

from bot.adapters.telegram.processing import lane_of
from bot.testing.fake_bot_api import FakeBotAPI

GROUP = -100123
ALICE, BOB = 42, 43


def last_update(api: FakeBotAPI) -> Update:
    """The update Telegram would deliver for the verb just used."""
    update = Update.de_json(api.released[max(api.released)], None)
    assert update is not None
    return update


def test_two_members_of_a_group_and_their_presses_share_the_groups_lane():
    """In a group, one member's message is handled before another's that came after it."""
    api = FakeBotAPI()
    api.user_says(GROUP, "@bot verzekering?", user_id=ALICE)
    alice = lane_of(last_update(api))
    api.user_says(GROUP, "@bot en de vergoeding?", user_id=BOB)
    bob = lane_of(last_update(api))
    post = api.bot_posted(GROUP, "Antwoord", buttons=[[("👍", "v:+:x")]])
    api.user_presses(GROUP, post["message_id"], "v:+:x", user_id=BOB)
    press = lane_of(last_update(api))

    assert alice == bob == press


def test_different_chats_are_handled_side_by_side():
    """A slow answer in one private chat holds up nobody in another chat or in a group."""
    api = FakeBotAPI()
    lanes = []
    for chat in (ALICE, BOB, GROUP):
        api.user_says(chat, "verzekering?", user_id=ALICE if chat == GROUP else None)
        lanes.append(lane_of(last_update(api)))

    assert len(set(lanes)) == 3


def test_an_inline_mode_press_goes_to_its_users_lane():
    """A press on a message shown "via @bot" elsewhere has no chat: it is ordered with that
    user's other inline presses, apart from other users' presses."""
    api = FakeBotAPI()
    api.user_presses_inline("v:+:x", user_id=ALICE)
    first = lane_of(last_update(api))
    api.user_presses_inline("v:-:x", user_id=ALICE)
    second = lane_of(last_update(api))
    api.user_presses_inline("v:+:x", user_id=BOB)
    other_user = lane_of(last_update(api))

    assert first == second != other_user
