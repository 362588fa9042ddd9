"""The code passes its own linters: ruff over everything, mypy --strict over bot/.

They run inside the test suite, so the README's test command (and CI, which runs it) enforces
them. Both come with the `dev` extra.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, timeout=600, check=False
    )


def test_ruff_finds_nothing():
    """ruff check . is clean (the rules and their reasons are in pyproject.toml)."""
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    if ruff is None:
        pytest.fail("ruff is not installed: pip install -e '.[dev]'")
    result = _run(ruff, "check", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_finds_nothing():
    """mypy --strict bot is clean: the product code is fully typed."""
    result = _run(sys.executable, "-m", "mypy", "--strict", "bot")
    assert result.returncode == 0, result.stdout + result.stderr
