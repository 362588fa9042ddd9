"""Belgian number formats: what volunteers and treasurers type, in Dutch and in French."""

from decimal import Decimal

import pytest

from bot.core.amounts import (
    AmountError,
    format_eur,
    format_number,
    format_rate,
    parse_amount,
    parse_number,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("41,50", "41.50"),
        ("1.200", "1200"),
        ("1 200,00", "1200.00"),
        ("1\u202f200,00", "1200.00"),  # French narrow no-break space
        ("1\u00a0200", "1200"),
        ("€ 40", "40"),
        ("40 €", "40"),
        ("40€", "40"),
        ("€40,5", "40.5"),
        ("40 euro", "40"),
        ("40 EUR", "40"),
        ("1.760,83", "1760.83"),
        ("1.200.000,50", "1200000.50"),
        ("40", "40"),
        (" 44,02 ", "44.02"),
        ("40.50", "40.50"),
        (",50", "0.50"),
    ],
)
def test_belgian_amounts_are_read_as_exact_decimals(text: str, expected: str) -> None:
    """Amounts in the ways people write them in Belgium become the exact Decimal."""
    value = parse_amount(text)
    assert isinstance(value, Decimal)
    assert value == Decimal(expected)


def test_a_dot_followed_by_three_digits_is_a_thousands_mark() -> None:
    """In Belgium "1.200" means twelve hundred, not one point two."""
    assert parse_amount("1.200") == Decimal(1200)
    assert parse_amount("12.345") == Decimal(12345)


def test_a_rate_keeps_its_four_decimals() -> None:
    """A kilometre rate such as "0,4326" (or "0.4326") is read without rounding."""
    assert parse_number("0,4326") == Decimal("0.4326")
    assert parse_number("0.4326") == Decimal("0.4326")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "empty"),
        ("€", "empty"),
        ("veertig", "not-a-number"),
        ("quarante euros", "not-a-number"),
        ("4x0", "not-a-number"),
        ("12 40", "not-a-number"),
        ("1,2,3", "not-a-number"),
        ("1.2.3", "not-a-number"),
        ("40,5,", "not-a-number"),
        ("4²", "not-a-number"),
        ("-40", "negative"),
        ("€ -40", "negative"),
        ("41,505", "too-many-decimals"),
    ],
)
def test_garbage_gets_a_clear_error_code(text: str, code: str) -> None:
    """Input that is not an amount is refused with a code the faces can explain."""
    with pytest.raises(AmountError) as caught:
        parse_amount(text)
    assert caught.value.code == code


def test_dutch_amounts_put_the_euro_sign_first() -> None:
    """Dutch writes "€ 41,48" and "€ 1.760,83"."""
    assert format_eur(Decimal("41.48"), "nl") == "€ 41,48"
    assert format_eur(Decimal("1760.83"), "nl") == "€ 1.760,83"
    assert format_eur(Decimal(40), "nl") == "€ 40,00"


def test_french_amounts_put_the_euro_sign_last() -> None:
    """French writes "41,48 €" and "1.760,83 €"."""
    assert format_eur(Decimal("41.48"), "fr") == "41,48 €"
    assert format_eur(Decimal("1760.83"), "fr") == "1.760,83 €"


def test_numbers_and_rates_use_the_belgian_separators() -> None:
    """Kilometres get thousands dots; a rate keeps its significant decimals."""
    assert format_number(2000) == "2.000"
    assert format_number(Decimal("12.5"), 1) == "12,5"
    assert format_rate(Decimal("0.4326"), "nl") == "€ 0,4326"
    assert format_rate(Decimal("0.35"), "fr") == "0,35 €"


def test_formatting_then_parsing_gives_the_same_amount() -> None:
    """What the bot prints, a user can type back."""
    for lang in ("nl", "fr"):
        assert parse_amount(format_eur(Decimal("1760.83"), lang)) == Decimal("1760.83")
