"""A volunteer's confidential complaint (/klacht, /plainte) reaches only the complaints group,
is answered there, can be withdrawn until taken up, and is erased on request and in time."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

import pytest
from conftest import (
    CENTRE_CONTACT,
    CENTRE_NAME,
    STAFF_CHAT_ID,
    TODAY,
    make_settings,
    until,
)

from bot.adapters.telegram.app import setup_bot
from bot.adapters.telegram.complaint_route import ComplaintRoute
from bot.adapters.telegram.escalation import (
    Escalation,
    Options,
    build_escalating_application,
)
from bot.escalation.outbox import RetryPolicy
from bot.storage.sqlite import SQLiteStorage

COMPLAINTS_CHAT_ID = -1007777
USER = 42
FR_USER = 43
WHAT = "Ik moest elke zaterdag de bar openhouden, anders mocht ik niet meer komen."
FAST = Options(policy=RetryPolicy(base=timedelta(milliseconds=50),
                                  cap=timedelta(milliseconds=200),
                                  staff_wait=timedelta(milliseconds=200)))


@pytest.fixture
def complaint_bot(bot_api, assistant, tmp_path, clock):
    """`async with complaint_bot(**settings) as (app, route, storage)`: the real bot with the
    escalation workflow and the complaint route, COMPLAINTS_CHAT_ID set unless overridden."""
    bot_api.staff_chat_id = STAFF_CHAT_ID

    @asynccontextmanager
    async def start(**overrides: str) -> AsyncIterator[tuple[Any, ComplaintRoute, Any]]:
        environ = {"COMPLAINTS_CHAT_ID": str(COMPLAINTS_CHAT_ID), **overrides}
        settings = make_settings(bot_api, tmp_path, **environ)
        storage = SQLiteStorage(settings.database_path)
        escalation = Escalation(settings, storage, assistant, clock=clock,
                                today=lambda: TODAY, options=FAST)
        route = ComplaintRoute(settings, storage, assistant, clock=clock,
                               on_write=escalation.kick)
        app = build_escalating_application(settings, storage, escalation,
                                           plugins=[route.plugin], today=lambda: TODAY,
                                           request_timeout=1.0)
        await app.initialize()
        await setup_bot(app)
        await escalation.start(app)  # what run_polling's post_init does
        route.start()
        await app.updater.start_polling(poll_interval=0, timeout=1)
        await app.start()
        try:
            yield app, route, storage
        finally:
            await app.updater.stop()
            await app.stop()
            await route.stop()
            await escalation.stop()
            await app.shutdown()
            storage.close()

    return start


def shown(call):
    """The text as Telegram shows it (entities parsed, no tags)."""
    return call.result["text"]


async def say(bot_api, text, chat_id=USER, language_code="nl"):
    bot_api.user_says(chat_id, text, language_code=language_code)
    return await bot_api.next_call("sendMessage", chat_id=chat_id)


async def press(bot_api, message, label, chat_id=USER, language_code="nl"):
    bot_api.user_presses(chat_id, message.message_id, label=label, language_code=language_code)
    return await bot_api.next_call("sendMessage", chat_id=chat_id)


async def fill_in(bot_api, *, organisation="VZW De Linde", contact="Alleen anoniem",
                  reach="sam@example.org"):
    """/klacht and the four answers; returns the preview."""
    await say(bot_api, "/klacht")
    step = await say(bot_api, WHAT)
    step = await (say(bot_api, organisation) if organisation else press(bot_api, step,
                                                                          "Overslaan"))
    step = await press(bot_api, step, contact)
    return await (say(bot_api, reach) if reach else press(bot_api, step, "Via dit gesprek"))


async def send(bot_api, preview):
    """Send from the preview; returns (post in the complaints group, receipt)."""
    bot_api.user_presses(USER, preview.message_id, label="✅ Versturen")
    post = await bot_api.next_call("sendMessage", chat_id=COMPLAINTS_CHAT_ID)
    receipt = await bot_api.next_call("sendMessage", chat_id=USER)
    return post, receipt


# ------------------------------------------------------------------------ the flow
async def test_each_step_asks_one_question_and_the_preview_names_the_readers(
    bot_api, complaint_bot
):
    """/klacht asks what happened, the organisation (skippable), whether the centre may
    contact it and how to reach the person, then shows everything and who will read it."""
    async with complaint_bot():
        first = await say(bot_api, "/klacht")
        assert "Alleen het klachtenteam van Expertisecentrum Vrijwilligerswerk" in shown(first)
        assert "1/4 · Wat is er gebeurd?" in shown(first)
        assert first.labels() == ["✖ Stoppen"]

        second = await say(bot_api, WHAT)
        assert "2/4 · Over welke organisatie gaat het?" in shown(second)
        assert second.labels() == ["Overslaan", "« Terug", "✖ Stoppen"]

        third = await press(bot_api, second, "Overslaan")
        assert "3/4 · Mag Expertisecentrum Vrijwilligerswerk contact opnemen" in shown(third)
        assert third.labels() == ["Ja", "Nee", "Alleen anoniem", "« Terug", "✖ Stoppen"]

        fourth = await press(bot_api, third, "Alleen anoniem")
        assert "4/4 · Hoe kunnen we je bereiken?" in shown(fourth)
        assert fourth.labels() == ["Via dit gesprek", "« Terug", "✖ Stoppen"]

        preview = await press(bot_api, fourth, "Via dit gesprek")
        text = shown(preview)
        assert WHAT in text
        assert "Organisatie: niet opgegeven" in text
        assert "Contact met de organisatie: alleen anoniem" in text
        assert "Bereikbaar: via dit gesprek" in text
        assert ("Alleen de medewerkers in de klachtengroep van Expertisecentrum "
                "Vrijwilligerswerk") in text
        assert "niet de gewone medewerkersgroep" in text
        assert "na 90 dagen" in text
        assert preview.labels() == ["✅ Versturen", "✏️ Aanpassen", "✖ Niet versturen"]
        assert bot_api.calls("sendMessage", chat_id=COMPLAINTS_CHAT_ID) == []


async def test_back_edit_and_cancel_change_nothing_that_was_not_asked_for(
    bot_api, complaint_bot
):
    """« Terug goes one question back; Aanpassen reopens one answer and returns to the
    preview; Stoppen stores and sends nothing."""
    async with complaint_bot() as (_, _, storage):
        await say(bot_api, "/klacht")
        second = await say(bot_api, "eerste versie")
        again = await press(bot_api, second, "« Terug")
        assert "1/4 · Wat is er gebeurd?" in shown(again)
        preview = await fill_in(bot_api, organisation="", contact="Ja", reach="0470 12 34 56")
        assert "Contact met de organisatie: ja" in shown(preview)

        menu = await press(bot_api, preview, "✏️ Aanpassen")
        assert menu.labels() == ["Wat er gebeurde", "Organisatie",
                                 "Contact met de organisatie", "Bereikbaarheid",
                                 "« Terug naar het overzicht"]
        question = await press(bot_api, menu, "Organisatie")
        assert question.labels() == ["Overslaan", "« Terug naar het overzicht"]
        edited = await say(bot_api, "Sportclub Noord")
        assert "Organisatie: Sportclub Noord" in shown(edited)
        assert WHAT in shown(edited) and "0470 12 34 56" in shown(edited)

        stopped = await press(bot_api, edited, "✖ Niet versturen")
        assert "Ik heb niets verstuurd en niets bewaard" in shown(stopped)
        assert storage.complaint(1) is None
        assert bot_api.calls("sendMessage", chat_id=COMPLAINTS_CHAT_ID) == []


async def test_a_half_written_complaint_expires_unsent(bot_api, complaint_bot):
    """Without an answer for CONVERSATION_TIMEOUT_MINUTES the flow ends, says nothing was
    kept, and the next message is an ordinary question again."""
    async with complaint_bot(CONVERSATION_TIMEOUT_MINUTES="0.02") as (_, _, storage):
        await say(bot_api, "/klacht")
        await say(bot_api, WHAT)
        expired = await bot_api.next_call("sendMessage", chat_id=USER, timeout=15)
        assert "Je klacht is niet verstuurd" in shown(expired)
        answer = await say(bot_api, "VZW De Linde")
        assert "3/4" not in shown(answer)
        assert storage.complaint(1) is None


async def test_a_typed_answer_the_step_cannot_take_is_asked_again(bot_api, complaint_bot):
    """The contact question takes "ja/nee/anoniem" typed too; anything else is asked again,
    and an overly long story is refused with the limit."""
    async with complaint_bot():
        await say(bot_api, "/klacht")
        too_long = await say(bot_api, "x" * 2600)
        assert "hoogstens 2500 tekens" in shown(too_long) and "1/4" in shown(too_long)
        await say(bot_api, WHAT)
        await say(bot_api, "VZW De Linde")
        unclear = await say(bot_api, "misschien")
        assert "Kies een van de knoppen" in shown(unclear) and "3/4" in shown(unclear)
        fourth = await say(bot_api, "anoniem")
        assert "4/4" in shown(fourth)


async def test_sending_posts_in_the_complaints_group_only(bot_api, complaint_bot):
    """Send: one post in COMPLAINTS_CHAT_ID with the whole complaint and a claim button, a
    receipt K-1 with a withdraw button; nothing in the staff group of the tickets."""
    async with complaint_bot() as (_, _, storage):
        preview = await fill_in(bot_api)
        post, receipt = await send(bot_api, preview)

        assert "Klacht K-1" in shown(post) and "NL · open" in shown(post)
        assert WHAT in shown(post) and "VZW De Linde" in shown(post)
        assert "alleen anoniem" in shown(post) and "sam@example.org" in shown(post)
        assert post.labels() == ["🙋 Opnemen"]
        assert "Je klacht K-1 is verstuurd" in shown(receipt)
        assert receipt.labels() == ["↩️ Klacht intrekken"]

        await until(lambda: storage.pending_outbox() == [])
        assert bot_api.calls("sendMessage", chat_id=STAFF_CHAT_ID) == []
        assert storage.tickets_in_states(frozenset({"draft", "open"})) == []


async def test_a_double_press_on_send_sends_one_complaint(bot_api, complaint_bot):
    """Pressing Send twice (or a replayed update) stores and posts one complaint."""
    async with complaint_bot() as (_, _, storage):
        preview = await fill_in(bot_api)
        bot_api.user_presses(USER, preview.message_id, label="✅ Versturen")
        bot_api.user_presses(USER, preview.message_id, label="✅ Versturen")
        await bot_api.next_call("sendMessage", chat_id=COMPLAINTS_CHAT_ID)
        await until(lambda: storage.pending_outbox() == [])
        assert len(bot_api.calls("sendMessage", chat_id=COMPLAINTS_CHAT_ID)) == 1
        assert storage.complaint(2) is None


async def test_french_complaint_with_plainte(bot_api, complaint_bot):
    """/plainte asks and previews in French; the person's language is marked on the post."""
    async with complaint_bot():
        first = await say(bot_api, "/plainte", FR_USER, "fr")
        assert "1/4 · Que s'est-il passé ?" in shown(first)
        assert "équipe plaintes d'Expertisecentrum Vrijwilligerswerk" in shown(first)
        second = await say(bot_api, "On me demande de travailler sans être payé.", FR_USER, "fr")
        third = await press(bot_api, second, "Passer", FR_USER, "fr")
        fourth = await press(bot_api, third, "Non", FR_USER, "fr")
        preview = await press(bot_api, fourth, "Via cette conversation", FR_USER, "fr")
        assert "Qui lira ceci ?" in shown(preview)
        assert "pas le groupe habituel de l'équipe" in shown(preview)
        assert "Contact avec l'organisation : non" in shown(preview)
        bot_api.user_presses(FR_USER, preview.message_id, label="✅ Envoyer",
                             language_code="fr")
        post = await bot_api.next_call("sendMessage", chat_id=COMPLAINTS_CHAT_ID)
        assert "FR · open" in shown(post) and "in het Frans" in shown(post)
        receipt = await bot_api.next_call("sendMessage", chat_id=FR_USER)
        assert "Votre plainte K-1 est envoyée" in shown(receipt)
        assert receipt.labels() == ["↩️ Retirer la plainte"]


