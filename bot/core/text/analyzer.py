"""One Analyzer per language: the same pipeline for index and query, so terms always meet.

text -> clean + fold -> tokens (numbers whole) -> stopwords out -> [query: typo fix]
     -> Dutch compound parts added -> Snowball stems -> synonym-group tokens added
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources

from bot.core.text.compounds import CompoundSplitter
from bot.core.text.normalise import tokens
from bot.core.text.stemming import SnowballStemmer
from bot.core.text.synonyms import Synonyms, load_groups
from bot.core.text.typos import TypoFixer


def load_word_list(name: str) -> frozenset[str]:
    text = resources.files("bot.core.text").joinpath(f"data/{name}").read_text(encoding="utf-8")
    words: set[str] = set()
    for line in text.splitlines():
        if not line.startswith("#"):
            words.update(line.split())
    return frozenset(words)


VOLUNTEERING_WORDS = tuple(sorted(load_word_list("volunteering-words.txt")))


def names_volunteering(text: str) -> bool:
    """Whether a word of the text names volunteering, an organisation or one of its roles
    ("bénévole", "vzw", "penningmeester"): checked on word beginnings, so "vrijwilligerswerk"
    and "associations" count, and in both languages at once (people mix them)."""
    return any(word.startswith(VOLUNTEERING_WORDS) for word in tokens(text))


class Analyzer:
    def __init__(self, lang: str, vocabulary: Counter[str] | None = None) -> None:
        self.lang = lang
        self.stopwords = load_word_list(f"stopwords.{lang}.txt")
        self._stemmer = SnowballStemmer(lang)
        vocabulary = vocabulary or Counter()
        groups = load_groups(lang)
        group_words = {w for group in groups for member in group for w in tokens(member)}
        known = set(vocabulary) | group_words
        self._splitter = CompoundSplitter(known) if lang == "nl" else None
        self._typos = TypoFixer(vocabulary | Counter(group_words))
        self._synonyms = Synonyms(groups, self._plain)
        self.query_terms = lru_cache(maxsize=4096)(self._query_terms)

    def _plain(self, text: str) -> list[str]:
        return [self._stemmer.stem(t) for t in tokens(text) if t not in self.stopwords]

    def is_known(self, word: str) -> bool:
        """False when the word only matched after a typo correction, or only by its last
        part ("dartsclub" as "club")."""
        if self._splitter is not None and self._splitter.by_tail_only(word):
            return False
        return self._typos.fix(word) == word

    def words(self, text: str) -> list[str]:
        """Folded tokens without stopwords (used for language guessing and vocabulary)."""
        return [t for t in tokens(text) if t not in self.stopwords]

    def _terms(self, words: Iterable[str]) -> list[str]:
        stems: list[str] = []
        extra: list[str] = []
        for word in words:
            stem = self._stemmer.stem(word)
            stems.append(stem)
            if self._splitter is not None and not word[0].isdigit():
                # A part's synonym group counts once per word, and not at all when the whole
                # word is in that group already: "onkostenvergoeding" (onkosten + vergoeding,
                # both allowance words) weighed its group three times over.
                groups = set(self._synonyms.expand([stem]))
                for part in self._splitter.split(word):
                    part_stem = self._stemmer.stem(part)
                    extra.append(part_stem)
                    for group in self._synonyms.expand([part_stem]):
                        if group not in groups:
                            groups.add(group)
                            extra.append(group)
        return stems + extra + self._synonyms.expand(stems)

    def index_terms(self, text: str) -> list[str]:
        return self._terms(self.words(text))

    def _query_terms(self, text: str) -> tuple[str, ...]:
        return tuple(self._terms(self._typos.fix(w) for w in self.words(text)))
