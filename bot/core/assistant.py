"""The core's one door: `Assistant.ask(text, chat_lang=..., today=...) -> Reply`.

Pure: no Telegram, no database, no clock (today is passed in). Adapters (console, Telegram,
command line) only translate to and from it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from markupsafe import Markup

from bot.core.allowance import looks_like_allowance_question
from bot.core.decide import Signals, Thresholds, decide
from bot.core.errors import KnowledgeBaseError
from bot.core.figures import FigureValue
from bot.core.insurance import looks_like_insurance_duty_question
from bot.core.intents import Intents
from bot.core.knowledge import KnowledgeBase, default_root, load_knowledge_base, template_text
from bot.core.model import (
    LANGUAGES,
    TOPIC_TITLES,
    TOPICS,
    Candidate,
    Entry,
    FigureUse,
    Language,
    Offer,
    Reply,
    Source,
)
from bot.core.render import Centre, Renderer, to_plain
from bot.core.retrieval import (
    WEIGHT_ANSWER,
    WEIGHT_QUESTION,
    WEIGHT_TAG,
    WEIGHT_TOPIC,
    WEIGHT_VARIANT,
    Alongside,
    BM25Index,
)
from bot.core.text import Analyzer, LanguageGuesser
from bot.core.text.analyzer import names_volunteering
from bot.core.text.focus import Reading, question_readings
from bot.core.text.normalise import clean, tokens

# Longer messages are analysed on their first part only: a 10,000-character story still gets
# an answer on what it is about, in the same time as a short question.
MAX_ANALYSED_CHARS = 1500
TOP_K = 8
# A word of the other language in a message ("per dag" in a French question, as people in
# Brussels write) weighs as much as the same word would in its own language.
FOREIGN_WEIGHT = 1.0
# FAQ entries are the unit we answer with; a topic article (long, about everything in its
# topic) only wins when no FAQ entry comes close.
ARTICLE_WEIGHT = 0.8


def _weight(entry: Entry) -> float:
    return ARTICLE_WEIGHT if entry.kind == "article" else 1.0


# A special case's entry, for a question that names none of its `qualifiers`.
UNQUALIFIED_WEIGHT = 0.85


MAX_CANDIDATES = 3
# Under an answer, entries scoring at least this share of the chosen one are offered as
# buttons ("Bedoel je iets anders?"): on the real questions' calibration part the right
# entry is one of the (at most two) buttons for about 16% of questions whose first entry is
# wrong, with 1.3 buttons per answer on average (retrieval notes in bot/evaluation.py).
ALTERNATIVE_SHARE = 0.7
MAX_ALTERNATIVES = 2
# A question made only of words that most entries hold ("vrijwilligerswerk, wat is dat?",
# "le bénévolat ?") names no subject but volunteering itself, and BM25 ranks every entry about
# equally (the winner was whichever answer repeated the word most). It gets the overview of
# what volunteering is and what the volunteer's rights are, with the topics as buttons.
# Lucene idf below 1.0: a word in more than about 37% of the entries.
ROOT_HUB = "definition.overview"
GENERIC_IDF = 1.0
# The out-of-scope topic whose phrasings are marker terms rather than subjects.
MARKERS = "markers"


@dataclass(frozen=True)
class Ranked:
    entry: Entry
    score: float
    doc: int  # position in the language index


@dataclass(frozen=True)
class Search:
    lang: Language
    ranked: list[Ranked]
    signals: Signals
    strength: float
    # Every word of the question is one that most entries hold ("vrijwilligerswerk, wat is
    # dat?"): it names no subject beyond volunteering itself (see ROOT_HUB).
    generic: bool = False


@dataclass(frozen=True)
class Route:
    kind: str  # smalltalk | other_language | asked_person | search
    question: str
    lang: Language
    detected: str | None
    chat_lang: Language | None  # the chat's chosen language, None when it never chose
    search: Search | None
    note: str = ""  # smalltalk kind

    @property
    def hint(self) -> bool:
        """The reply will be in another language than the chat's: it says how to switch."""
        return self.chat_lang is not None and self.lang != self.chat_lang


