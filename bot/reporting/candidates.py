"""Escalated questions that matched no entry, grouped by the key terms they share: each group
is a candidate for a new knowledge-base entry, with how often it was asked.

Key terms come from the project's own text analysis (bot/core/text): folded tokens, the
stopword lists, Snowball stems, so "vergoeding", "vergoedingen" and "Vergoeding" are one term.
Grouping is greedy and explainable: the term most questions share forms a group with every
question that contains it; the other terms most of that group shares join its label; repeat
with the questions left. Words every volunteering question contains ("vrijwilliger",
"bénévole") say nothing about the subject and never form a group.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from bot.core.text.analyzer import load_word_list
from bot.core.text.normalise import tokens
from bot.core.text.stemming import SnowballStemmer

MIN_GROUP = 2  # a term shared by fewer questions is no pattern
LABEL_SHARE = 0.6  # another term joins the label when this share of the group has it
MAX_LABEL_TERMS = 3
MAX_EXAMPLES = 3
MAX_SINGLES = 10  # questions that share nothing with another, listed after the groups
GENERIC = {
    "nl": ("vrijwilliger", "vrijwilligers", "vrijwilligerswerk", "vraag", "vragen", "hallo",
           "dag", "goedendag", "bedankt", "alvast", "weten", "vzw",
           # what people add to be reached, once their details are replaced
           "bel", "mail", "groetjes", "groeten"),
    "fr": ("benevole", "benevoles", "volontaire", "volontaires", "volontariat", "benevolat",
           "question", "bonjour", "merci", "savoir", "asbl",
           "moi", "contactez", "contacter", "appelez", "cordialement"),
}
# Words the anonymiser put in place of personal details (folded, as tokens() returns them).
_PLACEHOLDER_WORDS = frozenset(
    {"naam", "nom", "getal", "nombre", "mail", "telefoon", "telephone", "link", "lien"}
)


@dataclass(frozen=True)
class Question:
    language: str
    text: str  # already anonymised


@dataclass(frozen=True)
class Candidate:
    language: str
    terms: tuple[str, ...]  # readable words, most shared first; () for a single question
    count: int
    examples: tuple[str, ...]


class _Terms:
    def __init__(self, language: str) -> None:
        lang = language if language in GENERIC else "nl"
        self.stemmer = SnowballStemmer(lang)
        self.stopwords = load_word_list(f"stopwords.{lang}.txt")
        self.generic = {self.stemmer.stem(w) for w in GENERIC[lang]}

    def of(self, text: str) -> dict[str, str]:
        """stem -> the first word it came from, for the key words of one question."""
        found: dict[str, str] = {}
        for word in tokens(text):
            if len(word) <= 2 or word[0].isdigit() or word in self.stopwords:
                continue
            if word in _PLACEHOLDER_WORDS:
                continue
            stem = self.stemmer.stem(word)
            if stem not in self.generic:
                found.setdefault(stem, word)
        return found


@cache
def _terms(language: str) -> _Terms:
    return _Terms(language)


def group_candidates(questions: Iterable[Question]) -> list[Candidate]:
    """Groups per language, largest first, then single questions (at most MAX_SINGLES)."""
    by_language: dict[str, list[Question]] = {}
    for question in questions:
        by_language.setdefault(question.language, []).append(question)
    groups: list[Candidate] = []
    singles: list[Candidate] = []
    for language in sorted(by_language):
        found, alone = _group(by_language[language], _terms(language))
        groups.extend(found)
        singles.extend(alone)
    groups.sort(key=lambda c: (-c.count, c.language, c.terms))
    return groups + singles[:MAX_SINGLES]


def _group(questions: list[Question], analysis: _Terms) -> tuple[list[Candidate], list[Candidate]]:
    terms = [analysis.of(q.text) for q in questions]
    left = set(range(len(questions)))
    groups: list[Candidate] = []
    while left:
        df = Counter(stem for i in left for stem in terms[i])
        if not df:
            break
        best, count = min(df.items(), key=lambda kv: (-kv[1], kv[0]))
        if count < MIN_GROUP:
            break
        members = sorted(i for i in left if best in terms[i])
        shared = Counter(stem for i in members for stem in terms[i] if stem != best)
        label = [best, *[
            stem
            for stem, n in sorted(shared.items(), key=lambda kv: (-kv[1], kv[0]))
            if n >= LABEL_SHARE * len(members)
        ][: MAX_LABEL_TERMS - 1]]
        words = Counter(terms[i][stem] for i in members for stem in label if stem in terms[i])
        readable = tuple(
            max((w for w in words if analysis.stemmer.stem(w) == stem), key=lambda w: words[w])
            for stem in label
        )
        groups.append(
            Candidate(
                questions[members[0]].language,
                readable,
                len(members),
                tuple(dict.fromkeys(questions[i].text for i in members))[:MAX_EXAMPLES],
            )
        )
        left -= set(members)
    singles = [
        Candidate(questions[i].language, (), 1, (questions[i].text,)) for i in sorted(left)
    ]
    return groups, singles
