"""The outbox rows of a handler's message, without Telegram: one per part, keyed so that
handling the same update twice queues nothing twice, the keyboard where the reader finishes."""

from bot.escalation.answers import answer_rows, unique_key
from bot.escalation.outbox import ANSWER_KEY_PREFIXES

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
