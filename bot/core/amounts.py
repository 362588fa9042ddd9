"""Belgian number formats in and out: "1.200,50", "1 200,50 €", "€ 40" -> Decimal, and back.

Belgians write "," for decimals and "." or a space for thousands, in both languages, so
"1.200" is twelve hundred, not one point two. Never float: amounts are money.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from bot.core.model import Language

# Currency marks people type around an amount; stripped before parsing.
_CURRENCY = re.compile(r"€|(?:euros?|eur)\b", re.IGNORECASE)
# Spaces people (and spreadsheets) use as thousands separators, incl. no-break spaces.
_SPACES = re.compile(r"[\s\u00a0\u202f]+")
_GROUPED = re.compile(r"\d{1,3}(?:[.\s\u00a0\u202f]\d{3})+")


class AmountError(ValueError):
    """Input that is not a number we can read. `code` lets each face word it in its language."""

    def __init__(self, code: str, text: str) -> None:
        self.code = code  # empty | not-a-number | negative | too-many-decimals
        self.text = text
        super().__init__(f"{code}: {text!r}")


def parse_number(text: str, max_decimals: int | None = None) -> Decimal:
    """Read "41,50", "1.200", "1 200,00", "€ 40", "40€", "0,4326" (and "40.5") as a Decimal."""
    raw = text
    cleaned = _CURRENCY.sub(" ", text).strip()
    if not cleaned:
        raise AmountError("empty", raw)
    if cleaned.startswith("-"):
        raise AmountError("negative", raw)
    cleaned = cleaned.removeprefix("+").strip()
    whole, decimals = _split(cleaned, raw)
    if not _digits(whole) or (decimals and not _digits(decimals)):
        raise AmountError("not-a-number", raw)
    if max_decimals is not None and len(decimals) > max_decimals:
        raise AmountError("too-many-decimals", raw)
    try:
        return Decimal(f"{whole}.{decimals}" if decimals else whole)
    except InvalidOperation as exc:  # pragma: no cover - _digits() above prevents it
        raise AmountError("not-a-number", raw) from exc


def parse_amount(text: str) -> Decimal:
    """A money amount in euro: at most two decimals (cents)."""
    return parse_number(text, max_decimals=2)


def _split(cleaned: str, raw: str) -> tuple[str, str]:
    """Split into (digits before the decimal mark, digits after), dropping thousands marks."""
    if "," in cleaned:
        if cleaned.count(",") > 1:
            raise AmountError("not-a-number", raw)
        whole, decimals = cleaned.split(",")
        return _ungroup(whole.strip(), raw), decimals.strip()
    if "." in cleaned:
        # "1.200" / "1.200.000": a Belgian thousands mark; "40.5", "0.4326": a decimal point.
        if _GROUPED.fullmatch(cleaned) and not cleaned.startswith("0"):
            return _ungroup(cleaned, raw), ""
        if cleaned.count(".") > 1:
            raise AmountError("not-a-number", raw)
        whole, decimals = cleaned.split(".")
        return _ungroup(whole.strip(), raw), decimals.strip()
    return _ungroup(cleaned, raw), ""


def _digits(text: str) -> bool:
    # ASCII only: str.isdigit() also accepts "²", which Decimal rejects.
    return text.isascii() and text.isdigit()


def _ungroup(whole: str, raw: str) -> str:
    if not whole:
        return "0"
    if _digits(whole):
        return whole
    if _GROUPED.fullmatch(whole):
        return _SPACES.sub("", whole).replace(".", "")
    raise AmountError("not-a-number", raw)


def format_number(value: Decimal | int, places: int = 0) -> str:
    """Belgian style: "1.760,83", "2.000", "0,4326" (same in Dutch and French)."""
    quantum = Decimal(1).scaleb(-places)
    fixed = Decimal(value).quantize(quantum, rounding=ROUND_HALF_UP)
    sign = "-" if fixed < 0 else ""
    whole, _, decimals = f"{abs(fixed):f}".partition(".")
    groups = f"{int(whole):,}".replace(",", ".")
    return f"{sign}{groups},{decimals}" if decimals else f"{sign}{groups}"


def format_eur(value: Decimal, lang: Language) -> str:
    """nl "€ 41,48", fr "41,48 €": how each language writes it in Belgium."""
    number = format_number(value, 2)
    return f"€ {number}" if lang == "nl" else f"{number} €"


def format_rate(value: Decimal, lang: Language) -> str:
    """A per-km rate keeps its four decimals ("€ 0,4326"); a bicycle rate shows two ("€ 0,35")."""
    places = max(2, -value.normalize().as_tuple().exponent)  # type: ignore[operator]
    number = format_number(value, places)
    return f"€ {number}" if lang == "nl" else f"{number} €"
