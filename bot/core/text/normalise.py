"""Unicode clean-up, case and accent folding, and tokens that keep numbers and amounts whole.

Order matters (retrieval notes 2.3): lowercase -> fold accents -> stem, identically at index and
query time, so an unaccented "responsabilite" reaches the indexed "responsabilité".
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Zero-width characters, bidi marks and other format characters people paste from phones.
_INVISIBLE = {"Cf", "Cc", "Co", "Cs"}
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'"})

# An amount or a number: "1.760,83", "1 760,83", "41,48", "2000", "0.4326".
_AMOUNT = r"\d{1,3}(?:[.\s]\d{3})+(?:,\d+)?|\d+(?:[.,]\d+)?"
_TOKEN = re.compile(rf"(?P<num>{_AMOUNT})|(?P<word>[a-z0-9]+)")


def clean(text: str) -> str:
    """NFKC, drop invisible/control characters, collapse white space."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(
        ch if unicodedata.category(ch) not in _INVISIBLE else (" " if ch in "\t\n\r" else "")
        for ch in text
    )
    return " ".join(text.split())


def fold(text: str) -> str:
    """Case-fold and strip accents (é -> e, ï -> i, œ -> oe, ß -> ss)."""
    text = text.casefold().translate(_APOSTROPHES).replace("œ", "oe").replace("æ", "ae")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _canonical_number(raw: str) -> str:
    """'1.760,83' and '1 760,83' -> '1760.83'; '41,48' -> '41.48'; '2000' -> '2000'."""
    digits = re.sub(r"[.\s](?=\d{3}(?:\D|$))", "", raw)
    return digits.replace(",", ".")


def tokens(text: str) -> list[str]:
    """Folded tokens; amounts are kept whole and written in one canonical form."""
    return list(_tokens(text))


@lru_cache(maxsize=8192)
def _tokens(text: str) -> tuple[str, ...]:
    # One message is tokenised by several readers (language, intents, markers, analysis).
    folded = fold(clean(text)).replace("'", " ")
    out: list[str] = []
    for match in _TOKEN.finditer(folded):
        if match.group("num"):
            out.append(_canonical_number(match.group("num")))
        else:
            out.append(match.group("word"))
    return tuple(out)
