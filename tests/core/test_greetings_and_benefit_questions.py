"""Questions real people type: a greeting or thanks around the question, and the most common
question of all (may I volunteer while unemployed?) asked in a few words."""

from __future__ import annotations

import pytest

from bot.core.errors import KnowledgeBaseError
from bot.core.intents import parse_intents


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


@pytest.mark.parametrize(
    ("message", "kind"),
    [
        ("salukes", "greeting"),
        ("test", "greeting"),
        ("goed zo", "thanks"),
        ("haha", "thanks"),
        ("nee dank je", "thanks"),
        ("ge zijt een schat", "thanks"),
        ("c'est clair", "thanks"),
        ("non merci", "thanks"),
        ("sorry, verkeerd bericht", "help"),
        ("désolé", "help"),
        ("pardon", "help"),
        ("bonsoir, j'ai une petite question", "greeting"),
    ],
)
def test_apologies_laughter_and_no_thanks_are_small_talk_not_questions_for_staff(
    assistant, today, message, kind
):
    """Before, "sorry" and "haha" went to staff (no entry holds them), "c'est clair" got the
    volunteer-policy overview and "pardon" an out-of-scope reply."""
    reply = assistant.ask(message, today=today)
    assert reply.reason == f"smalltalk: {kind}", reply.reason


@pytest.mark.parametrize(("message", "lang"), [("ja", "nl"), ("nee", "nl"), ("jaja", "nl"),
                                               ("oui", "fr"), ("non", "fr")])
def test_a_bare_yes_or_no_is_asked_for_its_subject(assistant, today, message, lang):
    """"nee" got the entry on the optional agreement (its answer says "nee"), "oui" one on
    association work: a yes or no answers nothing when each message is read on its own."""
    reply = assistant.ask(message, chat_lang=lang, today=today)
    assert reply.reason == "smalltalk: no_subject" and reply.language == lang, reply.reason
    assert assistant.ask("ja, bedankt", today=today).reason == "smalltalk: thanks"


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


@pytest.mark.parametrize(
    ("message", "kind"),
    [
        ("merci voor uw snelle antwoord, echt top", "thanks"),
        ("oké dank je, dat helpt me echt verder", "thanks"),
        ("dank u wel mevrouw", "thanks"),
        ("merci beaucoup pour votre réponse rapide", "thanks"),
        ("super, merci pour les infos, bonne journée", "thanks"),
        ("c'est noté merci", "thanks"),
        ("goedemorgen, ik heb een vraag", "greeting"),
        ("bonjour, j'ai une question", "greeting"),
        ("wie zit er achter deze bot?", "help"),
        ("ben je een robot?", "help"),
        ("tu es un robot ou une vraie personne ?", "help"),
        ("waarover kan ik vragen stellen?", "help"),
        ("tu réponds à quelles questions ?", "help"),
    ],
)
def test_small_talk_wrapped_in_a_sentence_about_the_chat_is_still_small_talk(
    assistant, today, message, kind
):
    """Thanks for the quick answer is not a question for staff, and "are you a robot?" gets
    what the assistant is and does."""
    reply = assistant.ask(message, today=today)
    assert reply.action == "smalltalk" and reply.reason == f"smalltalk: {kind}"


@pytest.mark.parametrize(
    "message",
    [
        "merci, en de verzekering?",  # a subject
        "hallo, ik heb een vraag over mijn verzekering",
        "bonjour, j'ai une question sur l'assurance des bénévoles",
        "merci, mais combien puis-je recevoir ?",  # how much, with a subject
        "top, maar niet echt",  # a negation: not thanks
        "super, pas vraiment",
        "merci pour la note d'information",  # the information note is our subject
    ],
)
def test_a_subject_a_negation_or_a_follow_up_question_keeps_it_a_question(
    assistant, today, message
):
    assert assistant.ask(message, today=today).action != "smalltalk"


