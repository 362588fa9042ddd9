"""The guided complaint flow as pure steps: which question is open, what an answer means,
Back, and editing one answer from the preview. The Telegram conversation only shows the step
and hands answers in (typed text or a button's value); nothing here is stored.

    what          what happened (free text, required)
    organisation  which organisation (free text, or skipped)
    contact_org   may the centre contact the organisation: yes / no / only anonymously
    reach         how to be reached (free text, or "via this chat")
    preview       everything, and who will read it: send / edit / cancel
    edit          which answer to change (then back to the preview)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from bot.escalation.complaints import CONTACT_CHOICES, ContactChoice, NewComplaint

Step = Literal["what", "organisation", "contact_org", "reach", "preview", "edit"]
QUESTIONS: tuple[Step, ...] = ("what", "organisation", "contact_org", "reach")
# The preview repeats every answer in one message, with the readers and the buttons:
# the free texts must leave room for it within Telegram's 4,096 characters.
MAX_WHAT = 2500
MAX_SHORT = 300
SKIP, VIA_CHAT = "skip", "chat"
# Typed answers to the contact question, in both languages (buttons send the value itself).
_CONTACT_WORDS: dict[str, ContactChoice] = {
    "ja": "yes", "oui": "yes", "yes": "yes",
    "nee": "no", "neen": "no", "non": "no", "no": "no",
    "anoniem": "anonymous", "anonyme": "anonymous", "anonymous": "anonymous",
    "anonymement": "anonymous", "alleen anoniem": "anonymous",
    "seulement anonymement": "anonymous",
}


class ComplaintInputError(ValueError):
    """An answer the step cannot take; `problem` names why (for the template)."""

    def __init__(self, problem: Literal["empty", "too_long", "choice"], limit: int = 0) -> None:
        super().__init__(problem)
        self.problem = problem
        self.limit = limit


@dataclass
class ComplaintDraft:
    lang: Literal["nl", "fr"]
    step: Step = "what"
    what: str = ""
    organisation: str = ""  # "" = not given
    contact_org: ContactChoice | None = None
    reach: str = ""  # "" = via this chat
    history: list[Step] = field(default_factory=list)
    editing: bool = False  # one answer reopened from the preview: the preview comes next

    @property
    def can_go_back(self) -> bool:
        return bool(self.history) and not self.editing

    def take_text(self, text: str) -> Step:
        """A typed answer to the open question; raises ComplaintInputError."""
        value = " ".join(text.split()) if self.step != "what" else text.strip()
        if self.step == "what":
            self.what = _limited(value, MAX_WHAT)
        elif self.step == "organisation":
            self.organisation = _limited(value, MAX_SHORT)
        elif self.step == "contact_org":
            choice = _CONTACT_WORDS.get(value.lower().strip(" .!"))
            if choice is None:
                raise ComplaintInputError("choice")
            self.contact_org = choice
        elif self.step == "reach":
            self.reach = _limited(value, MAX_SHORT)
        else:
            raise ComplaintInputError("choice")  # the preview takes buttons only
        return self._next()

    def take_button(self, value: str) -> Step:
        """A button's value for the open question (skip, a contact choice, via this chat)."""
        if self.step == "organisation" and value == SKIP:
            self.organisation = ""
        elif self.step == "contact_org" and value in CONTACT_CHOICES:
            self.contact_org = next(c for c in CONTACT_CHOICES if c == value)
        elif self.step == "reach" and value == VIA_CHAT:
            self.reach = ""
        else:
            raise ComplaintInputError("choice")
        return self._next()

    def _next(self) -> Step:
        if self.editing:
            self.editing = False
            self.step = "preview"
            return self.step
        self.history.append(self.step)
        index = QUESTIONS.index(self.step) if self.step in QUESTIONS else len(QUESTIONS) - 1
        self.step = QUESTIONS[index + 1] if index + 1 < len(QUESTIONS) else "preview"
        return self.step

    def back(self) -> Step:
        """One question back (from an edit: back to the preview)."""
        if self.editing or self.step == "edit":
            self.editing = False
            self.step = "preview"
        elif self.history:
            self.step = self.history.pop()
        return self.step

    def open_edit_menu(self) -> Step:
        self.step = "edit"
        return self.step

    def edit(self, question: str) -> Step:
        """Reopen one answer from the preview; after it, the preview again."""
        if question not in QUESTIONS:
            raise ComplaintInputError("choice")
        self.step = next(q for q in QUESTIONS if q == question)
        self.editing = True
        return self.step

    def to_new(self, chat_id: int, user_id: int | None) -> NewComplaint:
        if not self.what or self.contact_org is None:
            raise ComplaintInputError("empty")
        return NewComplaint(
            chat_id=chat_id,
            user_id=user_id,
            language=self.lang,
            what=self.what,
            organisation=self.organisation,
            contact_org=self.contact_org,
            reach=self.reach,
        )


def _limited(value: str, limit: int) -> str:
    if not value:
        raise ComplaintInputError("empty")
    if len(value) > limit:
        raise ComplaintInputError("too_long", limit)
    return value
