"""`python -m bot eval`: accuracy on the labelled evaluation sets, per language, with failures."""

from __future__ import annotations

import argparse
from collections import Counter
from datetime import date
from pathlib import Path

from bot.commands._common import knowledge_dir, load_or_exit
from bot.evaluation import (
    EvalSet,
    Item,
    Report,
    calibrate,
    evaluate,
    load_items,
    main_set,
    real_set,
)

HELP = (
    "measure answers on the evaluation sets (--set main|real|all|FOLDER); "
    "--calibrate refits thresholds on their calibration parts"
)
# The evaluation sets are written against the knowledge base as of this date (2026 amounts).
EVAL_DAY = date(2026, 11, 24)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lang", choices=["nl", "fr"], default=None)
    parser.add_argument(
        "--set", default="main", metavar="main|real|all|FOLDER",
        help="main: tests/eval (ours); real: tests/eval/real (real and blind-written "
        "questions, graded on the decisive facts); all: both; or a folder of YAML files",
    )
    parser.add_argument(
        "--calibrate", action="store_true",
        help="fit thresholds on the calibration parts of both sets; write "
        "knowledge/thresholds.yaml",
    )
    parser.add_argument("--quiet", action="store_true", help="metrics only, no failure list")


def eval_sets(choice: str, root: Path) -> list[EvalSet]:
    if choice == "main":
        return [main_set(root)]
    if choice == "real":
        return [real_set(root)]
    if choice == "all":
        return [main_set(root), real_set(root)]
    return [EvalSet(Path(choice).name, Path(choice), 30, "", False)]


def _print_metrics(title: str, m: dict[str, float | int], by_facts: bool) -> None:
    if by_facts:
        print(
            f"{title}: in-scope {m['in_scope']}: correct {m['correct']:.1%} "
            f"(top-1 entry {m['top1_entry']:.1%}, top-3 entry {m['top3_entry']:.1%}; "
            f"right entry one tap away {m['one_tap']:.1%}), "
            f"clarified {m['in_scope_clarified']:.1%}, escalated {m['in_scope_escalated']:.1%} | "
            f"out-of-scope {m['out_of_scope']}: escalated {m['out_of_scope_escalated']:.1%} | "
            f"smalltalk {m['smalltalk']}: recognised {m['smalltalk_recognised']:.1%}"
        )
        return
    print(
        f"{title}: in-scope {m['in_scope']}: top-1 {m['top1']:.1%}, "
        f"answered correctly {m['answered_correctly']:.1%}, resolved {m['resolved']:.1%}, "
        f"MRR@3 {m['mrr3']:.3f}, "
        f"escalated {m['in_scope_escalated']:.1%}, clarified {m['in_scope_clarified']:.1%} | "
        f"out-of-scope {m['out_of_scope']}: escalated {m['out_of_scope_escalated']:.1%} | "
        f"smalltalk {m['smalltalk']}: recognised {m['smalltalk_recognised']:.1%}"
    )


def _report_set(eval_set: EvalSet, report: Report, langs: list[str], quiet: bool) -> None:
    by_facts = eval_set.graded_by_facts
    print(f"== {eval_set.name} set ({eval_set.folder}), {len(report.outcomes)} items")
    for lang in langs:
        _print_metrics(f"{lang} held-out", report.subset(lang, held_out=True).metrics(), by_facts)
        _print_metrics(
            f"{lang} calibration", report.subset(lang, held_out=False).metrics(), by_facts
        )
        _print_metrics(f"{lang} all", report.subset(lang).metrics(), by_facts)
    other = report.subset("en")
    if other.outcomes:
        _print_metrics("other languages", other.metrics(), by_facts)
    _print_metrics("overall", report.metrics(), by_facts)
    failures = [o for o in report.failures() if o.item.lang in langs or o.item.lang == "en"]
    classes = Counter(o.failure_class().split(" (")[0] for o in failures)
    print(f"{len(failures)} failures: " + ", ".join(f"{k} {v}" for k, v in classes.most_common()))
    if not quiet:
        for outcome in failures:
            part = "held-out" if outcome.item.held_out else "calibration"
            print(f"  [{part}] {outcome.failure_class()}: {outcome.describe()}")
    print()


def run(args: argparse.Namespace) -> int:
    assistant = load_or_exit(EVAL_DAY)
    root = knowledge_dir()
    sets = eval_sets(args.set, root)
    loaded: list[tuple[EvalSet, list[Item]]] = [
        (s, load_items(s.folder, assistant.kb.entries, s)) for s in sets
    ]
    if args.calibrate:
        items = [item for _, set_items in loaded for item in set_items]
        thresholds, fitted = calibrate(assistant, items, EVAL_DAY)
        path = assistant.kb.root / "knowledge" / "thresholds.yaml"
        names = " + ".join(f"{s.name} ({len(i)} items)" for s, i in loaded)
        thresholds.save(path, "Decision thresholds fitted by `python -m bot eval --calibrate`\n"
                        f"on the calibration parts of the {names} evaluation sets.")
        assistant.thresholds = thresholds
        print(f"wrote {path}: {thresholds}")
        shown = ", ".join(f"{k} {v:.1%}" for k, v in fitted.items())
        print(f"calibration parts (fitted): {shown}")
    languages = [args.lang] if args.lang else ["nl", "fr"]
    for eval_set, items in loaded:
        _report_set(eval_set, evaluate(assistant, items, EVAL_DAY), languages, args.quiet)
    return 0
