"""Text analysis for short Dutch and French questions."""

from collections import Counter

import pytest

from bot.core.text import Analyzer, LanguageGuesser
from bot.core.text.analyzer import names_volunteering
from bot.core.text.normalise import fold, tokens

NL_VOCAB = Counter(
    [
        "vrijwilligers",
        "vrijwilliger",
        "verzekering",
        "onkosten",
        "vergoeding",
        "werkloosheid",
        "uitkering",
        "arbeidsongeschikt",
        "werk",
        "organisatie",
    ]
)


@pytest.fixture(scope="module")
def nl() -> Analyzer:
    return Analyzer("nl", NL_VOCAB)


@pytest.fixture(scope="module")
def fr() -> Analyzer:
    return Analyzer("fr", Counter(["assurance", "volontaire", "responsabilite", "chomage"]))


def test_accents_and_case_are_folded():
    """'Bénévole', 'BENEVOLE' and 'benevole' are the same word."""
    assert fold("Bénévole") == fold("BENEVOLE") == "benevole"
    assert fold("geïnteresseerd") == "geinteresseerd"


def test_amounts_and_numbers_stay_whole():
    """Amounts like 1.760,83 and '2000 km' survive tokenisation as one number each."""
    assert "1760.83" in tokens("max 1.760,83 euro")
    assert tokens("1 760,83 €") == ["1760.83"]
    assert tokens("41,48 per dag") == ["41.48", "per", "dag"]
    assert tokens("2000 km") == ["2000", "km"]


def test_invisible_characters_and_odd_unicode_do_not_break_words():
    """Zero-width spaces and full-width letters from phones do not split or hide words."""
    assert tokens("vrij\u200bwilliger") == ["vrijwilliger"]
    assert tokens("ｖｅｒｚｅｋｅｒｉｎｇ") == ["verzekering"]


def test_unaccented_french_meets_accented_french(fr):
    """'responsabilite' typed without accents matches 'responsabilité'."""
    assert fr.query_terms("responsabilite")[0] == fr.query_terms("responsabilité")[0]


def test_dutch_plural_and_singular_meet(nl):
    """'organisaties' and 'organisatie', 'ongevallen' and 'ongeval' share a stem."""
    assert nl.query_terms("organisaties")[0] == nl.query_terms("organisatie")[0]
    assert nl.query_terms("ongevallen")[0] == nl.query_terms("ongeval")[0]


@pytest.mark.parametrize(
    ("said", "written"),
    [("betaalt", "betalen"), ("riskeert", "riskeer"), ("organiseert", "organiseren"),
     ("meldt", "melden")],
)
def test_dutch_verb_with_t_meets_its_other_forms(nl, said, written):
    """'wie betaalt de schade' reaches an entry that says 'wie moet betalen'."""
    assert nl.query_terms(said)[0] == nl.query_terms(written)[0]


@pytest.mark.parametrize(
    ("one", "other"), [("bewijzen", "bewijs"), ("actieve", "actief"), ("schrijven", "schrijft")]
)
def test_dutch_z_and_v_before_a_vowel_meet_their_s_and_f(nl, one, other):
    """'moet ik dat bewijzen' reaches an entry that asks for 'een bewijs'."""
    assert nl.query_terms(one)[0] == nl.query_terms(other)[0]


def test_dutch_nouns_ending_in_t_still_meet_their_plural(nl):
    """Folding the verb's -t does not split 'attest' from 'attesten'."""
    assert nl.query_terms("attest")[0] == nl.query_terms("attesten")[0]


@pytest.mark.parametrize(
    ("participle", "verb"),
    [("gekregen", "krijgen"), ("betaald", "betalen"), ("terugbetaald", "terugbetalen"),
     ("geweigerd", "weigert")],
)
def test_dutch_past_participle_meets_its_verb(nl, participle, verb):
    """'ik heb niks gekregen' reaches an entry that says 'wat je krijgt'."""
    assert nl.query_terms(participle)[0] == nl.query_terms(verb)[0]


@pytest.mark.parametrize(
    ("compound", "part"),
    [
        ("vrijwilligersverzekering", "verzekering"),
        ("onkostenvergoeding", "vergoeding"),
        ("werkloosheidsuitkering", "uitkering"),
        ("arbeidsongeschiktheid", "arbeidsongeschikt"),
    ],
)
def test_dutch_compounds_match_their_parts(nl, compound, part):
    """A compound question reaches entries that use its parts."""
    assert nl.query_terms(part)[0] in nl.query_terms(compound)


def test_an_unknown_compound_is_a_kind_of_its_known_last_part(nl):
    """'reisverzekering' (no entry says 'reis') reaches entries on 'verzekering', as weaker
    evidence than the word itself; a known word and an unknown one without a known end are
    left alone."""
    assert nl.query_terms("verzekering")[0] in nl.query_terms("reisverzekering")
    assert not nl.is_known("reisverzekering")
    assert nl.is_known("verzekering")
    assert nl.query_terms("fietsbel") == ("fietsbel",)


