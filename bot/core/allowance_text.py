"""The allowance verdict in Dutch and French, with the arithmetic and the rules cited.

Templates: bot/templates/<lang>/allowance.html, rendered for Telegram's HTML mode
(autoescaped) or as plain text for the console. A small Environment of its own, so the check
works before and without the main renderer.
"""

from __future__ import annotations

import html
import re
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from bot.core.allowance import AllowanceCheck, AnswerError, RuleResult
from bot.core.amounts import format_eur, format_number, format_rate
from bot.core.model import Language, Source

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
_TAG = re.compile(r"<[^>]+>")

LEGAL: dict[str, dict[Language, str]] = {
    "law-2005-art10": {
        "nl": "art. 10 wet van 3 juli 2005 betreffende de rechten van vrijwilligers",
        "fr": "art. 10 de la loi du 3 juillet 2005 relative aux droits des volontaires",
    },
    "kb-2018-raised": {
        "nl": "KB van december 2018 (verhoogd jaarplafond voor drie categorieën)",
        "fr": "AR de décembre 2018 (plafond annuel majoré pour trois catégories)",
    },
    "programmawet-2009": {
        "nl": "Programmawet van 19 mei 2009 (forfait + maximaal 2.000 km)",
        "fr": "loi-programme du 19 mai 2009 (forfait + 2.000 km maximum)",
    },
    "transport-2019": {
        "nl": "wetswijziging van 2019 (personenvervoer: geen kilometerlimiet)",
        "fr": "modification légale de 2019 (transport de personnes : pas de limite de km)",
    },
    "kb-2017-km": {
        "nl": "KB van 13 juli 2017 (kilometervergoeding federale ambtenaren)",
        "fr": "AR du 13 juillet 2017 (indemnité kilométrique des fonctionnaires fédéraux)",
    },
}

# Why an answer was refused, per AnswerError/AmountError code; the question is then asked again.
ANSWER_ERRORS: dict[str, dict[Language, str]] = {
    "year": {
        "nl": "Geef een jaartal tussen 2000 en 2100, bv. 2026.",
        "fr": "Indiquez une année entre 2000 et 2100, p. ex. 2026.",
    },
    "date": {
        "nl": "Geef een datum als 1/3/2026 of een jaartal als 2026.",
        "fr": "Indiquez une date comme 1/3/2026 ou une année comme 2026.",
    },
    "days": {
        "nl": "Geef een aantal dagen als geheel getal van 1 tot 366.",
        "fr": "Indiquez un nombre de jours entier entre 1 et 366.",
    },
    "empty": {"nl": "Geef een bedrag, bv. 41,50.", "fr": "Indiquez un montant, p. ex. 41,50."},
    "not-a-number": {
        "nl": "Dat kan ik niet als getal lezen. Schrijf bv. 41,50 of 1.200.",
        "fr": "Je ne peux pas lire ce nombre. Écrivez p. ex. 41,50 ou 1.200.",
    },
    "negative": {
        "nl": "Een bedrag of aantal kilometer kan niet negatief zijn.",
        "fr": "Un montant ou un nombre de km ne peut pas être négatif.",
    },
    "too-many-decimals": {
        "nl": "Te veel cijfers na de komma: een bedrag heeft hoogstens "
        "centen (2 cijfers), kilometers hoogstens 1 cijfer.",
        "fr": "Trop de décimales : un montant a au plus 2 décimales "
        "(centimes), des kilomètres au plus 1.",
    },
    "yes-no": {"nl": "Antwoord met ja of nee.", "fr": "Répondez par oui ou non."},
    "category": {
        "nl": "Kies: standaard, sport, oppas of ziekenvervoer.",
        "fr": "Choisissez : standard, sport, garde ou transport-patients.",
    },
    "system": {
        "nl": "Kies: forfaitaire vergoeding of reële kosten.",
        "fr": "Choisissez : forfait ou frais réels.",
    },
    "date-not-in-year": {
        "nl": "De datum valt niet in het gekozen jaar.",
        "fr": "La date ne tombe pas dans l'année choisie.",
    },
    "amount-modes": {
        "nl": "Geef een bedrag per dag óf een totaal, niet allebei.",
        "fr": "Indiquez un montant par jour ou un total, pas les deux.",
    },
    "km-period": {
        "nl": "De kilometers moeten in hetzelfde kalenderjaar vallen.",
        "fr": "Les kilomètres doivent tomber dans la même année civile.",
    },
}


def answer_error_text(error: AnswerError, lang: Language) -> str:
    """The message for a refused answer; "amount-negative" and "km-negative" share "negative"."""
    code = error.code.removeprefix("amount-").removeprefix("km-")
    if error.code == "km-period":
        code = "km-period"
    texts = ANSWER_ERRORS.get(code, ANSWER_ERRORS["not-a-number"])
    return texts[lang]


def _km(value: Decimal | int | None) -> str:
    if value is None:
        return "?"
    return format_number(value, 0 if Decimal(value) == Decimal(value).to_integral() else 1)


def _day(value: date) -> str:
    return f"{value.day}/{value.month}/{value.year}"


def _mark(rule: RuleResult) -> str:
    return {True: "✓", False: "✗", None: "?"}[rule.passed]


@cache
def _environment(lang: Language) -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters |= {
        "eur": lambda v: format_eur(v, lang),
        "rate": lambda v: format_rate(v, lang),
        "km": _km,
        "day": _day,
        "mark": _mark,
    }
    return env


def _cited(check: AllowanceCheck, lang: Language) -> tuple[list[str], list[Source]]:
    legal: list[str] = []
    sources: list[Source] = []
    for rule in check.rules:
        legal += [LEGAL[key][lang] for key in rule.legal if LEGAL[key][lang] not in legal]
        sources += [s for s in rule.sources if s not in sources]
    return legal, sources


def render_check(check: AllowanceCheck, lang: Language, plain: bool = False) -> str:
    """Telegram-HTML text (default), or plain text for a console (links written out)."""
    legal, sources = _cited(check, lang)
    template = _environment(lang).get_template(f"{lang}/allowance.html")
    text = template.render(check=check, inp=check.input, legal=legal, sources=sources, plain=plain)
    text = re.sub(r"\n{3,}", "\n\n", text.strip())
    return html.unescape(_TAG.sub("", text)) if plain else text


def context_for_json(check: AllowanceCheck, lang: Language) -> dict[str, Any]:
    """The cited law and sources in `lang`, for machine-readable output."""
    legal, sources = _cited(check, lang)
    return {"legal": legal, "sources": [{"title": s.title, "url": s.url} for s in sources]}
