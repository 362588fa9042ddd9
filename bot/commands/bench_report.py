"""`python -m bot bench --report`: how long the weekly report takes for a year of history.

A year of generated history (bot/testing/report_history.py: about 20 questions a weekday,
votes, tickets with texts) is written to a throwaway SQLite file; then the report is read,
its escalated questions are checked against the knowledge base, and the page is drawn, each
step timed: wall clock and this process's CPU time (on a shared machine they differ);
matplotlib is imported before the clock starts.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.commands._common import load_or_exit


def run_report_bench(args: argparse.Namespace) -> int:
    from bot.adapters.report.collect import collect
    from bot.adapters.report.page import render_html
    from bot.storage.sqlite import SQLiteStorage
    from bot.testing.report_history import fill_storage, generate_history

    now = datetime.now(UTC)
    end = now.date()
    start = end - timedelta(days=364)
    assistant = load_or_exit(end)
    with tempfile.TemporaryDirectory() as folder:
        storage = SQLiteStorage(Path(folder) / "bench.sqlite3")
        history = generate_history(start, end, now=now)
        fill_storage(storage, history)
        print(f"history: {len(history.events)} questions, {len(history.feedback)} votes, "
              f"{len(history.tickets)} tickets over {start} .. {end}")
        wall, cpu = time.perf_counter(), time.process_time()
        report = collect(storage, assistant, start=start, end=end, now=now)
        read_wall, read_cpu = time.perf_counter(), time.process_time()
        html = render_html(report, "nl")
        done_wall, done_cpu = time.perf_counter(), time.process_time()
        storage.close()
    print(f"read + check + build: {read_wall - wall:.2f} s (CPU {read_cpu - cpu:.2f} s)")
    print(f"charts + HTML ({len(html) // 1024} KB): {done_wall - read_wall:.2f} s "
          f"(CPU {done_cpu - read_cpu:.2f} s)")
    print(f"report for a year of history: {done_wall - wall:.2f} s "
          f"(CPU {done_cpu - cpu:.2f} s)")
    return 0
