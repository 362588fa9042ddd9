"""The durable inbox without Telegram: an update is written before it is handled, a second
delivery of it is dropped, and at start what was written but never handled comes back."""

import json
from datetime import UTC, datetime

from bot.escalation.inbox import Inbox
from tests.inline_calls import direct

NOW = datetime(2026, 12, 4, 2, 0, tzinfo=UTC)


def inbox(storage):
    return Inbox(storage, lambda: NOW, direct)


def raw(update_id):
    return json.dumps({"update_id": update_id})


async def test_an_update_delivered_twice_is_recorded_once(storage, caplog):
    caplog.set_level("INFO", logger="bot.escalation.inbox")
    assert await inbox(storage).record(5, 42, raw(5))
    assert not await inbox(storage).record(5, 42, raw(5))
    assert "update 5 seen before: dropped" in caplog.text


async def test_a_replay_puts_back_only_what_was_never_handled(storage):
    """After a crash the updates written but not marked handled are queued again, oldest
    first; a handled one is not."""
    first = inbox(storage)
    for update_id in (1, 2, 3):
        await first.record(update_id, 42, raw(update_id))
    await first.handled(2)
    queued = []
    count = await inbox(storage).replay(json.loads, queued.append)
    assert count == 2
    assert [update["update_id"] for update in queued] == [1, 3]


async def test_an_update_that_cannot_be_read_back_is_skipped_not_counted(storage):
    await inbox(storage).record(1, 42, raw(1))
    await inbox(storage).record(2, None, raw(2))
    queued = []

    def decode(text):
        update = json.loads(text)
        return update if update["update_id"] == 2 else None

    assert await inbox(storage).replay(decode, queued.append) == 1
    assert queued == [{"update_id": 2}]
