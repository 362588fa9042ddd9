"""Staff work tickets in their group: buttons, commands, and nobody else can."""

from conftest import STAFF_CHAT_ID, until
from test_escalation_round_trip import NL_QUESTION, USER, escalate_and_confirm

OUTSIDER = 666


async def toast(bot_api, words):
    """The next button answer (a toast or an alert) containing `words`."""
    while True:
        answer = await bot_api.next_call("answerCallbackQuery")
        if words in (answer.get("text") or ""):
            return answer


async def test_claim_then_send_a_suggestion(bot_api, escalation_bot):
    """Claim marks the ticket with the staff member's name; a suggestion relays that entry's
    answer to the user as the staff's answer."""
    async with escalation_bot():
        _, _, ticket = await escalate_and_confirm(bot_api, USER, NL_QUESTION)
        bot_api.staff_presses(ticket.message_id, label="🙋 Opnemen")
        claimed = await bot_api.next_call("editMessageText", chat_id=STAFF_CHAT_ID)
        assert "opgenomen door Sam" in claimed.result["text"]
        assert "🙋 Opnemen" not in claimed.labels()

        bot_api.staff_presses(ticket.message_id, label="Stuur suggestie 1")
        answer = await bot_api.next_call("sendMessage", chat_id=USER)
        assert "ticket #1" in answer.result["text"] and answer.vote_buttons() == ["👍", "👎"]
        toast = [c for c in bot_api.calls("answerCallbackQuery") if c.get("text")]
        assert any("beantwoord" in c["text"] for c in toast)


async def test_an_edit_that_changes_nothing_counts_as_done(bot_api, escalation_bot, storage):
    """Telegram's "message is not modified" means the post shows it already: the edit is
    done, not tried again, and nobody is told of a failure."""
    def staff_edits() -> list[str]:
        return [status for (status,) in storage._db.execute(
            "SELECT status FROM outbox WHERE method = 'editMessageText' AND chat_id = ?",
            (STAFF_CHAT_ID,),
        ).fetchall()]

    async with escalation_bot():
        _, _, ticket = await escalate_and_confirm(bot_api, USER, NL_QUESTION)
        bot_api.fail_next(
            "editMessageText", status=400, chat_id=STAFF_CHAT_ID,
            description="Bad Request: message is not modified: specified new message content "
            "and reply markup are exactly the same as a current content and reply markup",
        )
        bot_api.staff_presses(ticket.message_id, label="🙋 Opnemen")
        await until(lambda: staff_edits() == ["sent"])
    assert [c.status for c in bot_api.attempts("editMessageText")] == [400]
    assert len(bot_api.calls("sendMessage", chat_id=STAFF_CHAT_ID)) == 1  # the ticket alone


async def test_out_of_scope_redirects_the_user_politely(bot_api, escalation_bot, storage):
    """Out of scope tells the user where else to go and closes the buttons."""
    async with escalation_bot():
        _, _, ticket = await escalate_and_confirm(bot_api, USER, NL_QUESTION)
        bot_api.staff_presses(ticket.message_id, label="Buiten ons domein")
        told = await bot_api.next_call("sendMessage", chat_id=USER)
        assert "buiten wat wij kunnen beantwoorden" in told.result["text"]
        edited = await bot_api.next_call("editMessageText", chat_id=STAFF_CHAT_ID)
        assert edited.labels() == []
        assert storage.ticket_by_number(1).state == "out_of_scope"


async def test_close_and_a_stale_button(bot_api, escalation_bot, storage):
    """Close ends the ticket; a second press on an old button changes nothing."""
    async with escalation_bot():
        _, _, ticket = await escalate_and_confirm(bot_api, USER, NL_QUESTION)
        data = {label: d for row in ticket.buttons() for label, d in row}
        bot_api.staff_presses(ticket.message_id, data["Afsluiten"])
        closed = await bot_api.next_call("sendMessage", chat_id=USER)
        assert "afgesloten" in closed.result["text"]
        await bot_api.next_call("editMessageText", chat_id=STAFF_CHAT_ID)
        # The fake only lets people press buttons that exist: re-add the old one by hand.
        bot_api.messages[(STAFF_CHAT_ID, ticket.message_id)]["reply_markup"] = ticket[
            "reply_markup"
        ]
        bot_api.staff_presses(ticket.message_id, data["🙋 Opnemen"])
        refused = await toast(bot_api, "Kan niet")
        assert "afgesloten" in refused["text"]
        assert storage.ticket_by_number(1).state == "closed"


