"""A question the assistant cannot answer reaches a staff member and the answer comes back."""

from conftest import STAFF_CHAT_ID

USER = 42
# Outside what the knowledge base covers, so the assistant escalates it (with 3 candidates).
NL_QUESTION = "Hoe vraag ik een nieuw paspoort aan bij de gemeente?"
FR_QUESTION = "Comment demander un nouveau passeport à la commune ?"


async def escalate_and_confirm(bot_api, chat_id, question, language_code="nl"):
    """The user asks, sees the confirmation, presses Send; returns (prompt, receipt, ticket)."""
    bot_api.user_says(chat_id, question, language_code=language_code)
    prompt = await bot_api.next_call("sendMessage", chat_id=chat_id)
    send = [data for row in prompt.buttons() for _, data in row if data.startswith("tk:confirm")]
    bot_api.user_presses(chat_id, prompt.message_id, send[0])
    receipt = await bot_api.next_call("sendMessage", chat_id=chat_id)
    ticket = await bot_api.next_call("sendMessage", chat_id=STAFF_CHAT_ID)
    return prompt, receipt, ticket


async def test_dutch_question_goes_to_staff_and_the_answer_comes_back(bot_api, escalation_bot):
    """A Dutch question the assistant cannot answer becomes ticket #1 and the staff answer
    reaches the user in Dutch, with rating buttons."""
    async with escalation_bot():
        prompt, receipt, ticket = await escalate_and_confirm(bot_api, USER, NL_QUESTION)

        assert "Dit stuur ik naar de medewerkers" in prompt["text"]
        assert NL_QUESTION in prompt["text"] and "Taal: Nederlands" in prompt["text"]
        assert "ticket #1" in receipt["text"] and "2 werkdagen" in receipt["text"]

        assert "Ticket #1" in ticket["text"] and "NL" in ticket["text"]
        assert NL_QUESTION in ticket["text"]
        assert ticket["text"].count("(0.") == 3  # the top 3 entries, with their scores
        assert ticket.labels() == [
            "🙋 Opnemen",
            "Stuur suggestie 1",
            "Stuur suggestie 2",
            "Stuur suggestie 3",
            "Buiten ons domein",
            "Afsluiten",
        ]

        bot_api.staff_replies(ticket.message_id, "Ja, kijk ook naar een omniumpolis <3.")
        answer = await bot_api.next_call("sendMessage", chat_id=USER)
        assert answer.result["text"].startswith(
            "Antwoord van Expertisecentrum Vrijwilligerswerk, ticket #1:"
        )
        assert "omniumpolis <3." in answer.result["text"]
        assert answer.vote_buttons() == ["👍", "👎"]

        edited = await bot_api.next_call("editMessageText", chat_id=STAFF_CHAT_ID)
        assert "beantwoord" in edited["text"]


async def test_french_question_is_confirmed_and_answered_in_french(bot_api, escalation_bot):
    """A French user sees the confirmation and the relayed answer in French."""
    async with escalation_bot():
        prompt, receipt, ticket = await escalate_and_confirm(
            bot_api, 43, FR_QUESTION, language_code="fr"
        )
        assert (
            "Voici ce que j'enverrai" in prompt["text"] and "Langue : français" in prompt["text"]
        )
        assert "ticket n° 1" in receipt["text"]
        assert "FR" in ticket["text"] and FR_QUESTION in ticket["text"]

        bot_api.staff_replies(ticket.message_id, "Ce n'est pas une question de volontariat.")
        answer = await bot_api.next_call("sendMessage", chat_id=43)
        assert answer.result["text"].startswith(
            "Réponse d'Expertisecentrum Vrijwilligerswerk, ticket n° 1 :"
        )


async def test_details_typed_before_sending_are_shown_and_sent(bot_api, escalation_bot):
    """Text typed at the confirmation step is added, shown again, and reaches the staff."""
    async with escalation_bot():
        bot_api.user_says(USER, "/medewerker")
        prompt = await bot_api.next_call("sendMessage", chat_id=USER)
        assert prompt.labels() == ["✖ Niet versturen"]  # nothing to send yet
        bot_api.user_says(USER, "Wie betaalt de schade als een vrijwilliger valt?")
        prompt = await bot_api.next_call("sendMessage", chat_id=USER)
        bot_api.user_says(USER, "Het gaat om vzw De Boot in Gent.")
        prompt = await bot_api.next_call("sendMessage", chat_id=USER)
        assert "Wie betaalt de schade" in prompt["text"] and "vzw De Boot" in prompt["text"]
        bot_api.user_presses(USER, prompt.message_id, label="✅ Versturen")
        await bot_api.next_call("sendMessage", chat_id=USER)
        ticket = await bot_api.next_call("sendMessage", chat_id=STAFF_CHAT_ID)
        assert "Wie betaalt de schade" in ticket["text"] and "vzw De Boot" in ticket["text"]


