"""/vergoeding and /defraiement: the allowance check, one question at a time, end to end."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from conftest import Chat

from bot.adapters.telegram.app import BotApplication
from bot.adapters.telegram.guided import allowance_plugin
from bot.testing.fake_bot_api import SentCall

NL, FR = 42, 43


@pytest.fixture
async def allowance_bot(bot_factory: Callable[..., Any]) -> AsyncIterator[BotApplication]:
    async with bot_factory(plugins=[allowance_plugin()]) as app:
        yield app


async def dutch_until_days(chat: Chat) -> SentCall:
    """/vergoeding for 2026, flat rate, no real costs elsewhere: the days question."""
    await chat.says("/vergoeding")
    await chat.says("2026")
    await chat.presses("Forfaitaire vergoeding")
    return await chat.presses("Nee")  # no real costs elsewhere this year


async def dutch_until_amount(chat: Chat, days: str = "12") -> SentCall:
    await dutch_until_days(chat)
    return await chat.says(days)


async def dutch_after_amount(chat: Chat, km_car: str = "300") -> SentCall:
    """From the km questions to the verdict: `km_car` in the first quarter (the car rate changes
    in April, so 2026 has two km questions), none later, no bicycle, no transport, standard,
    no benefit."""
    await chat.says(km_car)
    await chat.presses("Geen (0 km)")
    await chat.presses("Geen (0 km)")
    if km_car != "0":  # without km, the transport question is skipped
        await chat.presses("Nee")
    await chat.presses("Gewone vrijwilliger")
    return await chat.presses("Nee")


async def test_dutch_check_within_the_limits_shows_the_arithmetic(bot_api, allowance_bot):
    """A volunteer paid € 40 a day for 12 days plus 300 km hears it stays within the limits."""
    chat = Chat(bot_api, NL, "nl")
    first = await chat.says("/vergoeding")
    assert "Vergoedingencheck" in first["text"] and "Over welk jaar" in first["text"]
    assert first.labels() == ["2026", "2025", "✖ Stoppen"]  # no Back on the first question

    system = await chat.says("2026")
    assert "Welk systeem" in system["text"]
    assert system.labels() == [
        "Forfaitaire vergoeding", "Reële kosten (met bewijs)", "« Terug", "✖ Stoppen"
    ]
    elsewhere = await chat.presses("Forfaitaire vergoeding")
    assert "andere organisatie reële kosten" in elsewhere["text"]
    days = await chat.presses("Nee")
    assert "Op hoeveel dagen kreeg je in 2026" in days["text"]
    amount = await chat.says("12")
    assert "Hoeveel kreeg je per dag" in amount["text"]
    km = await chat.says("40")
    assert "auto of motor" in km["text"] and "van 1/1/2026 – 31/3/2026" in km["text"]
    later = await chat.says("300")
    assert "van 1/4/2026 – 31/12/2026" in later["text"]
    bike = await chat.presses("Geen (0 km)")
    assert "fiets" in bike["text"]
    transport = await chat.presses("Geen (0 km)")
    assert "vervoeren van mensen" in transport["text"]
    category = await chat.presses("Nee")
    assert "Tot welke groep" in category["text"]
    benefits = await chat.presses("Gewone vrijwilliger")
    assert "uitkering" in benefits["text"]
    verdict = await chat.presses("Nee")

    text = verdict["text"]
    assert "12 dagen × € 40,00 = € 480,00 ≤ jaarplafond 2026 € 1.760,83" in text
    assert "€ 40,00 per dag ≤ dagplafond 2026 € 44,02" in text
    assert "300 km auto + 0 km fiets = 300 km ≤ 2.000 km per jaar" in text
    assert "300 km auto × € 0,4326 (1/1/2026 – 31/3/2026) = € 129,78" in text
    assert "binnen de wettelijke grenzen" in text
    assert "(aangenomen)" not in text  # the volunteer answered the one-system question
    assert "<a href=" in text  # the sources
    assert verdict.labels() == []  # nothing to escalate
    assert bot_api.messages[(NL, benefits.message_id)].get("reply_markup") is None


async def test_french_check_over_the_ceiling_explains_the_consequences(bot_api, allowance_bot):
    """A volunteer on benefits paid 1 800,00 € over 30 days hears what exceeding costs them."""
    chat = Chat(bot_api, FR, "fr")
    first = await chat.says("/defraiement")
    assert "De quelle année" in first["text"]
    await chat.says("2026")
    await chat.presses("Défraiement forfaitaire")
    await chat.presses("Non")
    amount = await chat.says("30")
    assert "Combien avez-vous reçu par jour" in amount["text"]
    total = await chat.presses("Je ne connais que le total")
    assert "au total pour ces 30 jours" in total["text"]
    await chat.says("1 800,00")
    await chat.says("0")  # km by car, January to March
    await chat.says("0")  # and April to December
    category = await chat.says("0")  # km by bicycle: no km, so no transport question
    assert "À quel groupe" in category["text"]
    await chat.presses("Sport (entraîneur, arbitre, …)")
    verdict = await chat.presses("Oui")

    text = verdict["text"]
    assert "1.800,00 € sur 30 jours &gt; plafond annuel 2026 1.760,83 €" in text
    assert "30 × 44,02 € = 1.320,60 €" in text
    assert "nous comptons avec le plafond ordinaire" in text  # no raised sport ceiling assumed
    assert "dépasse la limite légale" in text
    assert "Conséquence : tout le défraiement" in text
    assert "cette allocation est alors aussi en danger" in text
    assert verdict.labels() == ["🙋 Un conseiller"]


async def test_back_asks_the_previous_question_again_and_forgets_its_answer(
    bot_api, allowance_bot
):
    """Pressing « Terug » at the amount re-asks the days, and the new number is used."""
    chat = Chat(bot_api, NL, "nl")
    await dutch_until_amount(chat, days="12")

    again = await chat.presses("« Terug")

    assert "Op hoeveel dagen" in again["text"]
    await chat.says("15")
    await chat.says("40")
    verdict = await dutch_after_amount(chat, km_car="0")
    assert "15 dagen × € 40,00 = € 600,00" in verdict["text"]
    assert "12 dagen" not in verdict["text"]


async def test_cancel_ends_the_check_and_says_so(bot_api, allowance_bot):
    """Pressing Stoppen ends the check; the next message is an ordinary question again."""
    chat = Chat(bot_api, NL, "nl")
    await dutch_until_amount(chat)

    stopped = await chat.presses("✖ Stoppen")

    assert "Gestopt" in stopped["text"]
    answer = await chat.says("hoeveel onkostenvergoeding mag ik per dag krijgen")
    assert answer.vote_buttons() == ["👍", "👎"]
    assert "⚠️" not in answer["text"]


async def test_invalid_answers_get_a_specific_message_and_the_same_question(
    bot_api, allowance_bot
):
    """'-5' days and 'veel' euro are refused with the reason, and the question comes back."""
    chat = Chat(bot_api, NL, "nl")
    await dutch_until_days(chat)

    days = await chat.says("-5")
    assert "Met „-5” kan ik niet rekenen" in days["text"]
    assert "geheel getal van 1 tot 366" in days["text"]
    assert "Op hoeveel dagen" in days["text"]

    await chat.says("10")
    amount = await chat.says("veel")
    assert "Dat kan ik niet als getal lezen" in amount["text"]
    assert "Hoeveel kreeg je per dag" in amount["text"]
    assert "« Terug" in amount.labels()

    km = await chat.says("41,50")
    assert "auto of motor" in km["text"]


async def test_belgian_number_formats_are_understood(bot_api, allowance_bot):
    """'41,50' euro a day and '1.200' km are read as Belgians write them."""
    chat = Chat(bot_api, NL, "nl")
    await dutch_until_amount(chat, days="10")
    await chat.says("41,50")

    verdict = await dutch_after_amount(chat, km_car="1.200")

    text = verdict["text"]
    assert "€ 41,50 per dag ≤ dagplafond 2026 € 44,02" in text
    assert "10 dagen × € 41,50 = € 415,00" in text
    assert "1.200 km auto" in text


async def test_a_free_text_calculation_question_offers_the_check(bot_api, allowance_bot):
    """'ik krijg 45 euro per dag, mag dat?' gets an answer with 'Reken het na', which starts
    the check with the € 45 ready to pick."""
    chat = Chat(bot_api, NL, "nl")
    answer = await chat.says("ik krijg 45 euro per dag, mag dat?")
    assert answer.vote_buttons() == ["👍", "👎"] and answer.labels()[-1] == "Reken het na"

    first = await chat.presses("Reken het na")
    assert "Over welk jaar" in first["text"]
    await chat.says("2026")
    await chat.presses("Forfaitaire vergoeding")
    await chat.presses("Nee")
    amount = await chat.says("5")
    assert "Je noemde € 45,00" in amount["text"]
    assert amount.labels()[0] == "€ 45,00"
    await chat.presses("€ 45,00")

    verdict = await dutch_after_amount(chat, km_car="0")
    assert "€ 45,00 per dag &gt; dagplafond 2026 € 44,02" in verdict["text"]
    assert "over de wettelijke grens" in verdict["text"]


async def test_a_french_calculation_question_offers_the_check(bot_api, allowance_bot):
    """'je reçois 50 € par jour, c'est permis ?' gets the ceilings and 'Faire le calcul'."""
    chat = Chat(bot_api, FR, "fr")
    answer = await chat.says("je reçois 50 € par jour, c'est permis ?")

    assert "44,02 €" in answer["text"]
    assert answer.vote_buttons() == ["👍", "👎"] and answer.labels()[-1] == "Faire le calcul"
    first = await chat.presses("Faire le calcul")
    assert "De quelle année" in first["text"]


