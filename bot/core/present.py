"""What the person is shown: the core's decisions turned into a message and its buttons.

`shown` is the one place that decides how a `Reply` reaches the person: an answer with
👍/👎, a clarify with the candidates and a staff member, smalltalk as is, or (None) the
hand-off to a person. A guided check the core `offer`s goes under the reply only when the
chat can take it up; an offer stands in place of the hand-off, with a staff member beside
it. The screens of topic browsing and of a 👎 are built here too, so the Telegram adapter
only sends or edits what it is given.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

from bot.core import buttons
from bot.core.buttons import Keyboard
from bot.core.model import Candidate, Check, Entry, Language, Reply

Say = Callable[..., str]  # say(lang, template, **context): a template with the centre filled in


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
