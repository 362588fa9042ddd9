"""Dutch compound splitting with the knowledge base's own vocabulary as the dictionary.

"vrijwilligersverzekering" -> vrijwilligers + verzekering, "onkostenvergoeding" -> onkosten +
vergoeding. The whole word is kept as well, so an exact compound match still scores highest
(retrieval notes 2.5). Suffix-like tails ("heid", "ing") are never a part on their own.

A word the base does not know whose end is a word it knows ("toneelvereniging", "dartsclub",
"turnkring") yields that end alone: a Dutch compound is a kind of its last part (a
"toneelvereniging" is a "vereniging"), while its first part (theatre, darts, gymnastics) is the
asker's own world that no entry names. Such a word is weaker evidence that a question is
covered, like a typo correction (`by_tail_only`, used by Analyzer.is_known).
"""

from __future__ import annotations

from collections.abc import Collection
from functools import lru_cache

MIN_PART = 4
MIN_UNKNOWN_HEAD = 4  # shorter first parts are mostly prefixes ("her", "ver", "ont")
_NOT_A_PART = {
    "heid",
    "heden",
    "ing",
    "ingen",
    "lijk",
    "lijke",
    "baar",
    "schap",
    "loos",
    "tje",
    "tjes",
    "isch",
    "ische",
    "atie",
    "aties",
    "erij",
    "ster",
    "sters",
    "tijd",
}
_LINKS = ("s", "en", "e")  # linking morphemes: vrijwilliger-s-werk, zieken-fonds, ...
# Separable verb prefixes: with the participle's "ge" they are no first part of a compound
# ("afge|reden" is "af" + "gereden", no kind of "reden").
_SEPARABLE = {"aan", "af", "bij", "door", "in", "mee", "na", "om", "onder", "op", "over",
              "samen", "terug", "toe", "uit", "vast", "voor", "weg"}


class CompoundSplitter:
    def __init__(self, vocabulary: Collection[str], keep_whole: Collection[str] = ()) -> None:
        self._vocab = {w for w in vocabulary if len(w) >= MIN_PART and w.isalpha()}
        self._keep_whole = set(keep_whole)
        self.split = lru_cache(maxsize=50_000)(self._split_or_tail)

    def _known(self, part: str) -> bool:
        return part in self._vocab and part not in _NOT_A_PART

    def _head(self, head: str) -> str | None:
        if self._known(head):
            return head
        for link in _LINKS:
            if head.endswith(link) and self._known(head[: -len(link)]):
                return head[: -len(link)]
        return None

    def by_tail_only(self, word: str) -> bool:
        """Whether the word is unknown and recognised only by its last part (a real split
        has two parts or more)."""
        return len(self.split(word)) == 1

    def _split_or_tail(self, word: str) -> tuple[str, ...]:
        parts = self._split(word)
        if parts or word in self._vocab or word in self._keep_whole:
            return parts
        # The longest known end of an unknown word.
        for cut in range(MIN_UNKNOWN_HEAD, len(word) - MIN_PART + 1):
            head = word[:cut]
            if head.endswith("ge") and head[:-2] in _SEPARABLE:
                continue
            if self._known(word[cut:]):
                return (word[cut:],)
        return ()

    def _split(self, word: str, depth: int = 0) -> tuple[str, ...]:
        """Parts of `word` (empty when it is not a compound we can recognise)."""
        if depth > 2 or len(word) < 2 * MIN_PART or word in self._keep_whole:
            return ()
        # Prefer the longest known head: "vrijwilligers|verzekering" over "vrij|willigers...".
        for cut in range(len(word) - MIN_PART, MIN_PART - 1, -1):
            head, tail = self._head(word[:cut]), word[cut:]
            if head is None:
                continue
            if self._known(tail):
                return (head, tail)
            deeper = self._split(tail, depth + 1)
            if deeper:
                return (head, *deeper)
        return ()
