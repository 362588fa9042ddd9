"""Promoted staff answers become draft entries a reviewer only has to complete."""

from datetime import date

import yaml

from bot.escalation.drafts import Draft, export, guess_topic, slug, to_yaml

DRAFT = Draft(
    ticket=12,
    language="fr",
    question="Puis-je être bénévole pendant mon chômage ?",
    answer="Oui, mais déclarez-le d'abord à l'ONEM.\n\nUtilisez le formulaire C45B.",
    topic="benefits-and-status",
    created=date(2026, 2, 1),
)


def test_a_draft_is_an_entry_in_the_knowledge_base_format():
    """The export is a YAML list item with the fields knowledge/README.md requires."""
    (entry,) = yaml.safe_load(to_yaml(DRAFT))
    assert entry["lang"] == "fr"
    assert entry["topic"] == "benefits-and-status"
    assert entry["id"] == entry["pair"] + ".fr"
    assert entry["question"] == DRAFT.question
    assert entry["variants"] == [DRAFT.question]
    assert entry["answer"].strip() == DRAFT.answer
    required = {
        "id",
        "lang",
        "pair",
        "topic",
        "question",
        "variants",
        "answer",
        "sources",
        "reviewed",
        "review_by",
    }
    assert set(entry) == required


def test_what_a_reviewer_must_complete_is_marked_todo():
    """Sources and review dates are marked TODO so `check` refuses the draft until filled."""
    (entry,) = yaml.safe_load(to_yaml(DRAFT))
    assert entry["sources"] == [{"title": "TODO", "url": "TODO"}]
    assert entry["reviewed"] == entry["review_by"] == "TODO"
    assert "faq/benefits-and-status.fr.yaml" in to_yaml(DRAFT)


def test_an_unguessed_topic_is_marked_with_the_choices():
    """When the core cannot guess the topic, the draft lists the topics to choose from."""
    text = to_yaml(Draft(1, "nl", "Iets heel anders?", "Nee.", None, date(2026, 2, 1)))
    assert "topic: TODO" in text and "insurance" in text


def test_template_syntax_in_a_staff_answer_stays_literal():
    """Braces a staff member typed cannot turn into template code in the knowledge base."""
    draft = Draft(1, "nl", "Vraag?", "Gebruik {{ naam }} hier", "policy", date(2026, 2, 1))
    (entry,) = yaml.safe_load(to_yaml(draft))
    assert entry["answer"].strip() == "{% raw %}Gebruik {{ naam }} hier{% endraw %}"


def test_the_export_lists_every_draft_oldest_first_or_says_there_are_none():
    """`python -m bot drafts` prints all drafts in order, or one line saying there are none."""
    newer = Draft(13, "nl", "Vraag?", "Antwoord.", "policy", date(2026, 2, 3))
    entries = yaml.safe_load(export([newer, DRAFT]))
    assert [e["lang"] for e in entries] == ["fr", "nl"]
    assert export([]).startswith("# No drafts")


def test_ids_are_made_of_plain_words():
    """Accents and punctuation are dropped from the id part taken from the question."""
    assert slug("Puis-je être bénévole ?") == "puis-je-etre-benevole"


def test_the_topic_is_guessed_by_the_answering_core(assistant, today):
    """A question about insurance gets the insurance topic."""
    topic = guess_topic(assistant, "moet onze vzw vrijwilligers verzekeren", "nl", today)
    assert topic == "insurance"
