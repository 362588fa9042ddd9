"""Messages that are not knowledge questions: greetings, thanks, "help", asking for a person.

Recognised from short phrase lists per language (data/intents.<lang>.yaml) on folded text, and
only when the message is short: "bedankt, maar mag ik ook ..." is a question, not thanks.
"""

from __future__ import annotations

from importlib import resources

import yaml

from bot.core.text.normalise import tokens

MAX_SMALLTALK_WORDS = 6


class Intents:
    def __init__(self) -> None:
        self._smalltalk: dict[str, dict[str, str]] = {}  # lang -> phrase -> kind
        self._person: dict[str, list[tuple[str, ...]]] = {}
        for lang in ("nl", "fr"):
            raw = yaml.safe_load(
                resources.files("bot.core").joinpath(f"intents/{lang}.yaml").read_text("utf-8")
            )
            self._smalltalk[lang] = {
                " ".join(tokens(phrase)): kind
                for kind, phrases in raw["smalltalk"].items()
                for phrase in phrases
            }
            self._person[lang] = [tuple(tokens(p)) for p in raw["ask_person"]]

    def smalltalk(self, text: str) -> tuple[str, str] | None:
        """(kind, language) when the whole message is a greeting, thanks, bye or help."""
        words = tokens(text)
        if not words or len(words) > MAX_SMALLTALK_WORDS:
            return None
        joined = " ".join(words)
        for lang in ("nl", "fr"):
            if joined in self._smalltalk[lang]:
                return self._smalltalk[lang][joined], lang
        # "hallo, bedankt!" – every word a smalltalk word of one language
        for lang in ("nl", "fr"):
            kinds = [self._smalltalk[lang].get(w) for w in words]
            if all(kinds):
                return ("thanks" if "thanks" in kinds else kinds[-1] or "help"), lang
        return None

    def asks_for_person(self, text: str) -> str | None:
        words = tuple(tokens(text))
        for lang in ("nl", "fr"):
            for phrase in self._person[lang]:
                n = len(phrase)
                if any(words[i : i + n] == phrase for i in range(len(words) - n + 1)):
                    return lang
        return None
