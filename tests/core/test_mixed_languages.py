"""People in Brussels mix Dutch and French in one message: each word is read in the language
that knows it, and the answer comes in the chat's language."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("text", "chat_lang", "entry"),
    [
        # Dutch words carry the subject of a French question...
        ("je suis bénévole et ze geven mij 45 euro per dag, c'est ok?", "fr",
         "allowances.flat-rate-ceiling.fr"),
        ("je suis volontaire, est-ce que ik moet de organisatienota krijgen?", "fr",
         "information-duty.organisation-note.fr"),
        # ... and French words of a Dutch one.
        ("mag ik als vrijwilliger een défraiement krijgen als ik een allocation de chômage heb?",
         "nl", "benefits-and-status.unemployed-c45b.nl"),
        ("ik ben vrijwilliger bij een asbl, moet die een assurance responsabilité civile hebben?",
         "nl", "insurance.compulsory-liability.nl"),
    ],
)
def test_a_message_mixing_both_languages_is_answered_on_what_it_asks(
    assistant, today, text, chat_lang, entry
):
    reply = assistant.ask(text, chat_lang=chat_lang, today=today)
    assert (reply.action, reply.entry_id) == ("answer", entry), reply.reason


def test_the_words_of_the_other_language_do_not_count_as_words_we_cannot_answer(
    assistant, today
):
    """Before, "ze geven mij ... per dag" counted as five unknown words: the question went to
    staff because the entry seemed to cover only a fifth of it."""
    reply = assistant.ask(
        "je suis bénévole et ze geven mij 45 euro per dag, c'est ok?", chat_lang="fr", today=today
    )
    assert reply.action == "answer"
    assert reply.language == "fr"


def test_the_other_languages_subject_words_keep_a_mixed_question_from_looking_broad(
    assistant, today
):
    """"vrijwilliger" alone is a broad question (the overview); the French words name the
    insurance, so it is not."""
    reply = assistant.ask(
        "ik ben vrijwilliger bij een asbl, moet die een assurance responsabilité civile hebben?",
        chat_lang="nl", today=today,
    )
    assert reply.entry_id != "definition.overview.nl"


def test_a_question_in_one_language_is_read_as_before(assistant, today):
    for text, entry in [
        ("hoeveel mag ik per dag krijgen als vrijwilliger", "allowances.flat-rate-ceiling.nl"),
        ("combien par jour pour un bénévole", "allowances.flat-rate-ceiling.fr"),
    ]:
        assert assistant.ask(text, today=today).entry_id == entry
