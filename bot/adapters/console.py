"""The console chat: type a question, read the answer – the same core the Telegram bot uses.

Commands (Dutch and French names both work):
  /taal nl|fr, /langue nl|fr   choose the reply language (otherwise each message decides)
  /doorsturen, /transmettre    show what an escalation of the last question would send to staff
  1, 2, 3                      after "which question do you mean?": pick that question
  /help, /aide                 what the assistant does
  /stop, /quit                 leave
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

from bot.core.assistant import Assistant, plain_text
from bot.core.model import Candidate, Language, Reply

HANDOFF = {
    "nl": "Zo zou je vraag naar een medewerker gaan:",
    "fr": "Voici ce qui serait transmis à un membre de l'équipe :",
}
NOTHING_YET = {
    "nl": "Er is nog geen vraag om door te sturen.",
    "fr": "Pas encore de question à transmettre.",
}
LANGUAGE_SET = {"nl": "Taal: Nederlands.", "fr": "Langue : français."}
LANGUAGE_USAGE = "/taal nl|fr  (/langue nl|fr)"
PICK = {"nl": "Typ {numbers} om te kiezen.", "fr": "Tapez {numbers} pour choisir."}
MORE = {"nl": "Meer hierover:", "fr": "Pour aller plus loin :"}
CLOSE = {"nl": "Of bedoel je:", "fr": "Ou vouliez-vous dire :"}


class ConsoleChat:
    def __init__(self, assistant: Assistant, today: date, lang: Language | None = None) -> None:
        self.assistant = assistant
        self.today = today
        self.lang: Language | None = lang
        self.last: Reply | None = None

    def handle(self, line: str) -> str | None:
        """The chat's answer to one input line; None means: stop."""
        text = line.strip()
        command, _, rest = text.partition(" ")
        command = command.lower()
        if command in ("/stop", "/quit", "/exit"):
            return None
        if command in ("/taal", "/langue", "/lang"):
            choice = rest.strip().lower()
            if choice not in ("nl", "fr"):
                return LANGUAGE_USAGE
            self.lang = "fr" if choice == "fr" else "nl"
            return LANGUAGE_SET[choice]
        shown_lang: Language = self.lang or (self.last.language if self.last else "nl")
        if command in ("/doorsturen", "/transmettre", "/escalate"):
            if self.last is None:
                return NOTHING_YET[shown_lang]
            return f"{HANDOFF[self.last.language]}\n{self._summary(self.last)}"
        if command in ("/help", "/aide", "/start"):
            text = "help"
        picked = self._choice(text)
        if picked is not None:
            reply = self.assistant.answer_entry(picked, today=self.today)
        else:
            reply = self.assistant.ask(text, chat_lang=self.lang, today=self.today)
        if reply.action != "smalltalk":
            self.last = reply
        return self._show(reply)

    def _summary(self, reply: Reply) -> str:
        if reply.escalation_summary:
            return reply.escalation_summary
        return f"Question ({reply.language}): {reply.question}"

    def _choice(self, text: str) -> str | None:
        """After a clarification, "2" picks the second question (the console's buttons)."""
        if self.last is None or not text.isdigit():
            return None
        index = int(text) - 1
        candidates = _choices(self.last)
        return candidates[index].entry_id if 0 <= index < len(candidates) else None

    def _show(self, reply: Reply) -> str:
        text = plain_text(reply)
        if reply.related:
            text += "\n" + (CLOSE if reply.alternatives else MORE)[reply.language]
            text += "".join(f"\n  {n}. {c.question}" for n, c in enumerate(reply.related, 1))
        choices = _choices(reply)
        if choices:
            numbers = ", ".join(str(n) for n in range(1, len(choices) + 1))
            text += "\n" + PICK[reply.language].format(numbers=numbers)
        return text


def _choices(reply: Reply) -> tuple[Candidate, ...]:
    """What a number picks after this reply: a clarification's questions, or the entries an
    overview leads to."""
    if reply.action == "clarify":
        return reply.candidates
    return reply.related if reply.action == "answer" else ()


def run_console(
    assistant: Assistant, today: date, lines: Iterable[str], write: Callable[[str], None],
    lang: Language | None = None, prompt: str = "",
) -> None:
    chat = ConsoleChat(assistant, today, lang)
    write(chat.handle("/help") or "")
    for line in lines:
        if not line.strip():
            continue
        answer = chat.handle(line)
        if answer is None:
            break
        write(answer)
        if prompt:
            write(prompt)