def test_a_separable_verb_is_no_compound_of_its_end():
    """'afgereden' (af + gereden: driven into) is no kind of 'reden' (a reason)."""
    analyzer = Analyzer("nl", Counter(["reden", "verzekering"]))
    assert analyzer.query_terms("reden")[0] not in analyzer.query_terms("afgereden")
    assert analyzer.query_terms("verzekering")[0] in analyzer.query_terms("reisverzekering")


def test_common_words_are_not_split(nl):
    """'verzekering' and 'vergoeding' are words, not compounds."""
    assert len([t for t in nl.query_terms("verzekering") if not t.startswith("~")]) == 1
    assert len([t for t in nl.query_terms("vergoeding") if not t.startswith("~")]) == 1


def test_synonyms_bring_jargon_together(nl, fr):
    """RVA meets 'werkloos', ONEM meets 'chômage'."""
    assert set(nl.query_terms("RVA")) & set(nl.query_terms("werkloos"))
    assert set(fr.query_terms("ONEM")) & set(fr.query_terms("chômage"))


@pytest.mark.parametrize(
    ("lang", "said", "written"),
    [
        ("nl", "dopgeld", "werkloosheid"),  # Flemish for the unemployment benefit
        ("nl", "stempelgeld", "RVA"),
        ("nl", "bruggepensioneerd", "brugpensioen"),
        ("fr", "prépensionné", "RCC"),
        ("fr", "prépensionnée", "prépension"),
    ],
)
def test_the_words_people_use_for_their_status_meet_the_official_ones(lang, said, written):
    analyzer = Analyzer(lang)
    assert set(analyzer.query_terms(said)) & set(analyzer.query_terms(written))


def test_fillers_of_a_question_are_no_subject(nl, fr):
    """"wat moet er allemaal in zo'n nota staan?": "allemaal" was split as a compound
    (all + maal) and the "n" of "zo'n" was a word; "je risque quelque chose ?" met the
    entry that says what a breach risks."""
    assert nl.words("allemaal in zo'n alle") == []
    assert fr.words("quelque quelques") == []
    assert fr.words("la même chose") == ["meme", "chose"]


def test_one_letter_typos_are_corrected(nl):
    """'verzekring' and 'vrijwiliger' are understood as 'verzekering' and 'vrijwilliger'."""
    assert nl.query_terms("verzekring")[0] == nl.query_terms("verzekering")[0]
    assert nl.query_terms("vrijwiliger")[0] == nl.query_terms("vrijwilliger")[0]


def test_negations_are_kept(nl, fr):
    """'niet', 'geen', 'pas', 'non' carry meaning and are not stopwords."""
    assert {"niet", "geen"} <= set(nl.words("niet geen"))
    assert {"pas", "non"} <= set(fr.words("pas non"))


def test_question_words_and_modals_do_not_decide_what_a_question_is_about(nl, fr):
    """In a three-word question 'wanneer' or 'quand' favoured entries about deadlines:
    question words and modals say how something is asked, not what about."""
    assert nl.words("wanneer mag ik wie kan hoeveel moet") == []
    assert fr.words("quand peut qui combien dois") == []
    assert nl.words("wanneer verzekering") == ["verzekering"]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("verzekering vrijwilliger?", "nl"),
        ("assurance bénévole ?", "fr"),
        ("assurance benevole", "fr"),
        ("mag ik vrijwilligen met een uitkering", "nl"),
        ("combien par jour", "fr"),
        ("hoeveel per dag", "nl"),
        ("how do I register a company", "other"),
    ],
)
def test_language_of_short_questions(assistant, text, lang):
    """Two- to four-word questions are recognised as Dutch, French or something else."""
    assert assistant.detect_language(text) == lang


def test_a_message_with_no_known_words_is_undecided():
    """Numbers or punctuation alone give no language, so the chat's language is used."""
    guesser = LanguageGuesser({"nl": {"verzekering"}, "fr": {"assurance"}})
    assert guesser.guess("???") is None
    assert guesser.guess("42") is None


@pytest.mark.parametrize("question", [
    "mag ik als vrijwilliger een vergoeding krijgen?",
    "wij zijn een kleine vzw zonder personeel",
    "onze penningmeester wil weten hoeveel we mogen uitbetalen",
    "est-ce que le défraiement compte pour le chômage ?",
    "notre club de basket a besoin de bénévoles",
    "je suis bénévole in een vzw in Gent",  # people mix the languages
])
def test_a_question_that_names_volunteering_or_an_organisation_is_recognised(question):
    assert names_volunteering(question)


@pytest.mark.parametrize("question", [
    "hoeveel bedraagt een invaliditeitsuitkering?",
    "quelles sont les conditions pour toucher le RIS ?",
    "wat is een bediende?",  # no word beginning is enough by itself: "bediende" is no "bestuur"
])
def test_a_question_that_names_no_volunteering_is_recognised_as_such(question):
    assert not names_volunteering(question)
