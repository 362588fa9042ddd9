"""`python -m bot allowance`: one volunteer from the options, or a treasurer's CSV."""

import json
from pathlib import Path

import pytest

from bot.cli import main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ["allowance", "--date", "2026-03-01", "--days", "12", "--per-day", "40",
           "--km-car", "300"]


@pytest.fixture(autouse=True)
def _repo_figures(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KNOWLEDGE_DIR", raising=False)


def test_the_issue_example_is_within_the_law(capsys: pytest.CaptureFixture[str]) -> None:
    """12 days at € 40 plus 300 km by car in March 2026: fine, with the arithmetic shown."""
    assert main(EXAMPLE) == 0
    out = capsys.readouterr().out
    assert "12 dagen × € 40,00 = € 480,00 ≤ jaarplafond 2026 € 1.760,83 ✓" in out
    assert "300 km auto × € 0,4326 (1/1/2026 – 31/3/2026) = € 129,78" in out
    assert "Oordeel: dit blijft binnen de wettelijke grenzen." in out
    assert "<b>" not in out


def test_the_check_speaks_french(capsys: pytest.CaptureFixture[str]) -> None:
    """--lang fr gives the French text with French amounts."""
    assert main([*EXAMPLE, "--lang", "fr"]) == 0
    out = capsys.readouterr().out
    assert "12 jours × 40,00 € = 480,00 € ≤ plafond annuel 2026 1.760,83 € ✓" in out


def test_json_output_gives_the_verdict_and_every_rule(capsys: pytest.CaptureFixture[str]) -> None:
    """--json prints machine-readable rules with amounts as exact strings."""
    assert main([*EXAMPLE, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["verdict"] == "ok"
    rules = {r["rule"]: r for r in data["rules"]}
    assert rules["year-ceiling"]["numbers"]["ceiling"] == "1760.83"
    assert rules["km-rate"]["numbers"]["max_amount"] == "129.78"
    assert set(rules) == {"day-ceiling", "year-ceiling", "km-cap", "km-rate", "one-system"}


def test_a_sport_volunteer_on_benefits_over_the_ceiling(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The options for category and benefits reach the check: raised ceiling refused."""
    args = ["allowance", "--year", "2025", "--days", "60", "--total", "1.692,52",
            "--category", "sport", "--benefits", "--json"]
    assert main(args) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["verdict"] == "over"
    assert "benefit-at-risk" in data["consequences"]


def test_km_per_quarter_use_each_quarters_rate(capsys: pytest.CaptureFixture[str]) -> None:
    """--km-car KM@DATE can be repeated: Q1 and Q2 2024 each get their own rate."""
    args = ["allowance", "--year", "2024", "--days", "10", "--per-day", "40",
            "--km-car", "100@2024-02-10", "--km-car", "100@1/5/2024"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "100 km auto × € 0,4269" in out
    assert "100 km auto × € 0,4265" in out


def test_an_unknown_year_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    """2031 has no figures: "not known yet", and a staff member is offered."""
    assert main(["allowance", "--year", "2031", "--days", "12", "--per-day", "40"]) == 0
    out = capsys.readouterr().out
    assert "De plafonds voor 2031 zijn nog niet gekend" in out
    assert "medewerker" in out


def test_an_unreadable_amount_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    """A per-day amount that is not a number ends with exit code 2 and a clear message."""
    assert main(["allowance", "--date", "2026-03-01", "--days", "12", "--per-day", "4x0"]) == 2
    assert "niet als getal lezen" in capsys.readouterr().err


def test_knowledge_dir_points_at_another_figures_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """KNOWLEDGE_DIR (a folder holding knowledge/figures.yaml) replaces the repository's."""
    text = (ROOT / "knowledge" / "figures.yaml").read_text(encoding="utf-8")
    text = text.replace(
        '- {from: 2026-01-01, until: 2026-12-31, value: "44.02"',
        '- {from: 2026-01-01, until: 2026-12-31, value: "39.00"',
    )
    (tmp_path / "knowledge").mkdir()
    (tmp_path / "knowledge" / "figures.yaml").write_text(text, encoding="utf-8")
    monkeypatch.setenv("KNOWLEDGE_DIR", str(tmp_path))
    assert main([*EXAMPLE, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["verdict"] == "over"


def test_a_broken_figures_file_stops_the_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A figures file that does not load gives exit code 2 (as every command that loads the
    base), not a guess."""
    (tmp_path / "knowledge").mkdir()
    (tmp_path / "knowledge" / "figures.yaml").write_text("figures: [", encoding="utf-8")
    monkeypatch.setenv("KNOWLEDGE_DIR", str(tmp_path))
    assert main(EXAMPLE) == 2
    assert capsys.readouterr().err


TREASURER_CSV = """\
ref;date;days;per_day;total;km_car;km_bike;category;benefits
V001;2026-03-01;12;40;;300;;standard;nee
V002;2026;45;;1.800,00;;;;nee
V003;2026;;veertig;;;;;
V004;2026;80;;3.233,91;;;sport;nee
V005;2026;80;;3.233,91;;;sport;ja
V006;2031;10;40;;;;;
"""


def test_a_treasurer_csv_is_checked_row_by_row(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each volunteer gets a report; the malformed row is named by line; the rest is checked."""
    path = tmp_path / "vrijwilligers.csv"
    path.write_text(TREASURER_CSV, encoding="utf-8")
    assert main(["allowance", "--csv", str(path)]) == 1  # a row could not be read
    captured = capsys.readouterr()
    out = captured.out
    assert "── V001 (regel 2) ──" in out
    assert "── V006 (regel 7) ──" in out
    assert "V003" not in out
    assert "regel 4: per_day:" in captured.err
    assert "5 vrijwilligers gecontroleerd: 2 binnen de grenzen, 2 erover, 1 niet na te gaan; " \
           "1 onleesbare rijen." in out
    assert "Over de grens: V002 (jaarplafond)" in out
    assert "Over de grens: V005 (jaarplafond)" in out
    assert "Niet na te gaan: V006" in out


def test_a_treasurer_csv_as_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The CSV report in JSON lists each row's verdict and the malformed lines."""
    path = tmp_path / "volontaires.csv"
    path.write_text(TREASURER_CSV, encoding="utf-8")
    assert main(["allowance", "--csv", str(path), "--lang", "fr", "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    verdicts = {row["ref"]: row["verdict"] for row in data["rows"]}
    assert verdicts == {"V001": "ok", "V002": "over", "V004": "ok", "V005": "over",
                        "V006": "unknown"}
    assert [bad["line"] for bad in data["malformed"]] == [4]
    assert "ligne 4" in data["malformed"][0]["error"]


def test_a_clean_csv_with_commas_exits_zero(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A comma-separated file with only readable rows ends with exit code 0."""
    path = tmp_path / "ok.csv"
    path.write_text("ref,year,days,per_day\nA,2025,10,42.31\nB,2025,10,42.32\n", encoding="utf-8")
    assert main(["allowance", "--csv", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Over de grens: B (dagplafond)" in out
