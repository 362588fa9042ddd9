"""The guided complaint flow (/klacht, /plainte) as a `Guide` (bot/core/guided/): which
question is open, what an answer means, Back, the preview and editing one answer from it.
The Telegram adapter runs it like the guided checks; sending is the complaint desk's, once the
preview's Send hands the answers over (`Turn.submit`). Nothing here is stored.

    what          what happened (free text, required)
    organisation  which organisation (free text, or skipped)
    contact_org   may the centre contact the organisation: yes / no / only anonymously
    reach         how to be reached (free text, or "via this chat")
    preview       everything, and who will read it: send / edit / don't send
    edit          which answer to change (then back to the preview)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar, Literal

from bot.core.guided import Button, Draft, Guide, Say, Turn, one_per_row
from bot.core.model import Language
from bot.escalation.complaints import CONTACT_CHOICES, ContactChoice, NewComplaint

QUESTIONS: tuple[str, ...] = ("what", "organisation", "contact_org", "reach")
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
# What each button value stands for, given a button (a question's "skip" is no typed "skip").
_BUTTONS: dict[str, dict[str, Any]] = {
    "organisation": {SKIP: ""},
    "contact_org": {c: c for c in CONTACT_CHOICES},
    "reach": {VIA_CHAT: ""},
    "preview": {"send": "send", "edit": "edit"},
    "edit": {q: q for q in QUESTIONS},
}
LABELS: dict[Language, dict[str, str]] = {
    "nl": {
        SKIP: "Overslaan", "yes": "Ja", "no": "Nee", "anonymous": "Alleen anoniem",
        VIA_CHAT: "Via dit gesprek",
        "send": "✅ Versturen", "edit": "✏️ Aanpassen", "drop": "✖ Niet versturen",
        "what": "Wat er gebeurde", "organisation": "Organisatie",
        "contact_org": "Contact met de organisatie", "reach": "Bereikbaarheid",
        "to_preview": "« Terug naar het overzicht",
    },
    "fr": {
        SKIP: "Passer", "yes": "Oui", "no": "Non", "anonymous": "Seulement anonymement",
        VIA_CHAT: "Via cette conversation",
        "send": "✅ Envoyer", "edit": "✏️ Modifier", "drop": "✖ Ne pas envoyer",
        "what": "Ce qui s'est passé", "organisation": "Organisation",
        "contact_org": "Contact avec l'organisation", "reach": "Comment vous joindre",
        "to_preview": "« Retour à l'aperçu",
    },
}
# The buttons each step offers besides typing (the edit menu: one per question).
CHOICES: dict[str, tuple[str, ...]] = {
    "what": (), "organisation": (SKIP,), "contact_org": CONTACT_CHOICES, "reach": (VIA_CHAT,),
    "preview": ("send", "edit"), "edit": QUESTIONS,
}


class ComplaintInputError(ValueError):
    """An answer the step cannot take; `problem` names why (for the template)."""

    def __init__(self, problem: Literal["empty", "too_long", "choice"], limit: int = 0) -> None:
        super().__init__(problem)
        self.problem = problem
        self.limit = limit


@dataclass
class ComplaintDraft(Draft):
    editing: bool = False  # one answer reopened from the preview: the preview comes next

    def steps(self) -> tuple[str, ...]:
        return (*QUESTIONS, "preview")

    def parse(self, text: str) -> Any:
        """A typed answer to the open question; raises ComplaintInputError."""
        if self.step == "what":
            return _limited(text.strip(), MAX_WHAT)
        value = " ".join(text.split())
        if self.step in ("organisation", "reach"):
            return _limited(value, MAX_SHORT)
        if self.step == "contact_org" and value.lower().strip(" .!") in _CONTACT_WORDS:
            return _CONTACT_WORDS[value.lower().strip(" .!")]
        raise ComplaintInputError("choice")  # the preview and the edit menu take buttons only

    def parse_button(self, value: str) -> Any:
        meanings = _BUTTONS.get(self.step, {})
        if value not in meanings:
            raise ComplaintInputError("choice")
        return meanings[value]

    def answer(self, value: Any) -> str | None:
        """As `Draft.answer`, and: Edit opens the menu, a question picked there is asked
        again and its answer leads back to the preview; Send (the preview answered) ends."""
        if self.step == "preview":
            if value != "edit":
                return None
            self.step = "edit"
        elif self.step == "edit":
            self.step, self.editing = value, True
        elif self.editing:
            self.answers[self.step] = value
            self.step, self.editing = "preview", False
        else:
            return super().answer(value)
        return self.step

    def back(self) -> None:
        """One question back; from the edit menu or an edited answer: the preview."""
        if self.editing or self.step == "edit":
            self.step, self.editing = "preview", False
        else:
            super().back()

    def to_new(self, chat_id: int, user_id: int | None) -> NewComplaint:
        a = self.answers
        if not a.get("what") or a.get("contact_org") is None:
            raise ComplaintInputError("empty")
        return NewComplaint(
            chat_id=chat_id, user_id=user_id, language=self.lang, what=a["what"],
            organisation=a.get("organisation", ""), contact_org=a["contact_org"],
            reach=a.get("reach", ""),
        )


class ComplaintGuide(Guide[ComplaintDraft]):
    name, prefix, texts = "complaint", "k", "cmp"
    commands: ClassVar[dict[str, Language]] = {"klacht": "nl", "plainte": "fr"}
    pauses_for_questions = False  # a story may well be phrased as a question

    def __init__(self, retention_days: int) -> None:
        self.retention_days = retention_days  # the preview says when the texts are erased

    def start(self, lang: Language, offered: str = "") -> ComplaintDraft:
        return ComplaintDraft(lang=lang)

    def choices(self, draft: ComplaintDraft, today: date) -> list[list[tuple[str, str]]]:
        labels = LABELS[draft.lang]
        found = [(labels[value], value) for value in CHOICES[draft.step]]
        if draft.step == "preview":
            return [found]
        return one_per_row(found) if found else []

    def controls(self, draft: ComplaintDraft) -> tuple[Button, ...]:
        labels = LABELS[draft.lang]
        if draft.step == "preview":
            return (Button(labels["drop"], "cancel"),)
        if draft.editing or draft.step == "edit":
            return (Button(labels["to_preview"], "back"),)
        return super().controls(draft)

    def question(self, draft: ComplaintDraft, say: Say) -> str:
        if draft.step == "preview":
            a = draft.answers
            return say(draft.lang, "cmp_preview", what=a["what"],
                       organisation=a["organisation"], contact_org=a["contact_org"],
                       reach=a["reach"], retention_days=self.retention_days)
        if draft.step == "edit":
            return say(draft.lang, "cmp_edit")
        return say(draft.lang, "cmp_question", step=draft.step)

    def problem(self, draft: ComplaintDraft, error: ValueError) -> dict[str, Any]:
        if isinstance(error, ComplaintInputError):
            return {"problem": error.problem, "limit": error.limit}
        return {}

    def verdict(self, draft: ComplaintDraft, say: Say, today: date) -> Turn:
        """Send was pressed: the adapter hands the complaint to the desk (its receipt comes
        through the outbox)."""
        return Turn("", ended=True, submit=True)

    def expired(self, draft: ComplaintDraft, say: Say, minutes: float) -> Turn:
        return Turn(say(draft.lang, "cmp_expired", minutes=round(minutes)), ended=True)


def _limited(value: str, limit: int) -> str:
    if not value:
        raise ComplaintInputError("empty")
    if len(value) > limit:
        raise ComplaintInputError("too_long", limit)
    return value

