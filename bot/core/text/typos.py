"""Fix one-letter typos in query words against the knowledge base's own vocabulary.

A symmetric-delete index (the SymSpell idea): every vocabulary word is stored under each of its
one-letter deletions, so a query word is corrected by a few dictionary look-ups, whatever the
size of the vocabulary. Only unknown words of 5+ letters are touched; short words and numbers
are too ambiguous to correct.
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache

MIN_LENGTH = 5


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


class TypoFixer:
    def __init__(self, vocabulary: Counter[str]) -> None:
        self._counts = Counter({w: c for w, c in vocabulary.items() if w.isalpha()})
        self._by_delete: dict[str, set[str]] = {}
        for word in self._counts:
            if len(word) >= MIN_LENGTH - 1:
                for variant in _deletes(word):
                    self._by_delete.setdefault(variant, set()).add(word)
        self.fix = lru_cache(maxsize=20_000)(self._fix)

    def _fix(self, word: str) -> str:
        if word in self._counts or len(word) < MIN_LENGTH or not word.isalpha():
            return word
        candidates: set[str] = set(self._by_delete.get(word, ()))  # a letter was left out
        for variant in _deletes(word):
            if variant in self._counts:  # a letter too many
                candidates.add(variant)
            candidates |= self._by_delete.get(variant, set())  # a letter swapped or replaced
        candidates = {c for c in candidates if abs(len(c) - len(word)) <= 1 and c[0] == word[0]}
        if not candidates:
            return word
        return max(candidates, key=lambda c: (self._counts[c], c))
