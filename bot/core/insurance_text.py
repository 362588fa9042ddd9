"""The insurance verdict in Dutch and French, with its reasons and the rules cited.

Templates: bot/templates/<lang>/insurance.html (the whole verdict) and ins_texts.html (one
macro per reason and per recommended cover, so the JSON gets the same sentences), rendered for
Telegram's HTML mode (autoescaped) or as plain text for the console.
"""

from __future__ import annotations

import html
import re
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from bot.core.insurance import InsuranceInputError, InsuranceVerdict, Reason
from bot.core.model import Language, Source

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
_TAG = re.compile(r"<[^>]+>")

LEGAL: dict[str, dict[Language, str]] = {
    "law-2005-art5": {
        "nl": "art. 5 wet van 3 juli 2005 betreffende de rechten van vrijwilligers",
        "fr": "art. 5 de la loi du 3 juillet 2005 relative aux droits des volontaires",
    },
    "law-2005-art6": {
        "nl": "art. 6 §1 wet van 3 juli 2005",
        "fr": "art. 6 §1er de la loi du 3 juillet 2005",
    },
    "law-2005-art6-2": {
        "nl": "art. 6 §2 wet van 3 juli 2005 (ongevallen en rechtsbijstand: niet verplicht)",
        "fr": "art. 6 §2 de la loi du 3 juillet 2005 (accidents et protection juridique : "
              "non obligatoires)",
    },
    "kb-2006-12-19": {
        "nl": "KB van 19 december 2006 (minimumvoorwaarden van de verplichte verzekering)",
        "fr": "AR du 19 décembre 2006 (conditions minimales de l'assurance obligatoire)",
    },
    "csa-directors": {
        "nl": "Wetboek van vennootschappen en verenigingen (bestuurdersaansprakelijkheid)",
        "fr": "Code des sociétés et des associations (responsabilité des administrateurs)",
    },
    "decree-2009-welfare": {
        "nl": "Vlaams decreet van 3 april 2009 betreffende het georganiseerde "
              "vrijwilligerswerk (Welzijn, Volksgezondheid en Gezin)",
        "fr": "décret flamand du 3 avril 2009 sur le volontariat organisé (Bien-être, "
              "Santé publique et Famille)",
    },
}

OPTION_ERROR: dict[Language, str] = {
    "nl": "--{option}: {value!r} kan ik niet gebruiken; kies uit: {allowed}",
    "fr": "--{option} : {value!r} n'est pas utilisable ; choisissez parmi : {allowed}",
}
MISSING_OPTION: dict[Language, str] = {
    "nl": "--{option} ontbreekt; kies uit: {allowed}",
    "fr": "--{option} manque ; choisissez parmi : {allowed}",
}


def option_error_text(error: InsuranceInputError, lang: Language) -> str:
    template = MISSING_OPTION if not error.value else OPTION_ERROR
    return template[lang].format(option=error.option, value=error.value,
                                 allowed="|".join(error.allowed))


@cache
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )


def _macros(lang: Language) -> Any:
    return _environment().get_template(f"{lang}/ins_texts.html").module


def legal_cited(verdict: InsuranceVerdict, lang: Language) -> list[str]:
    cited: list[str] = []
    for rule in verdict.rules:
        cited += [LEGAL[key][lang] for key in rule.legal if LEGAL[key][lang] not in cited]
    return cited


def _plain(text: str) -> str:
    return html.unescape(_TAG.sub("", text))


def reason_text(reason: Reason, lang: Language, plain: bool = False) -> str:
    text = str(_macros(lang).reason(reason)).strip()
    return _plain(text) if plain else text


def recommended_text(code: str, lang: Language, plain: bool = False) -> str:
    text = str(_macros(lang).recommended(code)).strip()
    return _plain(text) if plain else text


def render_verdict(verdict: InsuranceVerdict, lang: Language, plain: bool = False) -> str:
    """Telegram-HTML text (default), or plain text for a console (links written out)."""
    template = _environment().get_template(f"{lang}/insurance.html")
    text = template.render(
        v=verdict,
        inp=verdict.input,
        reasons=[Markup(reason_text(r, lang)) for r in verdict.reasons],  # our templates' HTML
        recommended=[Markup(recommended_text(c, lang)) for c in verdict.recommended],
        legal=legal_cited(verdict, lang),
        sources=verdict.sources,
        plain=plain,
    )
    text = re.sub(r"\n{3,}", "\n\n", text.strip())
    return _plain(text) if plain else text


def as_json(verdict: InsuranceVerdict, lang: Language) -> dict[str, Any]:
    """The console's --json contract (README, issue 15)."""
    inp = verdict.input
    limits = verdict.flemish_limits
    return {
        "input": {"form": inp.form, "staff": inp.staff, "umbrella": inp.umbrella,
                  "region": inp.region, "car": inp.car, "minors": inp.minors,
                  "welfare": inp.welfare},
        "liability_insurance_required": verdict.liability_insurance_required,
        "volunteers_protected": verdict.volunteers_protected,
        "exceptions": list(verdict.exceptions),
        "flemish_free_insurance": verdict.flemish_free_insurance,
        "flemish_limits": None if limits is None else {
            "hours_per_12_months": limits.hours, "notice_hours": limits.notice_hours,
            "volunteers_only": True, "own_car_covered": False,
        },
        "reasons": [reason_text(r, lang, plain=True) for r in verdict.reasons],
        "reason_codes": [{"code": r.code, "rule": r.rule} for r in verdict.reasons],
        "recommended": [recommended_text(c, lang, plain=True) for c in verdict.recommended],
        "recommended_codes": list(verdict.recommended),
        "needs_staff": verdict.needs_staff,
        "faq": [f"{pair}.{lang}" for pair in verdict.faq],
        "legal": legal_cited(verdict, lang),
        "text": render_verdict(verdict, lang, plain=True),
        "sources": [_source(s) for s in verdict.sources],
    }


def _source(source: Source) -> dict[str, str | None]:
    return {"title": source.title, "url": source.url}