async def test_the_complaints_group_reads_its_staff_language(bot_api, complaint_bot):
    """STAFF_LANGUAGE=fr: a Dutch complaint is posted in French, the person's words as they
    wrote them, with the French button."""
    async with complaint_bot(STAFF_LANGUAGE="fr"):
        post, receipt = await send(bot_api, await fill_in(bot_api))
        assert "Plainte K-1" in shown(post) and "NL · ouverte" in shown(post)
        assert WHAT in shown(post) and "en néerlandais" in shown(post)
        assert post.labels() == ["🙋 Je prends"]
        assert "Je klacht K-1 is verstuurd" in shown(receipt)  # the person keeps Dutch


async def test_a_bilingual_complaints_group_reads_both_languages(bot_api, complaint_bot):
    """STAFF_LANGUAGE=nl+fr: the post and its button in both, the person's words once; the
    claim popup in both too."""
    async with complaint_bot(STAFF_LANGUAGE="nl+fr"):
        post, _ = await send(bot_api, await fill_in(bot_api))
        assert shown(post).startswith("Klacht / Plainte K-1 · NL · open / ouverte")
        assert shown(post).count(WHAT) == 1 and "(NL)" in shown(post)
        assert "Vertrouwelijk" in shown(post) and "Confidentiel" in shown(post)
        assert post.labels() == ["🙋 Opnemen / Je prends"]
        query = bot_api.staff_presses(post.message_id, label="🙋 Opnemen / Je prends",
                                      chat_id=COMPLAINTS_CHAT_ID)
        edited = await bot_api.next_call("editMessageText", chat_id=COMPLAINTS_CHAT_ID)
        popup = [c for c in bot_api.calls("answerCallbackQuery")
                 if c["callback_query_id"] == query]
        assert popup[0]["text"] == "Klacht / Plainte K-1: 🙋 Sam."
        assert "opgenomen / prise en charge · 🙋 Sam" in shown(edited)
        assert edited.labels() == ["Afsluiten / Clôturer"]


