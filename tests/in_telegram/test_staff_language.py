"""A Walloon centre's staff work in French, a Brussels one in both (STAFF_LANGUAGE); the
user keeps their own language whatever the staff speak."""

import pytest
from conftest import STAFF_CHAT_ID, make_settings
from test_escalation_round_trip import FR_QUESTION, NL_QUESTION, USER, escalate_and_confirm
from test_escalation_staff import OUTSIDER, toast

from bot.settings import Settings, SettingsError
from bot.testing.fake_bot_api import TOKEN

BASE = {"BOT_TOKEN": TOKEN, "CENTRE_NAME": "C", "CENTRE_CONTACT": "c@example.org"}


@pytest.fixture
def staff_language():
    return "fr"


@pytest.fixture
def settings(bot_api, tmp_path, staff_language):
    return make_settings(bot_api, tmp_path, STAFF_LANGUAGE=staff_language)


# ---------------------------------------------------------------- the setting
def test_the_staff_speak_the_default_language_unless_told_otherwise():
    """Without STAFF_LANGUAGE the staff group reads DEFAULT_LANGUAGE; nl+fr is accepted."""
    assert Settings.from_env(BASE).staff_language == "nl"
    assert Settings.from_env({**BASE, "DEFAULT_LANGUAGE": "fr"}).staff_language == "fr"
    both = Settings.from_env({**BASE, "DEFAULT_LANGUAGE": "fr", "STAFF_LANGUAGE": "NL+FR"})
    assert both.staff_language == "nl+fr"
    assert Settings.from_env({**BASE, "STAFF_LANGUAGE": "fr+nl"}).staff_language == "nl+fr"


def test_an_unknown_staff_language_is_one_clear_problem():
    """STAFF_LANGUAGE=en is refused with the values that work."""
    with pytest.raises(SettingsError) as caught:
        Settings.from_env({**BASE, "STAFF_LANGUAGE": "en"})
    assert caught.value.problems == ["STAFF_LANGUAGE has value 'en': use nl, fr or nl+fr."]


# ---------------------------------------------------------------- end to end
async def test_a_french_staff_group_gets_a_french_ticket_and_french_buttons(
    bot_api, escalation_bot
):
    """A Dutch question reaches a French-speaking staff group as a French ticket post with
    French buttons and popups, the question verbatim and marked as Dutch; the staff's answer
    still reaches the user in Dutch."""
    async with escalation_bot():
        _, receipt, ticket = await escalate_and_confirm(bot_api, USER, NL_QUESTION)
        assert "ticket #1" in receipt["text"]  # the user's side stays Dutch

        text = ticket.result["text"]
        assert "Ticket n° 1 · NL · ouvert" in text
        assert "Question (néerlandais, telle quelle) :" in text
        assert NL_QUESTION in text
        assert "Entrées les plus proches selon l'assistant" in text
        assert "envoyé au demandeur, en néerlandais" in text
        assert ticket.labels() == [
            "🙋 Je prends",
            "Envoyer la suggestion 1",
            "Envoyer la suggestion 2",
            "Envoyer la suggestion 3",
            "Hors de notre champ",
            "Clôturer",
        ]

        bot_api.staff_presses(ticket.message_id, label="🙋 Je prends")
        claimed = await bot_api.next_call("editMessageText", chat_id=STAFF_CHAT_ID)
        assert "pris en charge par Sam" in claimed.result["text"]
        popup = await toast(bot_api, "Ticket n° 1")
        assert popup["text"] == "Ticket n° 1 : pris en charge"

        reply = bot_api.staff_replies(ticket.message_id, "Ja, dat kan bij de gemeente.")
        answer = await bot_api.next_call("sendMessage", chat_id=USER)
        assert answer.result["text"].startswith("Antwoord van Expertisecentrum Vrijwilligerswerk")

        bot_api.user_edits(STAFF_CHAT_ID, reply, "Ja, dat kan alleen aan het loket.")
        correction = await bot_api.next_call("sendMessage", chat_id=USER)
        assert correction.result["text"].startswith("Correctie op het antwoord van")
        notice = await bot_api.next_call("sendMessage", chat_id=STAFF_CHAT_ID)
        assert "envoyé au demandeur comme correction" in notice.result["text"]

        bot_api.staff_says("/open")
        listing = await bot_api.next_call("sendMessage", chat_id=STAFF_CHAT_ID)
        assert "Tickets ouverts (1)" in listing.result["text"]
        assert "répondu" in listing.result["text"]
        bot_api.staff_says("/ticket 1")
        history = await bot_api.next_call("sendMessage", chat_id=STAFF_CHAT_ID)
        assert "demandeur" in history.result["text"] and "Ja, dat kan" in history.result["text"]
        actions = history.result["text"].split("Actions", 1)[1]
        for done in ("Sam (id 7001) · pris en charge", "Sam (id 7001) · répondu",
                     "Sam (id 7001) · correction transmise"):
            assert done in actions
        bot_api.staff_says("/stats")
        stats = await bot_api.next_call("sendMessage", chat_id=STAFF_CHAT_ID)
        assert "7 derniers jours" in stats.result["text"]
        assert "Tickets : 1 (nl 1)" in stats.result["text"]
        bot_api.staff_says("/ticket douze")
        usage = await bot_api.next_call("sendMessage", chat_id=STAFF_CHAT_ID)
        assert "Utilisation : /ticket N" in usage.result["text"]


async def test_a_french_staff_group_refuses_outsiders_in_french(bot_api, escalation_bot):
    """Someone outside the staff pressing a button gets the refusal in the staff's French."""
    bot_api.set_member(STAFF_CHAT_ID, OUTSIDER, "left")
    async with escalation_bot():
        _, _, ticket = await escalate_and_confirm(bot_api, USER, NL_QUESTION)
        bot_api.staff_presses(ticket.message_id, label="Clôturer", user_id=OUTSIDER)
        refused = await toast(bot_api, "Seuls les membres")
        assert refused["show_alert"] is True


@pytest.mark.parametrize("staff_language", ["nl+fr"])
async def test_a_bilingual_staff_group_reads_both_languages_compactly(
    bot_api, escalation_bot
):
    """With STAFF_LANGUAGE=nl+fr one post carries both languages, the French question once,
    marked FR, and the buttons are short bilingual labels."""
    async with escalation_bot():
        _, _, ticket = await escalate_and_confirm(bot_api, 43, FR_QUESTION, language_code="fr")
        text = ticket.result["text"]
        assert "Ticket #1 · FR · open / ouvert" in text
        assert "Vraag / Question (FR):" in text
        assert text.count(FR_QUESTION) == 1
        assert "naar de vrager, in het Frans" in text and "au demandeur, en français" in text
        assert ticket.labels() == [
            "🙋 Opnemen / Je prends",
            "Suggestie / Suggestion 1",
            "Suggestie / Suggestion 2",
            "Suggestie / Suggestion 3",
            "Buiten domein / Hors champ",
            "Afsluiten / Clôturer",
        ]
        bot_api.staff_presses(ticket.message_id, label="Afsluiten / Clôturer")
        popup = await toast(bot_api, "Ticket #1")
        assert popup["text"] == "Ticket #1: afgesloten / clôturé"
        bot_api.staff_says("/stats")
        stats = await bot_api.next_call("sendMessage", chat_id=STAFF_CHAT_ID)
        assert "Laatste 7 dagen / 7 derniers jours" in stats.result["text"]
