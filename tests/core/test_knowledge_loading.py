"""A broken knowledge base is refused with the file, line, entry and problem named."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.core.assistant import load_assistant
from bot.core.errors import KnowledgeBaseError

MINI = Path(__file__).resolve().parents[1] / "data" / "kb-mini"
NL = "faq/allowances.nl.yaml"


@pytest.fixture
def kb(tmp_path: Path) -> Path:
    root = tmp_path / "kb"
    shutil.copytree(MINI, root)
    return root


def edit(root: Path, name: str, old: str, new: str, count: int = 1) -> None:
    path = root / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"test setup: {old!r} not in {name}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def problems(root: Path, today) -> list[str]:
    with pytest.raises(KnowledgeBaseError) as caught:
        load_assistant(root, today=today)
    return [str(p) for p in caught.value.problems]


def test_the_starter_base_loads(kb, today):
    """The untouched test base loads without problems."""
    assert load_assistant(kb, today=today).kb.entries


def test_yaml_syntax_error_names_file_and_line(kb, today):
    """A stray colon-quote mistake is reported as a YAML error at its line."""
    edit(kb, NL, "  topic: allowances\n", '  topic: "allowances\n')
    found = problems(kb, today)
    assert any(p.startswith(f"{NL}:") and "YAML syntax error" in p for p in found), found


def test_unknown_field_is_named(kb, today):
    edit(kb, NL, "  topic: allowances\n", "  topic: allowances\n  categorie: x\n")
    assert f"{NL}:5 allowances.ceiling.nl: unknown field 'categorie'" in problems(kb, today)


def test_missing_field_is_named(kb, today):
    edit(kb, NL, "  review_by: 2027-06-30\n", "")
    assert f"{NL}:1 allowances.ceiling.nl: missing field 'review_by'" in problems(kb, today)


def test_duplicate_id_points_at_the_first(kb, today):
    edit(kb, NL, "id: allowances.km.nl", "id: allowances.ceiling.nl")
    edit(kb, NL, "pair: allowances.km\n", "pair: allowances.ceiling\n")
    found = problems(kb, today)
    assert any("duplicate id (first defined in faq/allowances.nl.yaml:1)" in p for p in found)


def test_entry_without_its_other_language_is_refused(kb, today):
    (kb / "faq" / "insurance.fr.yaml").unlink()
    found = problems(kb, today)
    assert (
        "faq/insurance.nl.yaml:1 insurance.mandatory.nl: no fr entry for pair "
        "'insurance.mandatory'" in found
    )


def test_bilingual_drift_in_figures_is_refused(kb, today):
    """The Dutch and French answers of a pair must use the same figures."""
    edit(kb, "faq/allowances.fr.yaml", "{{ figures.allowance.per_year | eur }}", "beaucoup")
    found = problems(kb, today)
    assert any(
        "allowances.ceiling.nl: bilingual drift" in p and "allowance.per_year" in p for p in found
    ), found


def test_unknown_figure_name_is_refused(kb, today):
    edit(kb, NL, "figures.allowance.per_day | eur", "figures.allowance.per_dag | eur")
    found = problems(kb, today)
    assert f"{NL}:1 allowances.ceiling.nl: unknown figure 'allowance.per_dag'" in found


def test_template_that_fails_to_render_is_refused(kb, today):
    edit(kb, NL, "alle organisaties samen.", "{{ onbekend }}")
    found = problems(kb, today)
    assert any(
        p.startswith(f"{NL}:1 allowances.ceiling.nl: answer fails to render") and "onbekend" in p
        for p in found
    ), found


def test_empty_sources_are_refused(kb, today):
    edit(
        kb,
        "faq/insurance.nl.yaml",
        "  sources:\n    - title: Wet van 3 juli 2005\n      legal_ref: art. 6\n",
        "  sources: []\n",
    )
    found = problems(kb, today)
    assert any(
        "insurance.mandatory.nl: 'sources' must list at least one source" in p for p in found
    ), found


def test_source_without_url_or_legal_reference_is_refused(kb, today):
    edit(kb, NL, "      legal_ref: art. 10\n", "")
    assert any("needs a url or a legal_ref" in p for p in problems(kb, today))


def test_yaml_1_1_booleans_do_not_sneak_in(kb, today):
    """An unquoted `lang: no` (YAML reads it as false) is caught, not loaded as a language."""
    edit(kb, NL, "  lang: nl\n", "  lang: no\n")
    assert any("lang must be one of nl, fr (got False)" in p for p in problems(kb, today))


def test_review_date_before_reviewed_is_refused(kb, today):
    edit(kb, NL, "  review_by: 2027-06-30", "  review_by: 2020-01-01")
    assert any("'review_by' is earlier than 'reviewed'" in p for p in problems(kb, today))


def test_every_problem_is_reported_at_once(kb, today):
    """One run lists all problems, so a maintainer fixes them in one go."""
    edit(kb, NL, "  topic: allowances\n", "  topic: allowances\n  categorie: x\n")
    edit(kb, "faq/insurance.nl.yaml", "topic: insurance", "topic: verzekering")
    assert len(problems(kb, today)) >= 2


def test_figures_file_errors_name_the_figure(kb, today):
    """An amount written as a bare number (float risk) is refused with its figure and line."""
    edit(kb, "knowledge/figures.yaml", 'value: "41.48"', "value: 41.48")
    found = problems(kb, today)
    assert any(
        p.startswith("knowledge/figures.yaml:")
        and "allowance.per_day" in p
        and "quoted string" in p
        for p in found
    ), found


def test_figure_without_a_value_today_is_reported_by_name(kb, today):
    """`check` names figures with no confirmed value for today instead of borrowing one."""
    from datetime import date

    assistant = load_assistant(kb, today=date(2031, 1, 1))
    warnings = " ".join(assistant.kb.warnings)
    assert "'allowance.per_day'" in warnings and "2031-01-01" in warnings


def test_a_variant_that_is_not_plain_text_is_refused(kb, today):
    """A variant typed as `- penningmeester: ...` becomes a mapping; quoted, it becomes the
    mapping's text. Either way it is not how anyone types, so it is named, not indexed."""
    edit(kb, NL, "    - plafond forfait vrijwilliger\n",
         "    - \"{'penningmeester': 'plafond forfait vrijwilliger'}\"\n")
    found = problems(kb, today)
    assert any(
        p.startswith(f"{NL}:") and "allowances.ceiling.nl" in p and "plain text" in p
        for p in found
    ), found


def test_a_variant_typed_as_a_mapping_is_refused(kb, today):
    edit(kb, NL, "    - plafond forfait vrijwilliger\n",
         "    - penningmeester: plafond forfait vrijwilliger\n")
    found = problems(kb, today)
    assert any("'variants' must be a list of non-empty texts" in p for p in found), found


def test_qualifiers_that_are_not_a_list_of_texts_are_named(kb, today):
    edit(kb, NL, "    - plafond forfait vrijwilliger\n",
         "    - plafond forfait vrijwilliger\n  qualifiers: tijdelijk\n")
    found = problems(kb, today)
    assert any("'qualifiers' must be a list of non-empty texts" in p for p in found), found
