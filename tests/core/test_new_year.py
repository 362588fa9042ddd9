"""1 January 2027: the new year's amounts are not yet in figures.yaml. A handled event:
`check` warns a month ahead, and answers give the last confirmed amounts labelled as such."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from bot.core.assistant import load_assistant, plain_text
from bot.core.errors import KnowledgeBaseError
from bot.core.figures import load_figures
from bot.core.knowledge import load_knowledge_base

ROOT = Path(__file__).resolve().parents[2]
NEW_YEAR = date(2027, 1, 5)


@pytest.fixture(scope="module")
def real():
    return load_assistant(ROOT, today=date(2026, 12, 2))


def test_check_warns_a_month_ahead_about_every_figure_without_a_new_period():
    """On 2 December 2026 the load names each yearly figure that has nothing for 2027."""
    kb = load_knowledge_base(ROOT, today=date(2026, 12, 2))
    soon = [w for w in kb.warnings if "from 2027-01-01" in w]
    for name in (
        "allowance.per_day",
        "allowance.per_year",
        "allowance.raised_per_year",
        "transport.bicycle_per_km",
    ):
        assert any(f"'{name}'" in w for w in soon), name


def test_no_early_warning_more_than_30_days_ahead():
    kb = load_knowledge_base(ROOT, today=date(2026, 11, 30))
    assert not [w for w in kb.warnings if "from 2027-01-01" in w]


def test_dutch_amount_answer_in_the_new_year_says_not_confirmed_and_labels_the_old_year(real):
    reply = real.ask(
        "hoeveel forfaitaire onkostenvergoeding mag ik per dag krijgen", today=NEW_YEAR
    )
    text = plain_text(reply)
    assert reply.action == "answer" and reply.entry_id == "allowances.flat-rate-ceiling.nl"
    assert "De bedragen voor 2027 zijn nog niet bevestigd" in text
    assert "€ 44,02 (bedrag van 2026; voor 2027 nog niet bevestigd)" in text
    assert "spilindex" in text and "hogeraadvrijwilligers.belgium.be" in text
    assert "medewerker" in text
    assert "Geldig voor: 2026" not in text  # an old amount is never labelled as current
    assert "allowance.per_day" in reply.missing_figures


def test_french_amount_answer_in_the_new_year(real):
    reply = real.ask("plafond du défraiement forfaitaire par jour", today=NEW_YEAR, chat_lang="fr")
    text = plain_text(reply)
    assert reply.language == "fr"
    assert "Les montants pour 2027 ne sont pas encore confirmés" in text
    assert "44,02 € (montant de 2026 ; pour 2027, pas encore confirmé)" in text
    assert "indice-pivot" in text


def test_every_amount_answer_renders_on_new_years_day_without_a_bare_old_amount(real):
    """No entry shows 2026's day ceiling on 1/1/2027 without its label."""
    for entry in real.kb.entries.values():
        body, _ = real.renderer.entry_body(entry, date(2027, 1, 1))
        text = str(body)
        for amount in ("44,02", "1.760,83", "3.233,91"):
            for i in range(text.count(amount)):
                at = text.index(amount, text.index(amount) if i else 0)
                after = text[at : at + 60]
                assert "2026" in after, (entry.id, after)


def test_once_the_new_period_is_added_it_is_shown_as_current(tmp_path):
    """Updating is one edit in knowledge/figures.yaml: add the 2027 period."""
    root = _copy_kb(tmp_path)
    _add_2027(root / "knowledge" / "figures.yaml")
    assistant = load_assistant(root, today=NEW_YEAR)
    text = plain_text(
        assistant.ask("hoeveel forfaitaire onkostenvergoeding per dag", today=NEW_YEAR)
    )
    assert "€ 45,00" in text and "Geldig voor: 2027" in text
    assert "nog niet bevestigd" not in text


def test_a_gap_between_periods_is_an_error(tmp_path):
    path = tmp_path / "figures.yaml"
    text = (ROOT / "knowledge" / "figures.yaml").read_text(encoding="utf-8")
    text = text.replace(
        '- {from: 2026-01-01, until: 2026-12-31, value: "44.02"',
        '- {from: 2026-02-01, until: 2026-12-31, value: "44.02"',
    )
    path.write_text(text, encoding="utf-8")
    with pytest.raises(KnowledgeBaseError) as exc:
        load_figures(path)
    assert any("gap between 2025-12-31 and 2026-02-01" in p.problem for p in exc.value.problems)


def test_a_new_period_without_a_source_is_an_error(tmp_path):
    path = tmp_path / "figures.yaml"
    text = (ROOT / "knowledge" / "figures.yaml").read_text(encoding="utf-8")
    text = text.replace(
        'value: "44.02", source: securex-2026, confidence: medium}',
        'value: "44.02", source: securex-2026, confidence: medium}\n'
        '        - {from: 2027-01-01, until: 2027-12-31, value: "45.00"}',
    )
    path.write_text(text, encoding="utf-8")
    with pytest.raises(KnowledgeBaseError) as exc:
        load_figures(path)
    assert any("needs a source" in p.problem for p in exc.value.problems)


def _copy_kb(tmp_path: Path) -> Path:
    root = tmp_path / "kb"
    shutil.copytree(ROOT / "faq", root / "faq")
    shutil.copytree(ROOT / "knowledge", root / "knowledge")
    return root


def _add_2027(path: Path) -> None:
    """The worked example of knowledge/README.md: one new line per yearly figure."""
    text = path.read_text(encoding="utf-8")
    for old, new in (("44.02", "45.00"), ("1760.83", "1800.00")):
        line = f'value: "{old}", source: securex-2026, confidence: medium}}'
        text = text.replace(
            line,
            f'{line}\n        - {{from: 2027-01-01, until: 2027-12-31, value: "{new}", '
            "source: hrv-indexed, confidence: high}",
        )
    path.write_text(text, encoding="utf-8")
