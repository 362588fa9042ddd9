"""Snowball stemming (PyStemmer, C) with the algorithm pinned per language.

Dutch uses `dutch_porter` on purpose: Snowball 3's new default `dutch` mangles compounds
("vrijwilligerswerk" -> "vrijwillirswerk", "ongeval" -> "onval"; retrieval notes 2.2). An index
built with one algorithm and queried with the other silently degrades, so the name is fixed here.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import Stemmer

ALGORITHM = {"nl": "dutch_porter", "fr": "french"}
_VOWELS = set("aeiouy")
_VOICED = {"z": "s", "v": "f"}


class SnowballStemmer:
    def __init__(self, lang: str) -> None:
        self.lang = lang
        self._stemmer = Stemmer.Stemmer(ALGORITHM[lang])
        self._verb_forms = _verb_forms(lang)
        self.stem = lru_cache(maxsize=50_000)(self._stem)

    def _stem(self, word: str) -> str:
        if word[0].isdigit() or len(word) <= 3:
            return word
        if self.lang == "nl":
            # A past participle is stemmed as its infinitive ("gekregen" as "krijgen").
            word = self._verb_forms.get(word, word)
            # dutch_porter leaves "organisaties" and "organisatie" apart; fold the -ies plural.
            if word.endswith("ies"):
                word = word[:-1]
            stem: str = self._stemmer.stemWord(word)
            # ... and "ongevallen" -> "ongevall": undouble a final consonant, as the stem of
            # the singular has it.
            if len(stem) > 4 and stem[-1] == stem[-2] and stem[-1] not in _VOWELS:
                stem = stem[:-1]
            # ... and the verb's -t ("betaalt", "riskeert", "meldt") is left on, so "wie
            # betaalt" never met "betalen": drop it and stem again. Nouns ending in -t lose it
            # in singular and plural alike ("attest", "attesten" -> "attes"), so they still meet.
            if len(stem) > 4 and stem[-1] == "t" and stem[-2] != "t":
                stem = self._stemmer.stemWord(stem[:-1])
            # ... and the stem-final z and v of forms with a vowel after them are s and f in
            # the others: "bewijzen"/"bewijs", "geven"/"geeft", "actieve"/"actief".
            if len(stem) > 3 and stem[-1] in _VOICED:
                stem = stem[:-1] + _VOICED[stem[-1]]
            return stem
        stemmed: str = self._stemmer.stemWord(word)
        return stemmed


def _verb_forms(lang: str) -> dict[str, str]:
    """data/verb-forms.<lang>.txt: a participle and its infinitive per line (none: {})."""
    path = resources.files("bot.core.text").joinpath(f"data/verb-forms.{lang}.txt")
    if not path.is_file():
        return {}
    forms: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            participle, infinitive = line.split()
            forms[participle] = infinitive
    return forms
