"""The question inside a long message.

A situation told in several sentences ("Ik ben 62. Ik werk nog halftijds. Mijn dochter ...
Mag ik dan ...?") has many words no entry holds; judged on all of them, it looks like
something we do not know. Coverage is judged on the question: the sentences that ask
(ending in "?", else the last sentence; a clause before a colon or semicolon is a sentence
of its own: "Stel dat de tent afbrandt: moeten wij betalen?"), read alone and read with each
other sentence of the message. The subject is often told before the question, and not
always just before it ("Ik leef van een leefloon. [...] Moet zij akkoord gaan?"); the
best-covered reading counts.
Of a situation sentence only the words the base knows count (`Reading.situation`): the
coffee machine, the cheese festival and the street in a story are not a subject we fail to
cover, while a word of the question itself that we never use still counts against it. A
question without a word of its own ("Hoe werkt dat?", "je fais comment ?") asks about the
sentence before it, which then is part of the question ("Wij willen een gepensioneerde als
flexi-jobber inzetten. Hoe werkt dat?": the flexi-job is asked about, not told).
Retrieval still reads the whole message. Short messages are judged whole.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

# Up to this many words a message is judged whole.
SHORT_MESSAGE_WORDS = 14
_SENTENCE_END = re.compile(r"(?<=[.!?:;])\s+|\n+")


@dataclass(frozen=True)
class Reading:
    """One way to read the question of a message, for judging coverage."""

    question: str  # the asking sentences (or a whole short message): every word counts
    situation: str = ""  # one sentence of the story around them: only words the base knows


def _never(_: str) -> bool:
    return False


def question_readings(
    text: str, says_nothing: Callable[[str], bool] = _never
) -> list[Reading]:
    """The ways to read the question in `text`: the whole of a short message; for a long
    one, its asking sentences alone and with each other sentence as their situation.
    `says_nothing(sentence)` tells a question without a word of its own ("Mag dat?"): the
    sentence before it then belongs to the question."""
    if len(text.split()) <= SHORT_MESSAGE_WORDS:
        return [Reading(text)]
    sentences = [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]
    if len(sentences) < 2:
        return [Reading(text)]
    asking = [s for s in sentences if s.endswith("?")] or sentences[-1:]
    first = sentences.index(asking[0])
    if first > 0 and says_nothing(" ".join(asking)):
        # "Hoe werkt dat?", "Mag dat?": the sentence before is what is asked.
        asking = [sentences[first - 1], *asking]
    question = " ".join(asking)
    return [Reading(question)] + [
        Reading(question, s) for s in dict.fromkeys(sentences) if s not in asking
    ]
