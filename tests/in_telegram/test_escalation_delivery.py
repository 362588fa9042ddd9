"""Nothing is lost and nothing is sent twice: Telegram errors, restarts, duplicates."""

import pytest
from conftest import STAFF_CHAT_ID
from telegram import Update
from test_escalation_round_trip import NL_QUESTION, USER, escalate_and_confirm

from bot.storage.sqlite import SQLiteStorage


def relays(bot_api, text):
    return [c for c in bot_api.calls("sendMessage", chat_id=USER) if text in c["text"]]


async def test_a_relay_survives_flood_control(bot_api, escalation_bot, storage):
    """Telegram answers 429 more often than the request layer retries: the outbox waits
    retry_after and the answer still arrives, once."""
    async with escalation_bot():
        _, _, ticket = await escalate_and_confirm(bot_api, USER, NL_QUESTION)
        bot_api.fail_next("sendMessage", status=429, retry_after=1, times=4, chat_id=USER)
        bot_api.staff_replies(ticket.message_id, "Antwoord na de file.")
        answer = await bot_api.next_call("sendMessage", chat_id=USER, timeout=15)
        assert "Antwoord na de file." in answer["text"]
    assert len(relays(bot_api, "Antwoord na de file.")) == 1
    assert len([c for c in bot_api.attempts("sendMessage") if c.status == 429]) == 4
    assert storage.pending_outbox() == []


async def test_a_relay_survives_server_errors(bot_api, escalation_bot):
    """Repeated 5xx answers are retried with backoff until the answer is delivered, once."""
    async with escalation_bot():
        _, _, ticket = await escalate_and_confirm(bot_api, USER, NL_QUESTION)
        bot_api.fail_next("sendMessage", status=502, times=5, chat_id=USER)
        bot_api.staff_replies(ticket.message_id, "Antwoord na storing.")
        answer = await bot_api.next_call("sendMessage", chat_id=USER, timeout=10)
        assert "Antwoord na storing." in answer["text"]
    assert len(relays(bot_api, "Antwoord na storing.")) == 1
    assert len([c for c in bot_api.attempts("sendMessage") if c.status == 502]) == 5


async def test_a_user_who_blocked_the_bot_is_reported_to_staff(bot_api, escalation_bot, storage):
    """403 on a relay marks the ticket and tells the staff."""
    async with escalation_bot():
        _, _, ticket = await escalate_and_confirm(bot_api, USER, NL_QUESTION)
        bot_api.fail_next("sendMessage", status=403, chat_id=USER)
        bot_api.staff_replies(ticket.message_id, "Antwoord.")
        notice = await bot_api.next_call("sendMessage", chat_id=STAFF_CHAT_ID)
        assert "geblokkeerd" in notice.result["text"]
        assert storage.ticket_by_number(1).state == "user_blocked"


@pytest.mark.parametrize(
    ("status", "description"),
    [
        (403, "Forbidden: bot was kicked from the supergroup chat"),
        (400, "Bad Request: chat not found"),  # a wrong STAFF_CHAT_ID, or a deleted group
    ],
)
async def test_an_unreachable_staff_group_still_gives_the_user_a_number(
    bot_api, escalation_bot, storage, status, description
):
    """While the staff group cannot be reached the user gets "ticket #1" anyway; the ticket
    message waits in the outbox and arrives when the group is back."""
    bot_api.fail_next(
        "sendMessage", status=status, times=3, chat_id=STAFF_CHAT_ID, description=description
    )
    async with escalation_bot():
        bot_api.user_says(USER, NL_QUESTION)
        prompt = await bot_api.next_call("sendMessage", chat_id=USER)
        bot_api.user_presses(USER, prompt.message_id, label="✅ Versturen")
        receipt = await bot_api.next_call("sendMessage", chat_id=USER)
        assert "ticket #1" in receipt.result["text"]
        ticket = await bot_api.next_call("sendMessage", chat_id=STAFF_CHAT_ID, timeout=10)
        assert "Ticket #1" in ticket.result["text"]
    assert len(bot_api.calls("sendMessage", chat_id=STAFF_CHAT_ID)) == 1


