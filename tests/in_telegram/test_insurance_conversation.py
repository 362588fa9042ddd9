"""/verzekering and /assurance: the insurance check for associations, one question at a time."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from conftest import Chat

from bot.adapters.telegram.app import BotApplication
from bot.adapters.telegram.guided import allowance_plugin, insurance_plugin

NL, FR = 52, 53


@pytest.fixture
async def insurance_bot(bot_factory: Callable[..., Any]) -> AsyncIterator[BotApplication]:
    async with bot_factory(plugins=[allowance_plugin(), insurance_plugin()]) as app:
        yield app


async def test_a_dutch_neighbourhood_committee_gets_the_verdict_with_buttons(
    bot_api, insurance_bot
):
    """A committee without staff in Flanders: no duty, the free insurance fits, FAQ buttons."""
    chat = Chat(bot_api, NL, "nl")
    first = await chat.says("/verzekering")
    assert "Verzekeringscheck voor verenigingen" in first["text"]
    assert "Welke rechtsvorm" in first["text"]
    assert first.labels() == ["vzw", "Stichting", "Openbaar bestuur", "Feitelijke vereniging",
                              "✖ Stoppen"]  # no Back on the first question
    staff = await chat.presses("Feitelijke vereniging")
    assert "arbeidsovereenkomst" in staff["text"]
    assert staff.labels() == ["Ja", "Nee", "« Terug", "✖ Stoppen"]
    umbrella = await chat.presses("Nee")
    assert "koepel" in umbrella["text"]
    region = await chat.presses("Nee")
    assert "zetel" in region["text"] and "Vlaanderen" in region.labels()
    car = await chat.presses("Vlaanderen")
    assert "eigen auto" in car["text"]
    minors = await chat.presses("Nee")
    assert "minderjarigen" in minors["text"]
    welfare = await chat.presses("Nee")
    assert "welzijnsdecreet" in welfare["text"]
    verdict = await chat.verdict("Nee")

    text = verdict["text"]
    assert "Verplichte verzekering burgerlijke aansprakelijkheid: <b>nee</b>" in text
    assert "Gratis Vlaamse vrijwilligersverzekering: <b>mogelijk</b>" in text
    assert "1.000 vrijwilligersuren per 12 maanden" in text
    assert '<a href="https://vrijwilligersverzekering.vlaanderen.be/">' in text
    labels = verdict.labels()
    assert labels[-1] == "🙋 Een medewerker"
    eligibility = next(lb for lb in labels if lb.startswith("Welke organisaties kunnen de gratis"))
    assert bot_api.messages[(NL, welfare.message_id)].get("reply_markup") is None

    faq = await chat.presses(eligibility)
    assert "feitelijke verenigingen" in faq["text"] and faq.vote_buttons() == ["👍", "👎"]


async def test_a_french_brussels_asbl_with_staff_is_offered_a_staff_member(
    bot_api, insurance_bot
):
    """An asbl with two employees in French-speaking Brussels: must insure; COCOF unconfirmed,
    so a staff member is offered, and pressing it hands the situation over."""
    chat = Chat(bot_api, FR, "fr")
    first = await chat.says("/assurance")
    assert "Quelle est la forme juridique" in first["text"]
    await chat.presses("ASBL")
    await chat.presses("Oui")   # staff
    await chat.presses("Non")   # umbrella
    car = await chat.presses("Bruxelles, francophone")
    assert "propre voiture" in car["text"]
    await chat.presses("Oui")   # car
    verdict = await chat.verdict("Non")  # minors; no welfare question outside Flanders

    text = verdict["text"]
    assert "Assurance responsabilité civile obligatoire : <b>oui</b>" in text
    assert "Assurance volontaires gratuite flamande : <b>pas possible</b>" in text
    assert "COCOF" in text and "pas pu confirmer" in text
    assert "RC auto" in text
    labels = verdict.labels()
    assert labels[-1] == "🙋 Un conseiller"
    assert any("voiture" in label for label in labels)

    contact = await chat.presses("🙋 Un conseiller")
    assert "info@vrijwilligerswerk.example" in contact["text"]


async def test_back_asks_the_previous_question_again_and_forgets_its_answer(
    bot_api, insurance_bot
):
    """« Terug » at the umbrella question re-asks the staff question; the new answer counts."""
    chat = Chat(bot_api, NL, "nl")
    await chat.says("/verzekering")
    await chat.presses("Feitelijke vereniging")
    await chat.presses("Nee")  # no staff

    again = await chat.presses("« Terug")

    assert "arbeidsovereenkomst" in again["text"]
    await chat.presses("Ja")  # staff after all
    await chat.presses("Nee")  # umbrella
    await chat.presses("Vlaanderen")
    await chat.presses("Nee")
    await chat.presses("Nee")
    verdict = await chat.verdict("Nee")
    assert "feitelijke vereniging, met personeel" in verdict["text"]
    assert "Verplichte verzekering burgerlijke aansprakelijkheid: <b>ja</b>" in verdict["text"]


async def test_cancel_ends_the_check_and_says_so(bot_api, insurance_bot):
    """Stoppen ends the check; the next message is an ordinary question again."""
    chat = Chat(bot_api, NL, "nl")
    await chat.says("/verzekering")
    await chat.presses("vzw")

    stopped = await chat.presses("✖ Stoppen")

    assert "Gestopt" in stopped["text"]
    answer = await chat.says("hoeveel onkostenvergoeding mag ik per dag krijgen")
    assert answer.vote_buttons() == ["👍", "👎"]


async def test_french_back_and_cancel(bot_api, insurance_bot):
    """« Retour » and Arrêter work in French too."""
    chat = Chat(bot_api, FR, "fr")
    await chat.says("/assurance")
    await chat.presses("Fondation")
    again = await chat.presses("« Retour")
    assert "forme juridique" in again["text"]
    assert again.labels()[-1] == "✖ Arrêter" and "« Retour" not in again.labels()
    stopped = await chat.presses("✖ Arrêter")
    assert "Arrêté" in stopped["text"]


async def test_a_typed_answer_is_read_and_a_wrong_one_asked_again(bot_api, insurance_bot):
    """'asbl' typed is read as the form; 'peut-être' gets the same question again."""
    chat = Chat(bot_api, FR, "fr")
    await chat.says("/assurance")
    staff = await chat.says("asbl")
    assert "contrat de travail" in staff["text"]
    again = await chat.says("peut-être")
    assert "n'est pas un des choix" in again["text"] or "n&#39;est pas" in again["text"]
    assert "contrat de travail" in again["text"]


async def test_an_association_asking_about_its_duty_is_offered_the_check(bot_api, insurance_bot):
    """'Moet onze vzw haar vrijwilligers verzekeren?' gets the answer plus the check button."""
    chat = Chat(bot_api, NL, "nl")
    answer = await chat.says("Moet onze vzw haar vrijwilligers verzekeren?")
    assert "🛡 Verzekeringscheck" in answer.labels()

    first = await chat.presses("🛡 Verzekeringscheck")
    assert "Welke rechtsvorm" in first["text"]


async def test_a_french_association_question_gets_the_french_offer(bot_api, insurance_bot):
    """An association asking about its duty to insure gets 'Contrôle d'assurance'."""
    chat = Chat(bot_api, FR, "fr")
    answer = await chat.says(
        "Notre asbl est-elle obligée d'assurer ses volontaires en responsabilité civile ?"
    )
    assert "🛡 Contrôle d'assurance" in answer.labels()
    first = await chat.presses("🛡 Contrôle d'assurance")
    assert "forme juridique" in first["text"]


