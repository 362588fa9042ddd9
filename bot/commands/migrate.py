"""`python -m bot migrate`: bring the database named by DATABASE_URL up to date, then exit.

The bot also migrates at start; this command lets a deployment run the migration once, before
starting several replicas (on PostgreSQL an advisory lock makes concurrent starts safe too).
It refuses a database whose schema is newer than this code.
"""

from __future__ import annotations

import argparse
import os
import sys

from bot.commands._common import print_problems
from bot.settings import Settings, SettingsError

HELP = "apply the database migrations for DATABASE_URL (SQLite or PostgreSQL), then exit"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    del parser  # no options


def run(args: argparse.Namespace) -> int:
    del args
    try:
        settings = Settings.from_env(os.environ, command="migrate")
    except SettingsError as exc:
        print_problems(exc.problems, "nothing was migrated (configuration).")
        return 2
    from bot.storage import open_storage

    try:
        storage = open_storage(settings.database_url)
    except Exception as exc:  # the driver's or the schema check's error, in one line
        print(f"error: DATABASE_URL: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 2
    try:
        print(f"database schema at version {storage.schema_version}")  # type: ignore[attr-defined]
    finally:
        storage.close()
    return 0
