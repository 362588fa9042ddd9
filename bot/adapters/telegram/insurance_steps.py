"""The insurance conversation's steps, without Telegram: which question comes next, how an
answer is read, what Back forgets, and the `InsuranceInput` at the end.

Every question has fixed choices (buttons); a typed answer is read with the same words
(ja/oui/yes, vzw/asbl, …). Answers live only in memory while the conversation runs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.core.insurance import (
    FLEMISH_AREA,
    FORMS,
    REGIONS,
    InsuranceInput,
    InsuranceInputError,
    parse_yes_no,
)
from bot.core.model import Language

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
class Draft:
    """One chat's answers so far. `history` lists the answered steps, so Back can undo them."""

    lang: Language
    answers: dict[str, Any] = field(default_factory=dict)
    history: list[str] = field(default_factory=list)
    step: str = STEPS[0]

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

    def next_step(self) -> str | None:
        return next((s for s in STEPS if s not in self.answers and self.needed(s)), None)

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
