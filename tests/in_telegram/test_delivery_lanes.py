"""Answers go through the durable outbox, chat by chat: a hung or rate-limited chat holds up
nobody else, a user's receipt never waits behind the staff group (issue 12, items 4–5)."""

from conftest import STAFF_CHAT_ID, until
from test_escalation_round_trip import NL_QUESTION, USER

OTHER = 77
QUESTION = "Ben ik verzekerd als vrijwilliger?"
SECOND = "Mag ik als werkloze vrijwilligerswerk doen?"


def successes(bot_api):
    return [c for c in bot_api.log if c.method == "sendMessage" and c.status == 200]


async def test_an_answer_survives_three_hung_calls_in_a_row(bot_api, escalation_bot, storage):
    """Telegram hangs past the timeout three times on the answer: the user still gets the
    answer, once, and never the generic error message (before: the answer was lost)."""
    bot_api.hang_next("sendMessage", seconds=2.0, chat_id=USER, times=3)
    async with escalation_bot(request_timeout=0.5):
        bot_api.user_says(USER, QUESTION)
        answer = await bot_api.next_call("sendMessage", chat_id=USER, timeout=15)
        await until(lambda: storage.pending_outbox() == [], timeout=10)
    assert "verzeker" in answer["text"].lower()
    sent = [c["text"] for c in bot_api.calls("sendMessage", chat_id=USER)]
    assert sent == [answer["text"]]
    assert len(bot_api.attempts("sendMessage")) >= 4  # three hangs, then the answer


async def test_a_hung_chat_does_not_hold_up_another_chat(bot_api, escalation_bot):
    """One user's answer hangs; another user who asks just after gets an answer first."""
    bot_api.hang_next("sendMessage", seconds=2.0, chat_id=USER, times=2)
    async with escalation_bot(request_timeout=0.5):
        bot_api.user_says(USER, QUESTION)
        bot_api.user_says(OTHER, QUESTION)
        await bot_api.next_call("sendMessage", chat_id=USER, timeout=15)
        await bot_api.next_call("sendMessage", chat_id=OTHER, timeout=15)
    order = [c.params["chat_id"] for c in successes(bot_api)]
    assert order.index(OTHER) < order.index(USER)


async def test_answers_in_one_chat_keep_their_order_through_failures(bot_api, escalation_bot):
    """The first answer meets two server errors; the second question's answer still comes
    after it, as the user asked them."""
    bot_api.fail_next("sendMessage", status=502, times=2, chat_id=USER)
    async with escalation_bot(network_retries=0):
        bot_api.user_says(USER, QUESTION)
        bot_api.user_says(USER, SECOND)
        first = await bot_api.next_call("sendMessage", chat_id=USER, timeout=10)
        second = await bot_api.next_call("sendMessage", chat_id=USER, timeout=10)
    assert "verzeker" in first["text"].lower()
    assert "verzeker" not in second["text"].lower()


async def test_a_second_answer_queued_while_the_first_is_on_its_way_follows_it_at_once(
    bot_api, escalation_bot
):
    """The first answer waits out a 429 (retry after 1 s) inside its send; the user's second
    question is answered meanwhile. The second answer goes out right after the first, not
    at the sender's next periodic look (30 s)."""
    bot_api.fail_next("sendMessage", status=429, retry_after=1, chat_id=USER)
    async with escalation_bot():
        bot_api.user_says(USER, QUESTION)
        await until(lambda: bot_api.attempts("sendMessage"), timeout=5)
        bot_api.user_says(USER, SECOND)
        first = await bot_api.next_call("sendMessage", chat_id=USER, timeout=5)
        second = await bot_api.next_call("sendMessage", chat_id=USER, timeout=5)
    assert "verzeker" in first["text"].lower()
    assert "verzeker" not in second["text"].lower()
    assert bot_api.early_calls[USER] == 0


async def test_a_receipt_does_not_wait_behind_the_staff_groups_flood_control(
    bot_api, escalation_bot
):
    """The staff group is under flood control (429, retry after 2 s): the user's "ticket #1"
    arrives at once, the staff post after the wait, and nothing is sent to the group before
    its retry_after has passed."""
    async with escalation_bot():
        bot_api.user_says(USER, NL_QUESTION)
        prompt = await bot_api.next_call("sendMessage", chat_id=USER)
        bot_api.fail_next("sendMessage", status=429, retry_after=2, chat_id=STAFF_CHAT_ID)
        send = [d for row in prompt.buttons() for _, d in row if d.startswith("tk:confirm")]
        bot_api.user_presses(USER, prompt.message_id, send[0])
        receipt = await bot_api.next_call("sendMessage", chat_id=USER)
        ticket = await bot_api.next_call("sendMessage", chat_id=STAFF_CHAT_ID, timeout=10)
    assert "ticket #1" in receipt["text"] and "Ticket #1" in ticket["text"]
    order = [c.params["chat_id"] for c in successes(bot_api)]
    assert order.index(USER, 1) < order.index(STAFF_CHAT_ID)
    assert bot_api.early_calls[STAFF_CHAT_ID] == 0


async def test_an_answers_text_is_dropped_from_the_outbox_once_delivered(
    bot_api, escalation_bot, storage
):
    """Answers wait in the outbox like ticket messages, but once Telegram has one (or it was
    given up) only its key stays: the text of a plain question's answer is not kept, so a
    replay still adds nothing and there is nothing to erase later."""
    bot_api.fail_next("sendMessage", status=400, description="Bad Request: wrong", chat_id=OTHER)
    async with escalation_bot():
        bot_api.user_says(USER, QUESTION)
        bot_api.user_says(OTHER, QUESTION)
        await bot_api.next_call("sendMessage", chat_id=USER)
        await until(lambda: storage.pending_outbox() == [])
    rows = storage._db.execute(
        "SELECT chat_id, status, payload FROM outbox WHERE ticket_id IS NULL"
    ).fetchall()
    outcome = sorted((chat, status) for chat, status, _ in rows)
    assert outcome == [(USER, "sent"), (OTHER, "failed")]
    assert all(payload == "{}" for _, _, payload in rows)
