"""The allowance check, as a volunteer or treasurer would state the rules (art. 10 wet 3/7/2005).

Numbers come from the real knowledge/figures.yaml: these tests also pin the 2024–2026 figures.
"""

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from bot.core.allowance import (
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
from bot.core.allowance_text import answer_error_text, render_check
from bot.core.figures import load_figures

FIGURES = load_figures(Path(__file__).resolve().parents[2] / "knowledge" / "figures.yaml")
D = Decimal
CENT = D("0.01")

DAY = {2024: D("41.48"), 2025: D("42.31"), 2026: D("44.02")}
YEAR = {2024: D("1659.29"), 2025: D("1692.51"), 2026: D("1760.83")}
RAISED = {2024: D("3047.43"), 2025: D("3108.44"), 2026: D("3233.91")}
YEARS = sorted(DAY)


def check(**kwargs: Any) -> AllowanceCheck:
    kwargs.setdefault("year", kwargs["day"].year if "day" in kwargs else 2026)
    return check_allowance(AllowanceInput(**kwargs), FIGURES)


# --- day ceiling ---------------------------------------------------------------------------------


@pytest.mark.parametrize("year", YEARS)
def test_a_volunteer_paid_exactly_the_day_ceiling_stays_within_the_law(year: int) -> None:
    """Exactly the day ceiling in force that year is allowed."""
    result = check(year=year, days=1, per_day=DAY[year])
    assert result.verdict == "ok"
    assert result.rule("day-ceiling").passed is True
    assert result.rule("day-ceiling").numbers["ceiling"] == DAY[year]


@pytest.mark.parametrize("year", YEARS)
def test_one_cent_above_the_day_ceiling_is_over(year: int) -> None:
    """One cent above the day ceiling breaks the rule, even for a single day."""
    result = check(year=year, days=1, per_day=DAY[year] + CENT)
    assert result.verdict == "over"
    assert result.rule("day-ceiling").passed is False


def test_one_day_above_the_ceiling_in_a_list_of_days_is_over() -> None:
    """With one amount per day, a single day above the ceiling is enough to be over."""
    amounts = (D("30"), D("44.02"), D("44.03"))
    result = check(year=2026, day_amounts=amounts)
    rule = result.rule("day-ceiling")
    assert rule.passed is False
    assert rule.numbers["highest"] == D("44.03")
    assert rule.numbers["days_over"] == 1


def test_a_total_above_days_times_the_day_ceiling_is_over() -> None:
    """Given only a total, more than days × day ceiling means some day was above it."""
    assert check(year=2026, days=2, total=D("88.04")).rule("day-ceiling").passed is True
    assert check(year=2026, days=2, total=D("88.05")).rule("day-ceiling").passed is False


def test_a_total_within_the_average_is_flagged_as_average_only() -> None:
    """A total can hide one day above the ceiling, so the check says it saw only the average."""
    rule = check(year=2026, days=2, total=D("80")).rule("day-ceiling")
    assert rule.passed is True
    assert rule.note == "average-only"


# --- year ceiling --------------------------------------------------------------------------------


@pytest.mark.parametrize("year", YEARS)
def test_a_volunteer_paid_exactly_the_year_ceiling_stays_within_the_law(year: int) -> None:
    """Exactly the yearly ceiling in force is allowed."""
    result = check(year=year, days=60, total=YEAR[year])
    assert result.verdict == "ok"
    assert result.rule("year-ceiling").numbers["ceiling"] == YEAR[year]


@pytest.mark.parametrize("year", YEARS)
def test_one_cent_above_the_year_ceiling_is_over(year: int) -> None:
    """One cent above the yearly ceiling makes the whole year's allowance suspect."""
    result = check(year=year, days=60, total=YEAR[year] + CENT)
    assert result.verdict == "over"
    assert result.rule("year-ceiling").passed is False
    assert "taxable-pay" in result.consequences


def test_the_year_total_is_days_times_the_amount_per_day() -> None:
    """12 days at € 40 make € 480 against the 2026 ceiling."""
    rule = check(day=date(2026, 3, 1), days=12, per_day=D(40)).rule("year-ceiling")
    assert rule.numbers["total"] == D(480)
    assert rule.passed is True


# --- raised ceiling ------------------------------------------------------------------------------


@pytest.mark.parametrize("category", ["sport", "watch", "patient-transport"])
@pytest.mark.parametrize("year", YEARS)
def test_the_raised_categories_may_reach_the_raised_ceiling(category: str, year: int) -> None:
    """Sport functions, day/night watch, lying-patient transport: the raised ceiling, no more."""
    at = check(year=year, days=80, total=RAISED[year], category=category)
    assert at.verdict == "ok"
    assert at.rule("year-ceiling").numbers["kind"] == "raised"
    assert at.rule("year-ceiling").numbers["ceiling"] == RAISED[year]
    above = check(year=year, days=80, total=RAISED[year] + CENT, category=category)
    assert above.verdict == "over"


@pytest.mark.parametrize("year", YEARS)
def test_a_sport_volunteer_on_benefits_keeps_the_ordinary_ceiling(year: int) -> None:
    """The raised ceiling is refused to sport volunteers who receive a social benefit."""
    total = YEAR[year] + CENT
    assert check(year=year, days=60, total=total, category="sport").verdict == "ok"
    refused = check(year=year, days=60, total=total, category="sport", benefits=True)
    rule = refused.rule("year-ceiling")
    assert refused.verdict == "over"
    assert rule.note == "benefits"
    assert rule.numbers["ceiling"] == YEAR[year]
    assert rule.numbers["kind"] == "standard"
    assert "benefit-at-risk" in refused.consequences


def test_a_watch_volunteer_on_benefits_keeps_the_ordinary_ceiling_too() -> None:
    """The Dutch sources exclude every volunteer on benefits from the raised ceiling."""
    result = check(year=2025, days=60, total=YEAR[2025] + CENT, category="watch", benefits=True)
    assert result.verdict == "over"


def test_an_association_worker_keeps_the_ordinary_ceiling() -> None:
    """Whoever is also a verenigingswerker that year cannot use the raised ceiling."""
    result = check(
        year=2026, days=60, total=YEAR[2026] + CENT, category="sport", association_worker=True
    )
    assert result.verdict == "over"
    assert result.rule("year-ceiling").note == "association-worker"


def test_the_raised_ceiling_did_not_exist_before_2019() -> None:
    """In 2018 a sport volunteer had the ordinary ceiling: there was no raised one yet."""
    result = check(year=2018, days=60, total=D("1361.24"), category="sport")
    assert result.verdict == "over"
    assert result.rule("year-ceiling").note == "raised-not-yet"


def test_the_day_ceiling_still_applies_in_a_raised_category() -> None:
    """A referee paid more than the day ceiling is over, whatever the yearly ceiling."""
    result = check(year=2026, days=10, per_day=D("44.03"), category="sport")
    assert result.rule("day-ceiling").passed is False


# --- kilometres ----------------------------------------------------------------------------------


def test_two_thousand_km_on_top_of_the_flat_rate_are_allowed() -> None:
    """The km add-on may reach 2.000 km a year, and not one more."""
    at = check(day=date(2026, 2, 1), days=10, per_day=D(40), km=(KmLeg(car=D(1900), bike=D(100)),))
    assert at.rule("km-cap").passed is True
    assert at.verdict == "ok"
    above = check(day=date(2026, 2, 1), days=10, per_day=D(40), km=(KmLeg(car=D(2001)),))
    assert above.rule("km-cap").passed is False
    assert above.verdict == "over"
    assert "km-cap" in above.consequences


def test_a_driver_whose_task_is_transporting_people_has_no_km_cap() -> None:
    """A Minder Mobielen Centrale driver may be paid for 5.000 km on top of the flat rate."""
    result = check(
        day=date(2026, 2, 1), days=10, per_day=D(40), km=(KmLeg(car=D(5000)),),
        transports_people=True,
    )
    assert result.rule("km-cap").passed is True
    assert result.rule("km-cap").note == "transport-exempt"
    assert result.verdict == "ok"


def test_the_km_allowance_uses_the_rate_in_force_in_each_quarter() -> None:
    """Km in Q1 2024 are paid at 0,4269 and km in Q2 2024 at 0,4265."""
    legs = (KmLeg(car=D(100), start=date(2024, 2, 10)), KmLeg(car=D(100), start=date(2024, 5, 3)))
    rule = check(year=2024, days=10, per_day=D(40), km=legs).rule("km-rate")
    q1, q2 = (leg["car"] for leg in rule.numbers["legs"])
    assert (q1["rate"], q1["amount"]) == (D("0.4269"), D("42.69"))
    assert (q2["rate"], q2["amount"]) == (D("0.4265"), D("42.65"))
    assert rule.numbers["max_amount"] == D("85.34")


def test_the_bicycle_rate_follows_the_year() -> None:
    """Bike km are paid at € 0,35 in 2024, € 0,36 in 2025 and € 0,37 in 2026."""
    for year, rate in ((2024, "0.35"), (2025, "0.36"), (2026, "0.37")):
        rule = check(year=year, days=1, per_day=D(10), km=(KmLeg(bike=D(100)),)).rule("km-rate")
        assert rule.numbers["legs"][0]["bike"]["rate"] == D(rate)


def test_an_unconfirmed_km_rate_is_never_borrowed_from_another_quarter() -> None:
    """Q3 2024 has no confirmed car rate: that part is unknown and a staff member is offered."""
    legs = (KmLeg(car=D(100), start=date(2024, 2, 10)), KmLeg(car=D(50), start=date(2024, 8, 1)))
    result = check(year=2024, days=10, per_day=D(40), km=legs)
    rule = result.rule("km-rate")
    assert rule.passed is None
    assert rule.numbers["legs"][1]["car"]["rate"] is None
    assert rule.numbers["legs"][1]["car"]["amount"] is None
    assert "max_amount" not in rule.numbers
    assert result.verdict == "unknown"
    assert result.needs_staff
    assert "0,4265" not in render_check(result, "nl")


def test_km_for_a_whole_year_must_be_split_when_the_car_rate_changes() -> None:
    """Without dates, 2024 car km cannot be priced: the quarterly rate changes in that year."""
    rule = check(year=2024, days=10, per_day=D(40), km=(KmLeg(car=D(100)),)).rule("km-rate")
    assert rule.passed is None
    assert rule.numbers["legs"][0]["car"]["status"] == "varies"


# --- one system, real costs ----------------------------------------------------------------------


def test_real_costs_elsewhere_the_same_year_rule_out_the_flat_rate() -> None:
    """One system per calendar year across all organisations: mixing is over, staff is offered."""
    result = check(year=2026, days=5, per_day=D(20), other_system_elsewhere=True)
    assert result.verdict == "over"
    assert result.rule("one-system").passed is False
    assert "one-system" in result.consequences
    assert result.needs_staff


def test_real_costs_have_no_ceiling() -> None:
    """Proven real costs are not capped: € 5.000 in a year is not over."""
    result = check(year=2026, days=50, total=D(5000), system="real-costs")
    assert result.verdict == "ok"
    assert result.rule("year-ceiling") is None


# --- unknown years -------------------------------------------------------------------------------


def test_a_year_without_figures_is_not_known_yet() -> None:
    """2031 has no figures: the answer says so, offers staff and shows no other year's numbers."""
    result = check(year=2031, days=12, per_day=D(40), km=(KmLeg(car=D(300)),))
    assert result.verdict == "unknown"
    assert result.needs_staff
    assert result.rule("figures-known").numbers["year"] == 2031
    assert result.rule("day-ceiling") is None
    for lang, phrase in (("nl", "nog niet gekend"), ("fr", "pas encore connus")):
        text = render_check(result, lang)
        assert "2031" in text
        assert phrase in text
        for known in (*DAY.values(), *YEAR.values(), D("0.4326")):
            assert str(known).replace(".", ",") not in text


# --- consequences and advice ---------------------------------------------------------------------


def test_over_the_ceiling_advises_real_costs_or_paying_less() -> None:
    """Above the year ceiling: switch to real costs, or pay at most ceiling ÷ days per day."""
    result = check(year=2026, days=50, per_day=D(40))
    advice = {a.code: a.numbers for a in result.advice}
    assert "real-costs" in advice
    assert advice["pay-less"]["max_per_day"] == D("35.21")  # 1.760,83 / 50, rounded down
    assert "spread" not in advice


def test_above_the_day_ceiling_only_spreading_over_more_days_is_suggested() -> None:
    """12 days at € 45 fit under the 2026 day ceiling over at least 13 days."""
    result = check(year=2026, days=12, per_day=D(45))
    advice = {a.code: a.numbers for a in result.advice}
    assert advice["spread"]["min_days"] == 13
    assert advice["pay-less"]["max_per_day"] == D("44.02")


def test_all_amounts_stay_decimal() -> None:
    """Money is never a float anywhere in the result."""
    result = check(day=date(2026, 3, 1), days=12, per_day=D(40), km=(KmLeg(car=D(300)),))
    for rule in result.rules:
        assert not any(isinstance(v, float) for v in rule.numbers.values())


# --- text ----------------------------------------------------------------------------------------


def test_the_dutch_verdict_shows_the_arithmetic_and_the_law() -> None:
    """The Dutch text shows days × amount = total ≤ ceiling and cites art. 10 of the 2005 law."""
    result = check(day=date(2026, 3, 1), days=12, per_day=D(40), km=(KmLeg(car=D(300)),))
    text = render_check(result, "nl")
    assert "12 dagen × € 40,00 = € 480,00 ≤ jaarplafond 2026 € 1.760,83 ✓" in text
    assert "300 km auto × € 0,4326" in text
    assert "art. 10 wet van 3 juli 2005" in text
    assert '<a href="https://www.securex.be/' in text


def test_the_french_verdict_shows_the_arithmetic_and_the_law() -> None:
    """The French text writes amounts the French way and cites the loi du 3 juillet 2005."""
    result = check(day=date(2026, 3, 1), days=12, per_day=D(40))
    text = render_check(result, "fr")
    assert "12 jours × 40,00 € = 480,00 € ≤ plafond annuel 2026 1.760,83 € ✓" in text
    assert "loi du 3 juillet 2005" in text


def test_the_console_variant_has_no_tags_but_keeps_the_links() -> None:
    """Plain text drops Telegram's tags and writes the source addresses out."""
    result = check(day=date(2026, 3, 1), days=12, per_day=D(40))
    text = render_check(result, "nl", plain=True)
    assert "<" not in text
    assert "https://www.securex.be/" in text


# --- one answer at a time ------------------------------------------------------------------------


def test_answers_are_validated_one_at_a_time() -> None:
    """Each answer of a guided conversation is parsed on its own, in Belgian formats."""
    assert parse_when("2026") == 2026
    assert parse_when("1/3/2026") == date(2026, 3, 1)
    assert parse_when("2026-03-01") == date(2026, 3, 1)
    assert parse_days("12") == 12
    assert parse_money("€ 41,50") == D("41.50")
    assert parse_km("1.200") == D(1200)
    assert parse_yes_no("ja") and parse_yes_no("oui") and not parse_yes_no("non")
    assert parse_category("oppas") == "watch"
    assert parse_category("sport") == "sport"


@pytest.mark.parametrize(
    ("parse", "text", "code"),
    [
        (parse_when, "31/2/2026", "date"),
        (parse_when, "gisteren", "date"),
        (parse_days, "0", "days"),
        (parse_days, "twaalf", "days"),
        (parse_money, "veertig", "amount-not-a-number"),
        (parse_yes_no, "misschien", "yes-no"),
        (parse_category, "voetbal", "category"),
    ],
)
def test_an_invalid_answer_gets_a_specific_message(
    parse: Callable[[str], object], text: str, code: str
) -> None:
    """A refused answer has a code and a message in both languages, so the question is re-asked."""
    with pytest.raises(AnswerError) as caught:
        parse(text)
    assert caught.value.code == code
    assert answer_error_text(caught.value, "nl") != answer_error_text(caught.value, "fr")


def test_inconsistent_input_is_refused() -> None:
    """An amount per day and a total at once, or a date outside the year, cannot be checked."""
    with pytest.raises(AnswerError):
        AllowanceInput(year=2026, days=2, per_day=D(10), total=D(20))
    with pytest.raises(AnswerError):
        AllowanceInput(year=2026, day=date(2025, 3, 1), days=2, per_day=D(10))
    with pytest.raises(AnswerError):
        AllowanceInput(year=2026, per_day=D(10))
