"""Questions real people type: a greeting or thanks around the question, and the most common
question of all (may I volunteer while unemployed?) asked in a few words."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "question",
    [
        "hallo, mag ik vrijwilligerswerk doen met een uitkering?",
        "goeiemiddag, mag ik vrijwilligerswerk doen met een uitkering? alvast bedankt",
        "bonjour, je suis chômeur, puis-je faire du bénévolat ?",
    ],
)
def test_a_greeting_around_a_question_does_not_hide_it(assistant, today, question):
    """Greetings and thanks are no subject: they must not make a question look uncovered."""
    reply = assistant.ask(question, today=today)
    assert reply.action == "answer", reply.reason
    assert reply.topic == "benefits-and-status"


@pytest.mark.parametrize(
    "question",
    ["hallokes", "goeiemiddag", "dikke merci", "je vous remercie", "c'est gentil merci"],
)
def test_greetings_and_thanks_people_use_are_small_talk(assistant, today, question):
    assert assistant.ask(question, today=today).action == "smalltalk"


def test_a_jobseeker_asking_in_a_few_words_is_answered_not_sent_away(assistant, today):
    """'chômeur' is our subject (volunteering on a benefit), not the benefit's amount."""
    reply = assistant.ask("puis-je être bénévole si je suis chômeur ?", today=today)
    assert reply.action == "answer" and reply.entry_id == "benefits-and-status.unemployed-c45b.fr"


def test_the_amount_of_a_benefit_is_still_not_our_subject(assistant, today):
    reply = assistant.ask("combien touche un chômeur par mois", today=today)
    assert reply.action == "escalate"


@pytest.mark.parametrize(
    ("message", "kind"),
    [("👍", "thanks"), ("🙏🙏", "thanks"), ("❤️", "thanks"), ("👋", "greeting"), ("🤔", "help")],
)
def test_a_message_of_emoji_alone_is_small_talk_not_a_question_for_staff(
    assistant, today, message, kind
):
    reply = assistant.ask(message, today=today)
    assert reply.action == "smalltalk" and reply.reason == f"smalltalk: {kind}"


def test_an_emoji_beside_a_question_leaves_it_a_question(assistant, today):
    reply = assistant.ask("👍 mag ik vrijwilligerswerk doen met een uitkering?", today=today)
    assert reply.action == "answer", reply.reason
