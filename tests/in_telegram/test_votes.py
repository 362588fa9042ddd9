"""👍/👎 count once per person per answer, however often they arrive (issue 12 #8)."""

import logging
from datetime import UTC, datetime, time

from conftest import STAFF_CHAT_ID, TODAY
from test_escalation_round_trip import NL_QUESTION, USER, escalate_and_confirm

QUESTION = "hoeveel onkostenvergoeding mag ik per dag krijgen"
ENTRY = "allowances.flat-rate-ceiling.nl"


def no_errors(caplog, bot_api):
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    refused = [(c.method, c.response) for c in bot_api.log if c.status != 200]
    assert not refused


async def test_fifty_taps_on_thumbs_up_count_once(bot_api, running_bot, storage, caplog):
    """50 taps on 👍 (all arriving before the bot removed the buttons) are one vote, one
    thanks, one edit; every tap is answered."""
    bot_api.user_says(42, QUESTION)
    answer = await bot_api.next_call("sendMessage", chat_id=42)
    taps = [bot_api.user_presses(42, answer.message_id, label="👍") for _ in range(50)]
    for _ in taps:
        await bot_api.next_call("answerCallbackQuery")
    [count] = storage.feedback()
    assert (count.entry_id, count.up, count.down) == (ENTRY, 1, 0)
    thanks = [c for c in bot_api.calls("answerCallbackQuery") if c.get("text")]
    assert len(thanks) == 1 and thanks[0]["text"] == "Bedankt voor je reactie!"
    assert len(bot_api.calls("editMessageReplyMarkup")) == 1
    no_errors(caplog, bot_api)


async def test_forged_votes_after_the_buttons_are_gone_change_nothing(
    bot_api, running_bot, storage, caplog
):
    bot_api.user_says(42, QUESTION)
    answer = await bot_api.next_call("sendMessage", chat_id=42)
    bot_api.user_presses(42, answer.message_id, label="👍")
    await bot_api.next_call("editMessageReplyMarkup", chat_id=42)
    for _ in range(49):
        bot_api.forged_press(42, answer.message_id, f"v:+:{ENTRY}")
    for _ in range(50):
        await bot_api.next_call("answerCallbackQuery")
    assert storage.feedback()[0].up == 1
    no_errors(caplog, bot_api)


async def test_thumbs_down_right_after_thumbs_up_replaces_it(bot_api, running_bot, storage):
    """A 👍 then a 👎 on the same answer: one 👎 counted, the alternatives offered once."""
    bot_api.user_says(42, QUESTION)
    answer = await bot_api.next_call("sendMessage", chat_id=42)
    bot_api.user_presses(42, answer.message_id, label="👍")
    bot_api.user_presses(42, answer.message_id, label="👎")
    offer = await bot_api.next_call("sendMessage", chat_id=42)
    assert "niet hielp" in offer["text"]
    await bot_api.next_call("answerCallbackQuery")
    await bot_api.next_call("answerCallbackQuery")
    [count] = storage.feedback()
    assert (count.up, count.down) == (0, 1)
    assert len(bot_api.calls("sendMessage", chat_id=42)) == 2  # the answer and one offer


async def test_a_staff_answer_rated_fifty_times_shows_once_in_stats(
    bot_api, escalation_bot, storage, caplog, clock
):
    """The user taps 👍 under the staff's answer 50 times: /stats shows one 👍."""
    async with escalation_bot():
        _, _, ticket = await escalate_and_confirm(bot_api, USER, NL_QUESTION)
        bot_api.staff_replies(ticket.message_id, "Bij de gemeente, met een pasfoto.")
        answer = await bot_api.next_call("sendMessage", chat_id=USER)
        assert answer.vote_buttons() == ["👍", "👎"]
        for _ in range(50):
            bot_api.user_presses(USER, answer.message_id, label="👍")
        for _ in range(50):
            await bot_api.next_call("answerCallbackQuery")
        # Votes are kept per day (the bot's `today`); /stats looks back from the clock's now.
        clock.shift = datetime.combine(TODAY, time(12), UTC) - datetime.now(UTC)
        bot_api.staff_says("/stats")
        stats = await bot_api.next_call("sendMessage", chat_id=STAFF_CHAT_ID)
    assert "👍 / 👎: 1 / 0" in stats["text"]
    assert [v.vote for v in storage.votes() if v.by_staff] == [1]
    no_errors(caplog, bot_api)