@pytest.mark.parametrize(
    "message", ["hallo, ik wil een mens spreken", "bonjour, je veux parler à un humain"]
)
def test_a_greeting_before_asking_for_a_person_still_reaches_a_person(assistant, today, message):
    reply = assistant.ask(message, today=today)
    assert reply.action == "escalate" and "person" in reply.reason, reply.reason


def test_a_bare_on_or_off_in_an_intents_file_is_named_with_its_file():
    """YAML reads a bare `on` as true: the maintainer learns which file and list, at load."""
    text = "smalltalk:\n  thanks: [merci]\nchat_words: [vous, on]\n"
    with pytest.raises(KnowledgeBaseError) as raised:
        parse_intents(text, "bot/core/intents/fr.yaml")
    assert "bot/core/intents/fr.yaml" in str(raised.value)
    assert "chat_words: True is not text" in str(raised.value)


@pytest.mark.parametrize(
    "message",
    [
        "dat helpt me niet",
        "sorry maar ik snap het niet",
        "wat bedoel je?",
        "kan je dat herhalen?",
        "je n'ai pas compris",
        "merci, mais je n'ai pas compris",
        "ce n'est pas ma question",
        "ça veut dire quoi ?",
    ],
)
def test_saying_the_answer_did_not_help_gets_how_to_ask_again_not_a_random_entry(
    assistant, today, message
):
    """Searching "dat helpt me niet" answered whichever entry holds "helpt"."""
    reply = assistant.ask(message, today=today)
    assert reply.action == "smalltalk" and reply.reason == "smalltalk: unclear", reply.reason


@pytest.mark.parametrize(
    ("message", "lang", "example"),
    [
        ("ik snap het niet", "nl", "Ik wil een medewerker spreken."),
        ("je ne comprends pas", "fr", "Je voudrais parler à un conseiller."),
    ],
)
def test_the_way_to_a_person_the_unclear_reply_suggests_does_reach_a_person(
    assistant, today, message, lang, example
):
    reply = assistant.ask(message, today=today)
    assert reply.language == lang and example in reply.text
    suggested = assistant.ask(example, today=today)
    assert suggested.action == "escalate" and "asked for a staff member" in suggested.reason


@pytest.mark.parametrize(
    ("message", "expected"),
    [("merci hein", "smalltalk: thanks"), ("dat is mijn vraag", None)],
)
def test_the_words_of_i_do_not_understand_say_nothing_alone(assistant, today, message, expected):
    """Only the whole phrase is "unclear": "hein" is a filler, "mijn vraag" no complaint."""
    reply = assistant.ask(message, today=today)
    assert (reply.reason if reply.action == "smalltalk" else None) == expected


def test_what_a_word_means_is_still_a_question(assistant, today):
    assert assistant.ask("ça veut dire quoi, une asbl ?", today=today).action != "smalltalk"


@pytest.mark.parametrize("message", ["ok, en hoeveel is dat dan?", "ok, et combien alors ?"])
def test_a_follow_up_with_no_subject_is_not_answered_with_an_entry_that_says_ok(
    assistant, today, message
):
    """ "ok" occurs in one answer: it gave that answer to a question that names nothing."""
    assert assistant.ask(message, today=today).action != "answer"


@pytest.mark.parametrize(
    ("message", "lang"),
    [
        ("hoeveel?", "nl"),
        ("mag dat?", "nl"),
        ("en voor mij?", "nl"),
        ("ok, en hoeveel is dat dan?", "nl"),
        ("super, en wanneer moet ik dat doen?", "nl"),
        ("et combien alors ?", "fr"),
        ("super, et quand alors ?", "fr"),
        ("c'est possible ?", "fr"),
        ("et pour moi ?", "fr"),
    ],
)
def test_a_follow_up_that_names_nothing_is_asked_for_its_subject_not_sent_to_staff(
    assistant, today, message, lang
):
    """Each message is read on its own: staff would get "hoeveel?" without the question
    before it, so the person is asked what it is about."""
    reply = assistant.ask(message, today=today)
    assert reply.reason == "smalltalk: no_subject" and reply.language == lang, reply.reason


