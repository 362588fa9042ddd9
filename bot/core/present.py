"""What the person is shown: the core's decisions turned into a message and its buttons.

`shown` is the one place that decides how a `Reply` reaches the person: an answer with
👍/👎, a clarify with the candidates and a staff member, smalltalk as is, or (None) the
hand-off to a person. A guided check the core `offer`s goes under the reply only when the
chat can take it up; an offer stands in place of the hand-off, with a staff member beside
it. The screens of topic browsing, of a 👎, and of the commands that answer with a screen
(/start, /taal, /vergeet, a message too long to be a question) are built here too, so the
Telegram adapter only sends or edits what it is given.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import date

from bot.core import buttons
from bot.core.assistant import AssistantLike
from bot.core.buttons import Keyboard
from bot.core.model import LANGUAGES, Candidate, Check, Entry, Language, Reply, as_language

Say = Callable[..., str]  # say(lang, template, **context): a template with the centre filled in

# Longer than this and the message is most likely a pasted letter or document: we ask for
# the question itself rather than guess which of its sentences matters. (Telegram itself
# caps a message at 4,096 characters; the core analyses only the first 1,500.)
MAX_QUESTION_CHARS = 1500
DETECTED_CHARS = 500  # a long message's language is told from its start


@dataclass(frozen=True)
class Shown:
    """A message for the person: Telegram-HTML text and its buttons."""

    text: str
    keyboard: Keyboard | None = None


def shown(reply: Reply, say: Say, *, takes: Collection[Check]) -> Shown | None:
    """The message for `reply`, or None when it goes to a person (the hand-off).

    `takes`: the guided checks this chat can take up (those plugged in, and only in private
    chats: a check in a group would read the whole group's messages)."""
    offer = reply.offer if reply.offer is not None and reply.offer.check in takes else None
    lang = reply.language
    if reply.action == "escalate":
        if offer is None:
            return None
        return Shown(say(lang, "alw_offer"), buttons.offer_or_staff(offer, lang))
    keyboard: Keyboard | None = None
    if reply.action == "answer" and reply.entry_id:
        keyboard = buttons.feedback(reply.entry_id, reply.related)
    elif reply.action == "clarify":
        keyboard = buttons.candidates(reply.candidates, lang)
    if offer is not None:
        keyboard = buttons.with_offer(keyboard, offer, lang)
    return Shown(reply.text, keyboard)


def alternatives(found: Sequence[Candidate], lang: Language, say: Say) -> Shown:
    """After a 👎: the closest other entries for the same question, and a staff member."""
    return Shown(say(lang, "tg_alternatives", found=bool(found)), buttons.candidates(found, lang))


def topic_list(found: Sequence[tuple[str, str]], lang: Language, say: Say) -> Shown:
    """/onderwerpen, and Back from a topic: every topic as a button."""
    return Shown(say(lang, "tg_topics"), buttons.topics(found, lang))


def topic(
    topic: str, title: str, entries: Sequence[Entry], lang: Language, say: Say, *,
    has_article: bool,
) -> Shown:
    """One topic: its overview article (when it has one), its questions, and Back."""
    return Shown(
        say(lang, "tg_topic", title=title, count=len(entries)),
        buttons.topic_questions(entries, topic, lang, has_article=has_article),
    )


def browsed(reply: Reply, topic: str) -> Shown | None:
    """An answer opened while browsing a topic, with Back to it; None when the entry is past
    its review date and the reply escalates, as a typed question would."""
    if reply.action == "escalate":
        return None
    entry_id = reply.entry_id if reply.action == "answer" else None
    return Shown(reply.text, buttons.browsed_answer(entry_id, topic, reply.language))


class Screens:
    """The screens the knowledge base fills in: topic browsing, the entry or article a
    button names, and the alternatives after a 👎; `today` dates their answers."""

    def __init__(self, assistant: AssistantLike, say: Say, today: date) -> None:
        self.assistant, self.say, self.today = assistant, say, today

    def topic_list(self, lang: Language) -> Shown:
        return topic_list(self.assistant.topics(lang), lang, self.say)

    def topic(self, name: str, lang: Language) -> Shown:
        titles = dict(self.assistant.topics(lang))
        return topic(
            name, titles.get(name, name), self.assistant.entries_in_topic(name, lang), lang,
            self.say, has_article=self.article(name, lang) is not None,
        )

    def article(self, name: str, lang: Language) -> Reply | None:
        return self.assistant.article(name, lang, today=self.today)

    def entry(self, entry_id: str) -> Reply | None:
        """The answer of an entry named by a button, or None: the knowledge base may have
        renamed or removed it since the button was sent."""
        try:
            return self.assistant.answer_entry(entry_id, today=self.today)
        except KeyError:
            return None

    def too_long(
        self, text: str, *, chosen: Callable[[], Language | None], fallback: Callable[[], Language]
    ) -> Shown | None:
        """None for a message of a question's length; a longer one is asked for the question
        itself, in the chat's choice (`chosen`), else the language it is written in, else
        `fallback` (both read only for a long message)."""
        if len(text) <= MAX_QUESTION_CHARS:
            return None
        detected = self.assistant.detect_language(text[:DETECTED_CHARS])
        return too_long(text, chosen() or as_language(detected, fallback()), self.say)

    def alternatives(self, question: str, lang: Language, rated: str) -> Shown:
        """After a 👎 on `rated`: the closest other entries for `question`."""
        found = self.assistant.alternatives(question, lang=lang, exclude=rated, today=self.today)
        return alternatives(found, lang, self.say)


def welcome(first: Language, say: Say) -> Shown:
    """/start: the welcome in both languages, the person's own first, with language buttons."""
    order = [first, *(lang for lang in LANGUAGES if lang != first)]
    text = "\n\n— — —\n\n".join(say(lang, "tg_welcome") for lang in order)
    return Shown(text, buttons.languages())


def language_choice(lang: Language, current: Language | None, say: Say) -> Shown:
    """/taal without a language: the chat's current choice, and a button per language."""
    return Shown(say(lang, "tg_language_choose", current=current or ""), buttons.languages())


def erase_question(lang: Language, say: Say) -> Shown:
    """/vergeet: what will be erased, and Yes / No."""
    return Shown(say(lang, "tg_erase_confirm"), buttons.confirm_erase(lang))


def too_long(text: str, lang: Language, say: Say) -> Shown:
    """For a message longer than MAX_QUESTION_CHARS: ask for the question itself."""
    return Shown(say(lang, "tg_too_long", length=len(text), limit=MAX_QUESTION_CHARS))