async def test_a_volunteers_own_question_gets_no_offer(bot_api, insurance_bot):
    """'Ben ik verzekerd als vrijwilliger?' is not an association's duty question."""
    chat = Chat(bot_api, NL, "nl")
    answer = await chat.says("Ben ik verzekerd als ik gewond raak tijdens vrijwilligerswerk?")
    assert "🛡 Verzekeringscheck" not in answer.labels()


async def test_the_menus_list_the_check_in_both_languages(bot_api, insurance_bot):
    """The Dutch menu lists /verzekering and the French one /assurance, and /help too."""
    menus = {c.get("language_code"): [x["command"] for x in c["commands"]]
             for c in bot_api.calls("setMyCommands")}
    assert "verzekering" in menus["nl"] and "assurance" in menus["fr"]
    chat = Chat(bot_api, NL, "nl")
    help_text = await chat.says("/help")
    assert "/verzekering" in help_text["text"]


async def test_the_staff_button_hands_the_situation_to_the_staff_group(bot_api, escalation_bot):
    """With the ticket workflow, the staff member receives the association's situation and the
    verdict's conclusions – what the user saw before pressing Send."""
    from conftest import STAFF_CHAT_ID

    async with escalation_bot(plugins=[insurance_plugin()]):
        chat = Chat(bot_api, FR, "fr")
        await chat.says("/assurance")
        await chat.presses("Association de fait")
        await chat.presses("Non")
        await chat.presses("Non")
        await chat.presses("Wallonie")
        await chat.presses("Non")
        verdict = await chat.verdict("Non")
        assert "Provinces wallonnes" in verdict["text"] and "pas pu confirmer" in verdict["text"]

        prompt = await chat.presses("🙋 Un conseiller")
        assert "association de fait, sans personnel, sans faîtière, Wallonie" in prompt["text"]
        send = [d for row in prompt.buttons() for _, d in row if d.startswith("tk:confirm")]
        bot_api.user_presses(FR, prompt.message_id, send[0])
        await bot_api.next_call("sendMessage", chat_id=FR)  # the receipt
        ticket = await bot_api.next_call("sendMessage", chat_id=STAFF_CHAT_ID)
        assert "Wallonie" in ticket["text"]
        assert "Assurance responsabilité civile obligatoire : non" in ticket["text"]


async def test_a_new_question_during_the_check_is_answered_with_a_resume_button(
    bot_api, insurance_bot
):
    """A question typed at the legal-form step gets its answer; « Verder met de check » asks
    the legal form again."""
    chat = Chat(bot_api, NL, "nl")
    await chat.says("/verzekering")

    answer = await chat.says("Ben ik verzekerd als ik gewond raak tijdens vrijwilligerswerk?")

    assert "geen van de keuzes" not in answer["text"]
    note = await chat._read()
    assert "verzekeringscheck staat nog open" in note["text"]
    again = await chat.presses("▶ Verder met de check")
    assert "Welke rechtsvorm" in again["text"]
    assert "arbeidsovereenkomst" in (await chat.presses("vzw"))["text"]


async def test_an_abandoned_insurance_check_expires_and_says_so(
    bot_api, tmp_path, assistant, storage
):
    """The insurance check, too, ends after CONVERSATION_TIMEOUT_MINUTES and says so."""
    from conftest import make_settings, start_bot

    settings = make_settings(bot_api, tmp_path, CONVERSATION_TIMEOUT_MINUTES="0.02")
    async with start_bot(settings, assistant, storage, base_url=bot_api.base_url,
                         plugins=[insurance_plugin()]):
        chat = Chat(bot_api, FR, "fr")
        await chat.says("/assurance")

        expired = await bot_api.next_call("sendMessage", chat_id=FR, timeout=15)

        assert "Le contrôle d'assurance s'est arrêté" in expired["text"]