async def test_a_restart_loses_nothing_and_sends_nothing_twice(bot_api, escalation_bot, settings):
    """A ticket whose staff message could not go out before a stop is delivered by the next
    Application on the same database, and the user's receipt is not sent again."""
    first = SQLiteStorage(settings.database_path)
    bot_api.fail_next("sendMessage", status=500, times=100, chat_id=STAFF_CHAT_ID)
    async with escalation_bot(db=first, network_retries=0):
        bot_api.user_says(USER, NL_QUESTION)
        prompt = await bot_api.next_call("sendMessage", chat_id=USER)
        bot_api.user_presses(USER, prompt.message_id, label="✅ Versturen")
        await bot_api.next_call("sendMessage", chat_id=USER)
    first.close()
    bot_api._failures["sendMessage"].clear()

    second = SQLiteStorage(settings.database_path)
    async with escalation_bot(db=second):
        ticket = await bot_api.next_call("sendMessage", chat_id=STAFF_CHAT_ID)
        assert "Ticket #1" in ticket.result["text"]
        bot_api.staff_replies(ticket.message_id, "Na de herstart.")
        await bot_api.next_call("sendMessage", chat_id=USER)
    second.close()
    receipts = [c for c in bot_api.calls("sendMessage", chat_id=USER) if "Verstuurd" in c["text"]]
    assert len(receipts) == 1
    assert len(bot_api.calls("sendMessage", chat_id=STAFF_CHAT_ID)) == 1
    assert len(relays(bot_api, "Na de herstart.")) == 1


async def test_an_update_not_handled_before_a_crash_is_handled_after_it(
    bot_api, escalation_bot, settings
):
    """An update written to the inbox but never handled (the bot died) is replayed at start;
    Telegram delivering it again as well changes nothing: the answer is relayed once."""
    from datetime import UTC, datetime

    first = SQLiteStorage(settings.database_path)
    async with escalation_bot(db=first):
        _, _, ticket = await escalate_and_confirm(bot_api, USER, NL_QUESTION)
    # The staff reply arrives; the bot writes it to its inbox and dies before handling it.
    bot_api.staff_replies(ticket.message_id, "Antwoord na de crash.")
    update_id = max(bot_api.released)
    raw = Update.de_json(bot_api.released[update_id], None).to_json()
    first.inbox_record(update_id, STAFF_CHAT_ID, raw, now=datetime.now(UTC))
    first.close()

    second = SQLiteStorage(settings.database_path)
    async with escalation_bot(db=second):  # Telegram redelivers it too (never confirmed)
        answer = await bot_api.next_call("sendMessage", chat_id=USER)
        assert "Antwoord na de crash." in answer["text"]
        bot_api.user_says(USER, "/status")  # a later update: everything before it is done
        await bot_api.next_call("sendMessage", chat_id=USER)
    second.close()
    assert len(relays(bot_api, "Antwoord na de crash.")) == 1


async def test_the_same_update_twice_creates_one_ticket(bot_api, escalation_bot, storage):
    """The same "Send" press delivered twice opens one ticket and sends one receipt."""
    async with escalation_bot() as (app, _):
        bot_api.user_says(USER, NL_QUESTION)
        prompt = await bot_api.next_call("sendMessage", chat_id=USER)
        bot_api.user_presses(USER, prompt.message_id, label="✅ Versturen")
        await bot_api.next_call("sendMessage", chat_id=USER)
        press = bot_api.released[max(bot_api.released)]
        await app.update_queue.put(Update.de_json(press, app.bot))
        # And the question itself again: it is recognised by its message id.
        question = Update.de_json(bot_api.released[min(bot_api.released)], app.bot)
        await app.update_queue.put(question)
        bot_api.user_says(USER, "/status")  # handled after both duplicates
        status = await bot_api.next_call("sendMessage", chat_id=USER)
        assert "ticket #1" in status.result["text"]
    assert storage.ticket_by_number(2) is None
    user_texts = [c["text"] for c in bot_api.calls("sendMessage", chat_id=USER)]
    assert sum("Verstuurd" in t for t in user_texts) == 1
    assert sum("Dit stuur ik" in t for t in user_texts) == 1
    assert len(bot_api.calls("sendMessage", chat_id=STAFF_CHAT_ID)) == 1


async def test_the_bot_follows_the_staff_group_to_its_supergroup(bot_api, escalation_bot, storage):
    """When the staff group is upgraded, the bot posts open tickets in the new group and
    tells the maintainer to update STAFF_CHAT_ID; replies there still reach the user."""
    new_group = -1002000
    async with escalation_bot() as (_, escalation):
        await escalate_and_confirm(bot_api, USER, NL_QUESTION)
        bot_api.group_migrates(STAFF_CHAT_ID, new_group)
        notice = await bot_api.next_call("sendMessage", chat_id=new_group)
        assert f"STAFF_CHAT_ID={new_group}" in notice.result["text"]
        reposted = await bot_api.next_call("sendMessage", chat_id=new_group)
        assert "Ticket #1" in reposted.result["text"]
        assert escalation.staff_chat_id == new_group
        bot_api.staff_replies(reposted.message_id, "Vanuit de supergroep.", chat_id=new_group)
        answer = await bot_api.next_call("sendMessage", chat_id=USER)
        assert "Vanuit de supergroep." in answer["text"]
