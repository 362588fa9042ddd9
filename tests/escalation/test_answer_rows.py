"""The outbox rows of a handler's message, without Telegram: one per part, keyed so that
handling the same update twice queues nothing twice, the keyboard where the reader finishes;
`AnswerOutbox` commits them and wakes the worker."""

from datetime import UTC, datetime

from bot.delivery.lanes import CURRENT, Handling
from bot.escalation.answers import AnswerOutbox, answer_rows, unique_key
from bot.escalation.outbox import ANSWER_KEY_PREFIXES
from tests.inline_calls import direct

NOW = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)
KEYBOARD = {"inline_keyboard": [[{"text": "👍", "callback_data": "v:+:a.nl"}]]}


def test_each_part_is_a_row_of_its_own_with_the_keyboard_on_the_last():
    rows = answer_rows("u7:1", "user", 42, ["one", "two"], keyboard=KEYBOARD, reply_to=9)
    assert [row.key for row in rows] == ["u7:1:1", "u7:1:2"]
    assert [row.payload for row in rows] == [
        {"text": "one", "reply_to_message_id": 9},
        {"text": "two", "reply_markup": KEYBOARD, "reply_to_message_id": 9},
    ]
    assert {(row.target, row.chat_id, row.method) for row in rows} == {(
        "user", 42, "sendMessage")}


def test_the_same_key_gives_the_same_rows_so_a_replay_queues_nothing_new():
    first = answer_rows("u7:1", "staff", -5, ["a"], keyboard=None, reply_to=None)
    assert first == answer_rows("u7:1", "staff", -5, ["a"], keyboard=None, reply_to=None)
    assert first[0].payload == {"text": "a"}


def test_a_message_outside_an_update_gets_a_key_of_its_own():
    one, two = unique_key(), unique_key()
    assert one != two and one[0] in ANSWER_KEY_PREFIXES


class Recorded:
    """The one storage call AnswerOutbox makes, recorded."""

    def __init__(self) -> None:
        self.enqueued: list[tuple[list[object], object, object]] = []

    def enqueue(self, rows, *, ticket_id, now):
        self.enqueued.append((list(rows), ticket_id, now))


def answer_outbox(storage, kicks, staff_chat=-5):
    return AnswerOutbox(storage, direct, clock=lambda: NOW, kick=lambda: kicks.append(1),
                        is_staff_chat=lambda chat: chat == staff_chat)


async def test_a_message_sent_while_handling_an_update_is_queued_under_that_update():
    storage, kicks = Recorded(), []
    outbox = answer_outbox(storage, kicks)
    token = CURRENT.set(Handling(update_id=7))
    try:
        await outbox.queue(42, ["one", "two"], keyboard=KEYBOARD, reply_to=9)
        await outbox.queue(42, ["three"], keyboard=None, reply_to=None)
    finally:
        CURRENT.reset(token)
    [(first, ticket, now), (second, _, _)] = storage.enqueued
    assert [row.key for row in first] == ["u7:1:1", "u7:1:2"] and ticket is None and now == NOW
    assert [row.key for row in second] == ["u7:2:1"]
    assert {row.target for row in first + second} == {"user"}
    assert kicks == [1, 1]  # the worker is woken after each commit


async def test_a_message_to_the_staff_group_outside_an_update_is_a_staff_row_of_its_own():
    storage, kicks = Recorded(), []
    await answer_outbox(storage, kicks).queue(-5, ["hello"], keyboard=None, reply_to=None)
    [([row], _, _)] = storage.enqueued
    assert row.target == "staff" and row.chat_id == -5 and row.key[0] == "x"