@pytest.mark.parametrize(
    ("follow_up", "examples"),
    [
        (
            "hoeveel?",
            [
                "Hoeveel onkostenvergoeding mag ik per dag krijgen?",
                "Ben ik verzekerd als vrijwilliger?",
            ],
        ),
        (
            "et combien alors ?",
            [
                "Combien de défraiement puis-je recevoir par jour ?",
                "Suis-je assuré comme volontaire ?",
            ],
        ),
    ],
)
def test_the_examples_in_the_request_for_a_subject_are_answered(
    assistant, today, follow_up, examples
):
    reply = assistant.ask(follow_up, today=today)
    for example in examples:
        assert example in reply.text
        assert assistant.ask(example, today=today).action == "answer", example


def test_a_question_of_unknown_words_still_goes_to_staff(assistant, today):
    """Not a follow-up: a subject we do not know (here, a dismissal payment)."""
    assert assistant.ask("ontslagvergoeding berekenen", today=today).action == "escalate"


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        ("Ik ben werkloos. Mag ik vrijwilligerswerk doen?", "unemployed-c45b.nl"),
        ("Je suis au chômage. Puis-je faire du volontariat ?", "unemployed-c45b.fr"),
        ("ik ben tijdelijk werkloos, mag ik vrijwilligerswerk doen?", "temporary-unemployment.nl"),
        ("je suis en chômage temporaire, puis-je être bénévole ?", "temporary-unemployment.fr"),
    ],
)
def test_a_special_case_answers_only_when_the_question_names_it(
    assistant, today, question, entry
):
    """Temporary unemployment is a case of unemployment: "ik ben werkloos" reached it (its
    variants all say "werkloos") until its qualifiers had to be named."""
    reply = assistant.ask(question, today=today)
    assert reply.action == "answer" and reply.entry_id == f"benefits-and-status.{entry}"


def test_volunteering_abroad_on_a_benefit_is_a_special_case_too(assistant, today):
    """The abroad entry is marked for staff: while it could win any unemployment question
    (its variants say "chômage" as often as the general ones), "bénévolat au chômage
    autorisé ?" went to staff. A question that names abroad still reaches it."""
    general = assistant.ask("benevolat au chomage autorisé?", today=today)
    assert general.action == "answer", general.reason
    assert general.entry_id != "benefits-and-status.abroad-on-benefit.fr"
    abroad = assistant.ask(
        "mag ik vrijwilligerswerk doen met een uitkering in het buitenland?", today=today
    )
    assert (abroad.action, abroad.entry_id) == (
        "escalate", "benefits-and-status.abroad-on-benefit.nl"
    )


@pytest.mark.parametrize(
    ("message", "example"),
    [
        ("ik snap het niet", "Ik ben werkloos. Mag ik vrijwilligerswerk doen?"),
        ("je ne comprends pas", "Je suis au chômage. Puis-je faire du volontariat ?"),
    ],
)
def test_the_example_question_the_unclear_reply_suggests_is_answered(
    assistant, today, message, example
):
    assert example in assistant.ask(message, today=today).text
    reply = assistant.ask(example, today=today)
    assert reply.action == "answer" and reply.entry_id.startswith(
        "benefits-and-status.unemployed-c45b"
    )


def test_a_jobseeker_who_says_je_touche_le_chomage_is_answered_not_sent_to_staff(assistant, today):
    """"toucher" is how people say they have a benefit: an out-of-scope line on benefit
    amounts that used it sent this most common question to staff."""
    reply = assistant.ask("je touche le chômage, je dois prévenir l'onem pour du bénévolat?",
                          today=today)
    c45b = "benefits-and-status.unemployed-c45b.fr"
    assert reply.action == "answer", reply.reason
    assert reply.entry_id == c45b or c45b in [c.entry_id for c in reply.related]


def test_how_much_the_unemployment_benefit_pays_is_still_not_our_subject(assistant, today):
    assert assistant.ask("combien je touche au chômage par mois", today=today).action == "escalate"
