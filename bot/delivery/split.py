"""Split long replies for Telegram's 4,096-character limit, which counts UTF-16 code units.

Python's len() counts code points, so an emoji (two UTF-16 units) would make a "4,096
character" message too long. We cut at paragraph boundaries first, then lines, then words,
and only as a last resort inside a word, never inside an HTML tag or entity or a surrogate
pair. Tags opened in one part and closed in the next are closed and reopened, so each part is
valid Telegram HTML on its own.
"""

from __future__ import annotations

import re

LIMIT = 4096  # telegram.constants.MessageLimit.MAX_TEXT_LENGTH
_SEPARATORS = ("\n\n", "\n", " ")
_TAG = re.compile(r"<(/?)([a-zA-Z-]+)([^>]*)>")


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def split_message(text: str, limit: int = LIMIT) -> list[str]:
    """Parts of `text`, each at most `limit` UTF-16 units, in order, none empty."""
    if utf16_len(text) <= limit:
        return [text]
    # Leave room for closing and reopening tags carried across a cut.
    budget = max(limit - 64, limit // 2)
    parts: list[str] = []
    for chunk in _pack(_pieces(text, budget, 0), budget):
        parts.append(chunk.strip("\n") or chunk)
    return _balance_tags([p for p in parts if p.strip()])


def _pieces(text: str, budget: int, level: int) -> list[str]:
    """Break text into pieces no longer than budget, keeping each separator on its piece."""
    if utf16_len(text) <= budget:
        return [text]
    if level == len(_SEPARATORS):
        return _hard_cut(text, budget)
    sep = _SEPARATORS[level]
    pieces = text.split(sep)
    out: list[str] = []
    for i, piece in enumerate(pieces):
        piece = piece + sep if i < len(pieces) - 1 else piece
        out.extend(_pieces(piece, budget, level + 1) if utf16_len(piece) > budget else [piece])
    return out


def _pack(pieces: list[str], budget: int) -> list[str]:
    chunks: list[str] = []
    current, size = "", 0
    for piece in pieces:
        n = utf16_len(piece)
        if current and size + n > budget:
            chunks.append(current)
            current, size = "", 0
        current += piece
        size += n
    if current:
        chunks.append(current)
    return chunks


def _hard_cut(text: str, budget: int) -> list[str]:
    out: list[str] = []
    start = 0
    while start < len(text):
        end, size = start, 0
        while end < len(text) and size + utf16_len(text[end]) <= budget:
            size += utf16_len(text[end])
            end += 1
        end = _safe_end(text, start, end)
        out.append(text[start:end])
        start = end
    return out


def _safe_end(text: str, start: int, end: int) -> int:
    """Move a cut back so it does not land inside <tag> or &entity;."""
    if end >= len(text):
        return end
    window = text[start:end]
    for opener, closer in (("<", ">"), ("&", ";")):
        at = window.rfind(opener)
        if at > 0 and closer not in window[at:]:
            return start + at
    return end


def _balance_tags(parts: list[str]) -> list[str]:
    out: list[str] = []
    carried: list[tuple[str, str]] = []  # (name, full opening tag) still open
    for part in parts:
        text = "".join(opening for _, opening in carried) + part
        stack = list(carried)
        for match in _TAG.finditer(part):
            closing, name = match.group(1), match.group(2).lower()
            if closing:
                for i in range(len(stack) - 1, -1, -1):
                    if stack[i][0] == name:
                        del stack[i]
                        break
            else:
                stack.append((name, match.group(0)))
        text += "".join(f"</{name}>" for name, _ in reversed(stack))
        carried = stack
        out.append(text)
    return out
