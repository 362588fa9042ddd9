"""Every malformed knowledge-base value gives one file:line problem, exit 2, never a traceback.

Each case breaks one value in a copy of the small base (tests/data/kb-mini): the loader must
name that value – its file and line, and what is wrong – as the only problem, so a maintainer
fixes it in one go; the commands that load the base (check, ask, chat, eval, telegram, and
allowance and insurance, which read its figures) print it and exit with status 2.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from bot.core.assistant import load_assistant
from bot.core.errors import KnowledgeBaseError
from bot.testing.fake_bot_api import TOKEN

ROOT = Path(__file__).resolve().parents[2]
MINI = ROOT / "tests" / "data" / "kb-mini"
NL = "faq/allowances.nl.yaml"
FIGURES = "knowledge/figures.yaml"
THRESHOLDS = "knowledge/thresholds.yaml"
GOOD_THRESHOLDS = "min_coverage: 0.3\nmin_strength: 0.0\nmin_margin: 0.0\n"
DAY_2024 = '{from: 2024-01-01, until: 2024-12-31, value: "41.48"'


def copy_of_mini(tmp_path: Path) -> Path:
    root = tmp_path / "kb"
    shutil.copytree(MINI, root)
    (root / THRESHOLDS).write_text(GOOD_THRESHOLDS, encoding="utf-8")
    return root


def edit(root: Path, file: str, old: str, new: str) -> int:
    """Replace the first `old` in `file`; returns the 1-based line it was on."""
    path = root / file
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {file}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def only_problem(root: Path) -> str:
    with pytest.raises(KnowledgeBaseError) as caught:
        load_assistant(root, today=date(2026, 3, 2))
    problems = [str(p) for p in caught.value.problems]
    assert len(problems) == 1, problems
    return problems[0]


# (file, text to replace, replacement, what the problem says)
VALUES = {
    "an impossible review date": (NL, "reviewed: 2026-11-24", "reviewed: 2026-13-45",
                                  "'reviewed' must be a date like 2026-11-24 (got '2026-13-45')"),
    "an empty review date": (NL, "reviewed: 2026-11-24", "reviewed:",
                             "'reviewed' must be a date like 2026-11-24 (got None)"),
    "an impossible validity date": (NL, "reviewed: 2026-11-24",
                                    "reviewed: 2026-11-24\n  valid_until: 2026-02-30",
                                    "'valid_until' must be a date"),
    "an impossible period start": (FIGURES, "{from: 2024-01-01,", "{from: 2024-02-30,",
                                   "'from' must be a date like 2026-01-01 (got '2024-02-30')"),
    "a figure value of 1e999": (FIGURES, DAY_2024, DAY_2024.replace("41.48", "1e999"),
                                "value must be a plain decimal number like \"41.48\" "
                                "(got '1e999')"),
    "a figure value NaN": (FIGURES, DAY_2024, DAY_2024.replace("41.48", "NaN"), "(got 'NaN')"),
    "a figure value inf": (FIGURES, DAY_2024, DAY_2024.replace("41.48", "inf"), "(got 'inf')"),
    "a negative amount": (FIGURES, DAY_2024, DAY_2024.replace("41.48", "-41.48"),
                          "value must not be negative (got '-41.48')"),
    "an amount with a comma": (FIGURES, DAY_2024, DAY_2024.replace("41.48", "41,48"),
                               "(got '41,48')"),
    "an unquoted amount": (FIGURES, DAY_2024, DAY_2024.replace('"41.48"', "41.48"),
                           "write the value as a quoted string"),
    "periods that are not a list": (FIGURES, "    per_year:\n      unit: EUR\n      periods:",
                                    "    per_year:\n      unit: EUR\n      periods: yearly\n"
                                    "    per_year_old:\n      unit: EUR\n      periods:",
                                    "'periods' must be a list"),
    "a YAML error in the figures": (FIGURES, "    per_day:\n", "    per_day: [\n",
                                    "YAML syntax error"),
    "a YAML error in the thresholds": (THRESHOLDS, "min_strength: 0.0", "min_strength: [0.0",
                                       "YAML syntax error"),
    "a threshold that is not a number": (THRESHOLDS, "min_strength: 0.0", "min_strength: high",
                                         "'min_strength' must be a number of at least 0 "
                                         "(got 'high')"),
    "a negative threshold": (THRESHOLDS, "min_margin: 0.0", "min_margin: -0.5",
                             "'min_margin' must be a number of at least 0 (got -0.5)"),
    "an infinite threshold": (THRESHOLDS, "min_margin: 0.0", "min_margin: .inf",
                              "'min_margin' must be a number of at least 0 (got inf)"),
    "a misspelt threshold": (THRESHOLDS, "min_margin: 0.0", "min_marign: 0.0",
                             "unknown threshold 'min_marign'"),
}


@pytest.mark.parametrize("case", list(VALUES))
def test_a_malformed_value_is_the_one_problem_named_with_its_file_and_line(case, tmp_path):
    file, old, new, says = VALUES[case]
    root = copy_of_mini(tmp_path)
    line = edit(root, file, old, new)
    problem = only_problem(root)
    found = re.match(rf"^{re.escape(file)}:(\d+)[: ]", problem)
    assert found, problem
    # The edited lines; YAML names a syntax error where it notices it, at most a line later.
    slack = 1 if "YAML syntax error" in problem else 0
    assert line <= int(found.group(1)) <= line + new.count("\n") + slack, problem
    assert says in problem


def test_a_missing_faq_folder_is_a_problem_not_an_empty_base(tmp_path):
    root = copy_of_mini(tmp_path)
    shutil.rmtree(root / "faq")
    assert only_problem(root) == f"faq/: folder not found in {root}"


def test_an_empty_faq_folder_is_a_problem(tmp_path):
    root = copy_of_mini(tmp_path)
    for path in (root / "faq").iterdir():
        path.unlink()
    assert only_problem(root) == "faq/: no entries: the folder has no .yaml files"


def test_a_missing_knowledge_folder_is_a_problem(tmp_path):
    root = copy_of_mini(tmp_path)
    shutil.rmtree(root / "knowledge")
    assert only_problem(root) == f"knowledge/: folder not found in {root}"


def test_a_missing_figures_file_is_one_problem_not_one_per_amount_used(tmp_path):
    root = copy_of_mini(tmp_path)
    (root / FIGURES).unlink()
    assert only_problem(root) == f"{FIGURES}: file not found"


def run_bot(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "KNOWLEDGE_DIR": str(root), "BOT_TOKEN": TOKEN,
           "CENTRE_NAME": "Centrum", "CENTRE_CONTACT": "info@example.org",
           "DATABASE_URL": f"sqlite:///{root / 'bot.sqlite3'}"}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], capture_output=True, text=True, cwd=ROOT,
        env=env, timeout=120, check=False, stdin=subprocess.DEVNULL,
    )


@pytest.mark.parametrize(
    "command",
    [("check",), ("ask", "hoeveel mag ik per dag krijgen"), ("chat",), ("eval", "--set", "main"),
     ("telegram", "--check-config"), ("allowance", "--year", "2024", "--days", "3",
                                      "--per-day", "20"),
     ("insurance", "--form", "vzw", "--staff", "no", "--umbrella", "no", "--region",
      "flanders")],
    ids=lambda command: command[0],
)
def test_every_command_that_loads_the_base_exits_2_naming_the_value(command, tmp_path):
    root = copy_of_mini(tmp_path)
    line = edit(root, FIGURES, DAY_2024, DAY_2024.replace("41.48", "1e999"))
    done = run_bot(root, *command)
    assert done.returncode == 2, done.stderr
    output = done.stdout + done.stderr
    assert "Traceback" not in output
    assert f"error: {FIGURES}:{line}: figure 'allowance.per_day': value must be a plain" in output


def test_check_fails_on_a_base_without_its_faq_folder(tmp_path):
    """Not "OK: 22 entries" from the articles alone: the questions people ask are in faq/."""
    root = copy_of_mini(tmp_path)
    shutil.rmtree(root / "faq")
    done = run_bot(root, "check")
    assert done.returncode == 2 and "OK" not in done.stdout
    assert "error: faq/: folder not found" in done.stderr and "Traceback" not in done.stderr


def test_check_on_an_impossible_date_fails_without_a_traceback(tmp_path):
    root = copy_of_mini(tmp_path)
    line = edit(root, NL, "reviewed: 2026-11-24", "reviewed: 2026-13-45")
    done = run_bot(root, "check")
    assert done.returncode == 2 and "Traceback" not in done.stderr + done.stdout
    assert f"error: {NL}:" in done.stderr and "2026-13-45" in done.stderr
    assert line > 0
