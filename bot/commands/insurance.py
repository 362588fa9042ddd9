"""`python -m bot insurance`: must this association insure its volunteers, are they protected,
and may it use the free Flemish volunteer insurance?

Exit codes: 0 the check ran (whatever the verdict), 1 the figures file did not load, 2 a
missing or unusable option (one line naming the option and its allowed values).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import NoReturn

from bot.commands._common import add_today, knowledge_dir, print_problems, today_from
from bot.core.errors import KnowledgeBaseError
from bot.core.figures import load_figures_under
from bot.core.insurance import (
    FORMS,
    REGIONS,
    YES_NO,
    InsuranceInput,
    InsuranceInputError,
    check_insurance,
    parse_choice,
    parse_yes_no,
)
from bot.core.insurance_text import as_json, option_error_text, render_verdict

HELP = ("check an association's insurance duty, its volunteers' protection and the free "
        "Flemish volunteer insurance")
REQUIRED: dict[str, tuple[str, ...]] = {
    "form": FORMS, "staff": YES_NO, "umbrella": YES_NO, "region": REGIONS,
}
OPTIONAL = ("car", "minors", "welfare")


class _Parser(argparse.ArgumentParser):
    """argparse's own errors (an unknown option, --lang xx) as one line and exit 2."""

    def error(self, message: str) -> NoReturn:
        print(f"error: {message}", file=sys.stderr)
        raise SystemExit(2)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.__class__ = _Parser  # keep argparse's parsing; only its error output changes
    parser.add_argument("--form", help="|".join(FORMS))
    parser.add_argument("--staff", help="employs staff under an employment contract: yes|no")
    parser.add_argument("--umbrella", help="a section of, or tied to, an umbrella body: yes|no")
    parser.add_argument("--region", help="seat or representatives: " + "|".join(REGIONS))
    parser.add_argument("--car", help="volunteers drive their own car for the activities: yes|no")
    parser.add_argument("--minors", help="activities with minors: yes|no")
    parser.add_argument("--welfare", help="a Flemish welfare-decree (2009) organisation: yes|no")
    parser.add_argument("--lang", default="nl", help="nl|fr")
    parser.add_argument("--json", action="store_true", help="print JSON")
    add_today(parser)


def input_from_args(args: argparse.Namespace) -> InsuranceInput:
    """InsuranceInputError names the first missing or unusable option."""
    form = parse_choice("form", args.form, FORMS)
    staff = parse_yes_no("staff", args.staff)
    umbrella = parse_yes_no("umbrella", args.umbrella)
    region = parse_choice("region", args.region, REGIONS)
    optional = {name: None if getattr(args, name) is None
                else parse_yes_no(name, getattr(args, name)) for name in OPTIONAL}
    return InsuranceInput(form=form, staff=staff, umbrella=umbrella, region=region,  # type: ignore[arg-type]
                          **optional)


def run(args: argparse.Namespace) -> int:
    lang = args.lang if args.lang in ("nl", "fr") else None
    if lang is None:
        print(f"error: --lang: {args.lang!r} is not allowed; choose nl|fr", file=sys.stderr)
        return 2
    try:
        inp = input_from_args(args)
    except InsuranceInputError as exc:
        print(f"error: {option_error_text(exc, lang)}", file=sys.stderr)
        return 2
    try:
        figures = load_figures_under(knowledge_dir())
    except KnowledgeBaseError as exc:  # as every command that loads the base: one line each
        print_problems(exc.problems, "the knowledge base was not loaded.")
        return 2
    verdict = check_insurance(inp, figures, today_from(args))
    if args.json:
        print(json.dumps(as_json(verdict, lang), ensure_ascii=False, indent=2))
    else:
        print(render_verdict(verdict, lang, plain=True))
    return 0
