"""Erasing one's data and the retention period empty tickets but keep anonymous counts."""

from datetime import timedelta

from conftest import STAFF_CHAT_ID, until
from test_escalation_round_trip import NL_QUESTION, USER, escalate_and_confirm


async def erase(bot_api):
    bot_api.user_says(USER, "/vergeet")
    confirm = await bot_api.next_call("sendMessage", chat_id=USER)
    bot_api.user_presses(USER, confirm.message_id, label="Ja, wis alles")
    return await bot_api.next_call("editMessageText", chat_id=USER)


async def test_erasure_empties_tickets_and_deletes_the_staff_message(
    bot_api, escalation_bot, storage
):
    """/vergeet empties the ticket, deletes the bot's ticket message in the staff group and
    says so; the ticket stays as an anonymous count."""
    async with escalation_bot():
        _, _, ticket = await escalate_and_confirm(bot_api, USER, NL_QUESTION)
        bot_api.staff_replies(ticket.message_id, "Een antwoord met details.")
        await bot_api.next_call("sendMessage", chat_id=USER)
        report = await erase(bot_api)
        assert "Gewist." in report.result["text"] and "1 ticket(s)" in report.result["text"]
        assert "1 bericht(en) verwijderd" in report.result["text"]
        deleted = await bot_api.next_call("deleteMessage", chat_id=STAFF_CHAT_ID)
        assert deleted["message_id"] == ticket.message_id

        emptied = storage.ticket_by_number(1)
        assert (emptied.chat_id, emptied.question, emptied.state) == (None, "", "closed")
        assert all(m.text == "" for m in storage.messages(emptied.id))
        assert storage.chat_language(USER) is None
        assert len(storage.ticket_facts()) == 1  # still counted in /stats

        bot_api.staff_replies(ticket.message_id + 1, "Te laat.")  # the staff's own message
        bot_api.staff_says("/ticket 1")
        history = await bot_api.next_call("sendMessage", chat_id=STAFF_CHAT_ID)
        assert "Geanonimiseerd" in history.result["text"] and NL_QUESTION not in str(history)


async def test_erasure_says_honestly_what_could_not_be_deleted(
    bot_api, escalation_bot, storage, clock
):
    """Staff-group messages older than 48 hours cannot be deleted by a bot: the user is told."""
    async with escalation_bot():
        await escalate_and_confirm(bot_api, USER, NL_QUESTION)
        await until(lambda: storage.pending_outbox() == [])
        clock.shift = timedelta(hours=49)
        report = await erase(bot_api)
        assert "Niet gelukt" in report.result["text"] and "48 uur" in report.result["text"]
        assert bot_api.calls("deleteMessage") == []


async def test_french_erasure_with_oublier(bot_api, escalation_bot):
    """/oublier erases in French and reports in French."""
    async with escalation_bot():
        bot_api.user_says(USER, "/oublier", language_code="fr")
        confirm = await bot_api.next_call("sendMessage", chat_id=USER)
        bot_api.user_presses(USER, confirm.message_id, label="Oui, tout effacer")
        report = await bot_api.next_call("editMessageText", chat_id=USER)
        assert report.result["text"].startswith("Effacé.")


async def test_tickets_are_anonymised_after_the_retention_period(
    bot_api, escalation_bot, storage, clock
):
    """After 180 days without activity a ticket loses its text and chat, keeps its counts."""
    async with escalation_bot() as (_, escalation):
        _, _, ticket = await escalate_and_confirm(bot_api, USER, NL_QUESTION)
        bot_api.staff_replies(ticket.message_id, "Antwoord.")
        await bot_api.next_call("sendMessage", chat_id=USER)
        clock.shift = timedelta(days=179)
        assert escalation.maintain() == []
        clock.shift = timedelta(days=181)
        assert escalation.maintain() == [1]
    old = storage.ticket_by_number(1)
    assert old.chat_id is None and old.question == "" and old.anonymised_at is not None
    assert [m.text for m in storage.messages(old.id)] == [""]
    facts = storage.ticket_facts()
    assert len(facts) == 1 and facts[0].first_answer_at is not None