async def test_in_a_group_the_command_points_to_a_private_chat(bot_api, complaint_bot):
    """/klacht in a group never starts the flow where others read along."""
    async with complaint_bot():
        bot_api.user_says(-100555, "/klacht", user_id=USER)
        answer = await bot_api.next_call("sendMessage", chat_id=-100555)
        assert "alleen aan in een privégesprek" in shown(answer)
        bot_api.user_says(-100555, "/plainte", user_id=USER, language_code="fr")
        answer = await bot_api.next_call("sendMessage", chat_id=-100555)
        assert "conversation privée" in shown(answer)


async def test_without_a_complaints_group_the_centre_contact_is_given(bot_api, complaint_bot):
    """COMPLAINTS_CHAT_ID unset: the route says it is not available and how to reach the
    centre; the staff group of the tickets is never used instead."""
    async with complaint_bot(COMPLAINTS_CHAT_ID=""):
        answer = await say(bot_api, "/klacht")
        assert "nog niet vertrouwelijk doorgeven" in shown(answer)
        assert CENTRE_CONTACT in shown(answer) and CENTRE_NAME in shown(answer)
        question = await say(bot_api, "Hoeveel mag ik per dag krijgen als vrijwilliger?")
        assert "1/4" not in shown(question)  # no flow was started
        answer = await say(bot_api, "/plainte", language_code="fr")
        assert "pas encore transmettre" in shown(answer) and CENTRE_CONTACT in shown(answer)
        assert bot_api.calls("sendMessage", chat_id=STAFF_CHAT_ID) == []


