"""The insurance check for associations as a guided conversation (/verzekering, /assurance):
the questions (every one a choice; typed words work too: ja/oui/yes, vzw/asbl, …), and the
verdict (`check_insurance`, `render_verdict`) with buttons to the relevant FAQ entries and a
staff member who receives the situation. Run by `Guide` (bot/core/guided/__init__.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from bot.core.figures import Figures
from bot.core.guided import LABELS, Button, Draft, Guide, Say, Turn, one_per_row
from bot.core.insurance import (
    FLEMISH_AREA,
    FORMS,
    REGIONS,
    InsuranceInput,
    InsuranceInputError,
    InsuranceVerdict,
    check_insurance,
    parse_yes_no,
)
from bot.core.insurance_text import render_verdict
from bot.core.model import Entry, Language

MAX_FAQ_BUTTONS = 5
# In the order they are asked; `Draft.needed` skips the welfare-decree question outside the
# Flemish area (the decree is Flemish).
STEPS: tuple[str, ...] = ("form", "staff", "umbrella", "region", "car", "minors", "welfare")
CHOICES: dict[str, tuple[str, ...]] = {
    "form": FORMS, "region": REGIONS,
    **dict.fromkeys(("staff", "umbrella", "car", "minors", "welfare"), ("yes", "no")),
}
# Typed words for the fixed choices, in both languages.
_WORDS: dict[str, dict[str, str]] = {
    "form": {"vzw": "vzw", "asbl": "vzw", "stichting": "foundation", "fondation": "foundation",
             "foundation": "foundation", "public": "public", "openbaar": "public",
             "overheid": "public", "publique": "public", "public-body": "public",
             "de-facto": "de-facto", "feitelijke vereniging": "de-facto",
             "association de fait": "de-facto", "feitelijk": "de-facto"},
    "region": {r: r for r in REGIONS} | {"vlaanderen": "flanders", "flandre": "flanders",
                                           "wallonie": "wallonia", "wallonië": "wallonia",
                                           "duitstalig": "german", "germanophone": "german"},
}


def parse_answer(step: str, text: str) -> Any:
    """An answer to `step`; InsuranceInputError when it is not one of the choices."""
    word = " ".join(text.strip().lower().split())
    if step in _WORDS:
        if word not in _WORDS[step]:
            raise InsuranceInputError(step, text, CHOICES[step])
        return _WORDS[step][word]
    return parse_yes_no(step, word)


@dataclass
class InsuranceDraft(Draft):
    def steps(self) -> tuple[str, ...]:
        return STEPS

    def needed(self, step: str) -> bool:
        if step == "welfare":
            return self.answers.get("region") in FLEMISH_AREA
        return True

    def parse(self, text: str) -> Any:
        return parse_answer(self.step, text)

    def to_input(self) -> InsuranceInput:
        a = self.answers
        return InsuranceInput(
            form=a["form"], staff=a["staff"], umbrella=a["umbrella"], region=a["region"],
            car=a.get("car"), minors=a.get("minors"), welfare=a.get("welfare"),
        )


CHOICE_LABELS: dict[Language, dict[str, str]] = {
    "nl": {
        "vzw": "vzw", "foundation": "Stichting", "public": "Openbaar bestuur",
        "de-facto": "Feitelijke vereniging",
        "flanders": "Vlaanderen", "brussels-nl": "Brussel, Nederlandstalig",
        "brussels-fr": "Brussel, Franstalig", "wallonia": "Wallonië",
        "german": "Duitse taalgebied",
    },
    "fr": {
        "vzw": "ASBL", "foundation": "Fondation", "public": "Organisme public",
        "de-facto": "Association de fait",
        "flanders": "Flandre", "brussels-nl": "Bruxelles, néerlandophone",
        "brussels-fr": "Bruxelles, francophone", "wallonia": "Wallonie",
        "german": "Région de langue allemande",
    },
}


class InsuranceGuide(Guide[InsuranceDraft]):
    name, prefix, texts = "insurance", "i", "ins"
    commands: ClassVar[dict[str, Language]] = {"verzekering": "nl", "assurance": "fr"}
    descriptions: ClassVar[dict[str, str]] = {
        "verzekering": "Verzekeringscheck voor verenigingen",
        "assurance": "Contrôle d'assurance pour les associations",
    }

    def __init__(self, figures: Figures, entries: Mapping[str, Entry]) -> None:
        self.figures = figures
        self.entries = entries  # the knowledge base's, for the FAQ buttons under the verdict

    def start(self, lang: Language, offered: str = "") -> InsuranceDraft:
        return InsuranceDraft(lang=lang)

    def choices(self, draft: InsuranceDraft, today: date) -> list[list[tuple[str, str]]]:
        labels = LABELS[draft.lang] | CHOICE_LABELS[draft.lang]
        return one_per_row([(labels[value], value) for value in CHOICES[draft.step]])

    def verdict(self, draft: InsuranceDraft, say: Say, today: date) -> Turn:
        verdict = check_insurance(draft.to_input(), self.figures, today)
        done = say(draft.lang, "ins_done", needs_staff=verdict.needs_staff)
        text = f"{render_verdict(verdict, draft.lang)}\n\n{done}"
        rows = [(b,) for b in self._faq(verdict, draft.lang)]
        rows.append((Button("", "handover"),))
        return Turn(text, tuple(rows), ended=True, summary=_summary(verdict, draft.lang))

    def _faq(self, verdict: InsuranceVerdict, lang: Language) -> list[Button]:
        buttons = []
        for pair in verdict.faq:
            entry = self.entries.get(f"{pair}.{lang}")
            if entry is None and self.entries:
                continue  # never a button nothing answers
            label = entry.question if entry is not None else pair
            buttons.append(Button(label, "entry", f"{pair}.{lang}"))
        return buttons[:MAX_FAQ_BUTTONS]


def _summary(verdict: InsuranceVerdict, lang: Language) -> str:
    """What staff receive: the situation and the three conclusions (the verdict's top)."""
    head = render_verdict(verdict, lang, plain=True).split("\n\n")[:2]
    return "\n".join(head)
