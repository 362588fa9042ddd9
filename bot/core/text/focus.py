"""The question inside a long message.

A situation told in several sentences ("Ik ben 62. Ik werk nog halftijds. Mijn dochter ...
Mag ik dan ...?") has many words no entry holds; judged on all of them, it looks like
something we do not know. Coverage is judged on the question: the sentences that ask
(ending in "?", else the last sentence), read alone and read with the sentence just before
them, which often holds the situation's key terms ("... ik ben werkloos. Mag dat?"); the
better-covered reading counts. Retrieval still reads the whole message. Short messages are
judged whole.
"""

from __future__ import annotations

import re

# Up to this many words a message is judged whole.
SHORT_MESSAGE_WORDS = 14
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")


def question_readings(text: str) -> list[str]:
    """The ways to read the question in `text`: the whole of a short message; for a long
    one, its asking sentences alone and with the sentence before them."""
    if len(text.split()) <= SHORT_MESSAGE_WORDS:
        return [text]
    sentences = [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]
    if len(sentences) < 2:
        return [text]
    asking = [s for s in sentences if s.endswith("?")] or sentences[-1:]
    first = sentences.index(asking[0])
    readings = [" ".join(asking)]
    if first > 0:
        readings.append(" ".join([sentences[first - 1], *asking]))
    return readings
