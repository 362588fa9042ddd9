"""The answering core and the escalation workflow run without Telegram, a database or a network;
the Telegram adapter only translates."""

import ast
import re
from pathlib import Path

BOT = Path(__file__).resolve().parents[1] / "bot"
CORE = BOT / "core"
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


def _bad(imported: set[str], forbidden: set[str]) -> set[str]:
    return {m for m in imported for f in forbidden if m == f or m.startswith(f + ".")}


def test_core_imports_no_io():
    assert _bad(imported_modules(CORE), FORBIDDEN) == set()


def test_escalation_rules_import_no_io():
    """bot/escalation (the desk, its records, rows and rules) may use the core, never ptb,
    sqlite3, the network, the adapters or a storage implementation."""
    forbidden = {"telegram", "sqlite3", "httpx", "aiohttp", "socket", "bot.adapters",
                 "bot.storage"}
    assert _bad(imported_modules(BOT / "escalation"), forbidden) == set()


def test_delivery_policy_imports_no_io():
    """bot/delivery (splitting, pacing, flood control) is pure policy: the adapter applies it."""
    forbidden = {"telegram", "sqlite3", "httpx", "aiohttp", "socket", "bot.adapters",
                 "bot.storage", "bot.escalation"}
    assert _bad(imported_modules(BOT / "delivery"), forbidden) == set()


def test_the_desk_imports_no_telegram_code():
    """The use cases are testable with plain values: the desk module itself stays pure."""
    desk = BOT / "escalation" / "desk.py"
    tree = ast.parse(desk.read_text(encoding="utf-8"))
    names = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    names |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    assert _bad(names, {"telegram", "bot.adapters", "sqlite3"}) == set()


def test_ticket_changes_are_made_only_by_the_desk():
    """One transition table: every ticket `Change(...)` in production is built in the desk,
    which takes its target state from tickets.next_state."""
    built = {
        path.relative_to(BOT).as_posix()
        for path in BOT.rglob("*.py")
        if re.search(r"\bChange\(", path.read_text(encoding="utf-8"))
    }
    assert built == {"escalation/desk.py"}


def _imports_within(folder: Path, package: str) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for path in folder.glob("*.py"):
        name = f"{package}.{path.stem}"
        tree = ast.parse(path.read_text(encoding="utf-8"))
        found: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                if node.module.startswith(package + "."):
                    found.add(node.module)
                elif node.module == package:
                    found.update(f"{package}.{a.name}" for a in node.names)
        graph[name] = found
    return graph


def test_no_import_circle_in_the_telegram_adapter():
    """Every module of bot/adapters/telegram can be read (and imported) before its users."""
    graph = _imports_within(BOT / "adapters" / "telegram", "bot.adapters.telegram")
    done: set[str] = set()

    def visit(name: str, path: tuple[str, ...]) -> None:
        assert name not in path, f"import circle: {' -> '.join((*path, name))}"
        if name in done:
            return
        for other in graph.get(name, ()):
            visit(other, (*path, name))
        done.add(name)

    for name in graph:
        visit(name, ())
