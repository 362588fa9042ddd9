"""`python -m bot eval`: accuracy on the labelled evaluation set, per language, with failures."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from bot.commands._common import knowledge_dir, load_or_exit
from bot.evaluation import calibrate, evaluate, load_items

HELP = "measure answers on tests/eval (top-1, MRR@3, escalations); --calibrate refits thresholds"
# The evaluation set is written against the knowledge base as of this date.
EVAL_DAY = date(2026, 11, 24)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lang", choices=["nl", "fr"], default=None)
    parser.add_argument("--set", type=Path, default=None, help="folder of eval YAML files")
    parser.add_argument(
        "--calibrate", action="store_true",
        help="fit thresholds on the calibration split; write knowledge/thresholds.yaml",
    )
    parser.add_argument("--quiet", action="store_true", help="metrics only, no failure list")


def _print_metrics(title: str, m: dict[str, float | int]) -> None:
    print(
        f"{title}: in-scope {m['in_scope']}: top-1 {m['top1']:.1%}, "
        f"answered correctly {m['answered_correctly']:.1%}, resolved {m['resolved']:.1%}, "
        f"MRR@3 {m['mrr3']:.3f}, "
        f"escalated {m['in_scope_escalated']:.1%}, clarified {m['in_scope_clarified']:.1%} | "
        f"out-of-scope {m['out_of_scope']}: escalated {m['out_of_scope_escalated']:.1%} | "
        f"smalltalk {m['smalltalk']}: recognised {m['smalltalk_recognised']:.1%}"
    )


def run(args: argparse.Namespace) -> int:
    assistant = load_or_exit(EVAL_DAY)
    folder = args.set or knowledge_dir() / "tests" / "eval"
    items = load_items(folder, assistant.kb.entries)
    if args.calibrate:
        thresholds, fitted = calibrate(assistant, items, EVAL_DAY)
        path = assistant.kb.root / "knowledge" / "thresholds.yaml"
        thresholds.save(path, "Decision thresholds fitted by `python -m bot eval --calibrate`\n"
                        f"on the calibration split of tests/eval ({len(items)} items).")
        assistant.thresholds = thresholds
        print(f"wrote {path}: {thresholds}")
        shown = ", ".join(f"{k} {v:.1%}" for k, v in fitted.items())
        print(f"calibration split (fitted): {shown}")
    report = evaluate(assistant, items, EVAL_DAY)
    languages = [args.lang] if args.lang else ["nl", "fr"]
    for lang in languages:
        _print_metrics(f"{lang} all", report.subset(lang).metrics())
        _print_metrics(f"{lang} calibration", report.subset(lang, held_out=False).metrics())
        _print_metrics(f"{lang} held-out", report.subset(lang, held_out=True).metrics())
    other = report.subset("en")
    if other.outcomes:
        _print_metrics("other languages", other.metrics())
    _print_metrics("overall", report.metrics())
    if not args.quiet:
        failures = [o for o in report.failures() if args.lang in (None, o.item.lang)]
        print(f"\n{len(failures)} failures:")
        for outcome in failures:
            print("  " + outcome.describe())
    return 0
