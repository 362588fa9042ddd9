"""Long texts leave in parts Telegram accepts: at most 4,096 UTF-16 units, valid HTML each."""

from __future__ import annotations

from bot.delivery.split import split_message, utf16_len
from bot.testing.fake_bot_wire import visible_text


def test_long_reply_is_split_at_paragraphs_by_utf16_length():
    """A reply longer than Telegram allows arrives in parts, cut between paragraphs."""
    paragraph = "Vrijwilligers 👍 krijgen een vergoeding. " * 20  # emoji: 2 UTF-16 units each
    text = "\n\n".join(f"<b>{i}</b> {paragraph}" for i in range(12))
    assert len(text) < 11 * 1000 and utf16_len(text) > 4096

    parts = split_message(text)

    assert len(parts) > 1
    assert all(utf16_len(p) <= 4096 for p in parts)
    assert all(p.startswith("<b>") for p in parts)  # each part starts a paragraph
    assert "".join(visible_text(p, "HTML") for p in parts).count("👍") == 12 * 20


def test_one_huge_paragraph_is_cut_without_breaking_html():
    """Even a single paragraph with no breaks is cut into valid HTML parts."""
    text = "<b>" + "a&amp;b " * 1500 + "</b>"
    parts = split_message(text)
    assert len(parts) > 1
    for part in parts:
        visible_text(part, "HTML")  # raises if a tag or entity was cut
        assert utf16_len(part) <= 4096


def test_short_reply_is_one_part():
    assert split_message("kort") == ["kort"]
