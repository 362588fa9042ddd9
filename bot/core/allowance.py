"""The allowance check: do these volunteer expense allowances stay within the law?

Pure (no I/O): an `AllowanceInput` and the `Figures` go in, an `AllowanceCheck` comes out with
every rule checked, the numbers behind it and its legal basis. Texts live in the templates,
so the check speaks no language: rules, consequences and advice are codes plus numbers.

Figures come only from the figures file, for the period in force: a period without a confirmed
amount makes that part "unknown" (and offers a staff member); we never borrow another period.
The `parse_*` helpers validate one answer at a time, for a step-by-step conversation.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Any, Literal

from bot.core.amounts import AmountError, parse_amount, parse_number
from bot.core.figures import Figures, FigureValue
from bot.core.model import Source

Category = Literal["standard", "sport", "watch", "patient-transport"]
System = Literal["flat-rate", "real-costs"]
Verdict = Literal["ok", "over", "unknown"]
CATEGORIES: tuple[Category, ...] = ("standard", "sport", "watch", "patient-transport")
SYSTEMS: tuple[System, ...] = ("flat-rate", "real-costs")
ZERO = Decimal(0)
CENT = Decimal("0.01")

# Legal bases, as keys the text layer words per language.
LAW_ART10 = "law-2005-art10"  # art. 10 wet 3 juli 2005 / loi du 3 juillet 2005
KB_RAISED = "kb-2018-raised"  # KB/AR of December 2018: raised yearly ceiling, 3 categories
PROGRAMMAWET_2009 = "programmawet-2009"  # flat rate + at most 2.000 km
TRANSPORT_2019 = "transport-2019"  # no km cap when the task is transporting people
KB_2017_KM = "kb-2017-km"  # km rate capped at the federal civil-service rate


class AnswerError(ValueError):
    """An answer or input we cannot use; `code` lets each face explain it in its language."""

    def __init__(self, code: str, text: str = "") -> None:
        self.code = code
        self.text = text
        super().__init__(f"{code}: {text!r}" if text else code)


@dataclass(frozen=True)
class KmLeg:
    """Kilometres driven/cycled in one stretch of time (rates change per quarter for cars).

    `start`/`end` None: the whole span of the check (its date, or its calendar year).
    """

    car: Decimal = ZERO
    bike: Decimal = ZERO
    start: date | None = None
    end: date | None = None


@dataclass(frozen=True)
class AllowanceInput:
    """What a volunteer received in ONE calendar year (ceilings and the system are per year).

    Amounts: `per_day` for `days` days, or a `total` over `days` days, or `day_amounts` (one
    amount per day). `day` pins the date whose figures apply; without it, the year's.
    """

    year: int
    day: date | None = None
    system: System = "flat-rate"
    days: int = 0
    per_day: Decimal | None = None
    total: Decimal | None = None
    day_amounts: tuple[Decimal, ...] = ()
    km: tuple[KmLeg, ...] = ()
    transports_people: bool = False
    category: Category = "standard"
    benefits: bool = False
    other_system_elsewhere: bool = False  # the other system used elsewhere this year
    other_system_asked: bool = False  # the volunteer answered that question (else: assumed)
    association_worker: bool = False  # verenigingswerker / travailleur associatif this year

    def __post_init__(self) -> None:
        _validate(self)

    @property
    def span(self) -> tuple[date, date]:
        if self.day is not None:
            return self.day, self.day
        return date(self.year, 1, 1), date(self.year, 12, 31)

    @property
    def paid_days(self) -> int:
        return len(self.day_amounts) if self.day_amounts else self.days

    @property
    def total_paid(self) -> Decimal:
        if self.day_amounts:
            return sum(self.day_amounts, ZERO)
        if self.per_day is not None:
            return self.per_day * self.days
        return self.total if self.total is not None else ZERO

    @property
    def km_car(self) -> Decimal:
        return sum((leg.car for leg in self.km), ZERO)

    @property
    def km_bike(self) -> Decimal:
        return sum((leg.bike for leg in self.km), ZERO)


def _validate(inp: AllowanceInput) -> None:
    if inp.category not in CATEGORIES:
        raise AnswerError("category", str(inp.category))
    if inp.system not in SYSTEMS:
        raise AnswerError("system", str(inp.system))
    if inp.day is not None and inp.day.year != inp.year:
        raise AnswerError("date-not-in-year", inp.day.isoformat())
    modes = [inp.per_day is not None, inp.total is not None, bool(inp.day_amounts)]
    if sum(modes) > 1:
        raise AnswerError("amount-modes")
    if not 0 <= inp.days <= 366 or (inp.day_amounts and inp.days not in (0, len(inp.day_amounts))):
        raise AnswerError("days", str(inp.days))
    if (inp.per_day is not None or inp.total is not None) and inp.days == 0:
        raise AnswerError("days", "0")
    amounts = [inp.per_day, inp.total, *inp.day_amounts]
    if any(a is not None and a < 0 for a in amounts):
        raise AnswerError("negative")
    for leg in inp.km:
        if leg.car < 0 or leg.bike < 0:
            raise AnswerError("negative")
        start, end = leg.start or inp.span[0], leg.end or leg.start or inp.span[1]
        if start.year != inp.year or end.year != inp.year or end < start:
            raise AnswerError("km-period", f"{start.isoformat()}..{end.isoformat()}")


@dataclass(frozen=True)
class RuleResult:
    """One rule checked. `passed` None: it could not be checked (a figure is not known)."""

    rule: str
    passed: bool | None
    numbers: Mapping[str, Any]
    legal: tuple[str, ...]
    sources: tuple[Source, ...] = ()
    note: str = ""  # a code for the text layer, e.g. why the raised ceiling does not apply


@dataclass(frozen=True)
class Advice:
    code: str  # real-costs | pay-less | spread | km-cap | one-system | staff
    numbers: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class AllowanceCheck:
    input: AllowanceInput
    verdict: Verdict
    rules: tuple[RuleResult, ...]
    consequences: tuple[str, ...]  # taxable-pay | benefit-at-risk | km-cap | one-system
    advice: tuple[Advice, ...]
    needs_staff: bool

    def rule(self, rule_id: str) -> RuleResult | None:
        return next((r for r in self.rules if r.rule == rule_id), None)


def check_allowance(inp: AllowanceInput, figures: Figures) -> AllowanceCheck:
    rules: list[RuleResult] = []
    if inp.system == "real-costs":
        rules.append(RuleResult("real-costs", True, {"total": inp.total_paid}, (LAW_ART10,)))
        if inp.km:
            rules.append(_km_rate(inp, figures))
    else:
        ceilings = _ceilings(inp, figures)
        if ceilings is None:
            rules += [_not_known(inp, figures), _one_system(inp)]
            return _conclude(inp, rules)
        day_ceiling, year_rule = ceilings
        rules += [_day_rule(inp, day_ceiling), year_rule]
        if inp.km:
            rules += [_km_cap(inp, figures), _km_rate(inp, figures)]
    rules.append(_one_system(inp))
    return _conclude(inp, rules)


# --- figures ---------------------------------------------------------------------------


def _figure(figures: Figures, name: str, start: date, end: date) -> FigureValue | None:
    """The figure for a whole span; None when it changes inside the span (ask per period)."""
    value = figures.value_on(name, start)
    if value.period is not None and value.period.covers(end):
        return value
    if value.period is None and figures.value_on(name, end).period is None:
        return value  # no period at all in the span: the figure did not exist (yet)
    return None


def _sources(*values: FigureValue | None) -> tuple[Source, ...]:
    found: list[Source] = []
    for value in values:
        if value is not None and value.period is not None and value.period.source not in found:
            found.append(value.period.source)
    return tuple(found)


def _label(value: FigureValue | None) -> str | None:
    return value.period.label() if value is not None and value.period is not None else None


def _not_known(inp: AllowanceInput, figures: Figures) -> RuleResult:
    start, end = inp.span
    missing = [
        name
        for name in ("allowance.per_day", "allowance.per_year")
        if not (value := _figure(figures, name, start, end)) or not value.known
    ]
    return RuleResult("figures-known", None, {"year": inp.year, "missing": missing}, (LAW_ART10,))


# --- ceilings ----------------------------------------------------------------------------


def _ceilings(inp: AllowanceInput, figures: Figures) -> tuple[FigureValue, RuleResult] | None:
    start, end = inp.span
    per_day = _figure(figures, "allowance.per_day", start, end)
    per_year = _figure(figures, "allowance.per_year", start, end)
    if per_day is None or per_year is None or not per_day.known or not per_year.known:
        return None
    return per_day, _year_rule(inp, figures, per_year)


def _day_rule(inp: AllowanceInput, ceiling: FigureValue) -> RuleResult:
    limit = ceiling.value
    assert limit is not None  # _ceilings() returned only known values
    numbers: dict[str, Any] = {
        "ceiling": limit,
        "period": _label(ceiling),
        "days": inp.paid_days,
    }
    if inp.day_amounts:
        over = [a for a in inp.day_amounts if a > limit]
        numbers |= {"mode": "list", "highest": max(inp.day_amounts), "days_over": len(over)}
        passed = not over
    elif inp.per_day is not None:
        numbers |= {"mode": "per-day", "per_day": inp.per_day}
        passed = inp.per_day <= limit
    else:
        # Only a total: if it exceeds days × ceiling, some day must have been above it.
        allowed = limit * inp.paid_days
        numbers |= {"mode": "total", "total": inp.total_paid, "allowed": allowed}
        passed = inp.total_paid <= allowed
    note = "average-only" if numbers["mode"] == "total" and passed else ""
    return RuleResult("day-ceiling", passed, numbers, (LAW_ART10,), _sources(ceiling), note)


def _raised_refusal(inp: AllowanceInput) -> str:
    if inp.category == "standard":
        return ""
    if inp.benefits:
        return "benefits"
    return "association-worker" if inp.association_worker else ""


def _year_rule(inp: AllowanceInput, figures: Figures, standard: FigureValue) -> RuleResult:
    start, end = inp.span
    total, limit = inp.total_paid, standard.value
    assert limit is not None
    numbers: dict[str, Any] = {
        "total": total,
        "days": inp.paid_days,
        "per_day": inp.per_day,
        "mode": _mode(inp),
        "ceiling": limit,
        "kind": "standard",
        "period": _label(standard),
        "standard_ceiling": limit,
        "category": inp.category,
    }
    legal: tuple[str, ...] = (LAW_ART10,)
    refusal = _raised_refusal(inp)
    passed: bool | None
    if inp.category == "standard" or refusal:
        passed = total <= limit
        return RuleResult("year-ceiling", passed, numbers, legal, _sources(standard), refusal)
    raised = _figure(figures, "allowance.raised_per_year", start, end)
    legal = (LAW_ART10, KB_RAISED)
    if raised is not None and raised.period is None and _before_first(figures, raised.name, end):
        # The raised ceiling did not exist yet (before 2019): the standard one applies.
        return RuleResult(
            "year-ceiling", total <= limit, numbers, legal, _sources(standard), "raised-not-yet"
        )
    if raised is None or raised.value is None:
        # Not confirmed for this year: within the standard ceiling is safe, above it we cannot say.
        passed = True if total <= limit else None
        return RuleResult(
            "year-ceiling", passed, numbers, legal, _sources(standard), "raised-unknown"
        )
    numbers |= {"ceiling": raised.value, "kind": "raised", "period": _label(raised)}
    return RuleResult("year-ceiling", total <= raised.value, numbers, legal, _sources(raised))


def _before_first(figures: Figures, name: str, day: date) -> bool:
    return day < figures.get(name).periods[0].start


def _mode(inp: AllowanceInput) -> str:
    if inp.day_amounts:
        return "list"
    return "per-day" if inp.per_day is not None else "total"


# --- kilometres ---------------------------------------------------------------------------


def _km_cap(inp: AllowanceInput, figures: Figures) -> RuleResult:
    start, end = inp.span
    cap = _figure(figures, "transport.max_km_with_flat_rate", start, end)
    km = inp.km_car + inp.km_bike
    numbers: dict[str, Any] = {"car": inp.km_car, "bike": inp.km_bike, "km": km}
    legal = (PROGRAMMAWET_2009, TRANSPORT_2019) if inp.transports_people else (PROGRAMMAWET_2009,)
    if inp.transports_people:
        return RuleResult("km-cap", True, numbers, legal, _sources(cap), "transport-exempt")
    if cap is None or cap.value is None:
        return RuleResult("km-cap", None, numbers, legal, _sources(cap), "unknown")
    numbers["cap"] = cap.value
    return RuleResult("km-cap", km <= cap.value, numbers, legal, _sources(cap))


def _km_rate(inp: AllowanceInput, figures: Figures) -> RuleResult:
    """The most that may be paid for the km: km × the rate in force in each leg's period."""
    legs: list[dict[str, Any]] = []
    used: list[FigureValue | None] = []
    for leg in inp.km:
        start = leg.start or inp.span[0]
        end = leg.end or leg.start or inp.span[1]
        row: dict[str, Any] = {"start": start, "end": end}
        for kind, km, name in (
            ("car", leg.car, "transport.car_per_km"),
            ("bike", leg.bike, "transport.bicycle_per_km"),
        ):
            if km == 0:
                continue
            rate = _figure(figures, name, start, end)
            used.append(rate)
            status = "varies" if rate is None else ("known" if rate.known else "unknown")
            row[kind] = {
                "km": km,
                "status": status,
                "rate": rate.value if rate else None,
                "period": _label(rate),
                "amount": (km * rate.value).quantize(CENT) if rate and rate.value else None,
            }
        legs.append(row)
    parts = [part for row in legs for k, part in row.items() if k in ("car", "bike")]
    known = all(part["status"] == "known" for part in parts)
    numbers: dict[str, Any] = {"legs": legs, "system": inp.system}
    if known:
        numbers["max_amount"] = sum((part["amount"] for part in parts), ZERO)
    note = "" if known else "rate-unknown"
    return RuleResult(
        "km-rate", True if known else None, numbers, (LAW_ART10, KB_2017_KM), _sources(*used), note
    )


