"""The allowance conversation's steps, without Telegram: which question comes next, how an
answer is read, what Back forgets, and the `AllowanceInput` at the end.

Kept apart from the ptb handlers so the order of questions (and which ones a real-costs
volunteer never sees) can be read and tested on its own. Answers live only in memory.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from bot.core.allowance import (
    AllowanceInput,
    KmLeg,
    parse_category,
    parse_days,
    parse_km,
    parse_money,
    parse_system,
    parse_when,
    parse_yes_no,
)
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
class Draft:
    """One chat's answers so far. `history` lists the answered steps, so Back can undo them."""

    lang: Language
    hint: Decimal | None = None  # a per-day amount read from the question that led here
    answers: dict[str, Any] = field(default_factory=dict)
    history: list[str] = field(default_factory=list)
    step: str = STEPS[0]
    car_periods: tuple[Span, ...] = ()  # set after "when": one km question per rate period

    def answer(self, value: Any) -> str | None:
        """Record the current step's answer; returns the next step, None when all are in."""
        self.answers[self.step] = value
        self.history.append(self.step)
        following = self.next_step()
        if following is not None:
            self.step = following
        return following

    def back(self) -> None:
        """Return to the previous question and forget its answer (it will be asked again)."""
        if not self.history:
            return
        self.answers.pop(self.step, None)
        self.step = self.history.pop()
        self.answers.pop(self.step, None)

    def steps(self) -> list[str]:
        if len(self.car_periods) < 2:
            return list(STEPS)
        i = STEPS.index("km_car")
        car = [f"km_car.{n}" for n in range(1, len(self.car_periods) + 1)]
        return [*STEPS[:i], *car, *STEPS[i + 1 :]]

    def next_step(self) -> str | None:
        return next((s for s in self.steps() if s not in self.answers and self.needed(s)), None)

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
