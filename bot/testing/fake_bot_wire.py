"""The wire format of the Bot API as the fake speaks it: parameters, Telegram-HTML, entities
and the payloads of non-text messages. Split from telegram_api.py to keep both readable."""

from __future__ import annotations

import json
import re
from html import unescape
from html.parser import HTMLParser
from typing import Any

MAX_TEXT = 4096
MAX_CALLBACK_DATA = 64
MAX_CAPTION = 1024  # a photo's or document's caption, after entities are parsed
MAX_PHOTO_BYTES = 10 * 1024 * 1024
MAX_DOCUMENT_BYTES = 50 * 1024 * 1024
IMAGE_SIGNATURES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")  # PNG, JPEG

# Parameters ptb sends JSON-encoded, and those that are integers or booleans.
STRUCTURED = {
    "reply_markup", "entities", "caption_entities", "commands", "scope", "reply_parameters",
    "link_preview_options", "allowed_updates", "media", "results",
}
INTEGERS = {
    "chat_id", "message_id", "offset", "limit", "timeout", "user_id", "from_chat_id",
    "reply_to_message_id", "cache_time", "message_thread_id",
}
BOOLEANS = {
    "disable_notification", "protect_content", "show_alert", "drop_pending_updates",
    "allow_sending_without_reply", "disable_web_page_preview",
}
HTML_TAGS = {
    "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre",
    "tg-spoiler", "span", "tg-emoji", "blockquote",
}


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


class TelegramHTMLError(ValueError):
    pass


class _HTMLChecker(HTMLParser):
    """Telegram's HTML parse mode, strictly enough to catch escaping mistakes."""

    def __init__(self) -> None:
        # Entities are resolved one by one (below), so an escaped "&lt;" is text while a
        # bare "<" in the data is still caught.
        super().__init__(convert_charrefs=False)
        self.stack: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in HTML_TAGS:
            raise TelegramHTMLError(f'Unsupported start tag "{tag}"')
        if tag == "a" and not dict(attrs).get("href"):
            raise TelegramHTMLError('Tag "a" must have attribute "href"')
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            raise TelegramHTMLError(f'Unmatched end tag "{tag}"')
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        if "<" in data:
            raise TelegramHTMLError('Unexpected "<": escape it as &lt;')
        self.text.append(data)

    def handle_entityref(self, name: str) -> None:
        self.text.append(unescape(f"&{name};"))

    def handle_charref(self, name: str) -> None:
        self.text.append(unescape(f"&#{name};"))


def visible_text(text: str, parse_mode: str | None) -> str:
    """What the user sees; raises TelegramHTMLError like Telegram's 'can't parse entities'."""
    if (parse_mode or "").upper() != "HTML":
        return text
    if re.search(r"<(?![a-zA-Z/])", text):
        raise TelegramHTMLError('Unexpected "<": escape it as &lt;')
    checker = _HTMLChecker()
    checker.feed(text)
    checker.close()
    if checker.stack:
        tag = checker.stack[-1]
        raise TelegramHTMLError(f'Can\'t find end tag corresponding to start tag "{tag}"')
    return "".join(checker.text)


def parse_params(raw: dict[str, Any]) -> dict[str, Any]:
    """Form fields as ptb sends them: JSON for structured values, plain strings for text."""
    params: dict[str, Any] = {}
    for key, value in raw.items():
        if not isinstance(value, str):
            params[key] = value
        elif key in STRUCTURED:
            params[key] = json.loads(value)
        elif key in INTEGERS:
            params[key] = int(value)
        elif key in BOOLEANS:
            params[key] = value.lower() == "true"
        else:
            params[key] = value
    return params


def as_upload(value: Any) -> dict[str, Any] | None:
    """A multipart file field (aiohttp's FileField) as plain data; None when absent. A string
    is a file_id or URL, which the fake does not resolve: it has no file to show."""
    if value is None or isinstance(value, str):
        return None
    if isinstance(value, dict):  # already converted (a call replayed through handle())
        return value
    return {"filename": value.filename, "content_type": value.content_type,
            "data": value.file.read()}


def split_path(path: str) -> tuple[str | None, str]:
    match = re.fullmatch(r"/bot([^/]+)/(\w+)", path)
    return (match.group(1), match.group(2)) if match else (None, "")


def error(status: int, description: str) -> dict[str, Any]:
    return {"ok": False, "error_code": status, "description": description}


def text_entities(text: str) -> list[dict[str, Any]]:
    """The entities Telegram's apps attach: a leading /command, and @mentions."""
    entities = []
    if text.startswith("/"):
        command = text.split(maxsplit=1)[0]
        entities.append({"type": "bot_command", "offset": 0, "length": utf16_len(command)})
    for match in re.finditer(r"(?<!\w)@\w{5,32}", text):
        entities.append({
            "type": "mention",
            "offset": utf16_len(text[: match.start()]),
            "length": utf16_len(match.group(0)),
        })
    return entities


def _file(kind: str, **extra: Any) -> dict[str, Any]:
    return {"file_id": f"{kind}-file", "file_unique_id": f"{kind}-unique", **extra}


MEDIA: dict[str, Any] = {
    "sticker": lambda: {"sticker": _file("sticker", width=512, height=512, is_animated=False,
                                         is_video=False, type="regular", emoji="👍")},
    "photo": lambda: {"photo": [_file("photo", width=90, height=90),
                                _file("photo-big", width=800, height=800)]},
    "voice": lambda: {"voice": _file("voice", duration=4)},
    "video": lambda: {"video": _file("video", width=640, height=480, duration=3)},
    "video_note": lambda: {"video_note": _file("video-note", length=240, duration=3)},
    "audio": lambda: {"audio": _file("audio", duration=30)},
    "document": lambda: {"document": _file("document", file_name="vraag.pdf")},
    "location": lambda: {"location": {"latitude": 50.85, "longitude": 4.35}},
    "contact": lambda: {"contact": {"phone_number": "+32470000000", "first_name": "Sam"}},
    "poll": lambda: {"poll": {
        "id": "poll-1", "question": "Wanneer?", "options": [
            {"text": "Zaterdag", "voter_count": 0, "persistent_id": "opt-1"},
            {"text": "Zondag", "voter_count": 0, "persistent_id": "opt-2"}],
        "total_voter_count": 0, "is_closed": False, "is_anonymous": True, "type": "regular",
        "allows_multiple_answers": False, "allows_revoting": True,
        "members_only": False}},
}
