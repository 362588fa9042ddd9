"""Shared fixtures: the real knowledge base and a tiny stable one, each built once."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.core.assistant import Assistant, load_assistant

ROOT = Path(__file__).resolve().parents[1]
MINI = ROOT / "tests" / "data" / "kb-mini"
TODAY = date(2026, 2, 1)


@pytest.fixture(scope="session")
def today() -> date:
    return TODAY


@pytest.fixture(scope="session")
def mini() -> Assistant:
    """A tiny, stable knowledge base (tests/data/kb-mini) for exact behaviour tests."""
    return load_assistant(MINI, today=TODAY)


@pytest.fixture(scope="session")
def assistant() -> Assistant:
    """The real, bundled knowledge base."""
    return load_assistant(ROOT, today=TODAY)
