"""One chat's guided check between its messages, without Telegram.

An adapter keeps each chat's memory (ptb's chat_data) and hands a `Session` every command,
typed text or button of the check. The session finds the open draft there, asks the `Guide`,
and settles what the turn means for the memory: a check that ended is dropped, and its
verdict's summary kept for the "a staff member" button under it. The answers live in this
memory only, never in a database.

The buttons' callback data is written and read here too (within Telegram's 64 bytes; the
scheme of the other buttons is in bot/core/buttons.py), with <p> the check's
letter (a: allowance, i: insurance, k: complaint):

    <p>:go:<lang>[:<offered>]    start from the offer under a reply (allowance: the amount)
    <p>:<step>:<value>           answer the open question <step>
    <p>:<step>:back|cancel|resume   go back one question / stop / ask the open one again
    <p>:person:<lang>            after a verdict: a staff member, with its summary as question
"""

from __future__ import annotations

from collections.abc import Callable, MutableMapping
from datetime import date
from typing import Any

from bot.core import buttons
from bot.core.buttons import Keyboard
from bot.core.guided import Button, Draft, Guide, Say, Turn
from bot.core.model import Language, as_language

CONTROLS = ("back", "cancel", "resume")
Memory = MutableMapping[Any, Any]


class Session:
    """`guide` in one chat's `memory`; `say` renders its texts, `today` dates its verdict."""

    def __init__(self, guide: Guide[Any], memory: Memory, say: Say, today: date) -> None:
        self.guide, self.memory, self.say, self.today = guide, memory, say, today
        found = memory.get(guide.name)
        # The draft this update is about; it stays here when the turn ends the check.
        self.draft: Draft | None = found if isinstance(found, Draft) else None

    @property
    def is_open(self) -> bool:
        """Whether the chat has a check in progress (one that has not ended)."""
        return isinstance(self.memory.get(self.guide.name), Draft)

    @property
    def summary(self) -> str:
        """The last verdict's situation and conclusions: the question its staff button asks."""
        return str(self.memory.get(last_key(self.guide), ""))

    def start(self, lang: Language, *offered: str) -> Turn:
        """A new check (a command halfway starts afresh); `offered`: what an offer carried."""
        self.draft = self.guide.start(lang, *offered)
        self.memory[self.guide.name] = self.draft
        return self._settle(self.guide.begin(self.draft, self.say, self.today))

    def start_offered(self, data: str) -> Turn:
        """A check started from the offer button under a reply (`<p>:go:<lang>[:<offered>]`)."""
        _, _, lang, *offered = data.split(":")
        return self.start(as_language(lang, "nl"), *offered[:1])

    def typed(self, text: str) -> Turn | None:
        """A typed message: the check's next turn; None when no check is open or the text is
        plainly a new question (the adapter answers it as one, then sends `paused`)."""
        if self.draft is None:
            return None
        turn = self.guide.read(self.draft, text, self.say, self.today)
        return None if turn is None else self._settle(turn)

    def paused(self) -> Turn | None:
        """After a new question was answered: the open check, one tap from resuming."""
        return None if self.draft is None else self.guide.paused(self.draft, self.say)

    def pressed(self, data: str) -> Turn | None:
        """A button of the check; None when it is stale: the check ended, or the button
        belongs to an earlier question whose answer was given (or undone) already."""
        _, step, value = f"{data}::".split(":")[:3]
        if self.draft is None or step != self.draft.step:
            return None
        kind = value if value in CONTROLS else "answer"
        return self._settle(self.guide.press(self.draft, kind, value, self.say, self.today))

    def expire(self, minutes: float) -> Turn | None:
        """Nothing was answered for `minutes`: the answers go, the person is told."""
        self.memory.pop(self.guide.name, None)
        if self.draft is None:
            return None
        return self.guide.expired(self.draft, self.say, minutes)

    def rows(
        self, turn: Turn, staff_label: Callable[[Language], str]
    ) -> list[list[tuple[str, str]]]:
        """The turn's buttons as (label, callback data); a staff button has the adapter's
        label in the check's language."""
        draft = self.draft
        if draft is None:
            return []
        label = staff_label(draft.lang)
        return [[self._button(b, draft, label) for b in row] for row in turn.rows]

    def keyboard(self, turn: Turn) -> Keyboard | None:
        """The turn's buttons as sent, the staff button labelled as under every reply."""
        return buttons.from_rows(self.rows(turn, lambda lang: buttons.LABELS[lang]["staff"]))

    def _button(self, button: Button, draft: Draft, staff_label: str) -> tuple[str, str]:
        p = self.guide.prefix
        data = {
            "answer": f"{p}:{draft.step}:{button.value}",
            "entry": f"e:{button.value}",
            "staff": f"h:{draft.lang}",
            "handover": f"{p}:person:{draft.lang}",
        }.get(button.kind, f"{p}:{draft.step}:{button.kind}")
        return button.label or staff_label, data

    def _settle(self, turn: Turn) -> Turn:
        if turn.ended:
            self.memory.pop(self.guide.name, None)
            if turn.summary:
                self.memory[last_key(self.guide)] = turn.summary
        return turn


def last_key(guide: Guide[Any]) -> str:
    """The memory key of the last verdict's summary."""
    return f"{guide.name}_last"


def forget(guide: Guide[Any], memory: Memory) -> None:
    """Erasure: the answers of a check in progress and the last verdict go."""
    for key in (guide.name, last_key(guide)):
        memory.pop(key, None)


def handover_language(data: str) -> Language:
    """The language of a verdict's staff button (`<p>:person:<lang>`)."""
    return as_language(f"{data}::".split(":")[2], "nl")
