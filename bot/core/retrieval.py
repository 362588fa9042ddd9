"""BM25 with rank-bm25 as the reference and a fast exact path.

rank-bm25's `get_scores` walks every document in Python for every query term. We build the
same BM25Okapi (same k1, b and length normalisation) and then precompute each term's
contribution per document once, as sparse postings. A query only sums a few postings;
`tests/core/test_retrieval.py` shows the scores equal `get_scores`.

One change to rank-bm25: the idf. BM25Okapi gives a term in more than half of the documents
a floor of 0.25 x the average idf – more than a term in exactly half gets (0) – so words that
are everywhere in our base ("vrijwilliger", "volontaire") outweighed informative ones
(retrieval notes 1.4). We use Lucene's idf, log(1 + (N - n + 0.5) / (n + 0.5)): never
negative, and rarer always weighs more.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from rank_bm25 import BM25Okapi

K1, B = 1.5, 0.75
# How much a word the base never uses weighs in coverage, as a share of the rarest known
# word's idf. Full weight made story-like questions ("mijn buurman vraagt of ik zijn hond ...")
# look uncovered; out-of-scope subjects are caught by knowledge/out-of-scope.yaml instead.
UNKNOWN_WEIGHT = 1.0
# Per term: the documents holding it and their BM25 values for it (numpy arrays, aligned).
Postings = dict[str, tuple[np.ndarray, np.ndarray]]
WEIGHT_QUESTION, WEIGHT_VARIANT, WEIGHT_TAG, WEIGHT_TOPIC, WEIGHT_ANSWER = 3, 2, 2, 1, 1


@dataclass(frozen=True)
class Hit:
    doc: int
    score: float


class LuceneIdfBM25(BM25Okapi):  # type: ignore[misc]  # rank-bm25 ships no type hints
    """rank-bm25's BM25Okapi with Lucene's idf (see the module docstring)."""

    def _calc_idf(self, nd: dict[str, int]) -> None:
        for word, freq in nd.items():
            self.idf[word] = math.log(1 + (self.corpus_size - freq + 0.5) / (freq + 0.5))
        self.average_idf = sum(self.idf.values()) / len(self.idf) if self.idf else 0.0


class BM25Index:
    def __init__(self, documents: Sequence[Sequence[str]]) -> None:
        self.size = len(documents)
        self.reference = LuceneIdfBM25([list(d) for d in documents], k1=K1, b=B)
        ref = self.reference
        lengths = np.asarray(ref.doc_len, dtype=float)
        norm = K1 * (1 - B + B * lengths / ref.avgdl)
        postings: dict[str, tuple[list[int], list[float]]] = {}
        for doc, freqs in enumerate(ref.doc_freqs):
            for term, tf in freqs.items():
                docs, values = postings.setdefault(term, ([], []))
                docs.append(doc)
                values.append(ref.idf[term] * tf * (K1 + 1) / (tf + norm[doc]))
        self._postings = {
            t: (np.asarray(d, dtype=np.int32), np.asarray(v)) for t, (d, v) in postings.items()
        }
        self._best = {t: float(v.max()) for t, (_, v) in self._postings.items()}
        self._doc_terms = [frozenset(freqs) for freqs in ref.doc_freqs]
        # Lucene's idf (never negative) for coverage: how much of the query's information a
        # document holds. A term the base never uses weighs as the rarest possible term.
        df: dict[str, int] = {t: len(d) for t, (d, _) in self._postings.items()}
        self._lucene_idf = {
            t: math.log(1 + (self.size - n + 0.5) / (n + 0.5)) for t, n in df.items()
        }
        self.unknown_idf = UNKNOWN_WEIGHT * math.log(1 + (self.size + 0.5) / 0.5)

    def scores(self, query: Sequence[str]) -> np.ndarray:
        """Exactly rank-bm25's get_scores (query terms counted with repetition), fast."""
        return summed(self._postings, self.size, query)

    def reference_scores(self, query: Sequence[str]) -> np.ndarray:
        scores: np.ndarray = self.reference.get_scores(list(query))
        return scores

    def best_possible(self, query: Sequence[str]) -> float:
        """The highest score any document could reach for this query (each term's best)."""
        return sum(self._best.get(term, 0.0) for term in query)

    def top(self, query: Sequence[str], k: int, scores: np.ndarray | None = None) -> list[Hit]:
        if scores is None:
            scores = self.scores(query)
        idx = np.argpartition(-scores, k)[:k] if k < self.size else np.arange(self.size)
        order = sorted(idx, key=lambda i: (-scores[i], i))
        return [Hit(int(i), float(scores[i])) for i in order if scores[i] > 0]

    def idf(self, term: str) -> float:
        return self._lucene_idf.get(term, self.unknown_idf)

    def knows(self, term: str) -> bool:
        """Whether any document (entry or out-of-scope subject) uses the term."""
        return term in self._lucene_idf

    def has(self, doc: int, term: str) -> bool:
        return term in self._doc_terms[doc]


class Alongside:
    """Documents scored with another index's statistics (idf, average length) without adding
    to them. Each out-of-scope subject as a whole – all its phrasings in one document, like an
    entry with its variants – is scored this way: it meets a question whose words are spread
    over two phrasings (a student contract and a notice period), while the entries' ranking
    stays what the index alone gives (a second copy of every subject word in the index moved
    in-scope questions to neighbouring entries).
    """

    def __init__(self, index: BM25Index, documents: Sequence[Sequence[str]]) -> None:
        self.size = len(documents)
        avgdl = index.reference.avgdl
        postings: dict[str, tuple[list[int], list[float]]] = {}
        for doc, terms in enumerate(documents):
            norm = K1 * (1 - B + B * len(terms) / avgdl)
            for term, tf in Counter(terms).items():
                docs, values = postings.setdefault(term, ([], []))
                docs.append(doc)
                values.append(index.idf(term) * tf * (K1 + 1) / (tf + norm))
        self._postings = {
            t: (np.asarray(d, dtype=np.int32), np.asarray(v)) for t, (d, v) in postings.items()
        }

    def scores(self, query: Sequence[str]) -> np.ndarray:
        """BM25 of each document (query terms counted with repetition, as in BM25Index)."""
        return summed(self._postings, self.size, query)


def summed(postings: Postings, size: int, query: Sequence[str]) -> np.ndarray:
    """Each document's sum of its precomputed per-term BM25 values over the query's terms."""
    scores = np.zeros(size)
    for term in query:
        posting = postings.get(term)
        if posting is not None:
            scores[posting[0]] += posting[1]
    return scores