async def test_someone_outside_the_staff_cannot_act(bot_api, escalation_bot, storage):
    """A person who is not a member of the staff group is refused on buttons and replies,
    and nothing reaches the user."""
    bot_api.set_member(STAFF_CHAT_ID, OUTSIDER, "left")
    async with escalation_bot():
        _, _, ticket = await escalate_and_confirm(bot_api, USER, NL_QUESTION)
        bot_api.staff_presses(ticket.message_id, label="🙋 Opnemen", user_id=OUTSIDER)
        refused = await toast(bot_api, "Alleen medewerkers")
        assert refused["show_alert"] is True

        bot_api.staff_replies(ticket.message_id, "Ik weet het!", user_id=OUTSIDER)
        told = await bot_api.next_call("sendMessage", chat_id=STAFF_CHAT_ID)
        assert "Alleen medewerkers" in told.result["text"]
        bot_api.staff_replies(ticket.message_id, "/ Ik weet het", user_id=OUTSIDER)
        told = await bot_api.next_call("sendMessage", chat_id=STAFF_CHAT_ID)
        assert "Alleen medewerkers" in told.result["text"]
        bot_api.staff_says("/open", user_id=OUTSIDER)
        assert (
            "Alleen medewerkers"
            in (await bot_api.next_call("sendMessage", chat_id=STAFF_CHAT_ID)).result["text"]
        )
        assert storage.ticket_by_number(1).state == "open"
        relayed = [c for c in bot_api.calls("sendMessage", chat_id=USER) if "Ik weet" in c["text"]]
        assert relayed == []


async def test_allow_list_counts_when_membership_cannot_be_checked(
    bot_api, escalation_bot, storage
):
    """If getChatMember fails, only STAFF_USER_IDS may act (empty list: nobody)."""
    async with escalation_bot():
        _, _, ticket = await escalate_and_confirm(bot_api, USER, NL_QUESTION)
        bot_api.fail_next("getChatMember", status=500, times=10)
        bot_api.staff_replies(ticket.message_id, "Antwoord", user_id=7002)
        told = await bot_api.next_call("sendMessage", chat_id=STAFF_CHAT_ID)
        assert "Alleen medewerkers" in told.result["text"]
        assert storage.ticket_by_number(1).state == "open"


async def test_an_anonymous_admin_is_told_why_nothing_happens(bot_api, escalation_bot):
    """A reply from an anonymous group admin is refused with an explanation."""
    async with escalation_bot():
        _, _, ticket = await escalate_and_confirm(bot_api, USER, NL_QUESTION)
        bot_api.staff_replies(ticket.message_id, "Antwoord", anonymous=True)
        told = await bot_api.next_call("sendMessage", chat_id=STAFF_CHAT_ID)
        assert "anonieme beheerder" in told.result["text"]


async def test_staff_commands_show_open_tickets_history_and_stats(bot_api, escalation_bot):
    """/open lists the ticket with its age, /ticket 1 its history, /stats the numbers."""
    async with escalation_bot():
        _, _, ticket = await escalate_and_confirm(bot_api, USER, NL_QUESTION)
        bot_api.staff_replies(ticket.message_id, "Ja, zeker.")
        await bot_api.next_call("sendMessage", chat_id=USER)

        bot_api.staff_says("/open")
        listing = await bot_api.next_call("sendMessage", chat_id=STAFF_CHAT_ID)
        assert "#1 · NL" in listing.result["text"] and "beantwoord" in listing.result["text"]
        bot_api.staff_says("/ticket 1")
        history = await bot_api.next_call("sendMessage", chat_id=STAFF_CHAT_ID)
        assert NL_QUESTION in history.result["text"] and "Ja, zeker." in history.result["text"]
        bot_api.staff_says("/stats")
        stats = await bot_api.next_call("sendMessage", chat_id=STAFF_CHAT_ID)
        assert "Laatste 7 dagen" in stats.result["text"]
        assert "Tickets: 1 (nl 1)" in stats.result["text"]
        bot_api.staff_says("/ticket twaalf")
        usage = await bot_api.next_call("sendMessage", chat_id=STAFF_CHAT_ID)
        assert "/ticket N" in usage.result["text"]


async def test_promote_makes_a_draft_entry_for_export(bot_api, escalation_bot, storage):
    """/promote 1 turns the question and the staff answer into a draft entry."""
    from bot.escalation.drafts import export

    async with escalation_bot():
        _, _, ticket = await escalate_and_confirm(bot_api, USER, NL_QUESTION)
        bot_api.staff_replies(ticket.message_id, "Kijk naar de polis van de organisatie.")
        await bot_api.next_call("sendMessage", chat_id=USER)
        bot_api.staff_says("/promote 1")
        done = await bot_api.next_call("sendMessage", chat_id=STAFF_CHAT_ID)
        assert "ontwerp-item" in done.result["text"]
    text = export(storage.drafts())
    assert "lang: nl" in text and "Kijk naar de polis" in text and "TODO" in text
