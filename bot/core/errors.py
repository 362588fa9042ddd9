"""Named errors for loading the knowledge base: each says file, line, entry and problem."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    file: str
    problem: str
    line: int | None = None
    entry_id: str | None = None

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        who = f" {self.entry_id}:" if self.entry_id else ":"
        return f"{where}{who} {self.problem}"


class KnowledgeBaseError(Exception):
    """The knowledge base (or figures file) did not load; `problems` lists every reason."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        lines = "\n".join(str(p) for p in problems)
        super().__init__(f"{len(problems)} problem(s) in the knowledge base:\n{lines}")
