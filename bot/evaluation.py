"""Measure the assistant on labelled questions, and fit the decision thresholds to them.

Two evaluation sets, one format:

- `tests/eval/*.yaml` ("main"): questions written by us, each with the acceptable entry ids,
  or `escalate` (out of scope), or `smalltalk`. 30% held out.
- `tests/eval/real/*.yaml` ("real"): questions people really asked (rewritten from public
  FAQ pages, each with its source URL) and chat-style questions written by someone who never
  saw the entries. They are graded twice: the accepted pair ids *and* `must`, the decisive
  facts the reply has to contain. 40% is held out, chosen once by a seeded hash.

Nothing in a held-out part may be used to change the base or the thresholds; the floors
(tests/test_eval_floors.py) are checked on held-out parts only. Every item is asked as a
first message: no chat language chosen yet, so a wrong language guess costs what it costs a
real person.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

import yaml

from bot.core.assistant import Assistant, Route
from bot.core.decide import Thresholds, decide
from bot.core.model import Language, Reply
from bot.core.render import to_plain
from bot.core.text.normalise import clean, fold


@dataclass(frozen=True)
class EvalSet:
    name: str
    folder: Path
    holdout_share: int  # percent
    seed: str  # part of the split's hash: the split is fixed once, reproducibly
    graded_by_facts: bool  # "correct" needs the must-strings too


def main_set(root: Path) -> EvalSet:
    return EvalSet("main", root / "tests" / "eval", 30, "", False)


def real_set(root: Path) -> EvalSet:
    return EvalSet("real", root / "tests" / "eval" / "real", 40, "real-questions-2026-12", True)


@dataclass(frozen=True)
class Item:
    question: str
    lang: str  # nl | fr | en
    expect: tuple[str, ...]  # entry ids, or ("escalate",), or ("smalltalk",)
    file: str
    must: tuple[tuple[str, ...], ...] = ()  # each fact: its accepted spellings (folded)
    held_out: bool = False
    source: str = ""
    form: str = ""
    graded_by_facts: bool = False

    @property
    def kind(self) -> str:
        if self.expect == ("escalate",):
            return "out_of_scope"
        if self.expect == ("smalltalk",):
            return "smalltalk"
        return "in_scope"


def split_is_held_out(question: str, share: int, seed: str = "") -> bool:
    digest = hashlib.sha256((seed + question).encode("utf-8")).digest()
    return digest[0] * 100 // 256 < share


def must_facts(raw: object) -> tuple[tuple[str, ...], ...]:
    """["C45B | C45 B", "RVA"] -> (("c45b", "c45 b"), ("rva",)), folded for matching."""
    if not raw:
        return ()
    facts = raw if isinstance(raw, list) else [raw]
    return tuple(
        tuple(fold(clean(alt)) for alt in str(fact).split("|") if alt.strip())
        for fact in facts
    )


def load_items(
    folder: Path, known_ids: Iterable[str], eval_set: EvalSet | None = None
) -> list[Item]:
    """Load every *.yaml in `folder`. Pair ids ("insurance.car") are accepted for the item's
    language ("insurance.car.fr"). Unknown ids or empty items are errors, all listed."""
    known = set(known_ids)
    share, seed = (eval_set.holdout_share, eval_set.seed) if eval_set else (30, "")
    by_facts = eval_set.graded_by_facts if eval_set else False
    items: list[Item] = []
    problems: list[str] = []
    for path in sorted(folder.glob("*.yaml")):
        if path.name == "floors.yaml":
            continue
        for n, raw in enumerate(yaml.safe_load(path.read_text(encoding="utf-8")) or [], 1):
            lang = str(raw.get("lang", ""))
            expect = raw.get("expect")
            expect = (expect,) if isinstance(expect, str) else tuple(expect or ())
            expect = tuple(
                f"{e}.{lang}" if e not in known and f"{e}.{lang}" in known else e for e in expect
            )
            question = str(raw.get("q", "")).strip()
            item = Item(
                question,
                lang,
                expect,
                path.name,
                must=must_facts(raw.get("must")),
                held_out=split_is_held_out(question, share, seed),
                source=str(raw.get("source", "")),
                form=str(raw.get("form", "")),
                graded_by_facts=by_facts,
            )
            bad_ids = [e for e in expect if e not in known and e not in ("escalate", "smalltalk")]
            if not item.question or not expect or bad_ids:
                problems.append(f"{path.name} item {n}: {raw!r} (unknown ids: {bad_ids})")
                continue
            items.append(item)
    if problems:
        raise ValueError("bad evaluation items:\n" + "\n".join(problems))
    return items


def has_facts(text: str, must: tuple[tuple[str, ...], ...]) -> bool:
    folded = fold(clean(text))
    return all(any(alt in folded for alt in fact) for fact in must)


@dataclass
class Outcome:
    item: Item
    reply: Reply
    ranking: list[str] = field(default_factory=list)  # the search's entry order

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
    def facts_given(self) -> bool:
        return has_facts(to_plain(self.reply.text), self.item.must)

    @property
    def answered_correctly(self) -> bool:
        """What the person needed: an answer from a right entry, holding the decisive facts."""
        return (
            self.item.kind == "in_scope"
            and self.reply.action == "answer"
            and self.reply.entry_id in self.item.expect
            and self.facts_given
        )

    @property
    def one_tap(self) -> bool:
        """Answered correctly, or the right entry is one of the buttons under the answer
        (an overview's entries or the close alternatives): one tap away."""
        if self.answered_correctly:
            return True
        return (
            self.item.kind == "in_scope"
            and self.reply.action == "answer"
            and any(c.entry_id in self.item.expect for c in self.reply.related)
        )

    @property
    def resolved(self) -> bool:
        """The person reaches the right entry: answered with it, or offered it as a choice."""
        if self.item.kind != "in_scope":
            return self.correct
        if self.reply.action == "clarify":
            return any(c.entry_id in self.item.expect for c in self.reply.candidates)
        return self.chosen in self.item.expect

    @property
    def wrongly_escalated(self) -> bool:
        return (
            self.item.kind == "in_scope"
            and self.reply.action == "escalate"
            and self.chosen not in self.item.expect
        )

    @property
    def correct(self) -> bool:
        kind = self.item.kind
        if kind == "out_of_scope":
            return self.reply.action == "escalate"
        if kind == "smalltalk":
            return self.reply.action == "smalltalk"
        if self.item.graded_by_facts:
            return self.answered_correctly
        return self.chosen in self.item.expect

    def rank_of_expected(self) -> int | None:
        for rank, entry_id in enumerate(self.ranking, 1):
            if entry_id in self.item.expect:
                return rank
        return None

    def failure_class(self) -> str:
        """Why an item failed, in the words of the fix it needs."""
        action, kind = self.reply.action, self.item.kind
        if kind == "smalltalk":
            return f"small talk not recognised ({action})"
        if kind == "out_of_scope":
            return f"out of scope but {action}ed"
        rank = self.rank_of_expected()
        where = f"right entry ranked {rank}" if rank else "right entry not found"
        if action == "clarify":
            offered = any(c.entry_id in self.item.expect for c in self.reply.candidates)
            return f"clarify ({'right entry among the choices' if offered else where})"
        if action == "escalate":
            if self.chosen in self.item.expect:
                return "escalated on purpose (entry marked for staff or past review)"
            return f"in scope but escalated ({where}; {self.reply.reason.split(':')[0]})"
        if action == "smalltalk":
            return "taken for small talk"
        if self.reply.entry_id in self.item.expect:
            return "right entry, decisive fact missing"
        return f"neighbouring entry answered ({where})"

    def describe(self) -> str:
        got = self.reply.action + (f" {self.chosen}" if self.chosen else "")
        if self.reply.action == "escalate" and self.reply.candidates:
            got += f" (closest {self.reply.candidates[0].entry_id})"
        expected = list(self.item.expect)
        return f"[{self.item.lang}] {self.item.question!r}: expected {expected}, got {got}"


@dataclass
class Report:
    outcomes: list[Outcome] = field(default_factory=list)

    def subset(
        self, lang: str | None = None, held_out: bool | None = None, file: str | None = None
    ) -> Report:
        return Report([
            o for o in self.outcomes
            if (lang is None or o.item.lang == lang)
            and (held_out is None or o.item.held_out == held_out)
            and (file is None or o.item.file.startswith(file))
        ])

    def _of(self, kind: str) -> list[Outcome]:
        return [o for o in self.outcomes if o.item.kind == kind]

    def metrics(self) -> dict[str, float | int]:
        ins, oos, small = self._of("in_scope"), self._of("out_of_scope"), self._of("smalltalk")

        def share(hits: int, total: int) -> float:
            return round(hits / total, 3) if total else 0.0

        rr = 0.0
        for o in ins:
            first = [o.reply.entry_id] if o.reply.action == "answer" else []
            offered = [e for e in first if e] + [c.entry_id for c in o.reply.candidates]
            for rank, entry_id in enumerate(offered[:3], 1):
                if entry_id in o.item.expect:
                    rr += 1 / rank
                    break
        ranks = [o.rank_of_expected() for o in ins]
        return {
            "in_scope": len(ins),
            "correct": share(sum(o.correct for o in ins), len(ins)),
            "top1": share(sum(o.chosen in o.item.expect for o in ins), len(ins)),
            "answered_correctly": share(sum(o.answered_correctly for o in ins), len(ins)),
            "resolved": share(sum(o.resolved for o in ins), len(ins)),
            "one_tap": share(sum(o.one_tap for o in ins), len(ins)),
            "mrr3": round(rr / len(ins), 3) if ins else 0.0,
            "top1_entry": share(sum(r == 1 for r in ranks), len(ins)),
            "top3_entry": share(sum(r is not None and r <= 3 for r in ranks), len(ins)),
            "in_scope_escalated": share(sum(o.wrongly_escalated for o in ins), len(ins)),
            "in_scope_clarified": share(sum(o.reply.action == "clarify" for o in ins), len(ins)),
            "out_of_scope": len(oos),
            "out_of_scope_escalated": share(sum(o.correct for o in oos), len(oos)),
            "smalltalk": len(small),
            "smalltalk_recognised": share(sum(o.correct for o in small), len(small)),
        }

    def failures(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.correct]


# Every item is asked as a real first message: no chat language chosen yet (the assistant
# falls back to its default language when it cannot tell the message's own).
FIRST_MESSAGE_LANGUAGE: Language | None = None


def evaluate(
    assistant: Assistant, items: list[Item], today: date, thresholds: Thresholds | None = None
) -> Report:
    routes = [route_of(assistant, item, today) for item in items]
    return rescore(assistant, items, routes, today, thresholds)


def route_of(assistant: Assistant, item: Item, today: date) -> Route:
    return assistant.route(item.question, chat_lang=FIRST_MESSAGE_LANGUAGE, today=today)


def _ranking(route: Route) -> list[str]:
    if route.search is None:
        return []
    return [r.entry.id for r in route.search.ranked if r.entry.kind == "faq"]


def rescore(
    assistant: Assistant, items: list[Item], routes: list[Route], today: date,
    thresholds: Thresholds | None = None,
) -> Report:
    return Report([
        Outcome(item, assistant.reply(route, today, thresholds), _ranking(route))
        for item, route in zip(items, routes, strict=True)
    ])


FactsCheck = Callable[[Item, str], bool]


def facts_checker(assistant: Assistant, today: date) -> FactsCheck:
    """(item, entry id) -> does that entry's answer hold the item's decisive facts? Cached
    per entry: the facts an answer holds depend on the entry and the day only."""
    texts: dict[str, str] = {}

    def check(item: Item, entry_id: str) -> bool:
        if entry_id not in texts:
            texts[entry_id] = to_plain(assistant.answer_entry(entry_id, today=today).text)
        return has_facts(texts[entry_id], item.must)

    return check


def fast_outcome(
    assistant: Assistant, item: Item, route: Route, t: Thresholds, today: date,
    facts: FactsCheck,
) -> tuple[bool, str, bool]:
    """(correct, action, wrongly escalated) of one search route under thresholds `t`,
    without rendering the reply: the rules of Assistant.reply reduced to what the metrics
    need (a test checks it agrees with `rescore` for every item and many settings)."""
    search = route.search
    assert search is not None
    action, _ = decide(search.signals, t)
    chosen = search.ranked[0].entry if search.ranked else None
    in_scope = item.kind == "in_scope"
    hub = assistant.hub_for(search, action, today, t)
    if hub is not None:
        action, chosen = "answer", hub
    if action == "clarify":
        offered = [r.entry.id for r in search.ranked if r.entry.kind == "faq"][:1]
        first_right = in_scope and bool(offered) and offered[0] in item.expect
        return first_right and not item.graded_by_facts, action, False
    if action == "answer" and chosen is not None:
        if chosen.escalate or not chosen.is_fresh(today):
            recognised = in_scope and chosen.id in item.expect
            correct = item.kind == "out_of_scope" or (recognised and not item.graded_by_facts)
            return correct, "escalate", in_scope and not recognised
        right = in_scope and chosen.id in item.expect
        if right and item.graded_by_facts:
            right = facts(item, chosen.id)
        return right, action, False
    return item.kind == "out_of_scope", "escalate", in_scope


def calibrate(
    assistant: Assistant, items: list[Item], today: date,
    min_out_of_scope: float = 0.95, max_in_scope_escalated: float = 0.08,
    max_clarified: float = 0.10,
    grid: Iterable[tuple[float, float, float, float]] | None = None,
) -> tuple[Thresholds, dict[str, float]]:
    """Grid-search the thresholds on the calibration parts (never a held-out item).

    Objective: the most in-scope questions answered correctly, provided at least
    `min_out_of_scope` of out-of-scope questions are escalated, at most
    `max_in_scope_escalated` of in-scope ones are, and at most `max_clarified` get a
    clarification – in each language of each set (main, real) on its own. If no setting
    meets every constraint, the setting with the best balance of in-scope answered correctly
    plus out-of-scope escalated wins. Then the stricter out-of-scope ratio for questions that
    name no volunteering is fitted with the rest kept. `grid` (min_coverage, min_strength,
    min_margin, max_out_of_scope_ratio) replaces the default grid.
    """
    fit = [i for i in items if not i.held_out and i.kind != "smalltalk"]
    facts = facts_checker(assistant, today)
    fixed: list[tuple[Item, bool, str, bool]] = []  # outcomes no threshold changes
    searched: list[tuple[Item, Route]] = []
    for item in fit:
        route = route_of(assistant, item, today)
        if route.search is None:
            outcome = Outcome(item, assistant.reply(route, today))
            fixed.append(
                (item, outcome.correct, outcome.reply.action, outcome.wrongly_escalated)
            )
        else:
            searched.append((item, route))
    base = assistant.thresholds
    best: tuple[tuple[float, ...], Thresholds, dict[str, float]] | None = None
    if grid is None:
        grid = itertools.product(
            [x / 100 for x in range(20, 81, 5)],  # min_coverage
            [x / 100 for x in range(0, 61, 10)],  # min_strength
            [x / 100 for x in range(0, 31, 3)],  # min_margin
            [0.8, 0.9, 1.0, 1.1, 1.25, 1.5],  # max_out_of_scope_ratio
        )
    def fitted(t: Thresholds) -> tuple[tuple[float, ...], Thresholds, dict[str, float]]:
        results = fixed + [(item, *fast_outcome(assistant, item, route, t, today, facts))
                           for item, route in searched]
        m = _fit_metrics(results)
        meets = meets_targets(results, min_out_of_scope, max_in_scope_escalated, max_clarified)
        # All constraints met: the most correct answers. When no setting meets them all (the
        # real questions today), the out-of-scope floor alone made the fit escalate a third
        # of in-scope questions; instead the best balance of the two errors wins:
        # correct answers + out-of-scope escalations (balanced accuracy).
        balance = m["correct"] + m["out_of_scope_escalated"]
        key = (meets, m["correct"] if meets else balance, -m["in_scope_clarified"])
        return key, t, m

    for coverage, strength, margin, ratio in grid:
        t = replace(base, min_coverage=coverage, min_strength=strength, min_margin=margin,
                    max_out_of_scope_ratio=ratio, max_out_of_scope_ratio_unnamed=ratio)
        candidate = fitted(t)
        if best is None or candidate[0] > best[0]:
            best = candidate
    assert best is not None
    # Then the stricter ratio for questions that name no volunteering, the rest kept: from
    # the general ratio down (a tie keeps the laxer value: escalating costs answers).
    general = best[1].max_out_of_scope_ratio
    for step in range(1, 9):
        unnamed = round(general - step * 0.05, 2)
        candidate = fitted(replace(best[1], max_out_of_scope_ratio_unnamed=unnamed))
        if candidate[0] > best[0]:
            best = candidate
    return best[1], best[2]


def meets_targets(
    results: list[tuple[Item, bool, str, bool]], min_out_of_scope: float,
    max_in_scope_escalated: float, max_clarified: float,
) -> bool:
    """Whether (item, correct, action, wrongly escalated) outcomes meet the targets in each
    language of each set: a setting that meets them on average (the easier main set carrying
    the real one, French carrying Dutch) does not."""
    groups: dict[tuple[bool, str], list[tuple[Item, bool, str, bool]]] = {}
    for result in results:
        groups.setdefault((result[0].graded_by_facts, result[0].lang), []).append(result)
    return all(
        g["out_of_scope_escalated"] >= min_out_of_scope
        and g["in_scope_escalated"] <= max_in_scope_escalated
        and g["in_scope_clarified"] <= max_clarified
        for g in map(_fit_metrics, groups.values())
    )


def _fit_metrics(results: list[tuple[Item, bool, str, bool]]) -> dict[str, float]:
    inside = [r for r in results if r[0].kind == "in_scope"]
    outside = [r for r in results if r[0].kind == "out_of_scope"]
    n_in, n_out = max(1, len(inside)), max(1, len(outside))
    return {
        "correct": sum(ok for _, ok, _, _ in inside) / n_in,
        "in_scope_escalated": sum(wrong for _, _, _, wrong in inside) / n_in,
        "in_scope_clarified": sum(a == "clarify" for _, _, a, _ in inside) / n_in,
        # With no out-of-scope question, none was answered: the floor holds vacuously.
        "out_of_scope_escalated": sum(ok for _, ok, _, _ in outside) / n_out if outside else 1.0,
    }
