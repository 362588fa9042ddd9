"""Messages that are not knowledge questions: greetings, thanks, "help", "I don't understand"
(unclear), asking for a person.

Recognised from phrase lists per language (intents/<lang>.yaml) on folded text. People
combine, stretch and wrap them ("goeienavond, alles goed?", "merciii 🙏", "ok merci, à
tantôt", "merci voor uw snelle antwoord, echt top", "tu es un robot ou une vraie
personne ?"): a message of up to MAX_WRAPPED_WORDS that holds small-talk phrases and
otherwise only `fillers` and `chat_words` is small talk of its strongest phrase's kind
(unclear > thanks > bye > help > greeting > no_subject, a bare "ja" or "non"). `chat_words`
name the chat (vraag, antwoord, bot, mevrouw), never a subject of the knowledge base, a
negation or a "how much/when/where": any such word keeps the message a question ("bedankt,
maar mag ik ook ...").
"""

from __future__ import annotations

import re
from importlib import resources
from typing import Any, cast

import yaml

from bot.core.errors import KnowledgeBaseError, Problem
from bot.core.text.normalise import tokens

MAX_WRAPPED_WORDS = 20
_STRETCHED = re.compile(r"([a-z])\1{2,}")  # "daaag", "merciii": a letter typed 3+ times
# "unclear" first: "merci, mais je n'ai pas compris" did not get what it needed.
# A bare yes or no (no_subject) is the weakest: "ja, bedankt" is thanks.
_KIND_ORDER = ("unclear", "thanks", "bye", "help", "greeting", "no_subject")
# A message of emoji alone is small talk too: a thumbs up after an answer is thanks, not a
# question for staff. Anything else without words gets the short "what I can do".
_THANKS_EMOJI = frozenset("👍🙏❤😊🙂👌👏✅💪🥰😀😃😄☺💯🤝🌹💐")
_GREETING_EMOJI = frozenset("👋")


def _words(text: str) -> list[str]:
    return [_STRETCHED.sub(r"\1", w) for w in tokens(text)]


def parse_intents(text: str, name: str) -> dict[str, Any]:
    """An intents file, every phrase checked to be text: YAML reads a bare on, off, yes or no
    as true/false, which would otherwise fail far from the file."""
    raw = yaml.safe_load(text)
    lists = [(f"smalltalk.{kind}", items) for kind, items in raw["smalltalk"].items()]
    lists += [(key, raw.get(key, [])) for key in ("fillers", "chat_words", "ask_person")]
    problems = [
        Problem(name, f"{key}: {item!r} is not text (put it in quotes)")
        for key, items in lists
        for item in items
        if not isinstance(item, str)
    ]
    if problems:
        raise KnowledgeBaseError(problems)
    return cast(dict[str, Any], raw)


class Intents:
    def __init__(self) -> None:
        self._smalltalk: dict[str, dict[str, str]] = {}  # lang -> phrase -> kind
        self._person: dict[str, list[tuple[str, ...]]] = {}
        self._phrases: dict[str, list[tuple[tuple[str, ...], str]]] = {}  # lang -> (words, kind)
        self._around: dict[str, set[str]] = {}  # lang -> fillers and chat words
        self._wrap_vocabulary: dict[str, set[str]] = {}  # lang -> every word _wrapped accepts
        for lang in ("nl", "fr"):
            path = f"intents/{lang}.yaml"
            text = resources.files("bot.core").joinpath(path).read_text("utf-8")
            raw = parse_intents(text, f"bot/core/{path}")
            self._smalltalk[lang] = {
                " ".join(tokens(phrase)): kind
                for kind, phrases in raw["smalltalk"].items()
                for phrase in phrases
            }
            self._person[lang] = [tuple(tokens(p)) for p in raw["ask_person"]]
            self._around[lang] = {
                w for key in ("fillers", "chat_words") for text in raw.get(key, [])
                for w in tokens(text)
            }
            self._phrases[lang] = [
                (tuple(phrase.split()), kind)
                for phrase, kind in self._smalltalk[lang].items()
                if phrase
            ]
            self._wrap_vocabulary[lang] = self._around[lang] | {
                w for phrase, _ in self._phrases[lang] for w in phrase
            }

    def smalltalk(self, text: str) -> tuple[str, str] | None:
        """(kind, language) when the whole message is a greeting, thanks, bye, help or unclear."""
        words = _words(text)
        if not words:
            return None
        joined = " ".join(words)
        for lang in ("nl", "fr"):
            if joined in self._smalltalk[lang]:
                return self._smalltalk[lang][joined], lang
        return self._wrapped(words)

    def _wrapped(self, words: list[str]) -> tuple[str, str] | None:
        """(kind, language) when the words hold small-talk phrases and otherwise only words
        about the chat itself."""
        if len(words) > MAX_WRAPPED_WORDS:
            return None
        for lang in ("nl", "fr"):
            # Most messages hold a word no phrase or chat word has: out before any scan.
            if not all(w in self._wrap_vocabulary[lang] for w in words):
                continue
            covered = [False] * len(words)
            found: set[str] = set()
            for phrase, kind in self._phrases[lang]:
                n = len(phrase)
                for i in range(len(words) - n + 1):
                    if tuple(words[i : i + n]) == phrase:
                        covered[i : i + n] = [True] * n
                        found.add(kind)
            allowed = self._around[lang]
            if found and all(c or w in allowed for w, c in zip(words, covered, strict=True)):
                return next(kind for kind in _KIND_ORDER if kind in found), lang
        return None

    def emoji_only(self, text: str) -> str | None:
        """The small-talk kind of a message with symbols but no word or number ("👍", "🙏🙏"),
        else None."""
        if tokens(text) or not text.strip():
            return None
        chars = set(text)
        if chars & _THANKS_EMOJI:
            return "thanks"
        if chars & _GREETING_EMOJI:
            return "greeting"
        return "help"

    def asks_for_person(self, text: str) -> str | None:
        words = tuple(tokens(text))
        for lang in ("nl", "fr"):
            for phrase in self._person[lang]:
                n = len(phrase)
                if any(words[i : i + n] == phrase for i in range(len(words) - n + 1)):
                    return lang
        return None