class LanguageIndex:
    """Analyzer + BM25 over one language's entries."""

    def __init__(
        self, lang: Language, entries: list[Entry], out_of_scope: Sequence[tuple[str, str]] = ()
    ) -> None:
        self.lang = lang
        self.entries = entries
        bootstrap = Analyzer(lang)
        vocab: Counter[str] = Counter()
        for entry in entries:
            for text in (
                entry.question,
                *entry.variants,
                *entry.tags,
                template_text(entry.answer),
            ):
                vocab.update(bootstrap.words(text))
        self.vocabulary = vocab
        # Out-of-scope words are real words too: "recept" must not be "corrected" to "recent".
        known = vocab.copy()
        for _, text in out_of_scope:
            known.update(bootstrap.words(text))
        self.analyzer = Analyzer(lang, known)
        # Marker terms ("en France", "UWV") say on their own that a question is about a
        # subject we do not cover (another country's rules).
        self.markers = {
            tuple(tokens(text)) for topic, text in out_of_scope if topic == MARKERS
        }
        self._longest_marker = max((len(m) for m in self.markers), default=0)
        # The other subjects are signals, never candidates: each phrasing is a short document
        # after the entries in the index (a close match wins; their words also weigh less in
        # the entries' ranking, as words of subjects we do not cover), and each subject as a
        # whole is scored alongside (retrieval.Alongside).
        phrasings: dict[str, list[str]] = {}
        for topic, text in out_of_scope:
            if topic != MARKERS:
                phrasings.setdefault(topic, []).append(text)
        terms = self.analyzer.index_terms
        docs = [self._document(e) for e in entries]
        for texts in phrasings.values():
            docs += [terms(text) * WEIGHT_QUESTION for text in texts]
        self.index = BM25Index(docs)
        wholes = [
            [term for text in texts for term in terms(text) * WEIGHT_VARIANT]
            for texts in phrasings.values()
        ]
        self.subjects = Alongside(self.index, wholes)
        # The other language's index, for the words of that language in a message (pair_with).
        self.partner: LanguageIndex | None = None
        self._partner_docs: list[int] = []
        self._own_to_partner: list[int] = []
        # Each entry's qualifiers as term sets: "technische werkloosheid" is named only when
        # both words are (synonym-group tokens left out: a group is broader than the word).
        self._qualifiers = [
            [
                frozenset(t for t in self.analyzer.query_terms(q) if t[0] != "~")
                for q in e.qualifiers
            ]
            for e in entries
        ]

    def pair_with(self, partner: LanguageIndex) -> None:
        """Words of the other language in a message ("ze geven mij 45 euro per dag" in a
        French question) are searched in that language's index and count for the entry of
        the same pair here."""
        self.partner = partner
        mine = {e.pair: i for i, e in enumerate(self.entries)}
        self._partner_docs = [mine.get(e.pair, -1) for e in partner.entries]
        theirs = {e.pair: i for i, e in enumerate(partner.entries)}
        self._own_to_partner = [theirs.get(e.pair, -1) for e in self.entries]

    def _queries(self, text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(our terms, the other language's terms): each word is read in one language, the
        other one only when that language knows it and we do not."""
        partner = self.partner
        words = self.analyzer.words(text)
        foreign = {w for w in words if self._is_foreign(w)}
        if not foreign or partner is None:
            return self.analyzer.query_terms(text), ()
        ours = " ".join(w for w in words if w not in foreign)
        return (
            self.analyzer.query_terms(ours),
            partner.analyzer.query_terms(" ".join(w for w in words if w in foreign)),
        )

    def _is_foreign(self, word: str) -> bool:
        """A word we do not know and the other language does, as a content word or as one of
        its stopwords ("ik moet" in a French question)."""
        partner = self.partner
        return (
            partner is not None and word not in self.vocabulary
            and (word in partner.vocabulary or word in partner.analyzer.stopwords)
        )

    def _foreign_scores(self, query: Sequence[str], size: int) -> np.ndarray:
        """The partner's scores for `query`, each on the entry of the same pair here."""
        assert self.partner is not None
        theirs = self.partner.index.scores(query)
        out = np.zeros(size)
        for doc, own in enumerate(self._partner_docs):
            if own >= 0:
                out[own] = max(out[own], theirs[doc])
        return out * FOREIGN_WEIGHT

    def _document(self, entry: Entry) -> list[str]:
        terms = self.analyzer.index_terms
        doc = terms(entry.question) * WEIGHT_QUESTION
        for variant in entry.variants:
            doc += terms(variant) * WEIGHT_VARIANT
        for tag in entry.tags:
            doc += terms(tag) * WEIGHT_TAG
        doc += terms(TOPIC_TITLES[entry.topic][self.lang]) * WEIGHT_TOPIC
        doc += terms(template_text(entry.answer)) * WEIGHT_ANSWER
        return doc

    def search(self, text: str, today: date, clarify_band: float) -> Search:
        query, foreign = self._queries(text)
        n = len(self.entries)
        scores = self.index.scores(query)
        if foreign:
            scores = scores + self._foreign_scores(foreign, len(scores))
        subject_score = max(
            float(scores[n:].max()) if len(scores) > n else 0.0,
            float(self.subjects.scores(query).max()) if self.subjects.size else 0.0,
        )
        scores[n:] = 0.0  # out-of-scope subjects are a signal, never a candidate
        hits = self.index.top(query, TOP_K, scores)
        asked = set(query)

        def weight(doc: int) -> float:
            qualifiers = self._qualifiers[doc]
            unqualified = qualifiers and not any(q <= asked for q in qualifiers)
            return _weight(self.entries[doc]) * (UNQUALIFIED_WEIGHT if unqualified else 1.0)

        ranked = sorted(
            (
                Ranked(self.entries[h.doc], h.score * weight(h.doc), h.doc)
                for h in hits
                if h.doc < n and self.entries[h.doc].is_valid_on(today)
            ),
            key=lambda r: -r.score,
        )
        best_possible = self.index.best_possible(query)
        if foreign and self.partner is not None:
            best_possible += self.partner.index.best_possible(foreign) * FOREIGN_WEIGHT
        strength = ranked[0].score / best_possible if ranked and best_possible else 0.0
        signals = self._signals(text, ranked, strength, clarify_band)
        if not names_volunteering(text[:MAX_ANALYSED_CHARS]):
            signals = replace(signals, names_volunteering=False)
        marker = self._marker(text)
        if marker:
            signals = replace(signals, marker=marker)
        if ranked and subject_score:
            signals = replace(signals, out_of_scope_ratio=subject_score / ranked[0].score)
        elif subject_score:
            signals = replace(signals, out_of_scope_ratio=float("inf"), matched_words=0)
        generic = self._generic(query) and not (
            foreign and self.partner is not None and not self.partner._generic(foreign)
        )
        return Search(self.lang, ranked, signals, strength, generic)

    def _generic(self, query: Sequence[str]) -> bool:
        """Only words that a large share of the entries hold (synonym-group tokens aside)."""
        words = [t for t in query if not t.startswith("~")]
        return bool(words) and all(self.index.idf(t) < GENERIC_IDF for t in words)

    def _marker(self, text: str) -> str:
        words = tuple(tokens(text[:MAX_ANALYSED_CHARS]))
        for n in range(1, self._longest_marker + 1):
            for i in range(len(words) - n + 1):
                if words[i : i + n] in self.markers:
                    return " ".join(words[i : i + n])
        return ""

    def _says_nothing(self, sentence: str) -> bool:
        """Only stopwords: "Mag dat?", "je fais comment ?"."""
        return not any(self.analyzer.query_terms(w) for w in self.analyzer.words(sentence))

    def _coverage(self, reading: Reading, top_doc: int) -> tuple[float, int]:
        """(share of the reading's information the entry holds, how many words it holds).

        Every word of the question counts; a word of the situation around it counts only
        when the base knows it (a story's own objects and places are not our subject)."""
        total = covered = 0.0
        matched = 0
        question = self.analyzer.words(reading.question)
        situation = self.analyzer.words(reading.situation) if reading.situation else []
        asked = set(question)
        for word in dict.fromkeys(question + situation):
            foreign = self._foreign_word(word, top_doc)
            if foreign is not None:
                weight, held = foreign
                total += weight
                if held:
                    covered += weight
                    matched += 1
                continue
            terms = self.analyzer.query_terms(word)
            if not terms:
                continue
            if word not in asked and not any(self.index.knows(t) for t in terms):
                continue
            weight = self.index.idf(terms[0])
            total += weight
            if any(self.index.has(top_doc, t) for t in terms):
                # A word we only recognised by correcting a typo is weaker evidence: "recept"
                # read as "recent" should not make a cooking question look covered.
                covered += weight if self.analyzer.is_known(word) else weight / 2
                matched += 1
        return (covered / total if total else 0.0), matched

    def _foreign_word(self, word: str, top_doc: int) -> tuple[float, bool] | None:
        """For a word only the other language knows: (its weight there, whether the entry of
        the same pair holds it); None for our own words."""
        partner = self.partner
        if partner is None or not self._is_foreign(word):
            return None
        terms = partner.analyzer.query_terms(word)
        if not terms:
            return 0.0, False  # a stopword there ("mij", "ze")
        theirs = self._own_to_partner[top_doc]
        held = theirs >= 0 and any(partner.index.has(theirs, t) for t in terms)
        return partner.index.idf(terms[0]), held

    def _signals(
        self, text: str, ranked: list[Ranked], strength: float, clarify_band: float
    ) -> Signals:
        if not ranked:
            return Signals(0.0, 0.0, 0.0, 0, 0)
        # Coverage is judged on the question itself, not on every word of a story around it.
        coverage, matched = max(
            self._coverage(reading, ranked[0].doc)
            for reading in question_readings(text[:MAX_ANALYSED_CHARS], self._says_nothing)
        )
        s1 = ranked[0].score
        s2 = ranked[1].score if len(ranked) > 1 else 0.0
        margin = (s1 - s2) / s1 if s1 else 0.0
        close = sum(1 for r in ranked[1:MAX_CANDIDATES] if r.score >= clarify_band * s1)
        return Signals(coverage, strength, margin, matched, close)


class AssistantLike(Protocol):
    """The part of `Assistant` the adapters use (the escalation workflow wraps it to count
    the questions it answered itself)."""

    def ask(self, text: str, *, chat_lang: Language | None = None, today: date) -> Reply: ...
    def answer_entry(self, entry_id: str, *, today: date) -> Reply: ...
    def alternatives(
        self, question: str, *, lang: Language, exclude: str | None, today: date
    ) -> tuple[Candidate, ...]: ...
    def topics(self, lang: Language) -> list[tuple[str, str]]: ...
    def entries_in_topic(self, topic: str, lang: Language) -> list[Entry]: ...
    def article(self, topic: str, lang: Language, *, today: date) -> Reply | None: ...
    def detect_language(self, text: str) -> str: ...
    def message(self, lang: str, name: str, **context: Any) -> str: ...


class CentreDetails(Protocol):
    """What the centre's templates name (the settings have both)."""

    @property
    def centre_name(self) -> str: ...
    @property
    def centre_contact(self) -> str: ...


def centre_say(centre: CentreDetails, assistant: AssistantLike) -> Callable[..., str]:
    """say(lang, template, **context): a template with the centre's name and contact."""

    def say(lang: str, name: str, **context: Any) -> str:
        context.setdefault("centre_name", centre.centre_name)
        context.setdefault("centre_contact", centre.centre_contact)
        return assistant.message(lang, name, **context)

    return say


class Assistant:
    def __init__(
        self,
        kb: KnowledgeBase,
        *,
        centre: Centre | None = None,
        thresholds: Thresholds | None = None,
        default_language: Language = "nl",
        validate_templates: bool = True,
    ) -> None:
        self.kb = kb
        self.renderer = Renderer(kb.figures, centre)
        if validate_templates:
            problems = self.renderer.validate(list(kb.entries.values()))
            if problems:
                raise KnowledgeBaseError(problems)
        self.thresholds = thresholds or Thresholds.load(kb.root / "knowledge" / "thresholds.yaml")
        self.default_language = default_language
        self.indexes = {
            lang: LanguageIndex(lang, kb.by_lang(lang), kb.out_of_scope.get(lang, []))
            for lang in LANGUAGES
        }
        self.indexes["nl"].pair_with(self.indexes["fr"])
        self.indexes["fr"].pair_with(self.indexes["nl"])
        self._hubs = {
            lang: [e for e in kb.by_lang(lang) if e.related and e.kind == "faq"]
            for lang in LANGUAGES
        }
        self.guesser = LanguageGuesser({lg: set(ix.vocabulary) for lg, ix in self.indexes.items()})
        self.intents = Intents()

    # ---------------------------------------------------------------- the door
    def ask(self, text: str, *, chat_lang: Language | None = None, today: date) -> Reply:
        return with_offer(self.reply(self.route(text, chat_lang=chat_lang, today=today), today))

    def route(self, text: str, *, chat_lang: Language | None = None, today: date) -> Route:
        """Everything about a message short of the final decision (kept apart so evaluation
        can re-decide many threshold settings without searching again)."""
        question = clean(text)
        analysed = question[:MAX_ANALYSED_CHARS]
        detected = self.guesser.guess(analysed) if analysed else None
        fallback: Language = chat_lang or self.default_language
        lang: Language = detected if detected in LANGUAGES else fallback

        def route(
            kind: str, lang: Language, search: Search | None = None, note: str = ""
        ) -> Route:
            return Route(kind, question, lang, detected, chat_lang, search, note)

        if not analysed:
            return route("smalltalk", fallback, note="help")
        emoji = self.intents.emoji_only(analysed)
        if emoji:
            return route("smalltalk", fallback, note=emoji)
        small = self.intents.smalltalk(analysed)
        if small:
            kind, small_lang = small
            reply_lang = chat_lang or (detected if detected in LANGUAGES else small_lang)
            return route("smalltalk", reply_lang, note=kind)  # type: ignore[arg-type]
        if detected == "other":
            return route("other_language", fallback)
        person_lang = self.intents.asks_for_person(analysed)
        if person_lang:
            return route("asked_person", chat_lang or person_lang)  # type: ignore[arg-type]
        if not self.indexes[lang].analyzer.query_terms(analysed):
            # "hoeveel?", "mag dat?": a follow-up that names nothing. Each message is read on
            # its own, so the person is asked for the subject instead of staff getting it.
            return route("smalltalk", lang, note="no_subject")
        search = self._search(analysed, lang, detected is None, fallback, today)
        return route("search", search.lang, search)

    def reply(self, route: Route, today: date, thresholds: Thresholds | None = None) -> Reply:
        reply = self._decide(route, today, thresholds)
        if route.hint and route.chat_lang is not None and reply.action != "answer":
            # An answer places the line itself (above its sources); other replies end with it.
            hint = self.language_hint(reply.language, route.chat_lang)
            reply = replace(reply, text=f"{reply.text}\n\n{hint}")
        return reply

    def language_hint(self, lang: Language, chat_lang: Language) -> str:
        """One line, in the reply's language, on how to switch this chat to it."""
        other: Language = "fr" if chat_lang == "nl" else "nl"
        return self.renderer.message(lang, "language_hint", chat_language=chat_lang, other=other)

    def _decide(self, route: Route, today: date, thresholds: Thresholds | None) -> Reply:
        question, detected = route.question, route.detected
        if route.kind == "smalltalk":
            return self._smalltalk(question, route.lang, route.note, detected)
        if route.kind == "other_language":
            return self._escalate(
                question,
                route.lang,
                "other_language",
                None,
                detected,
                "the message is not in Dutch or French",
            )
        if route.kind == "asked_person":
            return self._escalate(
                question,
                route.lang,
                "asked_person",
                None,
                detected,
                "the person asked for a staff member",
            )
        search = route.search
        assert search is not None  # a "search" route always carries its search
        action, reason = decide(search.signals, thresholds or self.thresholds)
        hub = self.hub_for(search, action, today, thresholds)
        if hub is not None:
            return self._answer(
                question, hub, today, search, detected,
                f"{reason}; a broad question: answered with the overview {hub.id}", route,
            )
        if action == "escalate":
            return self._escalate(question, search.lang, "no_match", search, detected, reason)
        if action == "clarify":
            return self._clarify(question, search, detected, reason)
        best = search.ranked[0].entry
        if not best.is_fresh(today):
            return self._escalate(
                question,
                search.lang,
                "stale",
                search,
                detected,
                f"{best.id} is past its review date {best.review_by}",
            )
        if best.escalate:
            return self._escalate(
                question,
                search.lang,
                "flagged",
                search,
                detected,
                f"{best.id} is marked: always a staff member",
                today=today,
            )
        return self._answer(question, best, today, search, detected, reason, route)

    def hub_for(
        self, search: Search, action: str, today: date, thresholds: Thresholds | None = None
    ) -> Entry | None:
        """The hub entry that answers this search instead (see `hub_for`), if any: only a
        fresh one that is not marked for staff."""
        if action not in ("answer", "clarify"):
            return None
        if search.generic:
            root = self.kb.entries.get(f"{ROOT_HUB}.{search.lang}")
            if root is not None and root.is_fresh(today) and not root.escalate:
                return root
        band = (thresholds or self.thresholds).clarify_band
        hub = hub_for(search, self._hubs[search.lang], band, action == "clarify")
        return hub if hub is not None and hub.is_fresh(today) and not hub.escalate else None

    # ---------------------------------------------------------------- other doors
    def answer_entry(self, entry_id: str, *, today: date) -> Reply:
        """The answer for an entry chosen by a button (clarify, alternatives, topics)."""
        return with_offer(self._answer_entry(entry_id, today=today))

    def _answer_entry(self, entry_id: str, *, today: date) -> Reply:
        entry = self.kb.entries[entry_id]
        if not entry.is_fresh(today):
            return self._escalate(
                entry.question,
                entry.lang,
                "stale",
                None,
                entry.lang,
                f"{entry.id} is past its review date {entry.review_by}",
                entry=entry,
            )
        if entry.escalate:
            return self._escalate(
                entry.question,
                entry.lang,
                "flagged",
                None,
                entry.lang,
                f"{entry.id} is marked: always a staff member",
                today=today,
                entry=entry,
            )
        return self._answer(entry.question, entry, today, None, entry.lang, "chosen", None)

    def alternatives(
        self, question: str, *, lang: Language, exclude: str | None, today: date
    ) -> tuple[Candidate, ...]:
        search = self.indexes[lang].search(question, today, self.thresholds.clarify_band)
        return self._candidates(search, exclude=exclude)

    def topics(self, lang: Language) -> list[tuple[str, str]]:
        return [(t, TOPIC_TITLES[t][lang]) for t in TOPICS if self.entries_in_topic(t, lang)]

    def entries_in_topic(self, topic: str, lang: Language) -> list[Entry]:
        return [e for e in self.kb.by_lang(lang) if e.topic == topic and e.kind == "faq"]

    def article(self, topic: str, lang: Language, *, today: date) -> Reply | None:
        entry = self.kb.entries.get(f"article.{topic}.{lang}")
        return self.answer_entry(entry.id, today=today) if entry else None

    def detect_language(self, text: str) -> str:
        return self.guesser.guess(text) or "other"

    def message(self, lang: str, name: str, **context: object) -> str:  # nl, fr or staff
        return self.renderer.message(lang, name, **context)

    # ---------------------------------------------------------------- internals
    def _search(
        self, text: str, lang: Language, ambiguous: bool, preferred: Language, today: date
    ) -> Search:
        band = self.thresholds.clarify_band
        search = self.indexes[lang].search(text, today, band)
        if not ambiguous:
            return search
        # The message could be either language ("forfait plafond"): keep the index that
        # understands more of it, the chat's language on a tie.
        other = self.indexes["fr" if lang == "nl" else "nl"].search(text, today, band)
        searches = (search, other)
        if search.ranked and other.ranked and (
            search.ranked[0].entry.pair == other.ranked[0].entry.pair
        ):
            # Both read it as the same question (a message mixing the two languages): answer
            # in the chat's language.
            return search if search.lang == preferred else other
        key = lambda s: (s.signals.coverage, s.lang == preferred, s.strength)  # noqa: E731
        return max(searches, key=key)

    def _candidates(
        self, search: Search | None, exclude: str | None = None
    ) -> tuple[Candidate, ...]:
        if search is None:
            return ()
        best = search.ranked[0].score if search.ranked else 0.0
        out = []
        for ranked in search.ranked:
            if ranked.entry.id == exclude or ranked.entry.kind != "faq":
                continue
            out.append(
                Candidate(
                    ranked.entry.id,
                    ranked.entry.question,
                    round(search.strength * ranked.score / best, 3) if best else 0.0,
                )
            )
            if len(out) == MAX_CANDIDATES:
                break
        return tuple(out)

    def _answer(
        self,
        question: str,
        entry: Entry,
        today: date,
        search: Search | None,
        detected: str | None,
        reason: str,
        route: Route | None,
    ) -> Reply:
        related = tuple(
            Candidate(rel.id, rel.question, 1.0)
            for pair in entry.related
            if (rel := self.kb.entries.get(f"{pair}.{entry.lang}")) is not None
        )
        alternatives = () if related else self._close_alternatives(search, entry)
        body, used = self.renderer.entry_body(entry, today)
        hint = ""
        if route is not None and route.hint and route.chat_lang is not None:
            hint = self.language_hint(entry.lang, route.chat_lang)
        figures = tuple(_figure_use(fv, entry.lang) for fv in used)
        periods = list(dict.fromkeys(f.period for f in figures if f.known))
        sources = _unique_sources((*entry.sources, *(f.source for f in figures if f.source)))
        text = self.renderer.message(
            entry.lang,
            "answer",
            answers=entry.question,
            body=body,
            periods=periods,
            sources=sources,
            missing=any(not f.known and not f.pending for f in figures),
            pending=[f for f in figures if f.pending],
            today=today,
            language_hint=Markup(hint),  # rendered HTML, like the body
            alternatives=bool(alternatives),
        )
        return Reply(
            question=question,
            language=entry.lang,
            action="answer",
            text=text,
            entry_id=entry.id,
            score=round(search.strength, 3) if search else 1.0,
            sources=sources,
            candidates=self._candidates(search, exclude=entry.id),
            related=related or alternatives,
            alternatives=bool(alternatives),
            figures=figures,
            reason=reason,
            topic=entry.topic,
            detected_language=detected or "",
            escalation_summary="",
            revision=entry.revision,
        )

    def _close_alternatives(
        self, search: Search | None, chosen: Entry
    ) -> tuple[Candidate, ...]:
        """Entries nearly as close as the chosen one: real questions are often broader or
        worded otherwise than the entries, and the right entry is then usually second or
        third. One tap on its button is cheaper than asking again in other words."""
        if search is None:
            return ()
        best = next((r.score for r in search.ranked if r.entry.id == chosen.id), 0.0)
        close = tuple(
            Candidate(r.entry.id, r.entry.question, round(r.score / best, 3))
            for r in search.ranked
            if best and r.entry.id != chosen.id and r.entry.kind == "faq"
            and r.score >= ALTERNATIVE_SHARE * best
        )
        return close[:MAX_ALTERNATIVES]

    def _clarify(self, question: str, search: Search, detected: str | None, reason: str) -> Reply:
        candidates = self._candidates(search)
        text = self.renderer.message(search.lang, "clarify", candidates=candidates)
        return Reply(
            question=question,
            language=search.lang,
            action="clarify",
            text=text,
            score=round(search.strength, 3),
            candidates=candidates,
            reason=reason,
            topic=search.ranked[0].entry.topic,
            detected_language=detected or "",
            escalation_summary=self._summary(question, search.lang, search),
        )

    def _escalate(
        self,
        question: str,
        lang: Language,
        why: str,
        search: Search | None,
        detected: str | None,
        reason: str,
        today: date | None = None,
        entry: Entry | None = None,
    ) -> Reply:
        """Escalate; for "flagged" and "stale", `entry` (or the best match) is the entry
        that recognised the question."""
        body = ""
        sources: tuple[Source, ...] = ()
        if entry is None and why in ("flagged", "stale") and search is not None:
            entry = search.ranked[0].entry
        if why == "flagged" and entry is not None and today is not None:
            body, _ = self.renderer.entry_body(entry, today)
            sources = entry.sources
        text = self.renderer.message(lang, "escalate", reason=why, body=body)
        return Reply(
            question=question,
            language=lang,
            action="escalate",
            text=text,
            entry_id=entry.id if entry is not None else None,
            score=round(search.strength, 3) if search else 0.0,
            sources=sources,
            candidates=self._candidates(search),
            reason=reason,
            topic=entry.topic
            if entry
            else (search.ranked[0].entry.topic if search and search.ranked else None),
            detected_language=detected or "",
            escalation_summary=self._summary(question, lang, search),
        )

    def _smalltalk(self, question: str, lang: Language, kind: str, detected: str | None) -> Reply:
        text = self.renderer.message(lang, "smalltalk", kind=kind)
        return Reply(
            question=question,
            language=lang,
            action="smalltalk",
            text=text,
            reason=f"smalltalk: {kind}",
            detected_language=detected or "",
        )

    def _summary(self, question: str, lang: Language, search: Search | None) -> str:
        lines = [f"Question ({lang}): {question}"]
        for c in self._candidates(search):
            lines.append(f"- {c.entry_id} ({c.score:.2f}): {c.question}")
        return "\n".join(lines)


def hub_for(
    search: Search, hubs: list[Entry], band: float, ambiguous: bool
) -> Entry | None:
    """The overview to answer with instead of one narrow entry or a menu of them.

    A broad question ("ben ik verzekerd?") comes close to several specific entries; people
    expect a short overview that covers the main cases, with the specific entries as
    buttons. A hub entry (one with `related`) answers when it is the closest entry; and when
    the question is ambiguous between specific entries that one hub leads to (within the
    clarify band of the best), that hub answers instead of a menu. A hub that is merely close
    does not displace a specific entry that ranks first: "hoeveel mag ik per dag krijgen"
    wants the day ceiling, not the allowances overview.
    """
    faq = [r for r in search.ranked if r.entry.kind == "faq"]
    if not faq:
        return None
    best = faq[0].score
    close = [r.entry for r in faq[:MAX_CANDIDATES] if r.score >= band * best]
    if close[0].related:
        return close[0]
    if not ambiguous:
        return None
    for hub in hubs:
        if sum(e.pair in hub.related for e in close) >= 2 and close[0].pair in hub.related:
            return hub
    return None


def _figure_use(fv: FigureValue, lang: str) -> FigureUse:
    if fv.pending and fv.last is not None and fv.figure is not None:
        return FigureUse(
            fv.name,
            fv.coming_label(lang),
            False,
            fv.last.source,
            pending=True,
            label=fv.figure.name_in(lang),
            last_period=fv.last.label(lang),
            changes=fv.figure.changes,
            check=fv.figure.where_to_check(),
        )
    period = fv.period.label(lang) if fv.period else fv.day.isoformat()
    return FigureUse(fv.name, period, fv.known, fv.period.source if fv.period else None)


def _unique_sources(sources: tuple[Source | None, ...]) -> tuple[Source, ...]:
    seen: dict[tuple[str, str | None], Source] = {}
    for source in sources:
        if source is not None:
            seen.setdefault((source.title, source.url), source)
    return tuple(seen.values())


def load_assistant(
    knowledge_dir: Path | None = None,
    *,
    today: date,
    centre: Centre | None = None,
    default_language: Language = "nl",
) -> Assistant:
    """Load and validate the knowledge base, build the indexes. Raises KnowledgeBaseError."""
    kb = load_knowledge_base(knowledge_dir or default_root(), today=today)
    return Assistant(kb, centre=centre, default_language=default_language)


def plain_text(reply: Reply) -> str:
    return to_plain(reply.text)


def with_offer(reply: Reply) -> Reply:
    """The reply with the guided check it calls for, if any. Smalltalk never gets one; an
    escalation only the allowance check (an insurance question that needs a person still
    goes to staff)."""
    if reply.action == "smalltalk":
        return reply
    amounts = looks_like_allowance_question(reply.question)
    if amounts is not False:
        per_day = amounts if isinstance(amounts, Decimal) else None
        return replace(reply, offer=Offer("allowance", per_day))
    if reply.action != "escalate" and looks_like_insurance_duty_question(reply.question):
        return replace(reply, offer=Offer("insurance"))
    return reply
