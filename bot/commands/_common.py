"""What every command needs: where the knowledge base is, today's date, a loaded assistant."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from bot.core.assistant import Assistant, load_assistant
from bot.core.errors import KnowledgeBaseError
from bot.core.knowledge import default_root
from bot.core.render import Centre


def knowledge_dir() -> Path:
    """KNOWLEDGE_DIR if set (a folder holding faq/ and knowledge/), else the checkout root."""
    configured = os.environ.get("KNOWLEDGE_DIR")
    return Path(configured) if configured else default_root()


def add_today(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--today",
        type=date.fromisoformat,
        default=None,
        metavar="YYYY-MM-DD",
        help="answer as if it were this date (figures and freshness follow it)",
    )


def today_from(args: argparse.Namespace) -> date:
    return args.today or date.today()  # noqa: DTZ011 - the local calendar day is what we want


def centre_from_env() -> Centre:
    default = Centre.default()
    name = os.environ.get("CENTRE_NAME")
    return Centre(
        {"nl": name, "fr": name} if name else default.name, os.environ.get("CENTRE_CONTACT", "")
    )


def load_or_exit(today: date) -> Assistant:
    """Load the assistant; on a broken knowledge base print every problem and exit 2."""
    try:
        lang = os.environ.get("DEFAULT_LANGUAGE", "nl")
        return load_assistant(
            knowledge_dir(),
            today=today,
            centre=centre_from_env(),
            default_language="fr" if lang == "fr" else "nl",
        )
    except KnowledgeBaseError as exc:
        print_problems(exc.problems, "the knowledge base was not loaded.")
        raise SystemExit(2) from None


def print_problems(problems: Iterable[object], outcome: str) -> None:
    """One line per problem on stderr, then what that means – never a traceback."""
    problems = list(problems)
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    print(f"{len(problems)} problem(s): {outcome}", file=sys.stderr)
