"""Which language is one short message in: "nl", "fr", "other" (English...), or None.

Built for 2-4 word questions ("verzekering vrijwilliger?", "assurance bénévole ?"), where general
detectors guess Afrikaans or Italian (retrieval notes 2.6). We vote with what we know best: the
knowledge base's own words per language, the stopword lists, and French accents. Words both
languages use ("plafond", "forfait") count little. None lets the caller fall back to the chat's
chosen language.
"""

from __future__ import annotations

from collections.abc import Collection

from bot.core.text.analyzer import load_word_list
from bot.core.text.normalise import clean, fold, tokens

_FRENCH_LETTERS = set("éèêëàâçùûôîœ")
_SHARED_WEIGHT = 0.2


class LanguageGuesser:
    def __init__(self, vocabulary: dict[str, Collection[str]]) -> None:
        self._words = {
            lang: set(words) | load_word_list(f"stopwords.{lang}.txt")
            for lang, words in vocabulary.items()
        }
        self._english = load_word_list("stopwords.en.txt")

    def guess(self, text: str) -> str | None:
        raw = clean(text).casefold()
        words = [t for t in tokens(raw) if not t[0].isdigit()]
        if not words:
            return None
        score = {"nl": 0.0, "fr": 0.0}
        english: float = 0
        for word in words:
            hits = [lang for lang in score if word in self._words[lang]]
            for lang in hits:
                score[lang] += 1.0 if len(hits) == 1 else _SHARED_WEIGHT
            if word in self._english and not hits:
                english += 1
            elif word in self._english and len(hits) == 1:
                english += 0.5
        accents = sum(1 for ch in raw if ch in _FRENCH_LETTERS)
        score["fr"] += min(accents, 3) * 0.75
        if "ij" in fold(raw):
            score["nl"] += 0.5
        best = max(score, key=lambda lang: score[lang])
        if english >= 2 and english > score[best]:
            return "other"
        if score[best] == 0 or score["nl"] == score["fr"]:
            return "other" if english >= 1 and score[best] == 0 else None
        return best
