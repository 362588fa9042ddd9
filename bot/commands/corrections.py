"""`python -m bot corrections --dry-run | --send`: tell the people who were given an answer
that has since been corrected (an entry's `corrections:`, knowledge/README.md).

--dry-run prints, per entry and correction, how many chats received an affected revision in
the last 90 days (and how many of them opted out or were told already). --send queues one
message per chat and correction in the outbox of DATABASE_URL (several untold corrections
of one entry make one message); the running bot's sender delivers them (it looks at the
outbox at least every 30 seconds; a stopped bot sends them when it starts). Running --send
again queues nothing twice.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime

from bot.commands._common import add_today, load_or_exit, settings, today_from

HELP = "tell chats that were given a since-corrected answer (--dry-run or --send)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument(
        "--dry-run", action="store_true", help="only count whom each correction would reach"
    )
    mode.add_argument(
        "--send", action="store_true", help="queue the messages in the outbox (once per chat)"
    )
    add_today(parser)


def run(args: argparse.Namespace) -> int:
    configured = settings()
    today = today_from(args)
    assistant = load_or_exit(today)
    # Imported only now: `--help` and a broken knowledge base need no database.
    from bot.delivery.split import split_message
    from bot.escalation.corrections import NoticeWriter, message_count, plan
    from bot.storage import open_storage

    try:
        storage = open_storage(configured.database_url)
    except Exception as exc:  # any driver's connection or schema error, reported in one line
        print(f"error: DATABASE_URL: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 2
    try:
        plans = plan(
            assistant.kb.entries,
            storage,
            today=today,
            retention_days=configured.retention_days,
            already_queued=lambda key: storage.outbox_row(key) is not None,
        )
        if not plans:
            print("no entry carries corrections: nothing to tell")
            return 0
        for item in plans:
            print(
                f"{item.pair}, correction of {item.correction.day.isoformat()}: "
                f"{item.affected} chat(s) received an affected revision in the last 90 days: "
                f"{len(item.to_tell)} to tell, {item.opted_out} opted out, "
                f"{item.already_told} told already"
            )
        total = message_count(plans)  # several corrections of one entry: one message
        if args.dry_run:
            print(f"dry run: {total} message(s) would be queued")
            return 0
        writer = NoticeWriter(
            entries=assistant.kb.entries,
            say=assistant.message,
            current_answer=lambda entry_id: assistant.answer_entry(entry_id, today=today),
            chat_language=storage.chat_language,
            split=split_message,
        )
        storage.enqueue(writer.rows(plans), ticket_id=None, now=datetime.now(UTC))
        print(f"queued {total} message(s) in the outbox; the running bot sends them")
        return 0
    finally:
        storage.close()
