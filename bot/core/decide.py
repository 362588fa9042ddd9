"""Answer, clarify or escalate: the choice, and why.

A raw BM25 score has no fixed scale (it grows with the number and rarity of query terms), so
it is never compared with a constant. Three query-normalised signals are (retrieval notes 3.4):

- coverage: the share of the question's information (idf-weighted words) the best entry holds.
  A question full of words our base never uses ("loon verpleegster") has low coverage: it is
  outside what we know, so we escalate rather than answer with a neighbouring entry.
- strength: best score / the best score any entry could reach for these terms (0..1).
- margin: how far the best entry is ahead of the runner-up ((s1 - s2) / s1). Two entries
  nearly tied means the question is ambiguous: offer both (clarify) instead of guessing.

Out-of-scope questions that share our words ("hoeveel uren mag een jobstudent werken") are
caught as a class of their own: knowledge/out-of-scope.yaml lists subjects we do not cover,
indexed in the same BM25 index as the entries (so scores are comparable within the query);
when such a subject outscores every entry, the question goes to staff.

The thresholds are data (knowledge/thresholds.yaml), fitted on the evaluation set by
`python -m bot eval --calibrate`, because they depend on how the base is written.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from pathlib import Path

import yaml


@dataclass(frozen=True)
class Signals:
    coverage: float
    strength: float
    margin: float
    matched_words: int
    close_runners_up: int  # other entries within the clarify band of the best
    # best out-of-scope topic's score / best entry's score (knowledge/out-of-scope.yaml):
    # above 1, the question looks more like something we do not cover than like any entry.
    out_of_scope_ratio: float = 0.0
    # A marker term of a subject we do not cover ("en france", "uwv"), or "".
    marker: str = ""
    # The question names volunteering, an organisation or one of its roles (see
    # text/data/volunteering-words.txt); one that names none of them ("hoeveel bedraagt het
    # leefloon?") is more likely about a neighbouring subject than about our entries.
    names_volunteering: bool = True


@dataclass(frozen=True)
class Thresholds:
    min_coverage: float = 0.6  # below: we do not know this subject well enough -> escalate
    min_strength: float = 0.3  # below: the best entry is only a weak match -> escalate
    min_margin: float = 0.12  # below (and a close runner-up): ambiguous -> clarify
    clarify_band: float = 0.8  # runners-up scoring >= this share of the best are "close"
    max_out_of_scope_ratio: float = 1.0  # above: a known out-of-scope subject wins -> escalate
    # The same, stricter (never laxer), for a question that names no volunteering at all.
    max_out_of_scope_ratio_unnamed: float = 1.0

    @classmethod
    def load(cls, path: Path) -> Thresholds:
        if not path.exists():
            return cls()
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        known = {f.name for f in fields(cls)}
        return cls(**{k: float(v) for k, v in data.items() if k in known})

    def save(self, path: Path, comment: str) -> None:
        lines = [f"# {line}" for line in comment.splitlines()]
        body = yaml.safe_dump(asdict(self), sort_keys=False)
        path.write_text("\n".join(lines) + "\n" + body, encoding="utf-8")


def decide(signals: Signals, t: Thresholds) -> tuple[str, str]:
    """(action, reason) for one question, given its retrieval signals."""
    if signals.matched_words == 0:
        return "escalate", "no entry shares a word with the question"
    if signals.marker:
        return "escalate", (
            f"out of scope: mentions '{signals.marker}', a subject we do not cover "
            "(another country's rules)"
        )
    limit = t.max_out_of_scope_ratio
    if not signals.names_volunteering:
        limit = min(limit, t.max_out_of_scope_ratio_unnamed)
    if signals.out_of_scope_ratio > limit:
        unnamed = "" if signals.names_volunteering else ", and it names no volunteering"
        return "escalate", (
            f"out-of-scope ratio {signals.out_of_scope_ratio:.2f} > {limit}: "
            f"the question is about a subject we do not cover{unnamed}"
        )
    if signals.coverage < t.min_coverage:
        return "escalate", (
            f"coverage {signals.coverage:.2f} < {t.min_coverage}: the question is about more "
            "than the best entry covers"
        )
    if signals.strength < t.min_strength:
        return "escalate", f"strength {signals.strength:.2f} < {t.min_strength}: weak match"
    if signals.margin < t.min_margin and signals.close_runners_up > 0:
        return "clarify", (
            f"margin {signals.margin:.2f} < {t.min_margin}: {signals.close_runners_up + 1} "
            "entries are about equally close"
        )
    return "answer", (
        f"coverage {signals.coverage:.2f}, strength {signals.strength:.2f}, "
        f"margin {signals.margin:.2f}"
    )
