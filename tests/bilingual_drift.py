"""The mechanical part of Dutch/French drift within a pair (issue 10, section 3).

Both languages of a pair must carry the same amounts and other numbers (article numbers, law
dates, hours, percentages), the same form codes (C45B, C45F, ...), the same figure names, and
cite the same official pages (or their counterpart in the other language, e.g. rva.be and
onem.be). A difference that is right (a page that exists in one language only, ...) is listed
in tests/data/bilingual-drift-known.yaml with its reason.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlparse

from bot.core.model import Entry

_JINJA = re.compile(r"{{.*?}}|{%.*?%}|{#.*?#}", re.DOTALL)
_FIGURE = re.compile(r"figures\.([a-z_]+(?:\.[a-z_]+)+)")
# 1.760,83 / 1 000 / 2.000 / 458 / 7,8; not part of a word (C45B); 2:51 is taken first
_NUMBER = re.compile(r"(?<![\w.,])(\d{1,3}(?:[. \u00a0\u202f]\d{3})+|\d+)(?:,(\d+))?(?!\w)")
_LAW_ARTICLE = re.compile(r"\b\d+:\d+\b")  # Code of companies and associations: art. 2:51
_FORM = re.compile(r"\bC\s?\d{1,3}[A-Z]?\b")
_LIST_MARKER = re.compile(r"^\s*\d+[.)]\s", re.MULTILINE)
_URL = re.compile(r"https?://\S+")
_ORDINAL = re.compile(r"\b1(?:er|re|ᵉʳ)\b")  # "1er janvier" = "1 januari"

# Official bodies: their pages must be cited in both languages (or the counterpart host).
OFFICIAL_HOSTS = (
    ".belgium.be",
    ".fgov.be",
    "rva.be",
    "onem.be",
    "socialsecurity.be",
    "vlaanderen.be",
    "fedasil.be",
    "wallonie.be",
)
COUNTERPARTS = {
    "rva.be": "onem.be",
    "riziv.fgov.be": "inami.fgov.be",
    "bosa.d8.pr.belgium.be": "bosa.belgium.be",
    "socialsecurity.be": "socialsecurity.belgium.be",
}


@dataclass(frozen=True)
class Difference:
    pair: str
    kind: str  # number | form | figure | url
    value: str
    only_in: str  # nl | fr

    def __str__(self) -> str:
        return f"{self.pair}: {self.kind} {self.value!r} only in {self.only_in}"


def _host_key(url: str) -> str:
    host = urlparse(url).netloc.lower().removeprefix("www.")
    for a, b in COUNTERPARTS.items():
        if host in (a, b):
            return a
    return host


def facts(entry: Entry) -> dict[str, set[str]]:
    """What must be the same in both languages, by kind."""
    literal = _JINJA.sub(" ", entry.answer)
    literal = _URL.sub(" ", _LIST_MARKER.sub(" ", literal))
    literal = _ORDINAL.sub("1", literal)
    refs = " ".join(s.legal_ref or "" for s in entry.sources)
    text = f"{literal} {refs}"
    numbers = {m.group(0) for m in _LAW_ARTICLE.finditer(text)}
    text = _LAW_ARTICLE.sub(" ", text)
    for m in _NUMBER.finditer(text):
        digits = re.sub(r"[. \u00a0\u202f]", "", m.group(1))
        numbers.add(digits + (f",{m.group(2)}" if m.group(2) else ""))
    official = {
        _host_key(s.url)
        for s in entry.sources
        if s.url and any(o in urlparse(s.url).netloc.lower() for o in OFFICIAL_HOSTS)
    }
    return {
        "number": numbers,
        "form": {f.replace(" ", "") for f in _FORM.findall(literal)},
        "figure": set(_FIGURE.findall(entry.answer)),
        "url": official,
    }


def differences(entries: Iterable[Entry]) -> list[Difference]:
    by_pair: dict[str, dict[str, Entry]] = {}
    for entry in entries:
        by_pair.setdefault(entry.pair, {})[entry.lang] = entry
    out: list[Difference] = []
    for pair, langs in sorted(by_pair.items()):
        if set(langs) != {"nl", "fr"}:
            continue  # a missing twin is a load error already
        nl, fr = facts(langs["nl"]), facts(langs["fr"])
        for kind in nl:
            out += [Difference(pair, kind, v, "nl") for v in sorted(nl[kind] - fr[kind])]
            out += [Difference(pair, kind, v, "fr") for v in sorted(fr[kind] - nl[kind])]
    return out
