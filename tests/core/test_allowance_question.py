"""Recognising a calculation in a free-text question, and the conversation's helpers."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from bot.core.allowance import (
    AnswerError,
    car_rate_periods,
    ceilings_known,
    looks_like_allowance_question,
    parse_system,
)
from bot.core.figures import load_figures

FIGURES = load_figures(Path(__file__).resolve().parents[2] / "knowledge" / "figures.yaml")


@pytest.mark.parametrize(
    ("question", "per_day"),
    [
        ("ik krijg 45 euro per dag, mag dat?", Decimal("45")),
        ("je reçois 50 € par jour, c'est permis ?", Decimal("50")),
        ("Mag ik € 41,50/dag vragen?", Decimal("41.50")),
        ("40€/j, c'est ok ?", Decimal("40")),
        ("ik krijg 45 per dag", Decimal("45")),
        ("Mag ik 40 euro per dag en 300 km krijgen?", Decimal("40")),
        ("per dag 35 euro, kan dat?", Decimal("35")),
    ],
)
def test_a_per_day_amount_is_recognised(question: str, per_day: Decimal) -> None:
    """A question naming an amount per day offers the check with that amount."""
    assert looks_like_allowance_question(question) == per_day


@pytest.mark.parametrize(
    "question",
    [
        "ik krijg 1.200 euro per jaar als vrijwilliger, kan dat?",
        "je reçois 1 200,00 € par an comme volontaire",
        "on me donne 0 € par jour",
    ],
)
def test_a_calculation_without_a_per_day_amount_is_recognised(question: str) -> None:
    """Amounts about allowances without a usable per-day amount still offer the check."""
    assert looks_like_allowance_question(question) is True


@pytest.mark.parametrize(
    "question",
    [
        "hoeveel onkostenvergoeding mag ik per dag krijgen",
        "Wat kost een verzekering van 45 euro?",
        "ik ben 45 jaar",
        "ik werk 3 dagen per week",
        "in 2026 kreeg ik 12 dagen",
    ],
)
def test_questions_without_amounts_to_check_are_not_calculations(question: str) -> None:
    """Questions about the rules, or numbers that are not money, do not offer the check."""
    assert looks_like_allowance_question(question) is False


def test_the_system_is_read_in_both_languages() -> None:
    assert parse_system("Forfait") == "flat-rate"
    assert parse_system("reële  kosten") == "real-costs"
    assert parse_system("frais réels") == "real-costs"
    with pytest.raises(AnswerError):
        parse_system("allebei")


def test_ceilings_are_known_for_2026_but_not_for_2031() -> None:
    """A year without figures is recognised before any other question is asked."""
    assert ceilings_known(2026, None, FIGURES)
    assert ceilings_known(2026, date(2026, 3, 1), FIGURES)
    assert not ceilings_known(2031, None, FIGURES)


def test_the_car_rate_periods_split_the_year_per_rate() -> None:
    """2026's car km rate changes in April, so its km are asked per stretch."""
    assert car_rate_periods(2026, None, FIGURES) == (
        (date(2026, 1, 1), date(2026, 3, 31)),
        (date(2026, 4, 1), date(2026, 12, 31)),
    )
    assert car_rate_periods(2026, date(2026, 3, 1), FIGURES) == (
        (date(2026, 3, 1), date(2026, 3, 1)),
    )
    assert len(car_rate_periods(2031, None, FIGURES)) == 1