async def test_a_year_without_figures_says_not_known_and_offers_a_person(bot_api, allowance_bot):
    """Asking about 2031 says its amounts are not known yet and offers a staff member."""
    chat = Chat(bot_api, NL, "nl")
    await chat.says("/vergoeding")

    unknown = await chat.says("2031")

    assert "De bedragen voor 2031 zijn nog niet gekend" in unknown["text"]
    assert "€" not in unknown["text"]  # never another year's amounts
    assert unknown.labels() == ["🙋 Een medewerker"]
    contact = await chat.presses("🙋 Een medewerker")
    assert "info@vrijwilligerswerk.example" in contact["text"]


async def test_a_button_of_an_earlier_question_does_not_answer_the_current_one(
    bot_api, allowance_bot
):
    """Pressing « Terug » on an older question only says it was answered already."""
    chat = Chat(bot_api, NL, "nl")
    days_question = await dutch_until_days(chat)
    await chat.says("12")

    bot_api.user_presses(NL, days_question.message_id, label="« Terug")
    km = await chat.says("40")  # handled after the press: the amount question was still open

    assert "al beantwoord" in bot_api.calls("answerCallbackQuery")[-1]["text"]
    assert "auto of motor" in km["text"]


async def test_the_menus_list_the_check_in_both_languages(bot_api, allowance_bot):
    """The Dutch menu lists /vergoeding and the French one /defraiement."""
    menus = {c.get("language_code"): [x["command"] for x in c["commands"]]
             for c in bot_api.calls("setMyCommands")}

    assert "vergoeding" in menus["nl"] and "defraiement" in menus["fr"]


