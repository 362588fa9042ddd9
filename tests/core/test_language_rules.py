"""The language guesser's rules, one by one: each decides real messages.

Built on tiny vocabularies so that each rule is the only thing that can decide.
"""

from bot.core.text import LanguageGuesser


def guesser() -> LanguageGuesser:
    return LanguageGuesser(
        {
            "nl": {"verzekering", "plafond", "forfait", "vrijwilliger"},
            "fr": {"assurance", "plafond", "forfait", "benevole"},
        }
    )


def test_a_word_only_one_language_uses_decides():
    assert guesser().guess("verzekering") == "nl"
    assert guesser().guess("assurance") == "fr"


def test_words_both_languages_use_weigh_little_against_one_own_word():
    """'plafond forfait vrijwilliger': two shared words (0.2 each per language) do not
    outweigh one Dutch-only word, and do not decide alone."""
    assert guesser().guess("plafond forfait vrijwilliger") == "nl"
    assert guesser().guess("plafond forfait benevole") == "fr"


def test_shared_words_alone_leave_the_language_open():
    """'forfait plafond' could be either: None lets the chat's language decide."""
    assert guesser().guess("forfait plafond") is None


def test_french_accents_tip_a_message_without_own_words():
    """Accented letters count for French: 'plafond forfait défraiement' is French although
    'défraiement' is unknown to the vocabulary."""
    assert guesser().guess("plafond forfait défraiement") == "fr"
    assert guesser().guess("plafond forfait defraiement") is None


def test_accents_count_at_most_three_times():
    """A Dutch message with a French name in it ('Crèche Sainte-Thérèse') stays Dutch when
    it has enough Dutch words: accents count 0.75 each, at most three."""
    text = "verzekering vrijwilliger verzekering vrijwilliger crèche thérèse éé èè"
    assert guesser().guess(text) == "nl"


def test_a_tie_between_the_languages_is_undecided():
    assert guesser().guess("verzekering assurance") is None


def test_ij_counts_for_dutch():
    """'ij' is Dutch spelling: it tips a message of shared words towards Dutch."""
    assert guesser().guess("forfait plafond bijdrage") == "nl"


def test_two_english_words_make_a_message_english():
    assert guesser().guess("what about the insurance") == "other"
    assert guesser().guess("the assurance") == "fr"


def test_one_english_word_among_unknown_words_is_english():
    """No Dutch or French word at all and one English word: not a language we speak."""
    assert guesser().guess("the xyzzy") == "other"
    assert guesser().guess("xyzzy") is None


def test_english_outweighs_words_both_languages_share():
    """'what about forfait plafond': two English words beat two shared words (0.2 each)."""
    assert guesser().guess("what about forfait plafond") == "other"


def test_two_english_words_outweigh_one_french_word():
    assert guesser().guess("what the assurance") == "other"
