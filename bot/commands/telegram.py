"""`python -m bot telegram`: run the Telegram bot (long polling).

Configuration comes from environment variables (bot/settings.py, listed in the README). Every
problem is printed on its own line and the command exits with status 2, without a traceback;
a knowledge base that does not load is reported the same way.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys

from bot.commands._common import centre, print_problems
from bot.settings import Settings, SettingsError

HELP = "run the Telegram bot (long polling); configured by environment variables"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--check-config",
        action="store_true",
        help="validate the settings and the knowledge base, then exit without connecting",
    )


def run(args: argparse.Namespace) -> int:
    try:
        settings = Settings.from_env(os.environ)
    except SettingsError as exc:
        print_problems(exc.problems, "the bot was not started (configuration).")
        return 2

    # Imported only now: a configuration error is reported without paying for Telegram.
    from bot.adapters.http import run as serve
    from bot.adapters.http.observability import Observability
    from bot.adapters.telegram.complaint_route import ComplaintRoute
    from bot.adapters.telegram.escalation import Escalation, build_escalating_application
    from bot.adapters.telegram.guided import allowance_plugin, insurance_plugin
    from bot.adapters.telegram.reachable import BotTokenRefused
    from bot.adapters.telegram.weekly_report import weekly_report_plugin
    from bot.clock import brussels_today
    from bot.core.assistant import load_assistant
    from bot.core.errors import KnowledgeBaseError
    from bot.logs import configure_logging
    from bot.storage import open_storage

    configure_logging(settings.log_level_number, settings.bot_token)
    try:
        assistant = load_assistant(
            settings.knowledge_dir,
            today=brussels_today(),
            centre=centre(settings),
            default_language=settings.default_language,
        )
    except KnowledgeBaseError as exc:
        print_problems(exc.problems, "the knowledge base was not loaded.")
        return 2
    # Figures with no confirmed value today, entries due for review: named, so a maintainer
    # sees them in the log at every start (answers already say "not confirmed").
    log = logging.getLogger("bot")
    for warning in assistant.kb.warnings:
        log.warning("knowledge base: %s", warning)
    for entry in assistant.kb.due_for_review(brussels_today()):
        log.warning("knowledge base: %s is due for review on %s", entry.id, entry.review_by)
    try:
        storage = open_storage(settings.database_url, outbox_lease=settings.outbox_lease)
    except Exception as exc:  # any driver's connection or schema error, reported in one line
        print(f"error: DATABASE_URL: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 2
    if args.check_config:
        print("configuration and knowledge base OK")
        storage.close()
        return 0
    # The escalation workflow (issue 4) wraps build_application: hand-off, staff handlers,
    # durable inbox and outbox sender.
    observability = Observability(storage, assistant.kb)
    escalation = Escalation(settings, storage, observability.observe_assistant(assistant))
    # The complaint route (issue 14) sends through the escalation's outbox sender.
    complaints = ComplaintRoute(settings, storage, assistant, on_write=escalation.kick)
    # The weekly report (issue 14) checks questions with the core itself (counts nothing).
    weekly = weekly_report_plugin(settings, assistant)
    application = build_escalating_application(
        settings, storage, escalation,
        plugins=[allowance_plugin(), insurance_plugin(), complaints.plugin, weekly],
    )
    observability.attach(application)
    try:
        serve.run(application, settings, observability)
    except BotTokenRefused as exc:
        print_problems([exc], "the bot was not started (configuration).")
        return 2
    finally:
        storage.close()
    return 0