# ------------------------------------------------------------------------ claim and reply
async def test_a_member_claims_and_the_reply_reaches_the_person(bot_api, complaint_bot):
    """Opnemen shows who took it up and tells the person (the receipt loses its withdraw
    button); a reply to the post is relayed as the complaints team's answer."""
    async with complaint_bot():
        post, receipt = await send(bot_api, await fill_in(bot_api))
        query = bot_api.staff_presses(post.message_id, label="🙋 Opnemen",
                                      chat_id=COMPLAINTS_CHAT_ID)
        edited = await bot_api.next_call("editMessageText", chat_id=COMPLAINTS_CHAT_ID)
        assert "opgenomen door Sam" in shown(edited) and WHAT in shown(edited)
        popup = [c for c in bot_api.calls("answerCallbackQuery")
                 if c["callback_query_id"] == query]
        assert popup[0]["text"] == "Klacht K-1 opgenomen door Sam."
        assert edited.labels() == ["Afsluiten"]
        told = await bot_api.next_call("sendMessage", chat_id=USER)
        assert "heeft je klacht K-1 opgenomen" in shown(told)
        receipt_now = await bot_api.next_call("editMessageText", chat_id=USER)
        assert receipt_now["message_id"] == receipt.message_id and receipt_now.labels() == []

        bot_api.staff_replies(post.message_id, "We bellen de vzw, zonder je naam <ok>.",
                              chat_id=COMPLAINTS_CHAT_ID)
        answer = await bot_api.next_call("sendMessage", chat_id=USER)
        assert shown(answer).startswith(
            "Antwoord van het klachtenteam van Expertisecentrum Vrijwilligerswerk op je "
            "klacht K-1:"
        )
        assert "zonder je naam <ok>." in shown(answer)
        assert bot_api.calls("sendMessage", chat_id=STAFF_CHAT_ID) == []


async def test_the_person_answers_back_by_replying(bot_api, complaint_bot):
    """A reply to the relayed answer goes to the complaints group under the post; a staff
    reply to that reaches the person again; after closing, nothing more is passed on."""
    async with complaint_bot() as (_, _, storage):
        post, _ = await send(bot_api, await fill_in(bot_api))
        bot_api.staff_replies(post.message_id, "Wanneer gebeurde dat?",
                              chat_id=COMPLAINTS_CHAT_ID)
        await bot_api.next_call("sendMessage", chat_id=USER)  # taken up
        answer = await bot_api.next_call("sendMessage", chat_id=USER)
        assert "Antwoord met reply op dit bericht" in shown(answer)

        bot_api.user_says(USER, "Elke zaterdag sinds januari.", reply_to=answer.message_id)
        passed = await bot_api.next_call("sendMessage", chat_id=USER)
        assert "Doorgegeven aan het klachtenteam" in shown(passed)
        addition = await bot_api.next_call("sendMessage", chat_id=COMPLAINTS_CHAT_ID)
        assert "aanvulling van de melder" in shown(addition)
        assert "Elke zaterdag sinds januari." in shown(addition)
        assert addition.result["reply_to_message"]["message_id"] == post.message_id

        bot_api.staff_replies(addition.message_id, "Dank je.", chat_id=COMPLAINTS_CHAT_ID)
        again = await bot_api.next_call("sendMessage", chat_id=USER)
        assert "Dank je." in shown(again)

        bot_api.staff_presses(post.message_id, label="Afsluiten", chat_id=COMPLAINTS_CHAT_ID)
        await bot_api.next_call("sendMessage", chat_id=USER)  # closed
        bot_api.user_says(USER, "Nog iets.", reply_to=again.message_id)
        refused = await bot_api.next_call("sendMessage", chat_id=USER)
        assert "is afgesloten of ingetrokken" in shown(refused)
        assert not any("Nog iets." in str(row.payload) for row in _all_outbox(storage))