async def test_additions_and_follow_ups_while_a_ticket_is_open(bot_api, escalation_bot):
    """With a ticket open, a new message can be added to it; staff see it as a reply to the
    ticket and can answer twice."""
    async with escalation_bot():
        _, _, ticket = await escalate_and_confirm(bot_api, USER, NL_QUESTION)
        bot_api.user_says(USER, "Het gaat om ritten naar Frankrijk.")
        ask = await bot_api.next_call("sendMessage", chat_id=USER)
        assert "ticket #1 staat nog open" in ask["text"]
        assert ask.labels() == ["Aanvulling op #1", "Nieuwe vraag"]
        bot_api.user_presses(USER, ask.message_id, label="Aanvulling op #1")
        added = await bot_api.next_call("editMessageText", chat_id=USER)
        assert "Toegevoegd aan ticket #1" in added["text"]

        addition = await bot_api.next_call("sendMessage", chat_id=STAFF_CHAT_ID)
        assert "Het gaat om ritten naar Frankrijk." in addition["text"]
        assert addition.result["reply_to_message"]["message_id"] == ticket.message_id

        bot_api.staff_replies(addition.message_id, "Eerste antwoord.")
        assert "Eerste antwoord." in (await bot_api.next_call("sendMessage", chat_id=USER))["text"]
        bot_api.staff_replies(ticket.message_id, "En nog iets.")
        assert "En nog iets." in (await bot_api.next_call("sendMessage", chat_id=USER))["text"]


async def test_a_new_question_while_a_ticket_is_open_is_answered_normally(bot_api, escalation_bot):
    """Choosing "new question" sends the message to the assistant instead of the ticket."""
    async with escalation_bot():
        await escalate_and_confirm(bot_api, USER, NL_QUESTION)
        bot_api.user_says(
            USER,
            "Moet onze organisatie een verzekering burgerlijke aansprakelijkheid afsluiten "
            "voor haar vrijwilligers?",
        )
        ask = await bot_api.next_call("sendMessage", chat_id=USER)
        bot_api.user_presses(USER, ask.message_id, label="Nieuwe vraag")
        answer = await bot_api.next_call("sendMessage", chat_id=USER)
        assert answer.vote_buttons() == ["👍", "👎"]


async def test_status_and_cancel(bot_api, escalation_bot, storage):
    """/status lists the open ticket; cancelling it tells the user and the staff."""
    async with escalation_bot():
        await escalate_and_confirm(bot_api, USER, NL_QUESTION)
        bot_api.user_says(USER, "/status")
        status = await bot_api.next_call("sendMessage", chat_id=USER)
        assert "ticket #1" in status["text"] and "wacht op een medewerker" in status["text"]
        bot_api.user_presses(USER, status.message_id, label="Annuleer ticket #1")
        cancelled = await bot_api.next_call("editMessageText", chat_id=USER)
        assert "Ticket #1 is geannuleerd" in cancelled["text"]
        notice = await bot_api.next_call("sendMessage", chat_id=STAFF_CHAT_ID)
        assert "geannuleerd" in notice["text"]
        assert storage.ticket_by_number(1).state == "cancelled"


async def test_not_sending_stores_no_ticket(bot_api, escalation_bot, storage):
    """Pressing "do not send" at the confirmation sends nothing to the staff."""
    async with escalation_bot():
        bot_api.user_says(USER, NL_QUESTION)
        prompt = await bot_api.next_call("sendMessage", chat_id=USER)
        bot_api.user_presses(USER, prompt.message_id, label="✖ Niet versturen")
        done = await bot_api.next_call("editMessageText", chat_id=USER)
        assert "ik stuur niets door" in done["text"]
        assert bot_api.calls("sendMessage", chat_id=STAFF_CHAT_ID) == []
        assert storage.ticket_by_number(1) is None


async def test_thumbs_down_then_ask_a_staff_member(bot_api, escalation_bot):
    """After 👎 on an answer, "ask a staff member" offers to send that same question."""
    question = (
        "Moet onze organisatie een verzekering burgerlijke aansprakelijkheid afsluiten "
        "voor haar vrijwilligers?"
    )
    async with escalation_bot():
        bot_api.user_says(USER, question)
        answer = await bot_api.next_call("sendMessage", chat_id=USER)
        bot_api.user_presses(USER, answer.message_id, label="👎")
        alternatives = await bot_api.next_call("sendMessage", chat_id=USER)
        bot_api.user_presses(USER, alternatives.message_id, label="🙋 Een medewerker")
        prompt = await bot_api.next_call("sendMessage", chat_id=USER)
        assert "Dit stuur ik naar de medewerkers" in prompt.result["text"]
        assert question in prompt.result["text"]


async def test_run_polling_starts_and_stops_the_workflow(bot_api, settings, storage, assistant):
    """The application's post_init starts the outbox sender and post_stop stops it, as
    run_polling does in production."""
    from bot.adapters.telegram.escalation import Escalation, build_escalating_application

    escalation = Escalation(settings, storage, assistant)
    app = build_escalating_application(settings, storage, escalation, request_timeout=1.0)
    await app.initialize()
    await app.post_init(app)
    assert escalation.sender is not None
    assert bot_api.calls("setMyCommands")  # issue 3's own post_init still ran
    menu = [c["command"] for c in bot_api.calls("setMyCommands")[0]["commands"]]
    assert "status" in menu
    await app.post_stop(app)
    assert escalation.sender is None
    await app.shutdown()
