"""A chat under flood control waits its retry_after, others do not; a group gets at most its
limit of calls in any window. Plain asyncio: no Telegram, no network."""

from __future__ import annotations

import asyncio

from bot.delivery.pacing import FloodPauses, GroupWindow, chat_of, is_group


async def test_a_paused_chat_waits_and_other_chats_go_at_once():
    """After a 429 for chat 1, chat 2's calls leave at once and chat 1's after retry_after."""
    loop = asyncio.get_running_loop()
    pauses = FloodPauses()
    started = loop.time()
    pauses.pause(1, 0.2)

    await pauses.wait(2)
    other = loop.time() - started
    await pauses.wait(1)
    paused = loop.time() - started

    assert other < 0.1
    assert 0.2 <= paused < 0.2 + FloodPauses.MARGIN + 0.3


async def test_a_second_shorter_pause_does_not_shorten_the_first():
    """Telegram's longest retry_after counts: a later, shorter one never lets a call out early."""
    loop = asyncio.get_running_loop()
    pauses = FloodPauses()
    started = loop.time()
    pauses.pause(None, 0.3)
    pauses.pause(None, 0.0)

    await pauses.wait(None)

    assert loop.time() - started >= 0.3


async def test_a_group_gets_its_limit_in_a_window_and_the_next_call_waits_for_the_window():
    """Three calls in a window of 0.3 s: the first three leave at once, the fourth waits."""
    loop = asyncio.get_running_loop()
    window = GroupWindow(limit=3, period=0.3)
    started = loop.time()

    for _ in range(3):
        await window.wait(-100)
    at_once = loop.time() - started
    await window.wait(-200)  # another group has its own window
    other_group = loop.time() - started
    await window.wait(-100)
    fourth = loop.time() - started

    assert at_once < 0.1 and other_group < 0.1
    assert fourth >= 0.3 + GroupWindow.MARGIN


def test_groups_are_negative_ids_and_names_private_chats_are_not():
    assert is_group(-1001234) and is_group("@kanaal")
    assert not is_group(42) and not is_group(None)


def test_a_requests_chat_is_read_as_ptb_sends_it():
    """Ids arrive as numbers or strings; an @name stays a name; no chat_id is no chat."""
    assert chat_of({"chat_id": "-1001234"}) == -1001234
    assert chat_of({"chat_id": 42}) == 42
    assert chat_of({"chat_id": "@kanaal"}) == "@kanaal"
    assert chat_of({"commands": "[]"}) is None
