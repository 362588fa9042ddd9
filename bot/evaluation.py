"""Measure the assistant on labelled questions, and fit the decision thresholds to them.

The evaluation set (tests/eval/*.yaml) holds questions as people really write them, each with
the acceptable entry ids, or `escalate` (out of scope), or `smalltalk`. A fixed, hash-based
split keeps 30% held out: thresholds are fitted on the rest and both parts are reported.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

import yaml

from bot.core.assistant import Assistant, Route
from bot.core.decide import Thresholds, decide
from bot.core.model import Reply

HOLDOUT_SHARE = 30  # percent


@dataclass(frozen=True)
class Item:
    question: str
    lang: str  # nl | fr | en
    expect: tuple[str, ...]  # entry ids, or ("escalate",), or ("smalltalk",)
    file: str

    @property
    def kind(self) -> str:
        if self.expect == ("escalate",):
            return "out_of_scope"
        if self.expect == ("smalltalk",):
            return "smalltalk"
        return "in_scope"

    @property
    def held_out(self) -> bool:
        digest = hashlib.sha256(self.question.encode("utf-8")).digest()
        return digest[0] * 100 // 256 < HOLDOUT_SHARE


def load_items(folder: Path, known_ids: Iterable[str]) -> list[Item]:
    known = set(known_ids)
    items: list[Item] = []
    problems: list[str] = []
    for path in sorted(folder.glob("*.yaml")):
        if path.name == "floors.yaml":
            continue
        for n, raw in enumerate(yaml.safe_load(path.read_text(encoding="utf-8")) or [], 1):
            expect = raw.get("expect")
            expect = (expect,) if isinstance(expect, str) else tuple(expect or ())
            item = Item(str(raw.get("q", "")).strip(), str(raw.get("lang", "")), expect, path.name)
            bad_ids = [e for e in expect if e not in known and e not in ("escalate", "smalltalk")]
            if not item.question or not expect or bad_ids:
                problems.append(f"{path.name} item {n}: {raw!r} (unknown ids: {bad_ids})")
                continue
            items.append(item)
    if problems:
        raise ValueError("bad evaluation items:\n" + "\n".join(problems))
    return items


@dataclass
class Outcome:
    item: Item
    reply: Reply

    @property
    def ranking(self) -> list[str]:
        first = [self.reply.entry_id] if self.reply.action == "answer" else []
        return [e for e in first if e] + [c.entry_id for c in self.reply.candidates]

    @property
    def chosen(self) -> str | None:
        """The entry the assistant puts first: its answer, or its first clarify choice."""
        if self.reply.action == "answer":
            return self.reply.entry_id
        if self.reply.action == "clarify" and self.reply.candidates:
            return self.reply.candidates[0].entry_id
        # An entry marked `escalate: true` recognised the question and handed it on on purpose.
        return self.reply.entry_id if self.reply.action == "escalate" else None

    @property
    def resolved(self) -> bool:
        """The person reaches the right entry: answered with it, or offered it as a choice."""
        if self.item.kind != "in_scope":
            return self.correct
        if self.reply.action == "clarify":
            return any(c.entry_id in self.item.expect for c in self.reply.candidates)
        return self.correct

    @property
    def wrongly_escalated(self) -> bool:
        return self.reply.action == "escalate" and not self.correct

    @property
    def correct(self) -> bool:
        kind = self.item.kind
        if kind == "out_of_scope":
            return self.reply.action == "escalate"
        if kind == "smalltalk":
            return self.reply.action == "smalltalk"
        return self.chosen in self.item.expect

    def describe(self) -> str:
        got = self.reply.action + (f" {self.chosen}" if self.chosen else "")
        if self.reply.action == "escalate" and self.reply.candidates:
            got += f" (closest {self.reply.candidates[0].entry_id})"
        expected = list(self.item.expect)
        return f"[{self.item.lang}] {self.item.question!r}: expected {expected}, got {got}"


@dataclass
class Report:
    outcomes: list[Outcome] = field(default_factory=list)

    def subset(self, lang: str | None = None, held_out: bool | None = None) -> Report:
        return Report([
            o for o in self.outcomes
            if (lang is None or o.item.lang == lang)
            and (held_out is None or o.item.held_out == held_out)
        ])

    def _of(self, kind: str) -> list[Outcome]:
        return [o for o in self.outcomes if o.item.kind == kind]

    def metrics(self) -> dict[str, float | int]:
        ins, oos, small = self._of("in_scope"), self._of("out_of_scope"), self._of("smalltalk")

        def share(hits: int, total: int) -> float:
            return round(hits / total, 3) if total else 0.0

        rr = 0.0
        for o in ins:
            for rank, entry_id in enumerate(o.ranking[:3], 1):
                if entry_id in o.item.expect:
                    rr += 1 / rank
                    break
        return {
            "in_scope": len(ins),
            "top1": share(sum(o.correct for o in ins), len(ins)),
            "answered_correctly": share(
                sum(o.correct and o.reply.action == "answer" for o in ins), len(ins)
            ),
            "resolved": share(sum(o.resolved for o in ins), len(ins)),
            "mrr3": round(rr / len(ins), 3) if ins else 0.0,
            "in_scope_escalated": share(sum(o.wrongly_escalated for o in ins), len(ins)),
            "in_scope_clarified": share(sum(o.reply.action == "clarify" for o in ins), len(ins)),
            "out_of_scope": len(oos),
            "out_of_scope_escalated": share(sum(o.correct for o in oos), len(oos)),
            "smalltalk": len(small),
            "smalltalk_recognised": share(sum(o.correct for o in small), len(small)),
        }

    def failures(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.correct]


def chat_language(item: Item) -> str | None:
    """The chat's chosen language: a real user's chat has one (nl or fr)."""
    return item.lang if item.lang in ("nl", "fr") else None


def evaluate(
    assistant: Assistant, items: list[Item], today: date, thresholds: Thresholds | None = None
) -> Report:
    routes = [route_of(assistant, item, today) for item in items]
    return rescore(assistant, items, routes, today, thresholds)


def route_of(assistant: Assistant, item: Item, today: date) -> Route:
    return assistant.route(item.question, chat_lang=chat_language(item), today=today)  # type: ignore[arg-type]


def rescore(
    assistant: Assistant, items: list[Item], routes: list[Route], today: date,
    thresholds: Thresholds | None = None,
) -> Report:
    return Report([
        Outcome(item, assistant.reply(route, today, thresholds))
        for item, route in zip(items, routes, strict=True)
    ])


def _fast_outcome(item: Item, route: Route, t: Thresholds, today: date) -> tuple[bool, str]:
    """(correct, action) of one search route under thresholds `t`, without rendering: the
    same rules as Assistant.reply, reduced to what the metrics need."""
    search = route.search
    assert search is not None
    action, _ = decide(search.signals, t)
    chosen = search.ranked[0].entry if search.ranked else None
    if action == "answer" and chosen is not None and (
        chosen.escalate or not chosen.is_fresh(today)
    ):
        return chosen.id in item.expect, "escalate"
    if action == "clarify":
        offered = {r.entry.id for r in search.ranked[:3] if r.entry.kind == "faq"}
        return item.kind == "in_scope" and bool(offered & set(item.expect)), action
    if action == "answer" and chosen is not None:
        return item.kind == "in_scope" and chosen.id in item.expect, action
    return item.kind == "out_of_scope", "escalate"


def calibrate(
    assistant: Assistant, items: list[Item], today: date,
    min_out_of_scope: float = 0.95, max_in_scope_escalated: float = 0.08,
    max_clarified: float = 0.10,
) -> tuple[Thresholds, dict[str, float]]:
    """Grid-search the thresholds on the calibration split (never the held-out part).

    Objective: the most in-scope questions resolved (answered with the right entry, or the
    right entry offered in a clarification), provided at least
    `min_out_of_scope` of out-of-scope questions are escalated and at most
    `max_in_scope_escalated` of in-scope ones are, and at most `max_clarified` get a
    clarification; ties go to more direct answers.
    If no setting meets both constraints, the out-of-scope one wins (escalating is safe).
    """
    fit = [i for i in items if not i.held_out and i.kind != "smalltalk"]
    routes = [route_of(assistant, item, today) for item in fit]
    fixed: list[tuple[Item, bool, str]] = []  # routes whose outcome no threshold changes
    searched: list[tuple[Item, Route]] = []
    for item, route in zip(fit, routes, strict=True):
        if route.search is None:
            reply = assistant.reply(route, today)
            outcome = Outcome(item, reply)
            fixed.append((item, outcome.correct, reply.action))
        else:
            searched.append((item, route))
    n_in = sum(1 for i in fit if i.kind == "in_scope")
    n_out = sum(1 for i in fit if i.kind == "out_of_scope")
    base = assistant.thresholds
    best: tuple[tuple[float, ...], Thresholds, dict[str, float]] | None = None
    grid = itertools.product(
        [x / 100 for x in range(20, 81, 5)],  # min_coverage
        [x / 100 for x in range(0, 61, 10)],  # min_strength
        [x / 100 for x in range(0, 31, 3)],  # min_margin
        [0.8, 0.9, 1.0, 1.1, 1.25, 1.5],  # max_out_of_scope_ratio
    )
    for coverage, strength, margin, ratio in grid:
        t = replace(base, min_coverage=coverage, min_strength=strength, min_margin=margin,
                    max_out_of_scope_ratio=ratio)
        results = fixed + [(item, *_fast_outcome(item, route, t, today))
                           for item, route in searched]
        in_ok = sum(ok for item, ok, _ in results if item.kind == "in_scope")
        in_answered = sum(ok and a == "answer" for item, ok, a in results
                          if item.kind == "in_scope")
        in_esc = sum(a == "escalate" and not ok for item, ok, a in results
                     if item.kind == "in_scope")
        in_clar = sum(a == "clarify" for item, _, a in results if item.kind == "in_scope")
        out_ok = sum(ok for item, ok, _ in results if item.kind == "out_of_scope")
        m = {
            "resolved": in_ok / n_in, "answered_correctly": in_answered / n_in,
            "in_scope_escalated": in_esc / n_in, "in_scope_clarified": in_clar / n_in,
            "out_of_scope_escalated": out_ok / n_out,
        }
        meets = (m["out_of_scope_escalated"] >= min_out_of_scope,
                 m["in_scope_escalated"] <= max_in_scope_escalated,
                 m["in_scope_clarified"] <= max_clarified)
        # A clarification that offers the right entry costs the person one tap: it counts as
        # resolved; among equals, direct answers win. Too many menus tire people: capped.
        key = (*meets, m["resolved"], m["answered_correctly"])
        if best is None or key > best[0]:
            best = (key, t, m)
    assert best is not None
    return best[1], best[2]
