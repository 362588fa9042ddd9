"""Both languages of a pair say the same thing, at least mechanically: same numbers, form
codes, figure names and official sources (tests/bilingual_drift.py), or a listed reason."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import yaml

from bot.core.knowledge import load_knowledge_base
from tests.bilingual_drift import Difference, differences

ROOT = Path(__file__).resolve().parents[1]
KNOWN_FILE = ROOT / "tests" / "data" / "bilingual-drift-known.yaml"
TODAY = date(2026, 12, 2)


def _known() -> dict[tuple[str, str, str, str], str]:
    rows = yaml.safe_load(KNOWN_FILE.read_text(encoding="utf-8")) or []
    known = {}
    for row in rows:
        assert row.get("reason"), f"known difference without a reason: {row}"
        known[(row["pair"], row["kind"], str(row["value"]), row["only_in"])] = row["reason"]
    return known


def _key(d: Difference) -> tuple[str, str, str, str]:
    return (d.pair, d.kind, d.value, d.only_in)


def test_every_pair_carries_the_same_numbers_forms_figures_and_official_sources():
    kb = load_knowledge_base(ROOT, today=TODAY)
    known = _known()
    unexplained = [str(d) for d in differences(kb.entries.values()) if _key(d) not in known]
    assert not unexplained, "Dutch/French drift (fix it, or list it with a reason in "
    f"{KNOWN_FILE.name}):\n" + "\n".join(unexplained)


def test_the_list_of_known_differences_has_no_stale_rows():
    kb = load_knowledge_base(ROOT, today=TODAY)
    found = {_key(d) for d in differences(kb.entries.values())}
    stale = [k for k in _known() if k not in found]
    assert not stale, f"no longer different, remove from {KNOWN_FILE.name}: {stale}"


def test_a_deliberately_drifted_copy_is_caught(tmp_path):
    """Change a form code, an amount, an article number and drop an official source in one
    language only: each is reported."""
    root = tmp_path / "kb"
    shutil.copytree(ROOT / "faq", root / "faq")
    shutil.copytree(ROOT / "knowledge", root / "knowledge")
    path = root / "faq" / "benefits-and-status.fr.yaml"
    text = path.read_text(encoding="utf-8")
    assert "<b>C45B</b> auprès de votre organisme de paiement" in text
    text = text.replace(
        "<b>C45B</b> auprès de votre organisme de paiement",
        "<b>C45F</b> auprès de votre organisme de paiement, dans les 12 jours",
    )
    path.write_text(text, encoding="utf-8")
    path = root / "faq" / "confidentiality.nl.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace(
        "Artikel 458 van het Strafwetboek geldt", "Artikel 459 van het Strafwetboek"
    )
    path.write_text(text, encoding="utf-8")
    kb = load_knowledge_base(root, today=TODAY)
    found = {str(d) for d in differences(kb.entries.values())}
    pair = "benefits-and-status.early-retirement-swt"
    assert f"{pair}: form 'C45F' only in fr" in found
    assert f"{pair}: form 'C45B' only in nl" in found
    assert f"{pair}: number '12' only in fr" in found
    assert "confidentiality.when-bound-458: number '459' only in nl" in found


def test_a_dropped_official_source_is_caught(tmp_path):
    root = tmp_path / "kb"
    shutil.copytree(ROOT / "faq", root / "faq")
    shutil.copytree(ROOT / "knowledge", root / "knowledge")
    path = root / "faq" / "benefits-and-status.nl.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace(
        "url: https://www.rva.be/nl/documentatie/infoblad/e39", "url: https://example.org/e39"
    )
    path.write_text(text, encoding="utf-8")
    kb = load_knowledge_base(root, today=TODAY)
    found = {str(d) for d in differences(kb.entries.values())}
    assert "benefits-and-status.early-retirement-swt: url 'rva.be' only in fr" in found