async def test_a_complaint_survives_a_restart(bot_api, complaint_bot):
    """Sent before a restart, claimed and answered after it: everything is in the database."""
    async with complaint_bot():
        post, receipt = await send(bot_api, await fill_in(bot_api))
    async with complaint_bot():
        bot_api.staff_replies(post.message_id, "Na de herstart.", chat_id=COMPLAINTS_CHAT_ID)
        await bot_api.next_call("sendMessage", chat_id=USER)  # taken up
        answer = await bot_api.next_call("sendMessage", chat_id=USER)
        assert "Na de herstart." in shown(answer)
        edited = await bot_api.next_call("editMessageText", chat_id=USER)
        assert edited["message_id"] == receipt.message_id  # its withdraw button is gone


async def test_a_reply_to_an_open_complaint_takes_it_up(bot_api, complaint_bot):
    """Answering an open complaint directly claims it: withdrawing is then refused."""
    async with complaint_bot() as (_, _, storage):
        post, _ = await send(bot_api, await fill_in(bot_api))
        bot_api.staff_replies(post.message_id, "Dank je, we kijken ernaar.",
                              chat_id=COMPLAINTS_CHAT_ID)
        taken = await bot_api.next_call("sendMessage", chat_id=USER)
        assert "opgenomen" in shown(taken)
        answer = await bot_api.next_call("sendMessage", chat_id=USER)
        assert "Dank je, we kijken ernaar." in shown(answer)
        assert storage.complaint(1).state == "claimed"


async def test_only_members_of_the_complaints_group_may_act(bot_api, complaint_bot):
    """Someone who left the complaints group cannot claim: refused, nothing changes."""
    async with complaint_bot() as (_, _, storage):
        post, _ = await send(bot_api, await fill_in(bot_api))
        bot_api.set_member(COMPLAINTS_CHAT_ID, 7002, "left")
        bot_api.staff_presses(post.message_id, label="🙋 Opnemen", chat_id=COMPLAINTS_CHAT_ID,
                              user_id=7002)
        await until(lambda: any(c.get("show_alert") for c in
                                bot_api.calls("answerCallbackQuery")))
        popup = bot_api.calls("answerCallbackQuery")[-1]
        assert "Alleen leden van de klachtengroep" in popup["text"]
        assert storage.complaint(1).state == "open"


async def test_a_non_member_replying_to_a_complaint_post_is_refused(bot_api, complaint_bot):
    """A reply to a complaint's post by someone who left the group is refused with why, and
    never reaches the person."""
    async with complaint_bot():
        post, _ = await send(bot_api, await fill_in(bot_api))
        bot_api.set_member(COMPLAINTS_CHAT_ID, 7002, "left")
        bot_api.staff_replies(post.message_id, "Ik wil meelezen.", user_id=7002,
                              chat_id=COMPLAINTS_CHAT_ID)
        refused = await bot_api.next_call("sendMessage", chat_id=COMPLAINTS_CHAT_ID)
        assert "Alleen leden van de klachtengroep" in shown(refused)
        assert all("meelezen" not in shown(c) for c in bot_api.calls("sendMessage", chat_id=USER))


async def test_open_lists_the_complaints_in_hand_for_members_only(bot_api, complaint_bot):
    """/open in the complaints group lists what is in hand (number, age, who), without the
    texts; a non-member is refused."""
    async with complaint_bot():
        post, _ = await send(bot_api, await fill_in(bot_api))
        bot_api.staff_presses(post.message_id, label="🙋 Opnemen", chat_id=COMPLAINTS_CHAT_ID)
        await bot_api.next_call("editMessageText", chat_id=COMPLAINTS_CHAT_ID)
        bot_api.staff_says("/open", chat_id=COMPLAINTS_CHAT_ID)
        listed = await bot_api.next_call("sendMessage", chat_id=COMPLAINTS_CHAT_ID)
        assert "Lopende klachten (1)" in shown(listed)
        assert "K-1 · NL · 0 dag(en) · opgenomen door Sam" in shown(listed)
        assert WHAT not in shown(listed)
        bot_api.set_member(COMPLAINTS_CHAT_ID, 7002, "left")
        bot_api.staff_says("/open", chat_id=COMPLAINTS_CHAT_ID, user_id=7002)
        refused = await bot_api.next_call("sendMessage", chat_id=COMPLAINTS_CHAT_ID)
        assert "Alleen leden van de klachtengroep" in shown(refused)
        assert bot_api.calls("sendMessage", chat_id=STAFF_CHAT_ID) == []


