"""Bad values in the knowledge base give one file:line problem, never a traceback."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from bot.core.assistant import load_assistant
from bot.core.errors import KnowledgeBaseError

ROOT = Path(__file__).resolve().parents[2]
MINI = ROOT / "tests" / "data" / "kb-mini"
NL = "faq/allowances.nl.yaml"


@pytest.fixture
def kb(tmp_path: Path) -> Path:
    root = tmp_path / "kb"
    shutil.copytree(MINI, root)
    path = root / NL
    path.write_text(path.read_text().replace("reviewed: 2026-11-24", "reviewed: 2026-13-45", 1))
    return root


def test_an_impossible_date_is_named_with_its_file(kb):
    with pytest.raises(KnowledgeBaseError) as caught:
        load_assistant(kb, today=date(2026, 12, 1))
    assert any(
        str(p).startswith(f"{NL}:") and "'reviewed' must be a date" in str(p)
        for p in caught.value.problems
    )


def test_check_on_an_impossible_date_fails_without_a_traceback(kb):
    done = subprocess.run(
        [sys.executable, "-m", "bot", "check"], capture_output=True, text=True, cwd=ROOT,
        env={**os.environ, "KNOWLEDGE_DIR": str(kb)}, timeout=120, check=False,
    )
    # check documents exit 1 for a broken base (ask, chat, eval: 2, from load_or_exit)
    assert done.returncode == 1 and "Traceback" not in done.stderr + done.stdout
    assert "2026-13-45" in done.stderr + done.stdout
