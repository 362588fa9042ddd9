"""`python -m bot chat`: the console chat on the bundled knowledge base (no Telegram needed)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator

from bot.adapters.console import run_console
from bot.commands._common import add_today, load_or_exit, today_from

HELP = "chat with the assistant in the console (/taal nl|fr, /doorsturen, /stop)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lang", choices=["nl", "fr"], default=None, help="reply language")
    add_today(parser)


def run(args: argparse.Namespace) -> int:
    today = today_from(args)
    assistant = load_or_exit(today)
    interactive = sys.stdin.isatty()

    def write(text: str) -> None:
        print(text + ("" if text.endswith("> ") else "\n"), end="" if text == "> " else "\n",
              flush=True)

    def lines() -> Iterator[str]:
        while True:
            if interactive:
                print("> ", end="", flush=True)
            line = sys.stdin.readline()
            if not line:
                return
            yield line

    try:
        run_console(assistant, today, lines(), write, lang=args.lang)
    except KeyboardInterrupt:
        print()
    return 0
