"""The answering core and the escalation rules run without Telegram, a database or a network."""

import ast
from pathlib import Path

CORE = Path(__file__).resolve().parents[1] / "bot" / "core"
FORBIDDEN = {"telegram", "sqlite3", "httpx", "aiohttp", "socket", "bot.adapters", "bot.storage",
             "bot.escalation"}


def imported_modules(folder: Path) -> set[str]:
    names: set[str] = set()
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module:
                names.add(node.module)
    return names


def test_core_imports_no_io():
    imported = imported_modules(CORE)
    bad = {m for m in imported for f in FORBIDDEN if m == f or m.startswith(f + ".")}
    assert bad == set()


def test_escalation_rules_import_no_io():
    """bot/escalation may use the core, never ptb, sqlite3 or the adapters."""
    forbidden = {"telegram", "sqlite3", "httpx", "aiohttp", "bot.adapters", "bot.storage"}
    imported = imported_modules(CORE.parent / "escalation")
    bad = {m for m in imported for f in forbidden if m == f or m.startswith(f + ".")}
    assert bad == set()
