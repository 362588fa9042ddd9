"""`python -m bot check`: validate the knowledge base and print what it holds."""

from __future__ import annotations

import argparse
from collections import Counter
from typing import Any

from bot.commands._common import add_today, load_or_exit, today_from
from bot.core.model import LANGUAGES, TOPICS

HELP = "validate the knowledge base; summary per language and topic; exit 2 on any error"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_today(parser)
    parser.add_argument(
        "--review-days",
        type=int,
        default=30,
        help="list entries due for review within this many days (default 30)",
    )


def run(args: argparse.Namespace) -> int:
    today = today_from(args)
    assistant = load_or_exit(today)  # a broken base: every problem printed, exit 2
    kb = assistant.kb
    counts = Counter((e.lang, e.topic, e.kind) for e in kb.entries.values())
    print(f"Knowledge base OK: {len(kb.entries)} entries, {len(kb.figures.names)} figures.")
    print(
        f"{'topic':24} " + " ".join(f"{lang + ' faq':>7} {lang + ' art':>7}" for lang in LANGUAGES)
    )
    for topic in TOPICS:
        cells = " ".join(
            f"{counts[(lang, topic, 'faq')]:>7} {counts[(lang, topic, 'article')]:>7}"
            for lang in LANGUAGES
        )
        print(f"{topic:24} {cells}")
    totals = " ".join(
        f"{sum(v for (lg, _, k), v in counts.items() if lg == lang and k == 'faq'):>7} "
        f"{sum(v for (lg, _, k), v in counts.items() if lg == lang and k == 'article'):>7}"
        for lang in LANGUAGES
    )
    print(f"{'total':24} {totals}")
    insurance_problems = _insurance_rules(kb)
    for problem in insurance_problems:
        print(f"error: {problem}")
    for warning in kb.warnings:
        print(f"warning: {warning}")
    due = kb.due_for_review(today, args.review_days)
    if due:
        print(f"{len(due)} entries due for review within {args.review_days} days:")
        for entry in due:
            state = "OVERDUE, not served" if entry.review_by < today else "due"
            print(f"  {entry.review_by}  {entry.id}  ({entry.file}:{entry.line}) {state}")
    else:
        print(f"No entries due for review within {args.review_days} days.")
    return 2 if insurance_problems else 0


def _insurance_rules(kb: Any) -> list[str]:
    """The insurance check's rules each name a source; its figures and FAQ pairs exist."""
    from bot.core.insurance import RULES, rule_problems
    from bot.core.insurance_text import LEGAL

    pairs = {entry.pair for entry in kb.entries.values()}
    problems = rule_problems(kb.figures, pairs, LEGAL)
    if not problems:
        print(f"Insurance check OK: {len(RULES)} rules, each with its source.")
    return problems