async def test_an_anonymous_admin_is_told_why_nothing_happens(bot_api, complaint_bot):
    """A reply from an anonymous admin cannot be attributed: it is refused with the reason
    and not relayed."""
    async with complaint_bot() as (_, _, storage):
        post, _ = await send(bot_api, await fill_in(bot_api))
        bot_api.staff_replies(post.message_id, "Anoniem antwoord.", chat_id=COMPLAINTS_CHAT_ID,
                              anonymous=True)
        refused = await bot_api.next_call("sendMessage", chat_id=COMPLAINTS_CHAT_ID)
        assert "Anoniem blijven" in shown(refused)
        assert storage.complaint(1).state == "open"
        assert not any("Anoniem antwoord." in str(row.payload) for row in _all_outbox(storage))


async def test_closing_tells_the_person(bot_api, complaint_bot):
    """Afsluiten after claiming closes the complaint and tells the person."""
    async with complaint_bot() as (_, _, storage):
        post, _ = await send(bot_api, await fill_in(bot_api))
        bot_api.staff_presses(post.message_id, label="🙋 Opnemen", chat_id=COMPLAINTS_CHAT_ID)
        await bot_api.next_call("editMessageText", chat_id=COMPLAINTS_CHAT_ID)
        bot_api.staff_presses(post.message_id, label="Afsluiten", chat_id=COMPLAINTS_CHAT_ID)
        closed = await bot_api.next_call("editMessageText", chat_id=COMPLAINTS_CHAT_ID)
        assert "afgesloten" in shown(closed) and closed.labels() == []
        await until(lambda: storage.complaint(1).state == "closed")
        await until(lambda: any("afgesloten" in shown(c)
                                for c in bot_api.calls("sendMessage", chat_id=USER)))


# ------------------------------------------------------------------------ withdrawal
async def test_withdrawing_before_a_claim_erases_the_text_everywhere(bot_api, complaint_bot):
    """Withdraw (asked once more) before anyone took it up: the post becomes "withdrawn"
    without content, the stored texts and the queued texts are gone."""
    async with complaint_bot() as (_, _, storage):
        post, receipt = await send(bot_api, await fill_in(bot_api))
        await until(lambda: storage.pending_outbox() == [])
        bot_api.user_presses(USER, receipt.message_id, label="↩️ Klacht intrekken")
        confirm = await bot_api.next_call("editMessageText", chat_id=USER)
        assert "Klacht K-1 intrekken?" in shown(confirm)
        bot_api.user_presses(USER, receipt.message_id, label="Ja, intrekken")
        done = await bot_api.next_call("editMessageText", chat_id=USER)
        assert "Klacht K-1 is ingetrokken" in shown(done)

        gone = await bot_api.next_call("editMessageText", chat_id=COMPLAINTS_CHAT_ID)
        assert gone["message_id"] == post.message_id
        assert "ingetrokken door de melder" in shown(gone) and WHAT not in shown(gone)
        assert gone.labels() == []
        stored = storage.complaint(1)
        assert (stored.state, stored.what, stored.organisation, stored.reach, stored.chat_id) \
            == ("withdrawn", "", "", "", None)
        assert not any(WHAT in str(row.payload) for row in _all_outbox(storage))


async def test_after_a_claim_the_receipt_no_longer_offers_withdrawal(bot_api, complaint_bot):
    """Taken up: the receipt is edited to say withdrawing is no longer possible, without
    the button."""
    async with complaint_bot() as (_, _, storage):
        post, receipt = await send(bot_api, await fill_in(bot_api))
        bot_api.staff_presses(post.message_id, label="🙋 Opnemen", chat_id=COMPLAINTS_CHAT_ID)
        now = await bot_api.next_call("editMessageText", chat_id=USER)
        assert now["message_id"] == receipt.message_id and now.labels() == []
        assert "intrekken kan niet meer" in shown(now)
        assert storage.complaint(1).state == "claimed"


async def test_withdrawing_after_a_claim_is_refused(bot_api, complaint_bot):
    """A "yes, withdraw" pressed after a staff member took it up (before the receipt could
    be updated) is refused with the reason, and nothing is erased."""
    async with complaint_bot() as (_, _, storage):
        post, receipt = await send(bot_api, await fill_in(bot_api))
        await until(lambda: storage.pending_outbox() == [])
        bot_api.user_presses(USER, receipt.message_id, label="↩️ Klacht intrekken")
        await bot_api.next_call("editMessageText", chat_id=USER)
        # Telegram is slow to take the receipt's update: the confirm buttons are still there.
        bot_api.fail_next("editMessageText", 502, chat_id=USER, times=100)
        bot_api.staff_presses(post.message_id, label="🙋 Opnemen", chat_id=COMPLAINTS_CHAT_ID)
        await until(lambda: storage.complaint(1).state == "claimed")
        bot_api.user_presses(USER, receipt.message_id, label="Ja, intrekken")
        await until(lambda: any(c.get("show_alert") for c in
                                bot_api.calls("answerCallbackQuery")))
        popup = [c for c in bot_api.calls("answerCallbackQuery") if c.get("show_alert")][-1]
        assert "al opgenomen door een medewerker" in popup["text"]
        assert storage.complaint(1).what == WHAT


