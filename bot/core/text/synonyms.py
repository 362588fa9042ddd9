"""Curated synonym groups per language (data/synonyms.<lang>.txt).

Each group gets one extra token ("~3"), added wherever any member occurs, in documents and in
queries alike – so "RVA" meets an entry that says "werkloosheid", and "BA" one that says
"burgerlijke aansprakelijkheid". Members are matched on analysed tokens, phrases included.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from importlib import resources


def load_groups(lang: str) -> list[list[str]]:
    text = (
        resources.files("bot.core.text")
        .joinpath(f"data/synonyms.{lang}.txt")
        .read_text(encoding="utf-8")
    )
    groups = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            groups.append([m.strip() for m in line.split(",") if m.strip()])
    return groups


class Synonyms:
    def __init__(self, groups: list[list[str]], analyse: Callable[[str], list[str]]) -> None:
        # phrase (tuple of analysed tokens) -> group tokens
        self._phrases: dict[tuple[str, ...], set[str]] = {}
        for index, group in enumerate(groups):
            for member in group:
                phrase = tuple(analyse(member))
                if phrase:
                    self._phrases.setdefault(phrase, set()).add(f"~{index}")
        self._longest = max((len(p) for p in self._phrases), default=0)

    def expand(self, stems: Sequence[str]) -> list[str]:
        """The group tokens for every member phrase found in `stems`."""
        found: list[str] = []
        for start in range(len(stems)):
            for size in range(1, min(self._longest, len(stems) - start) + 1):
                groups = self._phrases.get(tuple(stems[start : start + size]))
                if groups:
                    found.extend(sorted(groups))
        return found
