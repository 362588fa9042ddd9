"""The assistant keeps the accuracy it has reached: measured figures are floors."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from bot.core.text.normalise import tokens
from bot.evaluation import evaluate, load_items

EVAL = Path(__file__).resolve().parent / "eval"
FLOORS = yaml.safe_load((EVAL / "floors.yaml").read_text(encoding="utf-8"))
EVAL_DAY = date(2026, 11, 24)


@pytest.fixture(scope="module")
def report(assistant_on_eval_day):
    items = load_items(EVAL, assistant_on_eval_day.kb.entries)
    return evaluate(assistant_on_eval_day, items, EVAL_DAY)


@pytest.fixture(scope="module")
def assistant_on_eval_day():
    from bot.core.assistant import load_assistant

    return load_assistant(EVAL.parents[1], today=EVAL_DAY)


def test_the_evaluation_set_is_large_and_varied(assistant_on_eval_day):
    items = load_items(EVAL, assistant_on_eval_day.kb.entries)
    kinds = [i.kind for i in items]
    assert len(items) >= 300
    assert kinds.count("out_of_scope") >= 60
    for lang in ("nl", "fr"):
        assert sum(1 for i in items if i.lang == lang) >= 130


def test_no_evaluation_question_copies_an_entry(assistant_on_eval_day):
    """Evaluation questions are written fresh, never an entry's own question or variant."""
    phrasings = {
        " ".join(tokens(text))
        for entry in assistant_on_eval_day.kb.entries.values()
        for text in (entry.question, *entry.variants)
    }
    items = load_items(EVAL, assistant_on_eval_day.kb.entries)
    copied = [i.question for i in items if " ".join(tokens(i.question)) in phrasings]
    assert copied == []


@pytest.mark.parametrize("lang", ["nl", "fr"])
def test_accuracy_stays_above_its_floors(report, lang):
    metrics = report.subset(lang).metrics()
    floors = FLOORS[lang]
    assert metrics["top1"] >= floors["top1"], report.subset(lang).failures()[:10]
    assert metrics["mrr3"] >= floors["mrr3"]
    assert metrics["in_scope_escalated"] <= floors["max_in_scope_escalated"]
    assert metrics["out_of_scope_escalated"] >= floors["out_of_scope_escalated"]
