"""Amounts that change over time (ceilings, kilometre rates), by period, from ONE file.

`Figures.on(day)` gives the namespace templates use (`figures.allowance.per_day`). A figure
with no confirmed value on that day resolves to an *unknown* value that templates print as
"not known for <period>" – never to another period's amount.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from bot.core.errors import KnowledgeBaseError, Problem
from bot.core.model import Source
from bot.core.yaml_source import LineDict, as_date, load_yaml

_PERIOD_KEYS = {"from", "until", "value", "source", "confidence"}
_FIGURE_KEYS = {"unit", "periods", "label", "changes", "check", "product"}
# How a figure changes (`changes:` in figures.yaml); the reply explains it in its own words
# (templates/<lang>/answer.html) when the coming period has no confirmed amount yet.
CHANGE_KINDS = ("pivot-index", "quarterly", "fixed")


@dataclass(frozen=True)
class Period:
    start: date
    end: date | None
    value: Decimal | None  # None: the period exists but its amount is not confirmed
    source: Source
    confidence: str

    def covers(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)

    def label(self, lang: str = "nl") -> str:
        """'2026' for a calendar year, '1/1/2026 – 31/3/2026' otherwise, 'vanaf …' when open."""
        if (
            self.end is not None
            and self.start.year == self.end.year
            and (self.start.month, self.start.day) == (1, 1)
            and (self.end.month, self.end.day) == (12, 31)
        ):
            return str(self.start.year)
        if (
            self.end is not None
            and (self.start.month, self.start.day) == (1, 1)
            and (
                self.end.month,
                self.end.day,
            )
            == (12, 31)
        ):
            return f"{self.start.year}–{self.end.year}"
        start = f"{self.start.day}/{self.start.month}/{self.start.year}"
        if self.end is None:
            return f"vanaf {start}" if lang == "nl" else f"depuis le {start}"
        return f"{start} – {self.end.day}/{self.end.month}/{self.end.year}"


@dataclass(frozen=True)
class FigureValue:
    """A figure resolved for one day. `value is None` means: not known for that day."""

    name: str
    unit: str
    day: date
    value: Decimal | None
    period: Period | None
    # Set only when `day` lies after the last period recorded (the coming period has not been
    # added yet, e.g. 1 January before the new amounts are confirmed): the last period with a
    # confirmed amount, shown ONLY labelled with its own period, never as the current amount.
    last: Period | None = None
    figure: Figure | None = None

    @property
    def known(self) -> bool:
        return self.value is not None

    @property
    def pending(self) -> bool:
        """No period recorded yet for `day`, but an earlier confirmed amount exists."""
        return self.value is None and self.period is None and self.last is not None

    def coming_label(self, lang: str = "nl") -> str:
        """The period whose amount is awaited: '2027' when the last one ended on 31/12."""
        if self.last is None or self.last.end is None:
            return f"{self.day.day}/{self.day.month}/{self.day.year}"
        nxt = self.last.end + timedelta(days=1)
        if (nxt.month, nxt.day) == (1, 1) and self.day.year == nxt.year:
            return str(nxt.year)
        start = f"{nxt.day}/{nxt.month}/{nxt.year}"
        return f"vanaf {start}" if lang == "nl" else f"à partir du {start}"


@dataclass(frozen=True)
class Figure:
    name: str
    unit: str
    periods: tuple[Period, ...]
    label: dict[str, str] = field(default_factory=dict)  # {"nl": "dagplafond", "fr": ...}
    changes: str = ""  # one of CHANGE_KINDS, or "" when not said
    check: Source | None = None  # where to check a new amount (else the last period's source)

    def on(self, day: date) -> FigureValue:
        for period in self.periods:
            if period.covers(day):
                return FigureValue(self.name, self.unit, day, period.value, period, None, self)
        last = None
        if self.periods and self.periods[-1].end is not None and day > self.periods[-1].end:
            last = next((p for p in reversed(self.periods) if p.value is not None), None)
        return FigureValue(self.name, self.unit, day, None, None, last, self)

    def name_in(self, lang: str) -> str:
        return self.label.get(lang) or self.name

    def where_to_check(self) -> Source | None:
        return self.check or (self.periods[-1].source if self.periods else None)


class Figures:
    def __init__(self, figures: dict[str, Figure], file: str = "") -> None:
        self._figures = figures
        self.file = file

    @property
    def names(self) -> list[str]:
        return sorted(self._figures)

    def __contains__(self, name: str) -> bool:
        return name in self._figures

    def get(self, name: str) -> Figure:
        return self._figures[name]

    def value_on(self, name: str, day: date) -> FigureValue:
        return self._figures[name].on(day)

    def missing_on(self, day: date) -> list[str]:
        """Figures with no confirmed value on `day` (reported by name at load and by `check`)."""
        return [name for name, fig in sorted(self._figures.items()) if not fig.on(day).known]

    def missing_soon(self, today: date, days: int = 30) -> list[tuple[str, date]]:
        """Figures confirmed today but with no confirmed value on some day of the next `days`
        days (e.g. 1 January before the new year's amounts are added): (name, first such day).
        """
        out = []
        for name, fig in sorted(self._figures.items()):
            if not fig.on(today).known:
                continue  # already reported as missing today
            for offset in range(1, days + 1):
                day = today + timedelta(days=offset)
                if not fig.on(day).known:
                    out.append((name, day))
                    break
        return out

    def namespace(self, day: date, record: list[FigureValue] | None = None) -> FigureNamespace:
        return FigureNamespace(self, day, "", record)


class FigureNamespace:
    """`figures.allowance.per_day` in a template: resolves a dotted name for one day.

    Unknown names raise AttributeError, which Jinja's StrictUndefined turns into a render
    error at load time – so a typo in a figure name can never reach a user.
    """

    def __init__(
        self, figures: Figures, day: date, prefix: str, record: list[FigureValue] | None
    ) -> None:
        self._figures, self._day, self._prefix, self._record = figures, day, prefix, record

    def __getattr__(self, part: str) -> Any:
        if part.startswith("_"):
            raise AttributeError(part)
        name = f"{self._prefix}{part}"
        if name in self._figures:
            value = self._figures.value_on(name, self._day)
            if self._record is not None:
                self._record.append(value)
            return value
        if any(n.startswith(name + ".") for n in self._figures.names):
            return FigureNamespace(self._figures, self._day, name + ".", self._record)
        raise AttributeError(f"unknown figure '{name}'")


FIGURES_FILE = "knowledge/figures.yaml"  # under KNOWLEDGE_DIR, the folder of faq/ and knowledge/


def load_figures_under(root: Path) -> Figures:
    """The figures of the knowledge base at `root`, named as FIGURES_FILE in every problem."""
    return load_figures(root / FIGURES_FILE, FIGURES_FILE)


def load_figures(path: Path, display: str | None = None) -> Figures:
    display = display or path.name
    data, problems = load_yaml(path, display)
    if problems:
        raise KnowledgeBaseError(problems)
    if not isinstance(data, dict) or "figures" not in data:
        raise KnowledgeBaseError(
            [Problem(display, "expected top-level keys 'sources' and 'figures'")]
        )
    raw_sources = data.get("sources") or {}
    if not isinstance(raw_sources, dict):  # every period names one: nothing else can load
        raise KnowledgeBaseError([
            Problem(display, "'sources' must map source keys to {title, url}",
                    _key_line(data, "sources"))
        ])
    sources: dict[str, Source] = {}
    for key, raw in raw_sources.items():
        if not isinstance(raw, dict) or not raw.get("title"):
            problems.append(Problem(display, f"source '{key}' needs a title", _line(raw)))
            continue
        url = raw.get("url")
        if url is None and not raw.get("legal_ref"):
            problems.append(
                Problem(display, f"source '{key}' needs a url or a legal_ref", _line(raw))
            )
        if url is not None and not str(url).startswith(("http://", "https://")):
            problems.append(Problem(display, f"source '{key}' url is not http(s)", _line(raw)))
        sources[key] = Source(title=str(raw["title"]), url=url, legal_ref=raw.get("legal_ref"))

    figures: dict[str, Figure] = {}
    computed: dict[str, Any] = {}

    def walk(node: Any, prefix: str) -> None:
        if isinstance(node, dict) and "product" in node:
            computed[prefix] = node
        elif isinstance(node, dict) and "periods" in node:
            figures[prefix] = _parse_figure(prefix, node, sources, display, problems)
        elif isinstance(node, dict):
            for key, child in node.items():
                walk(child, f"{prefix}.{key}" if prefix else str(key))
        else:
            problems.append(Problem(display, f"'{prefix}' is neither a group nor a figure"))

    walk(data["figures"], "")
    for name, node in computed.items():
        figures[name] = _computed_figure(name, node, figures, sources, display, problems)
    if problems:
        raise KnowledgeBaseError(problems)
    return Figures(figures, display)


def _computed_figure(
    name: str,
    node: dict[str, Any],
    figures: dict[str, Figure],
    sources: dict[str, Source],
    display: str,
    problems: list[Problem],
) -> Figure:
    """A figure computed from others (`product: [a, b]`), e.g. the 2,000 km cap in euros:
    one period per stretch where every factor has one period; unknown when a factor is."""
    factors = node.get("product")
    if (
        not isinstance(factors, list)
        or len(factors) < 2
        or any(f not in figures for f in factors)
    ):
        problems.append(
            Problem(display, f"figure '{name}': product must list known figures", _line(node))
        )
        return Figure(name, str(node.get("unit", "")), ())
    if set(node) & {"periods"}:
        problems.append(
            Problem(display, f"figure '{name}': product and periods exclude each other")
        )
    bounds = sorted({p.start for f in factors for p in figures[f].periods})
    periods: list[Period] = []
    for start in bounds:
        parts = [figures[f].on(start).period for f in factors]
        if any(p is None for p in parts):
            continue
        ends = [p.end for p in parts if p is not None and p.end is not None]
        later = [b for b in bounds if b > start]
        end = min([*ends, *(b - timedelta(days=1) for b in later[:1])], default=None)
        values = [p.value for p in parts if p is not None]
        value = None
        if all(v is not None for v in values):
            value = Decimal(1)
            for v in values:
                value *= v  # type: ignore[operator]
        last = parts[-1]
        if last is not None:
            periods.append(Period(start, end, value, last.source, last.confidence))
    base = figures[factors[-1]]
    plain = {k: v for k, v in node.items() if k != "product"}
    figure = _parse_figure(name, {**plain, "periods": []}, sources, display, [])
    return Figure(
        name,
        str(node.get("unit", "")),
        tuple(periods),
        figure.label,
        figure.changes or base.changes,
        figure.check or base.check,
    )


def _line(node: Any) -> int | None:
    return node.line if isinstance(node, LineDict) else None


def _key_line(node: Any, key: str) -> int | None:
    return node.line_of(key) if isinstance(node, LineDict) else None


# An amount as people write it in figures.yaml: digits, a point, decimals. No exponent (1e999
# cannot be shown as an amount), no NaN or infinity, no sign (no ceiling or rate is negative).
_AMOUNT = re.compile(r"^\d{1,12}(\.\d{1,6})?$")


def amount_problem(text: str) -> str | None:
    """Why `text` is not a usable figure value, or None when it is one."""
    plain = text.strip()
    if _AMOUNT.match(plain):
        return None
    if plain.startswith("-") and _AMOUNT.match(plain[1:]):
        return f"value must not be negative (got {text!r})"
    return f'value must be a plain decimal number like "41.48" (got {text!r})'


def _parse_period(
    name: str, raw: Any, sources: dict[str, Source], display: str, problems: list[Problem]
) -> Period | None:
    """One period of a figure; None (and one problem) when it cannot be used."""
    line = _line(raw)
    if not isinstance(raw, dict):
        problems.append(Problem(display, f"figure '{name}': a period must be a mapping", line))
        return None
    for key in sorted(set(raw) - _PERIOD_KEYS, key=str):
        problems.append(Problem(display, f"figure '{name}': unknown field '{key}'", line))
    start, end = as_date(raw.get("from")), as_date(raw.get("until"))
    if start is None:
        problems.append(
            Problem(
                display,
                f"figure '{name}': 'from' must be a date like 2026-01-01 "
                f"(got {raw.get('from')!r})",
                _key_line(raw, "from"),
            )
        )
        return None
    if raw.get("until") is not None and end is None:
        problems.append(
            Problem(
                display,
                f"figure '{name}': 'until' must be a date like 2026-12-31 "
                f"(got {raw.get('until')!r})",
                _key_line(raw, "until"),
            )
        )
        return None
    if end is not None and end < start:
        problems.append(Problem(display, f"figure '{name}': period ends before it starts", line))
    value: Decimal | None = None
    if raw.get("value") is not None:
        value_line = _key_line(raw, "value")
        if not isinstance(raw["value"], str):
            problems.append(
                Problem(
                    display,
                    f"figure '{name}': write the value as a quoted string, e.g. \"41.48\"",
                    value_line,
                )
            )
            return None
        problem = amount_problem(raw["value"])
        if problem is not None:
            problems.append(Problem(display, f"figure '{name}': {problem}", value_line))
            return None
        value = Decimal(raw["value"].strip())
    source_key = raw.get("source")
    if source_key is None:
        problems.append(Problem(display, f"figure '{name}': the period needs a source", line))
        return None
    if not isinstance(source_key, str) or source_key not in sources:
        problems.append(
            Problem(display, f"figure '{name}': unknown source {source_key!r}", line)
        )
        return None
    return Period(start, end, value, sources[source_key], str(raw.get("confidence", "high")))


def _parse_figure(
    name: str,
    node: dict[str, Any],
    sources: dict[str, Source],
    display: str,
    problems: list[Problem],
) -> Figure:
    for key in set(node) - _FIGURE_KEYS:
        problems.append(Problem(display, f"figure '{name}': unknown field '{key}'", _line(node)))
    periods: list[Period] = []
    raw_periods = node.get("periods") or []
    before = len(problems)
    if not isinstance(raw_periods, list):
        problems.append(
            Problem(
                display, f"figure '{name}': 'periods' must be a list", _key_line(node, "periods")
            )
        )
        raw_periods = []
    for raw in raw_periods:
        period = _parse_period(name, raw, sources, display, problems)
        if period is not None:
            periods.append(period)
    periods.sort(key=lambda p: p.start)
    # A period that did not parse is already named; its neighbours' "gap" would only repeat it.
    for earlier, later in itertools.pairwise(periods if len(problems) == before else []):
        if earlier.end is None or earlier.end >= later.start:
            problems.append(
                Problem(
                    display, f"figure '{name}': periods overlap around {later.start.isoformat()}"
                )
            )
        elif earlier.end + timedelta(days=1) != later.start:
            problems.append(
                Problem(
                    display,
                    f"figure '{name}': gap between {earlier.end.isoformat()} and "
                    f"{later.start.isoformat()} (periods must follow each other; record a "
                    "period whose amount is not confirmed with value: null)",
                )
            )
    if not periods and len(problems) == before:
        problems.append(Problem(display, f"figure '{name}': no periods", _line(node)))
    label = node.get("label") or {}
    if not isinstance(label, dict) or set(label) - {"nl", "fr"}:
        problems.append(
            Problem(display, f"figure '{name}': label must be {{nl: ..., fr: ...}}", _line(node))
        )
        label = {}
    changes = str(node.get("changes") or "")
    if changes and changes not in CHANGE_KINDS:
        problems.append(
            Problem(
                display,
                f"figure '{name}': changes must be one of {', '.join(CHANGE_KINDS)}",
                _line(node),
            )
        )
    check = None
    if node.get("check") is not None:
        check = sources.get(str(node["check"]))
        if check is None:
            problems.append(
                Problem(display, f"figure '{name}': unknown check source '{node['check']}'")
            )
    return Figure(
        name,
        str(node.get("unit", "")),
        tuple(periods),
        {str(k): str(v) for k, v in label.items()},
        changes,
        check,
    )
