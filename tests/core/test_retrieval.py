"""The fast BM25 path ranks exactly as rank-bm25's own get_scores does."""

import numpy as np
import pytest

from bot.commands.bench import synthetic
from bot.core.assistant import Assistant
from bot.core.retrieval import BM25Index


def _assert_same(index: BM25Index, queries) -> None:
    for query in queries:
        fast, ref = index.scores(query), index.reference_scores(query)
        np.testing.assert_allclose(fast, ref, rtol=1e-9, atol=1e-12)
        assert list(np.argsort(-fast, kind="stable")) == list(np.argsort(-ref, kind="stable"))


def test_fast_scores_equal_rank_bm25_on_a_small_corpus():
    docs = [["a", "b", "b"], ["b", "c"], ["c", "d", "d", "d"], ["a"], ["e"]]
    _assert_same(BM25Index(docs), [["a"], ["b", "b"], ["d", "a", "x"], ["x"], []])


@pytest.mark.parametrize("factor", [1, 10])
def test_fast_scores_equal_rank_bm25_on_the_knowledge_base(mini, factor):
    """On the base and on a 10x synthetic base, every query scores identically."""
    assistant = mini if factor == 1 else Assistant(synthetic(mini.kb, factor),
                                                   validate_templates=False)
    for lang, index in assistant.indexes.items():
        questions = [v for e in assistant.kb.by_lang(lang) for v in (e.question, *e.variants)]
        _assert_same(index.index, [index.analyzer.query_terms(q) for q in questions[:200]])


def test_best_possible_score_bounds_every_document():
    index = BM25Index([["a", "b"], ["a", "a", "c"], ["b", "c", "c"], ["d"]])
    for query in (["a"], ["a", "c"], ["b", "c", "x"]):
        assert index.scores(query).max() <= index.best_possible(query) + 1e-12
