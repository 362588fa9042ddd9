"""Guided conversations without Telegram: a check asked one question at a time.

A guide (`allowance.AllowanceGuide`, `insurance.InsuranceGuide`) says which questions there
are, how an answer is read and what the answers come to. `Guide` itself runs any of them: it
asks, reads an answer (typed or pressed), goes back, stops, resumes, notices a new question
typed in the middle of the check, and ends with the guide's verdict. Every step returns a
`Turn` (text and buttons) for an adapter to send; the answers stay in a `Draft` the adapter
keeps in memory, never in a database.

Texts are the templates `<texts>_intro`, `<texts>_<step>`, `<texts>_invalid`,
`<texts>_cancelled`, `<texts>_paused`, `<texts>_expired` (bot/templates/<lang>/); a guide may
word its questions and controls otherwise (`question`, `controls`), take free text
(`pauses_for_questions = False`), and hand its answers over instead of showing a verdict
(`Turn.submit`: the complaint flow, bot/escalation/complaint_guide.py).
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, ClassVar, Generic, Literal, TypeVar

from bot.core.model import Check, Language

Say = Callable[..., str]  # say(lang, template, **context): a rendered template
# What pressing a button means: an answer to the open question (`value` is what the step's
# parser reads), a control, an entry of the knowledge base (`value` its id), a staff member
# ("staff": the hand-off; "handover": the hand-off with the verdict's summary as question).
Kind = Literal["answer", "back", "cancel", "resume", "entry", "staff", "handover"]

LABELS: dict[Language, dict[str, str]] = {
    "nl": {"back": "« Terug", "cancel": "✖ Stoppen", "resume": "▶ Verder met de check",
           "yes": "Ja", "no": "Nee"},
    "fr": {"back": "« Retour", "cancel": "✖ Arrêter", "resume": "▶ Reprendre",
           "yes": "Oui", "no": "Non"},
}


@dataclass(frozen=True)
class Button:
    label: str  # empty for "staff" and "handover": the adapter's own staff button label
    kind: Kind
    value: str = ""


Rows = tuple[tuple[Button, ...], ...]


@dataclass(frozen=True)
class Turn:
    """What to send: a text with buttons; `ended` when the conversation is over."""

    text: str
    rows: Rows = ()
    ended: bool = False
    summary: str = ""  # a verdict's situation and conclusions, for its "handover" button
    submit: bool = False  # the answers are complete: the adapter hands them to its desk


@dataclass
class Draft:
    """One chat's answers so far. `history` lists the answered steps, so Back can undo them.
    A guide's draft says which steps there are (`steps`, `needed`) and how to read one."""

    lang: Language
    answers: dict[str, Any] = field(default_factory=dict)
    history: list[str] = field(default_factory=list)
    step: str = ""

    def __post_init__(self) -> None:
        self.step = self.step or self.steps()[0]

    def steps(self) -> Sequence[str]:
        raise NotImplementedError

    def needed(self, step: str) -> bool:
        return True

    def parse(self, text: str) -> Any:
        """Read an answer to the open question; a ValueError says why it is unusable."""
        raise NotImplementedError

    def parse_button(self, value: str) -> Any:
        """Read a pressed button's value (as typed, unless a guide tells them apart)."""
        return self.parse(value)

    @property
    def base_step(self) -> str:
        """The step without its period number ("km_car.2" is a "km_car" question)."""
        return self.step.partition(".")[0]

    def answer(self, value: Any) -> str | None:
        """Record the open step's answer; returns the next step, None when all are in."""
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
        return next((s for s in self.steps() if s not in self.answers and self.needed(s)), None)


D = TypeVar("D", bound=Draft)