async def test_a_new_question_at_a_step_is_answered_and_the_check_can_resume(
    bot_api, allowance_bot
):
    """'Hoeveel mag ik krijgen als ik 3 dagen help op een festival?' typed at the days question
    is answered as a question; « Verder met de check » asks the days again and the check goes
    on with the answers given before."""
    chat = Chat(bot_api, NL, "nl")
    await dutch_until_days(chat)

    answer = await chat.says("Hoeveel mag ik krijgen als ik 3 dagen help op een festival?")
    assert answer.vote_buttons() == ["👍", "👎"]
    assert "geheel getal" not in answer["text"]  # not read as an answer to the days question
    note = await chat._read()
    assert "vergoedingencheck staat nog open" in note["text"]
    assert note.labels() == ["▶ Verder met de check", "✖ Stoppen"]

    again = await chat.presses("▶ Verder met de check")
    assert "Op hoeveel dagen kreeg je in 2026" in again["text"]
    await chat.says("12")
    await chat.says("40")
    verdict = await dutch_after_amount(chat, km_car="0")
    assert "12 dagen × € 40,00 = € 480,00" in verdict["text"]


async def test_a_typed_answer_after_a_new_question_still_counts(bot_api, allowance_bot):
    """After the in-between question, typing the number of days goes straight on."""
    chat = Chat(bot_api, FR, "fr")
    await chat.says("/defraiement")
    await chat.says("2026")
    await chat.presses("Défraiement forfaitaire")
    await chat.presses("Non")
    await chat.says("Combien puis-je recevoir si j'aide 3 jours à un festival ?")
    note = await chat._read()
    assert note.labels() == ["▶ Reprendre", "✖ Arrêter"]

    amount = await chat.says("3")

    assert "Combien avez-vous reçu par jour" in amount["text"]


