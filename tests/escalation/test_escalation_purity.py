"""The escalation rules run without Telegram or a database, like the core."""

import ast
from pathlib import Path

ESCALATION = Path(__file__).resolve().parents[2] / "bot" / "escalation"
FORBIDDEN = {"telegram", "sqlite3", "httpx", "aiohttp", "bot.adapters", "bot.storage"}


def test_escalation_rules_import_no_io():
    """bot/escalation may use the core, never ptb, sqlite3 or the adapters."""
    names: set[str] = set()
    for path in ESCALATION.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module:
                names.add(node.module)
    bad = {n for n in names for f in FORBIDDEN if n == f or n.startswith(f + ".")}
    assert bad == set()
