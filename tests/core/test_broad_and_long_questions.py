"""How people really ask: broad questions, long stories, answers that say what they answer."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from bot.core.assistant import load_assistant, plain_text
from bot.core.text.focus import Reading, question_readings

MINI = Path(__file__).resolve().parents[1] / "data" / "kb-mini"
DAY = date(2026, 2, 1)

HUB = {
    "nl": """
- id: insurance.overview.nl
  lang: nl
  pair: insurance.overview
  topic: insurance
  question: Ben ik verzekerd als vrijwilliger?
  variants:
    - verzekering vrijwilliger
    - hoe zit het met verzekeringen voor vrijwilligers
  answer: |
    Verzekeringen voor vrijwilligers, kort: de burgerlijke aansprakelijkheid is verplicht
    verzekerd; een ongevallenverzekering is niet verplicht.
  related: [insurance.mandatory, insurance.accident]
  sources:
    - title: Wet van 3 juli 2005
      legal_ref: art. 6
  reviewed: 2026-11-24
  review_by: 2027-06-30
""",
    "fr": """
- id: insurance.overview.fr
  lang: fr
  pair: insurance.overview
  topic: insurance
  question: Suis-je assuré comme volontaire ?
  variants:
    - assurance volontaire
    - les assurances des volontaires
  answer: |
    Les assurances des volontaires, en bref : la responsabilité civile est obligatoirement
    assurée ; une assurance accidents n'est pas obligatoire.
  related: [insurance.mandatory, insurance.accident]
  sources:
    - title: Loi du 3 juillet 2005
      legal_ref: art. 6
  reviewed: 2026-11-24
  review_by: 2027-06-30
