"""The allowance check as a guided conversation (/vergoeding, /defraiement): which question
comes next (a real-costs volunteer never sees the ceiling questions), how an answer is read,
the buttons, and the verdict (`check_allowance`, `render_check`).

Kept without Telegram so the order of questions can be read and tested on its own; the
conversation itself is run by `Guide` (bot/core/guided/__init__.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, ClassVar

from bot.core.allowance import (
    AllowanceInput,
    AnswerError,
    KmLeg,
    car_rate_periods,
    ceilings_known,
    check_allowance,
    parse_category,
    parse_days,
    parse_km,
    parse_money,
    parse_system,
    parse_when,
    parse_yes_no,
)
from bot.core.allowance_text import answer_error_text, render_check
from bot.core.amounts import format_eur
from bot.core.figures import Figures
from bot.core.guided import LABELS, Button, Draft, Guide, Say, Turn, one_per_row
from bot.core.model import Language

# In the order they are asked; `Draft.needed` skips the ones that do not apply. "km_car"
# becomes "km_car.1", "km_car.2", … when the car km rate changes within the year (per quarter).
STEPS: tuple[str, ...] = (
    "when", "system", "elsewhere", "days", "amount", "total", "km_car", "km_bike",
    "transport", "category", "benefits",
)
Span = tuple[date, date]
TOTAL = "total"  # the amount step's answer "I only know the total": the total step follows
_TOTAL_WORDS = {"total", "totaal"}


def _amount(text: str) -> Decimal | str:
    return TOTAL if text.strip().lower() in _TOTAL_WORDS else parse_money(text)


PARSERS: dict[str, Callable[[str], Any]] = {
    "when": parse_when,
    "system": parse_system,
    "elsewhere": parse_yes_no,
    "days": parse_days,
    "amount": _amount,
    "total": parse_money,
    "km_car": parse_km,
    "km_bike": parse_km,
    "transport": parse_yes_no,
    "category": parse_category,
    "benefits": parse_yes_no,
}

@dataclass
class AllowanceDraft(Draft):
    hint: Decimal | None = None  # a per-day amount read from the question that led here
    car_periods: tuple[Span, ...] = ()  # set after "when": one km question per rate period

    def steps(self) -> list[str]:
        if len(self.car_periods) < 2:
            return list(STEPS)
        i = STEPS.index("km_car")
        car = [f"km_car.{n}" for n in range(1, len(self.car_periods) + 1)]
        return [*STEPS[:i], *car, *STEPS[i + 1 :]]

    def parse(self, text: str) -> Any:
        """Read an answer to the current question; AnswerError says why it is unusable."""
        return PARSERS[self.step.partition(".")[0]](text)

    def period(self, step: str) -> Span | None:
        """The stretch of the year a per-period km question is about."""
        base, _, number = step.partition(".")
        return self.car_periods[int(number) - 1] if base == "km_car" and number else None

    def km_car(self) -> list[tuple[Decimal, Span | None]]:
        steps = [s for s in self.steps() if s.startswith("km_car")]
        return [(self.answers[s], self.period(s)) for s in steps if self.answers.get(s)]

    def needed(self, step: str) -> bool:
        flat_rate: bool = self.answers.get("system", "flat-rate") == "flat-rate"
        if step == "total":
            return bool(self.answers.get("amount") == TOTAL)
        if step == "transport":
            # The km cap is the only thing it changes, and there is one only with the flat rate.
            return flat_rate and bool(self.km_car() or self.answers.get("km_bike"))
        if step in ("category", "benefits"):
            return flat_rate  # they only change ceilings, and real costs have none
        return True

    @property
    def year(self) -> int:
        when = self.answers.get("when")
        return when.year if isinstance(when, date) else int(when or 0)

    @property
    def day(self) -> date | None:
        when = self.answers.get("when")
        return when if isinstance(when, date) else None

    def to_input(self) -> AllowanceInput:
        a = self.answers
        per_day = None if a.get("amount") == TOTAL else a.get("amount")
        bike = a.get("km_bike", Decimal(0))
        legs = [KmLeg(car=km, start=span[0], end=span[1]) if span else KmLeg(car=km)
                for km, span in self.km_car()]
        if bike:
            legs.append(KmLeg(bike=bike))
        return AllowanceInput(
            year=self.year,
            day=self.day,
            system=a.get("system", "flat-rate"),
            days=a.get("days", 0),
            per_day=per_day,
            total=a.get("total"),
            km=tuple(legs),
            transports_people=a.get("transport", False),
            category=a.get("category", "standard"),
            benefits=a.get("benefits", False),
            other_system_elsewhere=a.get("elsewhere", False),
            other_system_asked="elsewhere" in a,
        )


CHOICE_LABELS: dict[Language, dict[str, str]] = {
    "nl": {
        "flat-rate": "Forfaitaire vergoeding", "real-costs": "Reële kosten (met bewijs)",
        "total": "Ik ken alleen het totaal", "none": "Geen (0 km)",
        "standard": "Gewone vrijwilliger", "sport": "Sport (trainer, scheidsrechter, …)",
        "watch": "Dag- of nachtoppas", "patient-transport": "Niet-dringend ziekenvervoer",
    },
    "fr": {
        "flat-rate": "Défraiement forfaitaire", "real-costs": "Frais réels (avec preuves)",
        "total": "Je ne connais que le total", "none": "Aucun (0 km)",
        "standard": "Volontaire ordinaire", "sport": "Sport (entraîneur, arbitre, …)",
        "watch": "Garde de jour ou de nuit",
        "patient-transport": "Transport non urgent de patients",
    },
}
# Each step's fixed choices as (label key, value the step's parser reads).
CHOICES: dict[str, list[tuple[str, str]]] = {
    "system": [("flat-rate", "flat-rate"), ("real-costs", "real-costs")],
    "elsewhere": [("yes", "ja"), ("no", "nee")],
    "km_car": [("none", "0")],
    "km_bike": [("none", "0")],
    "transport": [("yes", "ja"), ("no", "nee")],
    "category": [(c, c) for c in ("standard", "sport", "watch", "patient-transport")],
    "benefits": [("yes", "ja"), ("no", "nee")],
}


class AllowanceGuide(Guide[AllowanceDraft]):
    name, prefix, texts = "allowance", "a", "alw"
    commands: ClassVar[dict[str, Language]] = {"vergoeding": "nl", "defraiement": "fr"}
    descriptions: ClassVar[dict[str, str]] = {
        "vergoeding": "Reken je onkostenvergoeding na",
        "defraiement": "Vérifier votre défraiement",
    }

    def __init__(self, figures: Figures) -> None:
        self.figures = figures

    def start(self, lang: Language, offered: str = "") -> AllowanceDraft:
        return AllowanceDraft(lang=lang, hint=Decimal(offered) if offered else None)

    def choices(self, draft: AllowanceDraft, today: date) -> list[list[tuple[str, str]]]:
        labels = LABELS[draft.lang] | CHOICE_LABELS[draft.lang]
        if draft.step == "when":
            return [[(str(y), str(y)) for y in (today.year, today.year - 1)]]
        if draft.step == "amount":
            hint = draft.hint
            offered = [(format_eur(hint, draft.lang), f"{hint:f}")] if hint is not None else []
            return [offered, [(labels["total"], TOTAL)]]
        fixed = CHOICES.get(draft.base_step, [])
        return one_per_row([(labels[key], value) for key, value in fixed])

    def facts(self, draft: AllowanceDraft) -> dict[str, Any]:
        span = draft.period(draft.step)
        return {
            "period": f"{_day(span[0])} – {_day(span[1])}" if span else "",
            "year": draft.year,
            "days": draft.answers.get("days", 0),
            "system": draft.answers.get("system", "flat-rate"),
            "hint": format_eur(draft.hint, draft.lang) if draft.hint is not None else "",
        }

    def problem(self, draft: AllowanceDraft, error: ValueError) -> dict[str, Any]:
        assert isinstance(error, AnswerError)  # what every allowance parser raises
        return {"error": answer_error_text(error, draft.lang)}

    def on_answer(self, draft: AllowanceDraft, value: Any, say: Say) -> Turn | None:
        if draft.step == "when":
            draft.answers["when"] = value  # the year decides which questions follow
            if not ceilings_known(draft.year, draft.day, self.figures):
                text = say(draft.lang, "alw_unknown_year", year=draft.year)
                return Turn(text, ((Button("", "staff"),),), ended=True)
            draft.car_periods = car_rate_periods(draft.year, draft.day, self.figures)
        return None

    def verdict(self, draft: AllowanceDraft, say: Say, today: date) -> Turn:
        check = check_allowance(draft.to_input(), self.figures)
        done = say(draft.lang, "alw_done", verdict=check.verdict)
        staff = ((Button("", "staff"),),) if check.verdict != "ok" else ()
        return Turn(f"{render_check(check, draft.lang)}\n\n{done}", staff, ended=True)


def _day(value: date) -> str:
    return f"{value.day}/{value.month}/{value.year}"
