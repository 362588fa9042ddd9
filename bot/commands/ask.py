"""`python -m bot ask`: one question (or one per line on stdin) through the whole answer path.

JSON fields (a contract other tools rely on): question, language, action, entry_id, score,
text, sources, suggestions.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Iterator
from typing import IO, Any

from bot.commands._common import add_today, load_or_exit, today_from
from bot.core.assistant import plain_text
from bot.core.model import Reply

HELP = "answer a question (--json for the machine-readable contract, --stdin for many)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("question", nargs="*", help="the question (omit with --stdin)")
    parser.add_argument("--json", action="store_true", help="print one JSON object per answer")
    parser.add_argument("--stdin", action="store_true", help="read one question per line")
    parser.add_argument(
        "--lang",
        choices=["nl", "fr"],
        default=None,
        help="the chat's language (used when a message is ambiguous)",
    )
    add_today(parser)


def as_json(reply: Reply) -> dict[str, Any]:
    return {
        "question": reply.question,
        "language": reply.language,
        "action": reply.action,
        "entry_id": reply.entry_id,
        "score": reply.score,
        "text": plain_text(reply),
        "sources": [{"title": s.title, "url": s.url} for s in reply.sources],
        # An overview's suggestions are the specific entries it leads to (its buttons).
        "suggestions": [
            {"entry_id": c.entry_id, "question": c.question}
            for c in (reply.related or reply.candidates)
        ],
    }


def lines_of(stream: IO[bytes]) -> Iterator[str]:
    """One question per line, whatever the locale: bytes in, each line decoded as UTF-8 with
    undecodable bytes replaced, so one bad byte never ends the run or loses a line."""
    for raw in stream:
        yield raw.decode("utf-8", errors="replace").rstrip("\r\n")


def utf8_stdout() -> None:
    """Print UTF-8 (JSON's encoding) even when the locale says ASCII: no crash on accents."""
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(encoding="utf-8", errors="replace")


def run(args: argparse.Namespace) -> int:
    if not args.stdin and not args.question:
        print("error: give a question, or --stdin", file=sys.stderr)
        return 2
    today = today_from(args)
    assistant = load_or_exit(today)
    utf8_stdout()
    questions: Iterable[str] = (
        lines_of(sys.stdin.buffer) if args.stdin else [" ".join(args.question)]
    )
    for question in questions:
        reply = assistant.ask(question, chat_lang=args.lang, today=today)
        if args.json:
            print(json.dumps(as_json(reply), ensure_ascii=False), flush=True)
        else:
            print(plain_text(reply), end="\n\n", flush=True)
    return 0
