"""A popup's text (a button press's answer): plain, and short enough for Telegram.

Telegram shows a popup's text as it is: no parse mode, so an HTML template rendered for a
message ("Centre &lt;X&gt; &amp; Co") would show its entities. And it refuses more than 200
characters. `popup_text` turns Telegram-HTML into the plain text a person should read and
cuts it to fit, at a word where it can, never inside a character (a surrogate pair, an
accent, an emoji sequence).
"""

from __future__ import annotations

import html
import re
import unicodedata

from bot.delivery.split import utf16_len

POPUP_LIMIT = 200  # Telegram's limit for a callback answer's text
ELLIPSIS = "…"
_TAG = re.compile(r"<[^>]*>")
_WORD_BACKTRACK = 40  # how far back a cut may move to end at a word
_JOINERS = {"\u200d", "\ufe0e", "\ufe0f"}  # zero-width joiner, variation selectors


def popup_text(text: str | None) -> str | None:
    """The plain text of a (Telegram-HTML) text, cut to POPUP_LIMIT; None for nothing."""
    if text is None:
        return None
    # Our templates escape every "<" they print, so a "<" here always opens a tag.
    plain = html.unescape(_TAG.sub("", text)).strip()
    if not plain:
        return None
    if utf16_len(plain) <= POPUP_LIMIT and len(plain) <= POPUP_LIMIT:
        return plain
    return _cut(plain, POPUP_LIMIT - len(ELLIPSIS)) + ELLIPSIS


def _cut(text: str, limit: int) -> str:
    """The longest start of `text` within `limit` (characters and UTF-16 units), ending at
    a word boundary when one is close, never between a character and its marks or joiners."""
    end, units = 0, 0
    for char in text:
        units += utf16_len(char)
        if units > limit or end + 1 > limit:
            break
        end += 1
    space = text.rfind(" ", max(0, end - _WORD_BACKTRACK), end + 1)
    if space > 0:
        end = space
    while 0 < end < len(text) and (_joins_previous(text[end]) or text[end - 1] in _JOINERS):
        end -= 1
    flags = 0  # regional indicators pair up into flags: never keep half of one
    while flags < end and _is_regional(text[end - 1 - flags]):
        flags += 1
    if flags % 2 and end < len(text) and _is_regional(text[end]):
        end -= 1
    return text[:end].rstrip(" ,;:")


def _is_regional(char: str) -> bool:
    return 0x1F1E6 <= ord(char) <= 0x1F1FF


def _joins_previous(char: str) -> bool:
    """Is `char` part of the character before it: an accent or other mark, a joiner or
    variation selector, an emoji skin tone, or an emoji tag (flags of regions)?"""
    code = ord(char)
    return (
        unicodedata.category(char) in ("Mn", "Mc", "Me")
        or char in _JOINERS
        or 0x1F3FB <= code <= 0x1F3FF
        or 0xE0020 <= code <= 0xE007F
    )