async def test_an_abandoned_check_expires_and_says_so(bot_api, tmp_path, assistant, storage):
    """Without an answer for CONVERSATION_TIMEOUT_MINUTES the check ends with a message; its
    buttons no longer answer, and the next message is an ordinary question again."""
    from conftest import make_settings, start_bot

    settings = make_settings(bot_api, tmp_path, CONVERSATION_TIMEOUT_MINUTES="0.02")
    async with start_bot(settings, assistant, storage, base_url=bot_api.base_url,
                         plugins=[allowance_plugin()]):
        chat = Chat(bot_api, NL, "nl")
        await chat.says("/vergoeding")
        system = await chat.says("2026")

        expired = await bot_api.next_call("sendMessage", chat_id=NL, timeout=15)

        assert "De vergoedingencheck is gestopt" in expired["text"]
        assert "Met /vergoeding begin je opnieuw" in expired["text"]
        bot_api.user_presses(NL, system.message_id, label="Forfaitaire vergoeding")
        popup = await bot_api.next_call("answerCallbackQuery")
        assert "al beantwoord of de berekening is afgelopen" in popup["text"]
        answer = await chat.says("12")
        assert "⚠️" not in answer["text"]  # an ordinary message, no longer the days answer


async def test_a_calculation_nobody_answers_offers_the_check_beside_a_person(
    bot_api, allowance_bot
):
    """A question with a day amount that would go to staff offers the check first, with a
    staff member one tap away; the check starts with that amount ready to pick. (A message
    the base answers, such as 'Ik kreeg 80 euro per dag voor het trainen van de jeugdploeg',
    gets the ceiling entry with 'Reken het na' under it: see the test above.)"""
    chat = Chat(bot_api, NL, "nl")
    offer = await chat.says("De jeugdploeg trainen leverde me 80 euro per dag op")
    assert "Dat kan ik met je narekenen" in offer["text"]
    assert offer.labels() == ["Reken het na", "🙋 Een medewerker"]

    await chat.presses("Reken het na")
    await chat.says("2026")
    await chat.presses("Forfaitaire vergoeding")
    await chat.presses("Nee")
    amount = await chat.says("5")
    assert amount.labels()[0] == "€ 80,00"


async def test_vergeet_drops_a_check_in_progress(bot_api, allowance_bot):
    """/vergeet during the check drops its answers: the next number is an ordinary message,
    not the days answer, and the check's buttons no longer answer."""
    chat = Chat(bot_api, NL, "nl")
    days = await dutch_until_amount(chat)
    confirm = await chat.says("/vergeet")
    bot_api.user_presses(NL, confirm.message_id, label="Ja, wis alles")
    await bot_api.next_call("editMessageText")

    answer = await chat.says("hoeveel onkostenvergoeding mag ik per dag krijgen")

    assert answer.vote_buttons() == ["👍", "👎"]
    bot_api.user_presses(NL, days.message_id, label="« Terug")
    await chat.says("/help")  # handled after the press
    popup = bot_api.calls("answerCallbackQuery")[-1]
    assert "al beantwoord of de berekening is afgelopen" in popup["text"]


async def test_a_new_question_mid_check_goes_the_way_every_question_goes(bot_api, allowance_bot):
    """A pasted letter typed at a step gets the same 'too long' note a question would get,
    and the check stays open."""
    chat = Chat(bot_api, NL, "nl")
    await chat.says("/vergoeding")
    letter = "Hoeveel mag ik krijgen als vrijwilliger bij onze club? " + "Bla bla. " * 200

    note = await chat.says(letter)

    assert "Je bericht is erg lang" in note["text"]
    assert "staat nog open" in (await chat._read())["text"]
