"""YAML loading that keeps line numbers, so every load error can point at file:line."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import yaml

from bot.core.errors import Problem


class LineDict(dict[str, Any]):
    """A mapping from YAML that remembers the (1-based) line it started on, and each key's."""

    line: int = 0
    key_lines: dict[Any, int]

    def line_of(self, key: Any) -> int:
        """The line of `key` (the mapping's own line when the key is absent)."""
        lines: dict[Any, int] = getattr(self, "key_lines", {})
        return lines.get(key, self.line)


# libyaml's C parser when PyYAML was built with it (5-10x faster); the safe constructors and
# our line-keeping mapping constructor are the same either way.
_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_Base):  # type: ignore[valid-type,misc]
    pass


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    mapping = LineDict()
    mapping.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if isinstance(key, (list, dict, set)):
            raise yaml.constructor.ConstructorError(
                None, None, "a key must be a plain value, not a list or mapping",
                key_node.start_mark,
            )
        if key in mapping:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[key] = key_node.start_mark.line + 1
    mapping.line = node.start_mark.line + 1
    return mapping


def _construct_timestamp(loader: _LineLoader, node: yaml.ScalarNode) -> Any:
    """An impossible date (2026-13-45) stays text, so the field check names it at file:line."""
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


def load_yaml(path: Path, display: str) -> tuple[Any, list[Problem]]:
    """Parse one YAML file; a syntax error becomes a Problem with its line, not a traceback."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        return None, [Problem(display, f"not valid UTF-8 text ({exc.reason})")]
    except FileNotFoundError:
        return None, [Problem(display, "file not found")]
    except OSError as exc:  # a folder where a file should be, no permission, ...
        return None, [Problem(display, f"cannot be read ({exc.strerror or exc})")]
    try:
        return yaml.load(text, Loader=_LineLoader), []
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        what = exc.problem or exc.context or "invalid YAML"
        return None, [Problem(display, f"YAML syntax error: {what}", line=line)]
    except yaml.YAMLError as exc:
        return None, [Problem(display, f"YAML error: {exc}")]


def as_date(value: Any) -> date | None:
    """A YAML date (pyyaml reads 2026-11-24 as a date) or an ISO string; None otherwise."""
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None
