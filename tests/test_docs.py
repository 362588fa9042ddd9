"""The README tells the truth: every command and setting is documented."""

from pathlib import Path

from bot.cli import COMMANDS

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_every_command_is_in_the_readme():
    for name in COMMANDS:
        assert f"python -m bot {name}" in README, name


def test_the_readme_gives_the_two_commands_and_ci_runs_the_second():
    ci = (Path(__file__).resolve().parents[1] / ".ci" / "run").read_text(encoding="utf-8")
    run_line = ".venv/bin/python -m bot chat"
    test_line = (
        "python3 -m venv .venv && .venv/bin/pip install -q -e '.[dev]' "
        "&& .venv/bin/python -m pytest"
    )
    assert run_line in README and test_line in README
    assert test_line in ci


def test_every_setting_is_in_the_readme_configuration_table():
    from bot.settings import SETTINGS

    for setting in SETTINGS:
        assert f"| `{setting.env}` |" in README, setting.env
