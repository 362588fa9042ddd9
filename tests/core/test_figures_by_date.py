"""Amounts follow the date of the question and say which period they are valid for."""

from datetime import date

from bot.core.assistant import plain_text


def test_a_question_dated_2025_gets_the_2025_ceiling_and_says_so(mini):
    """A volunteer asking on 1 June 2025 gets the 2025 day ceiling, labelled 2025."""
    reply = mini.ask("hoeveel mag ik per dag krijgen als vrijwilliger", today=date(2025, 6, 1))
    text = plain_text(reply)
    assert reply.entry_id == "allowances.ceiling.nl"
    assert "€ 42,31" in text and "€ 1.692,51" in text
    assert "Geldig voor: 2025" in text
    assert "44,02" not in text


def test_the_same_question_in_2026_gets_the_2026_amounts(mini):
    reply = mini.ask("plafond défraiement volontaire", today=date(2026, 3, 1))
    text = plain_text(reply)
    assert "44,02 €" in text and "1.760,83 €" in text and "Valable pour : 2026" in text


def test_figures_source_is_cited(mini):
    """The page an amount comes from is listed with the entry's own sources."""
    reply = mini.ask("hoeveel mag ik per dag krijgen", today=date(2024, 5, 1))
    urls = [s.url for s in reply.sources]
    assert any(u and "hogeraadvrijwilligers" in u for u in urls)


def test_an_unconfirmed_quarter_is_never_filled_with_another_quarters_rate(mini):
    """For a quarter without a confirmed km rate, the reply says so and offers a person."""
    reply = mini.ask("kilometervergoeding bovenop forfait", today=date(2026, 5, 1))
    text = plain_text(reply)
    assert reply.action == "answer"
    assert "0,4326" not in text  # the Q1 2026 rate must not appear as current
    assert "nog niet officieel bevestigd" in text
    assert reply.missing_figures == ("transport.car_per_km",)


def test_a_confirmed_quarter_shows_its_rate_and_period(mini):
    reply = mini.ask("kilometervergoeding bovenop forfait", today=date(2026, 2, 10))
    text = plain_text(reply)
    assert "€ 0,4326" in text and "1/1/2026 – 31/3/2026" in text
