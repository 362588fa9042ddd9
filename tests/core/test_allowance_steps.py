"""The order of the allowance conversation's questions, without a bot."""

from datetime import date
from decimal import Decimal

from bot.core.guided.allowance import TOTAL
from bot.core.guided.allowance import AllowanceDraft as Draft


def test_real_costs_skip_the_ceiling_questions() -> None:
    """A volunteer on real costs is not asked about categories, benefits or transport."""
    draft = Draft(lang="nl")
    for value in (2026, "real-costs", False, 10, Decimal(20), Decimal(100), Decimal(0)):
        draft.answer(value)
    assert draft.next_step() is None
    assert draft.to_input().system == "real-costs"


def test_back_forgets_the_previous_answer() -> None:
    """Back re-opens the previous question with its answer gone."""
    draft = Draft(lang="nl")
    draft.answer(2026)
    draft.answer("flat-rate")
    draft.back()
    assert draft.step == "system" and "system" not in draft.answers
    assert draft.history == ["when"]


def test_a_total_and_km_per_period_make_the_input() -> None:
    """'Only the total' leads to the total question; km per quarter become dated legs."""
    spans = ((date(2026, 1, 1), date(2026, 3, 31)), (date(2026, 4, 1), date(2026, 12, 31)))
    draft = Draft(lang="fr", car_periods=spans)
    for value in (2026, "flat-rate", False, 20, TOTAL, Decimal(700), Decimal(100), Decimal(0),
                  Decimal(50), True, "sport", False):
        draft.answer(value)
    assert draft.next_step() is None
    inp = draft.to_input()
    assert (inp.total, inp.per_day, inp.days) == (Decimal(700), None, 20)
    assert [(leg.car, leg.bike, leg.start) for leg in inp.km] == [
        (Decimal(100), Decimal(0), date(2026, 1, 1)), (Decimal(0), Decimal(50), None)
    ]
    assert inp.transports_people and inp.category == "sport"
