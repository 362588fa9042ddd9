"""An entry's `corrections:` (what changed, since when) is loaded strictly, and an entry's
revision names the version of it an answer came from."""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from bot.core.assistant import load_assistant
from bot.core.errors import KnowledgeBaseError
from bot.core.model import Correction

MINI = Path(__file__).resolve().parents[1] / "data" / "kb-mini"
NL, FR = "faq/allowances.nl.yaml", "faq/allowances.fr.yaml"
ANCHOR = "  reviewed: 2026-11-24\n  review_by: 2027-06-30\n"
CORRECTION = (
    "  corrections:\n"
    "    - date: 2026-11-20\n"
    "      nl: Het dagplafond is geïndexeerd.\n"
    "      fr: Le plafond journalier a été indexé.\n"
)


@pytest.fixture
def kb(tmp_path: Path) -> Path:
    root = tmp_path / "kb"
    shutil.copytree(MINI, root)
    return root


def add(root: Path, name: str, block: str) -> None:
    """Add `block` to the first entry of the file (allowances.ceiling)."""
    path = root / name
    text = path.read_text(encoding="utf-8")
    assert ANCHOR in text
    path.write_text(text.replace(ANCHOR, ANCHOR + block, 1), encoding="utf-8")


def problems(root: Path, today: date) -> list[str]:
    with pytest.raises(KnowledgeBaseError) as caught:
        load_assistant(root, today=today)
    return [str(p) for p in caught.value.problems]


def test_a_correction_in_both_files_is_loaded_with_both_texts(kb, today):
    """The same correction on both entries of a pair loads, with its date and both texts."""
    add(kb, NL, CORRECTION)
    add(kb, FR, CORRECTION)
    entries = load_assistant(kb, today=today).kb.entries
    expected = Correction(
        date(2026, 11, 20), "Het dagplafond is geïndexeerd.", "Le plafond journalier a été indexé."
    )
    assert entries["allowances.ceiling.nl"].corrections == (expected,)
    assert entries["allowances.ceiling.fr"].corrections == (expected,)
    assert entries["allowances.km.nl"].corrections == ()


def test_a_correction_on_one_language_only_is_bilingual_drift(kb, today):
    add(kb, NL, CORRECTION)
    found = problems(kb, today)
    drift = f"{NL}:1 allowances.ceiling.nl: bilingual drift: 'corrections'"
    assert any(p.startswith(drift) for p in found), found


@pytest.mark.parametrize(
    ("block", "problem"),
    [
        ("  corrections: yes-please\n", "'corrections' must be a list of {date, nl, fr}"),
        (
            "  corrections:\n    - date: 2026-11-20\n      nl: Veranderd.\n",
            "correction 1 is missing 'fr'",
        ),
        (
            "  corrections:\n    - date: 2026-11-20\n      nl: Veranderd.\n      fr: Changé.\n"
            "      en: Changed.\n",
            "correction 1 has an unknown field 'en' (only date, nl, fr)",
        ),
        (
            "  corrections:\n    - date: 20 november\n      nl: Veranderd.\n      fr: Changé.\n",
            "correction 1: 'date' must be a date like 2026-11-24 (got '20 november')",
        ),
        (
            "  corrections:\n    - date: 2026-11-20\n      nl: ''\n      fr: Changé.\n",
            "correction 1: 'nl' must be non-empty text (got '')",
        ),
        (
            "  corrections:\n    - date: 2026-12-01\n      nl: Veranderd.\n      fr: Changé.\n",
            "correction 1 is dated 2026-12-01, after 'reviewed' (2026-11-24): set 'reviewed' to "
            "the day you corrected the entry",
        ),
        (
            "  corrections:\n    - date: 2026-11-20\n      nl: A.\n      fr: A.\n"
            "    - date: 2026-11-20\n      nl: B.\n      fr: B.\n",
            "correction 2: two corrections on 2026-11-20; write them as one",
        ),
        (
            "  corrections:\n    - date: 2026-11-20\n      nl: " + "lang " * 90 + "\n"
            "      fr: Changé.\n",
            "correction 1: 'nl' is 449 characters; keep it under 400 (the current answer "
            "follows it)",
        ),
    ],
)
def test_a_bad_correction_is_refused_with_file_line_entry_and_problem(kb, today, block, problem):
    add(kb, NL, block)
    add(kb, FR, block)
    assert f"{NL}:1 allowances.ceiling.nl: {problem}" in problems(kb, today)


def test_the_revision_is_the_review_date_and_changes_with_what_a_reader_sees(mini):
    """Revisions start with the review date (so they sort by it) and change with the answer,
    the question or the sources, but not with the variants used to find the entry."""
    entry = mini.kb.entries["allowances.ceiling.nl"]
    assert entry.revision.startswith("2026-11-24.")
    assert len(entry.revision) == len("2026-11-24.") + 8
    assert entry.revision == replace(entry, variants=("iets anders",)).revision
    assert entry.revision != replace(entry, answer=entry.answer + " Meer.").revision
    assert entry.revision != replace(entry, question="Een andere vraag?").revision
    assert entry.revision != replace(entry, sources=entry.sources[:0]).revision
    later = replace(entry, reviewed=date(2026, 12, 1))
    assert later.revision.startswith("2026-12-01.") and later.revision > entry.revision


def test_an_answer_carries_the_revision_of_its_entry(mini, today):
    """What the bot records for corrections comes with the reply itself."""
    reply = mini.answer_entry("allowances.ceiling.nl", today=today)
    assert reply.revision == mini.kb.entries["allowances.ceiling.nl"].revision
    assert mini.ask("hoeveel mag ik per dag krijgen als vrijwilliger", today=today).revision == (
        reply.revision
    )
