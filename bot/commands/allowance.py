"""`python -m bot allowance`: do these expense allowances stay within the law?

One volunteer from the options, or a treasurer's CSV (`--csv FILE`, one row per volunteer).
CSV: a header row, ";" or "," separated; columns ref (an internal reference, not a name),
date or year, days, per_day or total, and optionally km_car, km_bike, category, benefits,
transport_people, real_costs, other_system, association_worker (yes/no: ja/nee/oui/non).
Numbers may be written the Belgian way ("41,50", "1.200"). Exit codes: 0 the check ran
(whatever the verdicts), 1 a CSV row could not be read (the other rows are still checked)
or the figures file did not load, 2 an unusable option.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import Counter
from dataclasses import asdict
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from bot.commands._common import knowledge_dir, print_problems
from bot.core.allowance import (
    CATEGORIES,
    AllowanceCheck,
    AllowanceInput,
    AnswerError,
    KmLeg,
    check_allowance,
    parse_category,
    parse_days,
    parse_km,
    parse_money,
    parse_when,
    parse_yes_no,
)
from bot.core.allowance_text import answer_error_text, context_for_json, render_check
from bot.core.errors import KnowledgeBaseError
from bot.core.figures import Figures, load_figures_under
from bot.core.model import Language

HELP = "check volunteer expense allowances against the legal ceilings (one volunteer or a CSV)"

RULE_NAMES: dict[str, dict[Language, str]] = {
    "day-ceiling": {"nl": "dagplafond", "fr": "plafond journalier"},
    "year-ceiling": {"nl": "jaarplafond", "fr": "plafond annuel"},
    "km-cap": {"nl": "kilometerlimiet", "fr": "limite de km"},
    "one-system": {"nl": "één systeem per jaar", "fr": "un seul système par an"},
}
TEXT: dict[str, dict[Language, str]] = {
    "row": {"nl": "── {ref} (regel {line}) ──", "fr": "── {ref} (ligne {line}) ──"},
    "bad-row": {"nl": "regel {line}: {column}: {error}",
                "fr": "ligne {line} : {column} : {error}"},
    "summary": {
        "nl": "Samenvatting: {n} vrijwilligers gecontroleerd: {ok} binnen de grenzen, "
              "{over} erover, {unknown} niet na te gaan; {bad} onleesbare rijen.",
        "fr": "Résumé : {n} volontaires vérifiés : {ok} dans les limites, {over} au-delà, "
              "{unknown} impossibles à vérifier ; {bad} lignes illisibles.",
    },
    "over": {"nl": "Over de grens: {ref} ({rules})",
             "fr": "Au-delà de la limite : {ref} ({rules})"},
    "unknown": {"nl": "Niet na te gaan: {ref}", "fr": "Impossible à vérifier : {ref}"},
    "duplicate": {
        "nl": "Let op: {ref} staat op meer dan één regel ({lines}); de plafonds gelden voor het "
              "totaal per vrijwilliger, elke regel is hier apart gecontroleerd.",
        "fr": "Attention : {ref} figure sur plusieurs lignes ({lines}) ; les plafonds valent pour "
              "le total par volontaire, chaque ligne est vérifiée séparément ici.",
    },
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    when = parser.add_mutually_exclusive_group()
    when.add_argument("--date", help="the date whose figures apply: 2026-03-01 or 1/3/2026")
    when.add_argument("--year", help="a calendar year, when there is no single date")
    parser.add_argument("--days", help="number of days with an allowance")
    amount = parser.add_mutually_exclusive_group()
    amount.add_argument("--per-day", help='amount per day, e.g. "40" or "41,50"')
    amount.add_argument("--total", help="total paid over --days days")
    for kind in ("car", "bike"):
        parser.add_argument(
            f"--km-{kind}", action="append", default=[], metavar="KM[@DATE[..DATE]]",
            help=f"km by {kind} on top of the flat rate; repeat per period, e.g. 120@2024-02-10",
        )
    parser.add_argument("--transport-people", action="store_true",
                        help="the task itself is transporting people (no km cap)")
    parser.add_argument("--category", choices=CATEGORIES, default="standard")
    parser.add_argument("--benefits", action="store_true",
                        help="receives a social benefit or social assistance")
    parser.add_argument("--real-costs", action="store_true",
                        help="real costs (with proof) instead of the flat rate")
    parser.add_argument("--other-system", action="store_true",
                        help="the other system was used elsewhere this calendar year")
    parser.add_argument("--association-worker", action="store_true",
                        help="also a verenigingswerker / travailleur associatif this year")
    parser.add_argument("--csv", type=Path, metavar="FILE", help="a treasurer's CSV, one row each")
    parser.add_argument("--lang", choices=("nl", "fr"), default="nl")
    parser.add_argument("--json", action="store_true", help="print JSON")


def run(args: argparse.Namespace) -> int:
    try:
        figures = load_figures_under(knowledge_dir())
    except KnowledgeBaseError as exc:  # as every command that loads the base: one line each
        print_problems(exc.problems, "the knowledge base was not loaded.")
        return 2
    if args.csv:
        return _run_csv(args.csv, figures, args.lang, args.json)
    try:
        inp = _input_from_args(args)
    except AnswerError as exc:
        print(f"error: {answer_error_text(exc, args.lang)} ({exc.text or exc.code})",
              file=sys.stderr)
        return 2
    check = check_allowance(inp, figures)
    if args.json:
        print(_dumps(_as_json(check, args.lang)))
    else:
        print(render_check(check, args.lang, plain=True))
    return 0


# --- one volunteer -------------------------------------------------------------------------


def _input_from_args(args: argparse.Namespace) -> AllowanceInput:
    if not (args.date or args.year):
        raise AnswerError("date", "--date/--year")
    when = parse_when(args.date or args.year)
    if args.year and not isinstance(when, int):
        raise AnswerError("year", args.year)
    day = when if isinstance(when, date) else None
    year = day.year if day else int(when) if isinstance(when, int) else 0
    days = parse_days(args.days) if args.days else 0
    legs = [_leg(text, "car") for text in args.km_car] + [
        _leg(text, "bike") for text in args.km_bike
    ]
    return AllowanceInput(
        year=year, day=day, system="real-costs" if args.real_costs else "flat-rate",
        days=days,
        per_day=parse_money(args.per_day) if args.per_day else None,
        total=parse_money(args.total) if args.total else None,
        km=tuple(legs), transports_people=args.transport_people, category=args.category,
        benefits=args.benefits, other_system_elsewhere=args.other_system,
        other_system_asked=args.other_system,
        association_worker=args.association_worker,
    )


def _leg(text: str, kind: str) -> KmLeg:
    """"300", "120@2024-02-10" or "120@2024-01-01..2024-03-31"."""
    km_text, _, when = text.partition("@")
    km = parse_km(km_text)
    start = end = None
    if when:
        first, _, last = when.partition("..")
        start, end = _day(first), _day(last) if last else None
    return KmLeg(car=km, start=start, end=end) if kind == "car" else KmLeg(
        bike=km, start=start, end=end
    )


def _day(text: str) -> date:
    value = parse_when(text)
    if not isinstance(value, date):
        raise AnswerError("date", text)
    return value


# --- a treasurer's CSV ------------------------------------------------------------------------


def _run_csv(path: Path, figures: Figures, lang: Language, as_json: bool) -> int:
    checked, bad = _read_csv(path, lang)
    results = [(line, ref, check_allowance(inp, figures)) for line, ref, inp in checked]
    if as_json:
        print(_dumps({
            "rows": [{"line": line, "ref": ref, **_as_json(c, lang)} for line, ref, c in results],
            "malformed": [{"line": line, "error": error} for line, error in bad],
            "summary": _counts(results, bad),
        }))
    else:
        for line, ref, check in results:
            print(TEXT["row"][lang].format(ref=ref, line=line))
            print(render_check(check, lang, plain=True))
            print()
        for _line, error in bad:
            print(error, file=sys.stderr)
        _print_summary(results, bad, lang)
    return 1 if bad else 0


def _read_csv(path: Path, lang: Language) -> tuple[list[tuple[int, str, AllowanceInput]],
                                                   list[tuple[int, str]]]:
    text = path.read_text(encoding="utf-8-sig")  # Excel writes a BOM
    header = text.splitlines()[0] if text.strip() else ""
    # Belgian spreadsheets separate with ";" because "," is the decimal mark.
    reader = csv.DictReader(text.splitlines(), delimiter=";" if ";" in header else ",")
    reader.fieldnames = [name.strip().lower() for name in reader.fieldnames or []]
    good: list[tuple[int, str, AllowanceInput]] = []
    bad: list[tuple[int, str]] = []
    for row in reader:
        line = reader.line_num
        cells = {k: (v or "").strip() for k, v in row.items() if k is not None}
        try:
            good.append((line, cells.get("ref") or f"#{line}", _input_from_row(cells)))
        except _RowError as exc:
            error = answer_error_text(exc.error, lang)
            bad.append((line, TEXT["bad-row"][lang].format(
                line=line, column=exc.column, error=f"{error} ({exc.error.text!r})"
            )))
    return good, bad


class _RowError(Exception):
    def __init__(self, column: str, error: AnswerError) -> None:
        super().__init__(column)
        self.column, self.error = column, error


def _input_from_row(cells: dict[str, str]) -> AllowanceInput:
    def cell(column: str, parse: Any, default: Any = None) -> Any:
        try:
            return parse(cells[column]) if cells.get(column) else default
        except AnswerError as exc:
            raise _RowError(column, exc) from exc

    when = cell("date", parse_when) or cell("year", parse_when)
    if when is None:
        raise _RowError("date", AnswerError("date", ""))
    day = when if isinstance(when, date) else None
    per_day, total = cell("per_day", parse_money), cell("total", parse_money)
    car, bike = cell("km_car", parse_km, Decimal(0)), cell("km_bike", parse_km, Decimal(0))
    try:
        return AllowanceInput(
            year=day.year if day else int(when), day=day,
            system="real-costs" if cell("real_costs", parse_yes_no, False) else "flat-rate",
            days=cell("days", parse_days, 0), per_day=per_day, total=total,
            km=(KmLeg(car=car, bike=bike),) if car or bike else (),
            transports_people=cell("transport_people", parse_yes_no, False),
            category=cell("category", parse_category, "standard"),
            benefits=cell("benefits", parse_yes_no, False),
            other_system_elsewhere=cell("other_system", parse_yes_no, False),
            association_worker=cell("association_worker", parse_yes_no, False),
        )
    except AnswerError as exc:
        raise _RowError("days" if exc.code == "days" else "per_day/total", exc) from exc


def _counts(
    results: list[tuple[int, str, AllowanceCheck]], bad: list[Any]
) -> dict[str, Any]:
    verdicts = Counter(check.verdict for _, _, check in results)
    return {"checked": len(results), "ok": verdicts["ok"], "over": verdicts["over"],
            "unknown": verdicts["unknown"], "malformed": len(bad)}


def _print_summary(results: list[tuple[int, str, AllowanceCheck]], bad: list[Any],
                   lang: Language) -> None:
    counts = _counts(results, bad)
    print(TEXT["summary"][lang].format(
        n=counts["checked"], ok=counts["ok"], over=counts["over"], unknown=counts["unknown"],
        bad=counts["malformed"],
    ))
    lines_by_ref: dict[str, list[int]] = {}
    for line, ref, check in results:
        lines_by_ref.setdefault(ref, []).append(line)
        failed = [RULE_NAMES[r.rule][lang] for r in check.rules
                  if r.passed is False and r.rule in RULE_NAMES]
        if check.verdict == "over":
            print(TEXT["over"][lang].format(ref=ref, rules=", ".join(failed)))
        elif check.verdict == "unknown":
            print(TEXT["unknown"][lang].format(ref=ref))
    for ref, lines in lines_by_ref.items():
        if len(lines) > 1:
            print(TEXT["duplicate"][lang].format(ref=ref, lines=", ".join(map(str, lines))))


# --- JSON ----------------------------------------------------------------------------------


def _as_json(check: AllowanceCheck, lang: Language) -> dict[str, Any]:
    return {
        "verdict": check.verdict,
        "needs_staff": check.needs_staff,
        "input": asdict(check.input),
        "rules": [
            {"rule": r.rule, "passed": r.passed, "numbers": dict(r.numbers), "note": r.note,
             "legal": list(r.legal), "sources": [s.url or s.title for s in r.sources]}
            for r in check.rules
        ],
        "consequences": list(check.consequences),
        "advice": [{"code": a.code, **dict(a.numbers)} for a in check.advice],
        **context_for_json(check, lang),
        "text": render_check(check, lang),
    }


def _dumps(data: Any) -> str:
    def default(value: Any) -> str:
        if isinstance(value, Decimal):
            return str(value)
        if isinstance(value, date):
            return value.isoformat()
        raise TypeError(type(value).__name__)

    return json.dumps(data, default=default, ensure_ascii=False, indent=2)