async def test_only_the_chat_that_sent_it_owns_a_complaint(bot_api, complaint_bot):
    """The withdraw handler acts only on the pressing chat's own complaint, whatever the
    button data says (a forged press from chat 999 finds nothing)."""
    async with complaint_bot() as (_, route, storage):
        await send(bot_api, await fill_in(bot_api))
        await until(lambda: storage.pending_outbox() == [])
        assert route.desk.own(1, 999) is None
        assert route.desk.own(1, USER) is not None
        assert storage.complaint(1).state == "open"


# ------------------------------------------------------------------------ erasure
async def test_vergeet_erases_complaints_and_replaces_the_post(bot_api, complaint_bot):
    """/vergeet empties the complaint, says so, and the post keeps no content."""
    async with complaint_bot() as (_, _, storage):
        post, _ = await send(bot_api, await fill_in(bot_api))
        await until(lambda: storage.pending_outbox() == [])
        confirm = await say(bot_api, "/vergeet")
        bot_api.user_presses(USER, confirm.message_id, label="Ja, wis alles")
        note = await bot_api.next_call("sendMessage", chat_id=USER)
        assert "klacht(en) K-1 is gewist" in shown(note)
        report = await bot_api.next_call("editMessageText", chat_id=USER)
        assert "Gewist." in shown(report)
        gone = await bot_api.next_call("editMessageText", chat_id=COMPLAINTS_CHAT_ID)
        assert gone["message_id"] == post.message_id
        assert "gewist op vraag van de melder" in shown(gone) and WHAT not in shown(gone)
        stored = storage.complaint(1)
        assert (stored.what, stored.chat_id, stored.erased_why) == ("", None, "request")
        assert not any(WHAT in str(row.payload) for row in _all_outbox(storage))


async def test_vergeet_drops_a_complaint_still_being_written(bot_api, complaint_bot):
    """A flow in progress is forgotten with /vergeet; the next text is a normal question."""
    async with complaint_bot() as (_, _, storage):
        await say(bot_api, "/klacht")
        await say(bot_api, WHAT)
        confirm = await say(bot_api, "/vergeet")
        bot_api.user_presses(USER, confirm.message_id, label="Ja, wis alles")
        await bot_api.next_call("editMessageText", chat_id=USER)
        answer = await say(bot_api, "Hoeveel mag ik per dag krijgen als vrijwilliger?")
        assert "3/4" not in shown(answer) and "Organisatie" not in shown(answer)
        assert storage.complaint(1) is None


async def test_retention_erases_complaints_after_their_own_period(
    bot_api, complaint_bot, clock
):
    """COMPLAINT_RETENTION_DAYS (default 90) after the last activity, the texts are erased
    and the post says so; a day earlier nothing happens."""
    async with complaint_bot() as (_, route, storage):
        post, _ = await send(bot_api, await fill_in(bot_api))
        await until(lambda: storage.pending_outbox() == [])
        clock.shift = timedelta(days=89)
        assert route.maintain() == []
        assert storage.complaint(1).what == WHAT
        clock.shift = timedelta(days=91)
        assert route.maintain() == [1]
        gone = await bot_api.next_call("editMessageText", chat_id=COMPLAINTS_CHAT_ID)
        assert gone["message_id"] == post.message_id
        assert "gewist na de bewaartermijn" in shown(gone) and WHAT not in shown(gone)
        stored = storage.complaint(1)
        assert (stored.what, stored.chat_id, stored.erased_why) == ("", None, "retention")
        assert route.maintain() == []  # once


async def test_a_shorter_retention_can_be_configured(bot_api, complaint_bot, clock):
    """COMPLAINT_RETENTION_DAYS=30 erases after 30 days, not 90."""
    async with complaint_bot(COMPLAINT_RETENTION_DAYS="30") as (_, route, storage):
        preview = await fill_in(bot_api)
        assert "na 30 dagen" in shown(preview)
        await send(bot_api, preview)
        await until(lambda: storage.pending_outbox() == [])
        clock.shift = timedelta(days=31)
        assert route.maintain() == [1]


