"""The count behind /stats, without Telegram: only answers the core gave itself are counted,
by day and language, and the rest of the core passes through untouched."""

from datetime import date

from bot.core.model import Reply
from bot.escalation.counting import CountingAssistant

DAY = date(2026, 3, 2)


class Core:
    def __init__(self, action):
        self.action = action

    def ask(self, text, *, chat_lang=None, today):
        return Reply(text, chat_lang or "nl", self.action, "...")

    def topics(self, lang):
        return [("insurance", f"topics in {lang}")]


class Counts:
    def __init__(self):
        self.counted = []

    def count_assistant_answer(self, language, *, today):
        self.counted.append((language, today))


def test_an_answer_is_counted_by_its_language_and_day():
    counts = Counts()
    reply = CountingAssistant(Core("answer"), counts).ask("Mag dat?", chat_lang="fr", today=DAY)
    assert reply.action == "answer"
    assert counts.counted == [("fr", DAY)]


def test_an_escalation_or_a_clarification_is_not_an_answer_given():
    counts = Counts()
    for action in ("escalate", "clarify"):
        CountingAssistant(Core(action), counts).ask("Mag dat?", today=DAY)
    assert counts.counted == []


def test_everything_else_is_the_core_itself():
    counting = CountingAssistant(Core("answer"), Counts())
    assert counting.topics("fr") == [("insurance", "topics in fr")]
