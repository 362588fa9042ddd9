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
from bot.core.render import Centre
from bot.settings import Settings, SettingsError


def settings() -> Settings:
    """The settings every command reads (bot/settings.py: one configuration path); a bad
    value is printed with the others and the command exits 2."""
    try:
        return Settings.from_env(os.environ, command="chat")
    except SettingsError as exc:
        print_problems(exc.problems, "the command was not run (configuration).")
        raise SystemExit(2) from None


def knowledge_dir() -> Path:
    """KNOWLEDGE_DIR if set (a folder holding faq/ and knowledge/), else the checkout root."""
    return settings().knowledge_dir


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


def centre(configured: Settings) -> Centre:
    name = configured.centre_name
    return Centre(
        {"nl": name, "fr": name} if name else Centre.default().name, configured.centre_contact
    )


def load_or_exit(today: date) -> Assistant:
    """Load the assistant; on a broken knowledge base print every problem and exit 2."""
    configured = settings()
    try:
        return load_assistant(
            configured.knowledge_dir,
            today=today,
            centre=centre(configured),
            default_language=configured.default_language,
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
