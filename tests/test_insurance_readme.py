"""The README's insurance examples are the command's real output, and its commands are listed."""

from pathlib import Path

import pytest

from bot.adapters.telegram.guided import insurance_plugin
from bot.cli import main

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def _example(command: str) -> str:
    """The indented block under `$ <command>` in the README, without its indentation."""
    lines = README.split(f"    $ {command}\n", 1)[1].split("\n")
    block = []
    for line in lines:
        if line and not line.startswith("    "):
            break
        block.append(line[4:])
    return "\n".join(block).strip()


@pytest.mark.parametrize("command", [
    "python -m bot insurance --form de-facto --staff no --umbrella no --region flanders",
    "python -m bot insurance --form vzw --staff yes --umbrella no --region brussels-fr --lang fr",
])
def test_the_worked_examples_show_real_output(command, capsys, monkeypatch):
    """Each worked example in the README is exactly what the command prints."""
    monkeypatch.delenv("KNOWLEDGE_DIR", raising=False)
    assert main([*command.split()[3:], "--today", "2026-12-02"]) == 0
    assert capsys.readouterr().out.strip() == _example(command)


def test_the_telegram_commands_are_in_the_readme_table():
    """/verzekering and /assurance are in the Telegram table."""
    for commands in insurance_plugin().commands.values():
        for name, _ in commands:
            assert f"`/{name}`" in README
