"""Questions answered with sources and 👍/👎, alternatives after 👎, overviews, escalation."""

from __future__ import annotations

from bot.testing.fake_bot_api import FakeBotAPI


async def test_dutch_question_gets_answer_sources_and_rating_buttons(bot_api, running_bot):
    """A volunteer asking in Dutch gets the day ceiling, its sources and rating buttons."""
    question = bot_api.user_says(42, "hoeveel onkostenvergoeding mag ik per dag krijgen")

    sent = await bot_api.next_call("sendMessage", chat_id=42)

    assert sent["parse_mode"] == "HTML"
    assert "<a href=" in sent["text"]  # sources as links
    assert "Geldig voor" in sent["text"]  # validity period of the figures
    assert sent["reply_parameters"]["message_id"] == question
    assert sent.vote_buttons() == ["👍", "👎"]


async def test_thumbs_up_is_stored_anonymously_and_buttons_disappear(
    bot_api: FakeBotAPI, running_bot, storage, today
):
    """👍 thanks the user, removes the rating buttons and stores only entry, vote and date."""
    bot_api.user_says(42, "hoeveel onkostenvergoeding mag ik per dag krijgen")
    answer = await bot_api.next_call("sendMessage", chat_id=42)

    bot_api.user_presses(42, answer.message_id, label="👍")

    await bot_api.next_call("editMessageReplyMarkup", chat_id=42)
    thanks = bot_api.calls("answerCallbackQuery")[-1]
    assert thanks["text"] == "Bedankt voor je reactie!"
    [count] = storage.feedback()
    assert (count.entry_id, count.up, count.down) == ("allowances.flat-rate-ceiling.nl", 1, 0)
    markup = bot_api.messages[(42, answer.message_id)].get("reply_markup") or {}
    left = [b["callback_data"] for row in markup.get("inline_keyboard", []) for b in row]
    assert not [data for data in left if data.startswith("v:")]  # other questions may stay


async def test_thumbs_down_offers_alternatives_and_a_staff_member(bot_api, running_bot, storage):
    """👎 offers the closest other questions and a staff member; picking one answers it."""
    bot_api.user_says(42, "hoeveel onkostenvergoeding mag ik per dag krijgen")
    answer = await bot_api.next_call("sendMessage", chat_id=42)

    bot_api.user_presses(42, answer.message_id, label="👎")

    offer = await bot_api.next_call("sendMessage", chat_id=42)
    assert "niet hielp" in offer["text"]
    labels = offer.labels()
    assert labels[-1] == "🙋 Een medewerker"
    assert len(labels) >= 2
    data = [d for row in offer.buttons() for _, d in row]
    assert "e:allowances.flat-rate-ceiling.nl" not in data  # not the answer just rejected
    assert storage.feedback()[0].down == 1

    bot_api.user_presses(42, offer.message_id, data[0])
    alternative = await bot_api.next_call("sendMessage", chat_id=42)
    assert alternative.vote_buttons() == ["👍", "👎"]
    assert alternative["text"] != answer["text"]


async def test_a_broad_question_gets_the_overview_with_the_specific_questions_as_buttons(
    bot_api, running_bot
):
    """A one-word question ('verzekering') gets a short overview of the main cases, with the
    specific questions as buttons above the rating buttons; pressing one answers it."""
    bot_api.user_says(42, "verzekering")

    overview = await bot_api.next_call("sendMessage", chat_id=42)

    assert overview["text"].startswith("<b>Ben ik als vrijwilliger verzekerd, en waarvoor?</b>")
    labels = overview.labels()
    assert len(labels) >= 5 and labels[-2:] == ["👍", "👎"]
    first_data = overview.buttons()[0][0][1]
    assert first_data.startswith("e:insurance.")

    bot_api.user_presses(42, overview.message_id, first_data)

    answer = await bot_api.next_call("sendMessage", chat_id=42)
    assert answer.vote_buttons() == ["👍", "👎"]
    assert "<a href=" in answer["text"]


async def test_asking_for_a_person_gets_the_centres_contact(bot_api, running_bot):
    """Someone who asks for a person is told how to reach the centre's staff."""
    bot_api.user_says(42, "ik wil een mens spreken")

    sent = await bot_api.next_call("sendMessage", chat_id=42)

    assert "info@vrijwilligerswerk.example" in sent["text"]
    assert "Natuurlijk" not in sent["text"] or "medewerkers" in sent["text"]


async def test_staff_command_and_button_give_the_contact(bot_api, running_bot):
    """/medewerker and the staff button both tell the user how to reach staff."""
    bot_api.user_says(42, "/medewerker")
    sent = await bot_api.next_call("sendMessage", chat_id=42)
    assert "Natuurlijk" in sent["text"] and "info@vrijwilligerswerk.example" in sent["text"]

    bot_api.user_says(43, "/humain", language_code="fr")
    sent = await bot_api.next_call("sendMessage", chat_id=43)
    assert "Bien sûr" in sent["text"] and "conseillers" in sent["text"]

    bot_api.user_says(42, "hoeveel onkostenvergoeding mag ik per dag krijgen")
    answer = await bot_api.next_call("sendMessage", chat_id=42)
    bot_api.user_presses(42, answer.message_id, label="👎")
    offer = await bot_api.next_call("sendMessage", chat_id=42)
    bot_api.user_presses(42, offer.message_id, label="🙋 Een medewerker")
    sent = await bot_api.next_call("sendMessage", chat_id=42)
    assert "info@vrijwilligerswerk.example" in sent["text"]


async def test_unanswerable_question_goes_to_the_hand_off(bot_api, running_bot):
    """A question the assistant cannot match is handed off: the user learns whom to contact."""
    bot_api.user_says(42, "qsdf qsdf")

    sent = await bot_api.next_call("sendMessage", chat_id=42)

    assert "niet betrouwbaar genoeg" in sent["text"]
    assert "info@vrijwilligerswerk.example" in sent["text"]


async def test_a_replacement_hand_off_receives_the_question(bot_factory, bot_api):
    """The escalation workflow plugged in at the hand-off gets the user's question and chat."""
    received = []

    class Recorder:
        async def escalate(self, request, context):
            received.append(request)

    async with bot_factory(handoff=Recorder()):
        bot_api.user_says(42, "qsdf qsdf")
        bot_api.user_says(42, "/start")  # processed after the first: the hand-off has run
        await bot_api.next_call("sendMessage", chat_id=42)

    [request] = received
    assert (request.chat_id, request.question, request.reason) == (42, "qsdf qsdf", "core")
    assert request.reply is not None and request.reply.escalation_summary


async def test_close_alternatives_are_buttons_above_the_votes(bot_api, running_bot):
    """An answer with nearly-as-close neighbours names them as buttons; one tap answers the
    one that was meant."""
    bot_api.user_says(42, "moet ik een C45B invullen als ik werkloos ben")
    answer = await bot_api.next_call("sendMessage", chat_id=42)
    rows = [[label for label, _ in row] for row in answer.buttons()]
    assert len(rows) >= 2 and rows[-1] == ["👍", "👎"]
    assert "Bedoel je iets anders?" in answer["text"]

    meant = rows[0][0]
    bot_api.user_presses(42, answer.message_id, label=meant)
    chosen = await bot_api.next_call("sendMessage", chat_id=42)
    assert chosen["text"].startswith("<b>" + meant.rstrip("…")[:40])
    assert chosen.vote_buttons() == ["👍", "👎"]
