"""An entry is served up to and including its review_by date, and only while it is valid."""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import date
from pathlib import Path

from bot.core.assistant import load_assistant
from bot.core.model import Entry

MINI = Path(__file__).resolve().parents[1] / "data" / "kb-mini"
QUESTION = "hoeveel mag ik per dag krijgen"
ENTRY = Entry(
    id="x.nl", lang="nl", pair="x", topic="allowances", question="X?", variants=(),
    answer="a", sources=(), reviewed=date(2026, 1, 1), review_by=date(2026, 12, 15),
)


def test_an_entry_is_fresh_on_its_review_date_and_stale_the_day_after():
    assert ENTRY.is_fresh(date(2026, 12, 15))
    assert not ENTRY.is_fresh(date(2026, 12, 16))


def test_validity_starts_on_valid_from_and_ends_after_valid_until():
    entry = replace(ENTRY, valid_from=date(2026, 3, 1), valid_until=date(2026, 6, 30))
    assert not entry.is_valid_on(date(2026, 2, 28))
    assert entry.is_valid_on(date(2026, 3, 1)) and entry.is_valid_on(date(2026, 6, 30))
    assert not entry.is_valid_on(date(2026, 7, 1))
    assert ENTRY.is_valid_on(date(1990, 1, 1))  # no bounds: always valid


def test_the_assistant_answers_on_the_review_date_and_escalates_the_day_after(tmp_path):
    root = tmp_path / "kb"
    shutil.copytree(MINI, root)
    nl = root / "faq" / "allowances.nl.yaml"
    nl.write_text(nl.read_text().replace("review_by: 2027-06-30", "review_by: 2026-12-15", 1))
    on_the_day = load_assistant(root, today=date(2026, 12, 15))
    served = on_the_day.ask(QUESTION, today=date(2026, 12, 15))
    assert (served.action, served.entry_id) == ("answer", "allowances.ceiling.nl")
    assert on_the_day.ask(QUESTION, today=date(2026, 12, 16)).action == "escalate"
