"""`python -m bot drafts`: export the staff answers promoted with /promote N as YAML.

The output is in the knowledge-base format (knowledge/README.md), one list item per draft,
with TODO markers where a reviewer must complete it (sources, review dates, the topic when the
assistant could not guess it). Read from DATABASE_URL; nothing is changed in the database.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from bot.escalation.drafts import export
from bot.settings import Settings, SettingsError

HELP = "export staff answers promoted to draft entries as YAML"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--output", "-o", type=Path, default=None,
        help="write the YAML to this file instead of standard output",
    )


def run(args: argparse.Namespace) -> int:
    try:
        settings = Settings.from_env(os.environ, command="drafts")
    except SettingsError as exc:
        for problem in exc.problems:
            print(f"error: {problem}", file=sys.stderr)
        return 2
    if not settings.database_path.exists():
        print(f"error: no database at {settings.database_path} (DATABASE_URL)", file=sys.stderr)
        return 2
    from bot.storage.sqlite import SQLiteStorage  # local: keep `--help` free of sqlite

    storage = SQLiteStorage(settings.database_path)
    try:
        text = export(storage.drafts())
    finally:
        storage.close()
    if args.output is None:
        sys.stdout.write(text)
    else:
        args.output.write_text(text, encoding="utf-8")
        print(f"wrote {text.count('- id: ')} draft(s) to {args.output}", file=sys.stderr)
    return 0
