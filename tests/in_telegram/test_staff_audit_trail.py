"""The audit trail in the staff group: /ticket N shows who did what and when, a closed ticket
can be reopened, an edited answer reaches the user as a correction, and after retention only
anonymous counts remain."""

from datetime import timedelta

from conftest import STAFF_CHAT_ID
from test_escalation_round_trip import NL_QUESTION, USER, escalate_and_confirm

STAFF = 7001  # the fake's default staff member, "Sam"


async def staff_text(bot_api, words):
    """The next message to the staff group containing `words` (notices may come between)."""
    while True:
        sent = await bot_api.next_call("sendMessage", chat_id=STAFF_CHAT_ID)
        if words in sent.result["text"]:
            return sent.result["text"]


async def test_ticket_history_lists_every_staff_action_with_id_and_time(bot_api, escalation_bot):
    """Claim, answer, close and reopen each appear in /ticket N with the staff member's
    name, Telegram id and time; /reopen puts the buttons back on the ticket message."""
    async with escalation_bot():
        _, _, ticket = await escalate_and_confirm(bot_api, USER, NL_QUESTION)
        bot_api.staff_presses(ticket.message_id, label="🙋 Opnemen")
        await bot_api.next_call("editMessageText", chat_id=STAFF_CHAT_ID)
        bot_api.staff_replies(ticket.message_id, "Bij de gemeente, met je oude paspoort.")
        await bot_api.next_call("sendMessage", chat_id=USER)
        await bot_api.next_call("editMessageText", chat_id=STAFF_CHAT_ID)
        bot_api.staff_presses(ticket.message_id, label="Afsluiten")
        closed = await bot_api.next_call("editMessageText", chat_id=STAFF_CHAT_ID)
        assert closed.labels() == []

        bot_api.staff_says("/reopen 1")
        assert "heropend door Sam" in await staff_text(bot_api, "heropend")
        reopened = await bot_api.next_call("editMessageText", chat_id=STAFF_CHAT_ID)
        assert "🙋 Opnemen" in reopened.labels() and "· open" in reopened.result["text"]

        bot_api.staff_says("/ticket 1")
        history = await staff_text(bot_api, "Acties")
        lines = history.split("Acties", 1)[1].strip().splitlines()
        assert [line.split(" · ", 2)[1:] for line in lines] == [
            [f"Sam (id {STAFF})", "opgenomen"],
            [f"Sam (id {STAFF})", "beantwoord"],
            [f"Sam (id {STAFF})", "afgesloten"],
            [f"Sam (id {STAFF})", "heropend"],
        ]
        assert all(line[:2].isdigit() and line[5:6] == " " for line in lines)  # "dd/mm HH:MM"


async def test_an_edited_answer_reaches_the_user_as_a_correction(bot_api, escalation_bot):
    """A staff member edits an answer already relayed: the user gets the new text as a
    correction (never a silent change), the group is told, and the history shows it."""
    async with escalation_bot():
        _, _, ticket = await escalate_and_confirm(bot_api, USER, NL_QUESTION)
        reply = bot_api.staff_replies(ticket.message_id, "Dat kan online.")
        first = await bot_api.next_call("sendMessage", chat_id=USER)
        assert "Dat kan online." in first.result["text"]

        bot_api.user_edits(STAFF_CHAT_ID, reply, "Dat kan alleen aan het loket.")
        correction = await bot_api.next_call("sendMessage", chat_id=USER)
        assert correction.result["text"].startswith(
            "Correctie op het antwoord van Expertisecentrum Vrijwilligerswerk, ticket #1:"
        )
        assert "Dat kan alleen aan het loket." in correction.result["text"]
        assert "correctie naar de vrager gestuurd" in await staff_text(bot_api, "✏️")
        # The first message the user got is left as it was: nothing changed silently.
        assert bot_api.calls("editMessageText", chat_id=USER) == []

        bot_api.staff_says("/ticket 1")
        history = await staff_text(bot_api, "Acties")
        assert "Dat kan alleen aan het loket." in history
        assert "correctie doorgestuurd" in history
        # The edit was not taken for a question to the assistant in the staff group.
        assert not [c for c in bot_api.calls("sendMessage", chat_id=STAFF_CHAT_ID)
                    if "Wat bedoel je" in c["text"] or "Antwoord van" in c["text"]]