# --- one system -----------------------------------------------------------------------------


def _one_system(inp: AllowanceInput) -> RuleResult:
    numbers = {"system": inp.system, "other_system_elsewhere": inp.other_system_elsewhere}
    return RuleResult("one-system", not inp.other_system_elsewhere, numbers, (LAW_ART10,))


# --- verdict, consequences, advice ---------------------------------------------------------


def _conclude(inp: AllowanceInput, rules: list[RuleResult]) -> AllowanceCheck:
    failed = {r.rule for r in rules if r.passed is False}
    unknown = any(r.passed is None for r in rules)
    verdict: Verdict = "over" if failed else ("unknown" if unknown else "ok")
    consequences: list[str] = []
    advice: list[Advice] = []
    by_id = {r.rule: r for r in rules}
    if failed & {"day-ceiling", "year-ceiling"}:
        consequences.append("taxable-pay")
        if inp.benefits:
            consequences.append("benefit-at-risk")
        advice += _ceiling_advice(inp, by_id)
    if "km-cap" in failed:
        consequences.append("km-cap")
        advice.append(Advice("km-cap", {"cap": by_id["km-cap"].numbers.get("cap")}))
    if "one-system" in failed:
        consequences.append("one-system")
        advice.append(Advice("one-system"))
    needs_staff = unknown or "one-system" in failed
    if needs_staff:
        advice.append(Advice("staff"))
    return AllowanceCheck(
        inp, verdict, tuple(rules), tuple(consequences), tuple(advice), needs_staff
    )


