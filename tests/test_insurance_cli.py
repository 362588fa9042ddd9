"""`python -m bot insurance`: the association's situation in options, the verdict out."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main

ROOT = Path(__file__).resolve().parents[1]
COMMITTEE = ["insurance", "--form", "de-facto", "--staff", "no", "--umbrella", "no",
             "--region", "flanders", "--today", "2026-12-02"]
BRUSSELS_ASBL = ["insurance", "--form", "vzw", "--staff", "yes", "--umbrella", "no",
                 "--region", "brussels-fr", "--lang", "fr", "--today", "2026-12-02"]
FIELDS = {"liability_insurance_required", "volunteers_protected", "flemish_free_insurance",
          "reasons", "recommended", "text", "sources"}


@pytest.fixture(autouse=True)
def _repo_figures(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KNOWLEDGE_DIR", raising=False)


def run_json(args, capsys):
    assert main([*args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_a_neighbourhood_committee_in_flanders(capsys):
    """No staff, no umbrella, in Flanders: no duty, no protection, the free insurance fits."""
    assert main(COMMITTEE) == 0
    out = capsys.readouterr().out
    assert "Verplichte verzekering burgerlijke aansprakelijkheid: nee" in out
    assert "Gratis Vlaamse vrijwilligersverzekering: mogelijk" in out
    assert "<b>" not in out and "https://vrijwilligersverzekering.vlaanderen.be/" in out


def test_the_json_contract(capsys):
    """--json has exactly the fields the issue names, with their types and values."""
    data = run_json(COMMITTEE, capsys)
    assert set(data) >= FIELDS
    assert data["liability_insurance_required"] is False
    assert data["volunteers_protected"] is False
    assert data["flemish_free_insurance"] == "eligible"
    assert all(isinstance(r, str) and r for r in data["reasons"])
    assert all(isinstance(r, str) and r for r in data["recommended"])
    assert all(set(s) == {"title", "url"} for s in data["sources"])
    assert data["flemish_limits"]["hours_per_12_months"] == 1000
    assert "<" not in data["text"]


def test_a_brussels_asbl_with_two_employees_in_french(capsys):
    """An asbl with staff in Brussels must insure; Flemish insurance no; COCOF: check."""
    data = run_json(BRUSSELS_ASBL, capsys)
    assert data["liability_insurance_required"] is True and data["volunteers_protected"] is True
    assert data["flemish_free_insurance"] == "not-eligible"
    assert data["needs_staff"] is True
    assert any("COCOF" in r for r in data["reasons"])
    assert "Assurance responsabilité civile obligatoire : oui" in data["text"]


@pytest.mark.parametrize("value", ["extra-activities-only", "check"])
def test_the_other_flemish_statuses_reach_the_json(value, capsys):
    """A section of an umbrella: extra activities only; a vzw tied to one: check."""
    form = "de-facto" if value == "extra-activities-only" else "vzw"
    args = ["insurance", "--form", form, "--staff", "no", "--umbrella", "yes",
            "--region", "flanders"]
    assert run_json(args, capsys)["flemish_free_insurance"] == value


def test_the_optional_questions_reach_the_check(capsys):
    """--car, --minors and --welfare add their reasons."""
    data = run_json([*COMMITTEE, "--car", "yes", "--minors", "ja", "--welfare", "oui"], capsys)
    codes = {r["code"] for r in data["reason_codes"]}
    assert {"car", "minors", "welfare-decree"} <= codes


@pytest.mark.parametrize(("args", "option", "allowed"), [
    (["--staff", "no", "--umbrella", "no", "--region", "flanders"], "--form",
     "vzw|foundation|public|de-facto"),
    (["--form", "company", "--staff", "no", "--umbrella", "no", "--region", "flanders"],
     "--form", "vzw|foundation|public|de-facto"),
    (["--form", "vzw", "--staff", "maybe", "--umbrella", "no", "--region", "flanders"],
     "--staff", "yes|no"),
    (["--form", "vzw", "--staff", "no", "--region", "flanders"], "--umbrella", "yes|no"),
    (["--form", "vzw", "--staff", "no", "--umbrella", "no", "--region", "mars"], "--region",
     "flanders|brussels-nl|brussels-fr|wallonia|german"),
    (["--form", "vzw", "--staff", "no", "--umbrella", "no", "--region", "flanders",
      "--car", "often"], "--car", "yes|no"),
])
def test_a_missing_or_unknown_value_is_one_line_and_exit_2(args, option, allowed, capsys):
    """One line naming the option and its allowed values; exit 2."""
    assert main(["insurance", *args]) == 2
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and option in lines[0] and allowed in lines[0]
    assert captured.out == ""


def test_an_unknown_language_is_refused_the_same_way(capsys):
    """--lang de: one line, exit 2."""
    assert main([*COMMITTEE, "--lang", "de"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "--lang" in err[0] and "nl|fr" in err[0]


def test_no_traceback_from_the_real_command_line():
    """Run as a user would: a bad value gives exit 2 and no traceback."""
    result = subprocess.run(
        [sys.executable, "-m", "bot", "insurance", "--form", "vzw", "--staff", "yes",
         "--umbrella", "no", "--region", "atlantis"],
        capture_output=True, text=True, cwd=ROOT, check=False,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "--region" in result.stderr


def test_the_check_command_validates_the_insurance_rules(capsys, monkeypatch):
    """`python -m bot check` reports the insurance rules OK, and fails on a rule without source."""
    from bot.core import insurance

    assert main(["check", "--today", "2026-12-02"]) == 0
    assert "Insurance check OK" in capsys.readouterr().out

    broken = (*insurance._RULES, insurance.Rule("made-up", (), ()))
    monkeypatch.setattr(insurance, "_RULES", broken)
    assert main(["check", "--today", "2026-12-02"]) == 2
    assert "insurance rule 'made-up' names no source" in capsys.readouterr().out