# ------------------------------------------------------------------------ supergroup
async def test_the_bot_follows_the_complaints_group_to_its_supergroup(bot_api, complaint_bot):
    """Upgraded to a supergroup: the open complaint is posted again there, replies there
    reach the person, the maintainer is told, and the tickets' staff group stays put."""
    new_group = -1003000
    async with complaint_bot() as (_, _, storage):
        await send(bot_api, await fill_in(bot_api))
        await until(lambda: storage.pending_outbox() == [])
        bot_api.group_migrates(COMPLAINTS_CHAT_ID, new_group)
        notice = await bot_api.next_call("sendMessage", chat_id=new_group)
        assert f"COMPLAINTS_CHAT_ID={new_group}" in shown(notice)
        reposted = await bot_api.next_call("sendMessage", chat_id=new_group)
        assert "Klacht K-1" in shown(reposted) and WHAT in shown(reposted)
        bot_api.staff_replies(reposted.message_id, "Vanuit de supergroep.", chat_id=new_group)
        await bot_api.next_call("sendMessage", chat_id=USER)  # taken up
        answer = await bot_api.next_call("sendMessage", chat_id=USER)
        assert "Vanuit de supergroep." in shown(answer)
        claimed = await bot_api.next_call("editMessageText", chat_id=new_group)
        assert claimed["message_id"] == reposted.message_id
        assert storage.get_value("staff_chat_id") is None  # tickets still go to STAFF_CHAT_ID


async def test_a_post_refused_by_a_migrated_group_never_moves_the_tickets(
    bot_api, complaint_bot
):
    """When Telegram answers a complaint's post with "upgraded to a supergroup", the post
    goes there, and the staff group of the tickets is not changed to it."""
    new_group = -1003001
    async with complaint_bot() as (_, _, storage):
        bot_api.migrated[COMPLAINTS_CHAT_ID] = new_group
        preview = await fill_in(bot_api)
        bot_api.user_presses(USER, preview.message_id, label="✅ Versturen")
        post = await bot_api.next_call("sendMessage", chat_id=new_group)
        assert "Klacht K-1" in shown(post)
        assert storage.get_value("staff_chat_id") is None
        assert bot_api.calls("sendMessage", chat_id=STAFF_CHAT_ID) == []


# ------------------------------------------------------------------------ never elsewhere
async def test_complaints_never_reach_promote_drafts_or_stats(bot_api, complaint_bot):
    """An answered complaint is no ticket: /promote finds nothing, drafts stay empty, /stats
    counts no ticket, and no staff-group message quotes it."""
    async with complaint_bot() as (_, _, storage):
        post, _ = await send(bot_api, await fill_in(bot_api))
        bot_api.staff_replies(post.message_id, "We nemen contact op.",
                              chat_id=COMPLAINTS_CHAT_ID)
        await until(lambda: storage.complaint(1).state == "claimed")
        bot_api.staff_says("/promote 1")
        promoted = await bot_api.next_call("sendMessage", chat_id=STAFF_CHAT_ID)
        assert "bestaat niet" in shown(promoted)
        bot_api.staff_says("/stats")
        stats = await bot_api.next_call("sendMessage", chat_id=STAFF_CHAT_ID)
        assert WHAT not in shown(stats)
        assert storage.drafts() == []
        assert storage.ticket_facts() == []
        staff_texts = " ".join(shown(c) for c in bot_api.calls("sendMessage",
                                                                chat_id=STAFF_CHAT_ID))
        assert WHAT not in staff_texts and "K-1" not in staff_texts


async def test_complaints_never_reach_the_weekly_report(bot_api, complaint_bot, assistant):
    """The weekly report, built over the days of an answered complaint, quotes none of it
    (the words typed in the flow are no questions to the assistant)."""
    from datetime import UTC, datetime

    from bot.adapters.report.collect import collect
    from bot.adapters.report.page import render_html

    async with complaint_bot() as (_, _, storage):
        post, _ = await send(bot_api, await fill_in(bot_api))
        bot_api.staff_replies(post.message_id, "We nemen contact op.",
                              chat_id=COMPLAINTS_CHAT_ID)
        await until(lambda: storage.pending_outbox() == [] and
                    storage.complaint(1).state == "claimed")
        now = datetime.now(UTC)
        # What the report reads: tickets and question events; the flow made neither.
        assert storage.report_tickets(now) == []
        assert storage.question_events(TODAY - timedelta(days=6), TODAY) == []  # the bot's day
        report = collect(storage, assistant, start=now.date() - timedelta(days=6),
                         end=now.date(), now=now)
        for language in ("nl", "fr"):
            page = render_html(report, language)
            assert "bar openhouden" not in page and "VZW De Linde" not in page
            assert "sam@example.org" not in page and "K-1" not in page


async def test_the_menus_list_the_complaint_commands(bot_api, complaint_bot):
    """/klacht is in the Dutch menu and /help, /plainte in the French ones."""
    async with complaint_bot():
        menus = {c.get("language_code"): [x["command"] for x in c["commands"]]
                 for c in bot_api.calls("setMyCommands")}
        assert "klacht" in menus["nl"] and "plainte" in menus["fr"]
        help_text = await say(bot_api, "/help")
        assert "/klacht" in shown(help_text)


def _all_outbox(storage):
    """Every outbox row, sent or not (the test reads the table the sender reads)."""
    rows = storage._db.execute("SELECT key FROM outbox").fetchall()
    return [storage.outbox_row(key) for (key,) in rows]
