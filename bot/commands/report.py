"""`python -m bot report`: the weekly picture as one self-contained HTML file.

Reads DATABASE_URL (counts per question, votes, tickets) and the knowledge base (to tell
which escalated questions still match no entry). Nothing is written to the database. The
period defaults to the seven days up to today; the build time is printed.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bot.commands._common import load_or_exit, print_problems, settings
from bot.escalation.staff_language import spoken

HELP = "the weekly report for the staff: charts and candidate entries in one HTML file"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--from", dest="start", type=date.fromisoformat, default=None,
                        metavar="YYYY-MM-DD", help="first day (default: six days before --to)")
    parser.add_argument("--to", dest="end", type=date.fromisoformat, default=None,
                        metavar="YYYY-MM-DD", help="last day, included (default: today)")
    parser.add_argument("--out", type=Path, default=Path("report.html"),
                        help="the HTML file to write (default: report.html)")
    parser.add_argument("--language", choices=("nl", "fr"), default=None,
                        help="language of the report (default: the first STAFF_LANGUAGE)")


def run(args: argparse.Namespace) -> int:
    configured = settings()
    now = datetime.now(UTC)
    end: date = args.end or now.date()
    start: date = args.start or end - timedelta(days=6)
    if start > end:
        print_problems([f"--from {start} is after --to {end}."], "no report was made.")
        return 2
    # Imported only now: `--help` and a bad date are answered without loading matplotlib.
    from bot.adapters.report.collect import collect
    from bot.adapters.report.page import render_html
    from bot.reporting.summary import summary_lines
    from bot.storage import open_storage

    assistant = load_or_exit(now.date())
    try:
        storage = open_storage(configured.database_url)
    except Exception as exc:  # any driver's connection or schema error, in one line
        print(f"error: DATABASE_URL: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 2
    language = args.language or spoken(configured.staff_language)[0]
    began = time.perf_counter()
    try:
        report = collect(storage, assistant, start=start, end=end, now=now)
    finally:
        storage.close()
    html = render_html(report, language)
    elapsed = time.perf_counter() - began
    args.out.write_text(html, encoding="utf-8")
    for line in summary_lines(report, language):
        print(line)
    print(f"wrote {args.out} ({len(html) // 1024} KB) in {elapsed:.2f} s")
    return 0
