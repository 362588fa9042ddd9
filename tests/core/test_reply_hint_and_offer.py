"""The core decides, for every kind of reply, whether it says how to switch language and which
guided check it offers; the adapters only render what the reply carries."""

from decimal import Decimal

from bot.core.assistant import plain_text
from bot.core.model import Offer


def test_a_clarify_in_the_other_language_says_how_to_switch(mini, today):
    """'verzekering vrijwilliger' in a French chat: a Dutch menu that says /taal switches."""
    reply = mini.ask("verzekering vrijwilliger", chat_lang="fr", today=today)
    assert reply.action == "clarify" and reply.language == "nl"
    assert "Deze chat staat in het Frans; met /taal nl schakel je over." in plain_text(reply)


def test_an_answer_in_the_other_language_says_how_to_switch_above_its_sources(mini, today):
    """A French answer in a Dutch chat carries the same line, before the sources."""
    reply = mini.ask("assurance obligatoire pour les bénévoles", chat_lang="nl", today=today)
    text = plain_text(reply)
    assert reply.action == "answer"
    assert "tapez /langue fr pour passer au français" in text
    assert text.index("/langue fr") < text.index("Sources")


def test_an_escalation_in_the_other_language_says_how_to_switch(assistant, today):
    """A Dutch question nobody can answer, in a French chat: the line is there too."""
    reply = assistant.ask("ik wil een recept voor taart bakken met appels", chat_lang="fr",
                          today=today)
    assert reply.action == "escalate" and reply.language == "nl"
    assert "met /taal nl schakel je over" in plain_text(reply)


def test_a_reply_in_the_chats_own_language_or_a_chat_without_one_has_no_hint(mini, today):
    """No line when the reply is in the chat's language, or the chat never chose."""
    for chat_lang in ("nl", None):
        reply = mini.ask("verzekering vrijwilliger", chat_lang=chat_lang, today=today)
        assert "/taal" not in plain_text(reply) and "/langue" not in plain_text(reply)


def test_amounts_in_a_question_offer_the_allowance_check_with_the_day_amount(assistant, today):
    """'ik krijg 45 euro per dag, mag dat?' offers the allowance check with € 45 per day."""
    reply = assistant.ask("ik krijg 45 euro per dag, mag dat?", today=today)
    assert reply.offer == Offer("allowance", Decimal(45))


def test_an_associations_duty_question_offers_the_insurance_check(assistant, today):
    """'Moet onze vzw haar vrijwilligers verzekeren?' offers the insurance check; a volunteer's
    own question and small talk offer nothing."""
    duty = assistant.ask("Moet onze vzw haar vrijwilligers verzekeren?", today=today)
    assert duty.offer == Offer("insurance")
    own = assistant.ask("Ben ik verzekerd als ik gewond raak tijdens vrijwilligerswerk?",
                        today=today)
    assert own.offer is None
    assert assistant.ask("hallo", today=today).offer is None
