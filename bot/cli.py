"""`python -m bot <command>`: each command lives in its own module under bot/commands/.

A command module defines HELP (one line), add_arguments(parser) and run(args) -> exit code.
Modules are imported only when chosen, so `ask` never pays for importing Telegram.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys

# name -> module under bot.commands. Every name here must appear in the README (tests check it).
COMMANDS: dict[str, str] = {
    "chat": "chat",
    "ask": "ask",
    "check": "check",
    "bench": "bench",
    "eval": "evaluate",
    "allowance": "allowance",
    "insurance": "insurance",
    "telegram": "telegram",
    "drafts": "drafts",
    "migrate": "migrate",
    "corrections": "corrections",
    "report": "report",
}


def _available() -> dict[str, str]:
    found = {}
    for name, module in COMMANDS.items():
        if importlib.util.find_spec(f"bot.commands.{module}") is not None:
            found[name] = module
    return found


def build_parser(argv: list[str]) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    available = _available()
    chosen = next((a for a in argv if not a.startswith("-")), None)
    for name, module_name in available.items():
        if name == chosen:
            module = importlib.import_module(f"bot.commands.{module_name}")
            command = sub.add_parser(name, help=module.HELP, description=module.HELP)
            module.add_arguments(command)
            command.set_defaults(run=module.run)
        else:
            sub.add_parser(name, help=f"(see python -m bot {name} --help)")
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help()
        return 2
    return int(args.run(args) or 0)