""",
}


@pytest.fixture(scope="module")
def with_hub(tmp_path_factory):
    root = tmp_path_factory.mktemp("kb") / "kb"
    shutil.copytree(MINI, root)
    for lang, text in HUB.items():
        path = root / "faq" / f"insurance.{lang}.yaml"
        path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")
    return load_assistant(root, today=DAY)


def test_a_broad_question_gets_the_overview_with_the_specific_entries_as_choices(with_hub):
    """'verzekering vrijwilliger' ties several narrow entries; instead of a menu of three
    titles the person gets the short overview, and the narrow entries to go further."""
    reply = with_hub.ask("verzekering vrijwilliger", today=DAY)
    assert reply.action == "answer" and reply.entry_id == "insurance.overview.nl"
    related = [c.entry_id for c in reply.related]
    assert related == ["insurance.mandatory.nl", "insurance.accident.nl"]
    assert "ongevallenverzekering is niet verplicht" in plain_text(reply)


def test_a_narrow_question_still_gets_its_own_entry(with_hub):
    reply = with_hub.ask(
        "ben ik verzekerd als ik een ongeval heb tijdens vrijwilligerswerk", today=DAY
    )
    assert reply.entry_id == "insurance.accident.nl" and reply.related == ()


def test_without_an_overview_a_tie_is_still_a_choice(mini):
    reply = mini.ask("verzekering vrijwilliger", today=DAY)
    assert reply.action in ("clarify", "answer")
    if reply.action == "clarify":
        assert len(reply.candidates) >= 2


def test_every_answer_starts_with_the_question_it_answers_in_bold(mini):
    """A differently phrased question may reach an entry: the person sees what is answered."""
    reply = mini.ask("hoeveel mag ik per dag krijgen als vrijwilliger?", today=DAY)
    first_line = reply.text.split("\n", 1)[0]
    entry = mini.kb.entries[reply.entry_id]
    assert first_line == f"<b>{entry.question}</b>"


def test_the_question_of_a_long_story_is_read_alone_and_with_each_sentence_of_its_situation():
    story = (
        "Ik ben 62 en werk nog halftijds in een bakkerij. Mijn dochter zit in het bestuur van "
        "een jeugdhuis en vraagt of ik op zaterdag de bar wil doen. Moet ik dat aan mijn "
        "ziekenfonds melden?"
    )
    question = "Moet ik dat aan mijn ziekenfonds melden?"
    assert question_readings(story) == [
        Reading(question),
        Reading(question, "Ik ben 62 en werk nog halftijds in een bakkerij."),
        Reading(
            question,
            "Mijn dochter zit in het bestuur van een jeugdhuis en vraagt of ik op zaterdag "
            "de bar wil doen.",
        ),
    ]


def test_a_story_without_a_question_mark_asks_in_its_last_sentence():
    story = (
        "Wij zijn een vzw met vijf vrijwilligers en geen personeel. We organiseren elk jaar "
        "een rommelmarkt. Ik wil weten of we een verzekering moeten nemen"
    )
    readings = question_readings(story)
    assert {r.question for r in readings} == {"Ik wil weten of we een verzekering moeten nemen"}


def test_the_situation_before_a_colon_is_not_part_of_the_question():
    """'Stel dat ...: moeten wij ...?' – the clause before the colon tells the situation."""
    story = (
        "We organiseren elk jaar een buurtfeest zonder vzw. Stel dat de barbecue vuur vat en de "
        "tent afbrandt: moeten wij dat dan persoonlijk betalen?"
    )
    readings = question_readings(story)
    assert {r.question for r in readings} == {"moeten wij dat dan persoonlijk betalen?"}
    assert Reading(
        "moeten wij dat dan persoonlijk betalen?",
        "Stel dat de barbecue vuur vat en de tent afbrandt:",
    ) in readings


def test_a_question_without_a_word_of_its_own_takes_in_the_sentence_before_it():
    story = (
        "Ik ben vrijwilliger bij een toneelgroep in Heist. Wij willen de decors laten bouwen "
        "door een gepensioneerde flexi-jobber. Mag dat?"
    )
    asked = "Wij willen de decors laten bouwen door een gepensioneerde flexi-jobber. Mag dat?"
    readings = question_readings(story, says_nothing=lambda s: s == "Mag dat?")
    assert readings == [
        Reading(asked),
        Reading(asked, "Ik ben vrijwilliger bij een toneelgroep in Heist."),
    ]


def test_what_a_bare_mag_dat_asks_about_counts_in_full(mini):
    """'Mag dat?' asks about the flexi-job told just before it: that sentence is the
    question, so its words no entry holds count, and the question goes to staff instead of
    being answered on 'vrijwilliger' from the first sentence."""
    story = (
        "Ik ben vrijwilliger bij een toneelgroep in Heist. Wij willen de decors laten bouwen "
        "door een gepensioneerde flexi-jobber. Mag dat?"
    )
    reply = mini.ask(story, today=DAY)
    assert reply.action == "escalate"
    assert "coverage" in reply.reason


def test_a_short_message_is_its_own_question():
    text = "mag ik vrijwilligerswerk doen. met een uitkering?"
    assert question_readings(text) == [Reading(text)]


ACCIDENT_STORY = {
    "nl": (
        "Ik had vorige week een ongeval bij mijn vrijwilligerswerk. We waren met de "
        "toneelgroep decors aan het bouwen in de parochiezaal van Heist. Wie betaalt de "
        "kosten, ben ik verzekerd?"
    ),
    "fr": (
        "J'ai eu un accident la semaine passée pendant mon volontariat. Nous construisions les "
        "décors de la troupe de théâtre dans la salle paroissiale de Wavre. Suis-je assuré "
        "pour ça ?"
    ),
}


@pytest.mark.parametrize("lang", ["nl", "fr"])
def test_a_story_is_answered_on_the_subject_it_tells_before_its_question(mini, lang):
    """The accident is told in the first sentence, the question comes two sentences later,
    and the theatre group, its scenery and the parish hall are words no entry holds: they
    are the story, not a subject we fail to cover."""
    reply = mini.ask(ACCIDENT_STORY[lang], today=DAY)
    assert reply.action == "answer", reply.reason
    assert reply.entry_id == f"insurance.accident.{lang}"


def test_the_details_of_a_story_do_not_count_against_its_coverage(mini):
    plain = ACCIDENT_STORY["nl"].replace(
        "met de toneelgroep decors aan het bouwen in de parochiezaal van Heist", "aan het werk"
    )

    def coverage(text: str) -> float:
        search = mini.route(text, today=DAY).search
        assert search is not None
        return search.signals.coverage

    assert coverage(ACCIDENT_STORY["nl"]) == pytest.approx(coverage(plain))


def test_a_word_of_the_question_itself_that_no_entry_uses_still_counts(mini):
    """Only the situation's unknown words are set aside: "bij de brandweer" in the question
    is what is asked, and no entry here is about the fire brigade."""
    story = ACCIDENT_STORY["nl"].replace("verzekerd?", "verzekerd bij de brandweer?")
    assert story != ACCIDENT_STORY["nl"]
    reply = mini.ask(story, today=DAY)
    assert reply.action == "escalate"
    assert "coverage" in reply.reason


def test_a_long_story_is_answered_not_escalated_for_its_many_unknown_words(assistant):
    """Every word of a story counted against coverage made long messages look unknown."""
    story = (
        "Mijn buurvrouw is 70 en heeft een klein pensioentje. Ze helpt al jaren in de "
        "kringloopwinkel van ons dorp, twee namiddagen per week, en ze krijgt daar een kleine "
        "vergoeding voor. Haar kleinzoon zegt dat ze daardoor haar pensioen kan verliezen. "
        "Klopt dat, mag een gepensioneerde vrijwilligerswerk doen?"
    )
    reply = assistant.ask(story, today=date(2026, 11, 24))
    assert reply.action == "answer", reply.reason
    assert reply.topic == "benefits-and-status"


@pytest.mark.parametrize(
    "text",
    [
        "Je suis au chômage en France, puis-je faire du bénévolat sans perdre mes allocations ?",
        "Mag ik als vrijwilliger in Nederland een vrijwilligersvergoeding krijgen van het UWV?",
    ],
)
def test_another_countrys_rules_are_not_answered_with_our_entries(assistant, text):
    """A question about France's or the Netherlands' rules shares our words, but answering it
    with a Belgian entry would mislead: it goes to staff, saying why."""
    reply = assistant.ask(text, today=date(2026, 11, 24))
    assert reply.action == "escalate"
    assert "another country" in reply.reason


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("goeienavond, alles goed?", "greeting"),
        ("merciii 🙏", "thanks"),
        ("d'accord merci, à tantôt", "thanks"),
        ("allez, daaag tot later", "bye"),
        ("waarvoor dien jij eigenlijk?", "help"),
    ],
)
def test_small_talk_is_recognised_when_people_combine_and_stretch_it(assistant, text, kind):
    reply = assistant.ask(text, today=date(2026, 11, 24))
    assert reply.action == "smalltalk" and reply.reason == f"smalltalk: {kind}"


def test_a_short_question_made_of_small_talk_words_and_a_subject_is_a_question(assistant):
    reply = assistant.ask("merci, en de verzekering?", today=date(2026, 11, 24))
    assert reply.action != "smalltalk"


@pytest.mark.parametrize(
    ("question", "lang"), [("vrijwilligerswerk?", "nl"), ("bénévole", "fr")]
)
def test_a_question_naming_only_volunteering_gets_the_overview_of_what_it_is(
    assistant, today, question, lang
):
    """Every word is one most entries hold: no entry is closer than another, so the person
    gets what volunteering is and their rights, with the topics as buttons, not whichever
    narrow entry repeats the word most."""
    search = assistant.route(question, today=today).search
    assert search is not None and search.generic
    reply = assistant.ask(question, today=today)
    assert reply.action == "answer"
    assert reply.entry_id == f"definition.overview.{lang}"
    assert reply.related


def test_a_question_with_a_subject_is_not_generic(assistant, today):
    search = assistant.route("vrijwilligerswerk met een uitkering", today=today).search
    assert search is not None and not search.generic