class Guide(ABC, Generic[D]):
    name: ClassVar[Check | str]  # "allowance": the conversation's name (and offer it answers)
    prefix: ClassVar[str]  # "a": the first part of its buttons' data
    texts: ClassVar[str]  # "alw": the prefix of its templates
    commands: ClassVar[Mapping[str, Language]]  # the commands that start it, in their language
    # What the command menu (set_my_commands, /help) says of each of them.
    descriptions: ClassVar[Mapping[str, str]] = {}
    # A typed text that is no answer but plainly a question is answered as one; a guide of
    # free-text answers (a complaint) asks its question again instead.
    pauses_for_questions: ClassVar[bool] = True

    @classmethod
    def menu(cls) -> dict[Language, list[tuple[str, str]]]:
        """The command menu's lines, (command, description), per language."""
        lines: dict[Language, list[tuple[str, str]]] = {}
        for command, lang in cls.commands.items():
            lines.setdefault(lang, []).append((command, cls.descriptions[command]))
        return lines

    # ---------------------------------------------------------------- a guide's own part
    @abstractmethod
    def start(self, lang: Language, offered: str = "") -> D:
        """A new draft; `offered` is what the offer under a reply carried (an amount)."""

    @abstractmethod
    def choices(self, draft: D, today: date) -> list[list[tuple[str, str]]]:
        """The open question's buttons, in rows of (label, value the parser reads)."""

    @abstractmethod
    def verdict(self, draft: D, say: Say, today: date) -> Turn:
        """The end, once every needed question is answered."""

    def facts(self, draft: D) -> dict[str, Any]:
        """What the open question's template may mention (earlier answers)."""
        return {}

    def problem(self, draft: D, error: ValueError) -> dict[str, Any]:
        """What the `<texts>_invalid` template may say about a refused answer."""
        return {}

    def on_answer(self, draft: D, value: Any, say: Say) -> Turn | None:
        """Before an answer is recorded: a Turn ends the conversation there."""
        return None

    # ---------------------------------------------------------------- running it
    def begin(self, draft: D, say: Say, today: date) -> Turn:
        return self.ask(draft, say, today, prefix=say(draft.lang, f"{self.texts}_intro"))

    def read(self, draft: D, text: str, say: Say, today: date) -> Turn | None:
        """A typed message: the next question, the same one with the reason it was refused,
        or the verdict; None when the message is plainly a new question rather than an answer
        (the adapter answers it as a question, then sends `paused`)."""
        try:
            value = draft.parse(text)
        except ValueError as error:
            if self.pauses_for_questions and looks_like_question(text):
                return None
            return self.refuse(draft, text, error, say, today)
        return self.take(draft, value, say, today)

    def press(self, draft: D, kind: str, value: str, say: Say, today: date) -> Turn:
        """A button of the open question."""
        if kind == "cancel":
            return Turn(say(draft.lang, f"{self.texts}_cancelled"), ended=True)
        if kind == "back":
            draft.back()
        if kind in ("back", "resume"):
            return self.ask(draft, say, today)
        try:
            answer = draft.parse_button(value)
        except ValueError as error:
            return self.refuse(draft, value, error, say, today)
        return self.take(draft, answer, say, today)

    def take(self, draft: D, value: Any, say: Say, today: date) -> Turn:
        """Record a usable answer: the next question, or the verdict once all are in."""
        ended = self.on_answer(draft, value, say)
        if ended is not None:
            return ended
        if draft.answer(value) is None:
            return self.verdict(draft, say, today)
        return self.ask(draft, say, today)

    def refuse(self, draft: D, answer: str, error: ValueError, say: Say, today: date) -> Turn:
        """The open question again, after why `answer` was refused."""
        refused = say(draft.lang, f"{self.texts}_invalid", answer=answer.strip()[:40],
                      **self.problem(draft, error))
        return self.ask(draft, say, today, prefix=refused)

    def question(self, draft: D, say: Say) -> str:
        """The open question's text."""
        return say(draft.lang, f"{self.texts}_{draft.base_step}", **self.facts(draft))

    def controls(self, draft: D) -> tuple[Button, ...]:
        """The last row under a question: Back (once something was answered) and Stop."""
        labels = LABELS[draft.lang]
        stop = Button(labels["cancel"], "cancel")
        return (Button(labels["back"], "back"), stop) if draft.history else (stop,)

    def ask(self, draft: D, say: Say, today: date, *, prefix: str = "") -> Turn:
        question = self.question(draft, say)
        rows = [tuple(Button(label, "answer", v) for label, v in row)
                for row in self.choices(draft, today) if row]
        text = f"{prefix}\n\n{question}" if prefix else question
        return Turn(text, (*rows, self.controls(draft)))

    def paused(self, draft: D, say: Say) -> Turn:
        """After a new question was answered: the check is still open, one tap resumes it."""
        labels = LABELS[draft.lang]
        buttons = (Button(labels["resume"], "resume"), Button(labels["cancel"], "cancel"))
        return Turn(say(draft.lang, f"{self.texts}_paused"), (buttons,))

    def expired(self, draft: D, say: Say, minutes: float) -> Turn:
        """Nothing was answered for `minutes`: the check ends and its answers are dropped."""
        return Turn(say(draft.lang, f"{self.texts}_expired", minutes=_minutes(minutes)),
                    ended=True)


def one_per_row(choices: Sequence[tuple[str, str]]) -> list[list[tuple[str, str]]]:
    """Two short choices side by side; more (longer labels) one per row."""
    return [[c] for c in choices] if len(choices) > 2 else [list(choices)]


# A message that asks something: a question word first, or a question mark in a sentence long
# enough not to be an unsure answer ("ongeveer 300 km?").
QUESTION_MARK_WORDS = 5
_QUESTION_WORDS = frozenset((
    "hoe", "hoeveel", "wat", "wanneer", "waar", "wie", "welke", "welk", "waarom", "mag",
    "mogen", "moet", "moeten", "kan", "kun", "kunnen", "ben", "is", "zijn", "heb", "hebt",
    "heeft", "krijg", "krijgt", "geldt", "telt",
    "combien", "comment", "quel", "quelle", "quels", "quelles", "quand", "où", "qui",
    "pourquoi", "que", "est-ce", "puis-je", "dois-je", "peut-on", "faut-il", "est-il", "ai-je",
    "suis-je", "a-t-on",
))
_WORD = re.compile(r"[\w'’-]+")


def looks_like_question(text: str) -> bool:
    """Is a message that is no answer to the open step plainly a question of its own ("Hoeveel
    mag ik krijgen als ik 3 dagen help op een festival?")? At least three words with a question
    word first, or a question mark in a longer sentence; "veel", "-5", "peut-être" or
    "ongeveer 300 km?" are refused answers instead, and the step is asked again."""
    words = _WORD.findall(text.lower())
    if len(words) < 3:
        return False
    return words[0] in _QUESTION_WORDS or ("?" in text and len(words) >= QUESTION_MARK_WORDS)


def _minutes(minutes: float) -> str:
    return str(int(minutes)) if minutes == int(minutes) else f"{minutes:g}"