async def test_an_edit_after_the_user_cancelled_is_refused_with_the_reason(
    bot_api, escalation_bot
):
    """When the user cancelled the ticket, the edit is not sent and the group hears why."""
    async with escalation_bot():
        _, _, ticket = await escalate_and_confirm(bot_api, USER, NL_QUESTION)
        reply = bot_api.staff_replies(ticket.message_id, "Dat kan online.")
        await bot_api.next_call("sendMessage", chat_id=USER)
        bot_api.user_says(USER, "/status")
        status = await bot_api.next_call("sendMessage", chat_id=USER)
        bot_api.user_presses(USER, status.message_id, label="Annuleer ticket #1")
        await staff_text(bot_api, "geannuleerd")

        bot_api.user_edits(STAFF_CHAT_ID, reply, "Dat kan alleen aan het loket.")
        refused = await staff_text(bot_api, "✏️")
        assert "niet naar de vrager gestuurd" in refused and "geannuleerd" in refused
        told = [c["text"] for c in bot_api.calls("sendMessage", chat_id=USER)]
        assert not any("loket" in text for text in told)


async def test_after_retention_the_history_shows_only_anonymous_counts(
    bot_api, escalation_bot, storage, clock
):
    """After the retention period /ticket N still counts the staff's actions, without the
    staff member's name or id and without any text."""
    async with escalation_bot() as (_, escalation):
        _, _, ticket = await escalate_and_confirm(bot_api, USER, NL_QUESTION)
        bot_api.staff_presses(ticket.message_id, label="🙋 Opnemen")
        await bot_api.next_call("editMessageText", chat_id=STAFF_CHAT_ID)
        bot_api.staff_replies(ticket.message_id, "Bij de gemeente.")
        await bot_api.next_call("sendMessage", chat_id=USER)
        clock.shift = timedelta(days=181)
        assert escalation.maintain() == [1]

        bot_api.staff_says("/ticket 1")
        history = await staff_text(bot_api, "Geanonimiseerd")
        assert "Acties (anoniem): 1× opgenomen, 1× beantwoord" in history
        assert "Sam" not in history and str(STAFF) not in history
        assert NL_QUESTION not in history and "gemeente" not in history
    events = storage.events(storage.ticket_by_number(1).id)
    assert {(e.staff_id, e.staff_name) for e in events} == {(None, "")}


async def test_after_erasure_stats_still_count_the_staff_actions(bot_api, escalation_bot):
    """/vergeet empties the ticket, yet /stats still counts what the staff did (no names)."""
    async with escalation_bot():
        _, _, ticket = await escalate_and_confirm(bot_api, USER, NL_QUESTION)
        bot_api.staff_presses(ticket.message_id, label="🙋 Opnemen")
        await bot_api.next_call("editMessageText", chat_id=STAFF_CHAT_ID)
        bot_api.staff_replies(ticket.message_id, "Bij de gemeente.")
        await bot_api.next_call("sendMessage", chat_id=USER)
        bot_api.user_says(USER, "/vergeet")
        confirm = await bot_api.next_call("sendMessage", chat_id=USER)
        bot_api.user_presses(USER, confirm.message_id, label="Ja, wis alles")
        await bot_api.next_call("editMessageText", chat_id=USER)

        bot_api.staff_says("/stats")
        stats = await staff_text(bot_api, "Statistieken")
        assert stats.count("Acties van medewerkers: 1× opgenomen, 1× beantwoord") == 2
        assert "Sam" not in stats


async def test_out_of_scope_and_promote_are_in_the_history_too(bot_api, escalation_bot):
    """The two actions the first test leaves out: a ticket marked out of scope, and one
    answered and promoted to a draft entry; each on record with the staff member's id."""
    async with escalation_bot():
        _, _, first = await escalate_and_confirm(bot_api, USER, NL_QUESTION)
        bot_api.staff_presses(first.message_id, label="Buiten ons domein")
        await bot_api.next_call("sendMessage", chat_id=USER)
        _, _, second = await escalate_and_confirm(bot_api, USER + 1, NL_QUESTION)
        bot_api.staff_replies(second.message_id, "Kijk naar de polis van de organisatie.")
        await bot_api.next_call("sendMessage", chat_id=USER + 1)
        bot_api.staff_says("/promote 2")
        await staff_text(bot_api, "ontwerp-item")

        bot_api.staff_says("/ticket 1")
        assert f"Sam (id {STAFF}) · buiten ons domein gemarkeerd" in await staff_text(
            bot_api, "Acties")
        bot_api.staff_says("/ticket 2")
        history = await staff_text(bot_api, "Acties")
        assert f"Sam (id {STAFF}) · beantwoord" in history
        assert f"Sam (id {STAFF}) · ontwerp-item gemaakt" in history