def _ceiling_advice(inp: AllowanceInput, by_id: Mapping[str, RuleResult]) -> list[Advice]:
    day_ceiling: Decimal = by_id["day-ceiling"].numbers["ceiling"]
    year = by_id["year-ceiling"]
    year_ceiling: Decimal = year.numbers["ceiling"]
    days = inp.paid_days
    advice = [Advice("real-costs")]
    if days:
        per_day = min(day_ceiling, (year_ceiling / days).quantize(CENT, rounding=ROUND_FLOOR))
        advice.append(Advice("pay-less", {"days": days, "max_per_day": per_day}))
    if by_id["day-ceiling"].passed is False and year.passed:
        # Same total over more days: only if the volunteer really was active on those days.
        needed = (inp.total_paid / day_ceiling).to_integral_value(rounding=ROUND_CEILING)
        advice.append(Advice("spread", {"total": inp.total_paid, "min_days": int(needed)}))
    return advice


# --- one answer at a time (for a guided conversation) ----------------------------------------

_DATE_FORMATS = (
    re.compile(r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"),
    re.compile(r"(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>\d{4})"),
)
_YES = {"ja", "j", "yes", "y", "oui", "o", "1", "true", "waar", "vrai", "x"}
_NO = {"nee", "neen", "n", "no", "non", "0", "false", "onwaar", "faux", ""}
_CATEGORY_WORDS: dict[str, Category] = {
    "standard": "standard",
    "standaard": "standard",
    "gewoon": "standard",
    "normal": "standard",
    "sport": "sport",
    "watch": "watch",
    "oppas": "watch",
    "dagoppas": "watch",
    "nachtoppas": "watch",
    "garde": "watch",
    "patient-transport": "patient-transport",
    "ziekenvervoer": "patient-transport",
    "transport-patients": "patient-transport",
    "patients": "patient-transport",
}


def parse_when(text: str) -> date | int:
    """ "2026" (a year), "1/3/2026", "01.03.2026" or "2026-03-01" (a date)."""
    cleaned = text.strip()
    if re.fullmatch(r"\d{4}", cleaned):
        year = int(cleaned)
        if not 2000 <= year <= 2100:
            raise AnswerError("year", text)
        return year
    for pattern in _DATE_FORMATS:
        if match := pattern.fullmatch(cleaned):
            try:
                return date(int(match["y"]), int(match["m"]), int(match["d"]))
            except ValueError as exc:
                raise AnswerError("date", text) from exc
    raise AnswerError("date", text)


def parse_days(text: str) -> int:
    cleaned = text.strip()
    if not cleaned.isascii() or not cleaned.isdigit() or not 1 <= int(cleaned) <= 366:
        raise AnswerError("days", text)
    return int(cleaned)


def parse_money(text: str) -> Decimal:
    try:
        return parse_amount(text)
    except AmountError as exc:
        raise AnswerError(f"amount-{exc.code}", text) from exc


def parse_km(text: str) -> Decimal:
    try:
        return parse_number(text, max_decimals=1) if text.strip() else ZERO
    except AmountError as exc:
        raise AnswerError(f"km-{exc.code}", text) from exc


def parse_yes_no(text: str) -> bool:
    word = text.strip().lower()
    if word in _YES:
        return True
    if word in _NO:
        return False
    raise AnswerError("yes-no", text)


def parse_category(text: str) -> Category:
    word = text.strip().lower() or "standard"
    if word not in _CATEGORY_WORDS:
        raise AnswerError("category", text)
    return _CATEGORY_WORDS[word]


_SYSTEM_WORDS: dict[str, System] = {
    "flat-rate": "flat-rate",
    "forfait": "flat-rate",
    "forfaitair": "flat-rate",
    "forfaitaire vergoeding": "flat-rate",
    "forfaitaire": "flat-rate",
    "real-costs": "real-costs",
    "reële kosten": "real-costs",
    "reele kosten": "real-costs",
    "werkelijke kosten": "real-costs",
    "frais réels": "real-costs",
    "frais reels": "real-costs",
    "réels": "real-costs",
}


def parse_system(text: str) -> System:
    word = " ".join(text.strip().lower().split())
    if word not in _SYSTEM_WORDS:
        raise AnswerError("system", text)
    return _SYSTEM_WORDS[word]


def ceilings_known(year: int, day: date | None, figures: Figures) -> bool:
    """Whether the flat-rate day and year ceilings for this date (or year) are confirmed, so a
    conversation can say "not known yet" at once instead of after every other question."""
    return _ceilings(AllowanceInput(year=year, day=day), figures) is not None


def car_rate_periods(
    year: int, day: date | None, figures: Figures
) -> tuple[tuple[date, date], ...]:
    """The stretches of the check's span with one car km rate each (it changes per quarter),
    so a conversation can ask the km per stretch. One stretch when the rate does not change."""
    start, end = AllowanceInput(year=year, day=day).span
    periods = [
        (max(p.start, start), min(p.end or end, end))
        for p in figures.get("transport.car_per_km").periods
        if p.start <= end and (p.end is None or p.end >= start)
    ]
    covered = sum((b - a).days + 1 for a, b in periods) == (end - start).days + 1
    return tuple(periods) if len(periods) > 1 and covered else ((start, end),)


# --- "does this free-text question ask for such a calculation?" -------------------------------

# A number the way Belgians write money: "1.200", "1 200,00", "41,50", "45".
_NUM = r"\d{1,3}(?:[.\u00a0\u202f ]\d{3})+(?:,\d{1,2})?(?!\d)|\d+(?:[.,]\d{1,2})?(?!\d)"
_CURRENCY_MARK = r"(?:€|euros?\b|eur\b)"
_MONEY = re.compile(
    rf"{_CURRENCY_MARK}\s*(?P<after>{_NUM})|(?P<before>{_NUM})\s*{_CURRENCY_MARK}", re.IGNORECASE
)
_DAY_WORD = r"(?:dag|jour|journée|journee)"
# Right after the amount: "per dag", "par jour", "/dag", "/j", "la journée", "daags".
_PER_DAY_AFTER = re.compile(
    rf"\s*(?:(?:per|par|la|le|a|à|/)\s*{_DAY_WORD}\b|/\s*[dj]\b|daags\b)", re.IGNORECASE
)
# Right before the amount: "per dag 45 euro", "par jour : 50 €".
_PER_DAY_BEFORE = re.compile(rf"(?:per|par)\s+{_DAY_WORD}\s*:?\s*$", re.IGNORECASE)
# A bare number followed by "per dag"/"par jour" is money too: "ik krijg 45 per dag".
_BARE_PER_DAY = re.compile(rf"(?P<bare>{_NUM})(?={_PER_DAY_AFTER.pattern})", re.IGNORECASE)
# Words that make an amount about allowances (not about, say, an insurance premium).
_ALLOWANCE_CONTEXT = re.compile(
    r"\b(?:vergoed\w*|onkost\w*|forfait\w*|d[ée]fra\w*|indemnit\w*|plafond\w*|km|kilom[eè]t\w*"
    r"|vrijwillig\w*|volontai\w*|b[ée]n[ée]vol\w*|dag|dagen|jour|jours|jaar|an|mag|permis"
    r"|autoris\w*|toegestaan|toegelaten|krijg\w*|ontvang\w*|re[çc]oi\w*|touch\w*)\b",
    re.IGNORECASE,
)


def looks_like_allowance_question(text: str) -> Decimal | bool:
    """Does a free-text question state amounts to be checked ("ik krijg 45 euro per dag, mag
    dat?")? False: no. A Decimal (> 0): yes, and this is the amount per day it names. True: yes,
    but without a per-day amount (a total, a yearly sum). Used to offer the guided check."""
    found = False
    for match in _MONEY.finditer(text):
        number = match["after"] or match["before"]
        per_day = bool(_PER_DAY_AFTER.match(text, match.end())) or bool(
            _PER_DAY_BEFORE.search(text, 0, match.start())
        )
        found = True
        if per_day and (amount := _amount_or_none(number)):
            return amount
    if not found and (bare := _BARE_PER_DAY.search(text)):
        return _amount_or_none(bare["bare"]) or True
    return found and bool(_ALLOWANCE_CONTEXT.search(text))


def _amount_or_none(number: str) -> Decimal | None:
    try:
        amount = parse_amount(number)
    except AmountError:
        return None
    return amount if amount > 0 else None
