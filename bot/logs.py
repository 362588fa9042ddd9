"""Logging for the bot: the token never reaches a log line.

httpx logs every request URL at INFO, and the URL contains the bot token, so its logger is
raised to WARNING. As a second wall, every log record is redacted as it is created: handler
or logger filters would miss records from child loggers ("telegram.ext.Updater") and from
handlers added later (pytest's capture), while the record factory sees every record.
"""

from __future__ import annotations

import logging
from typing import Any

REDACTED = "<redacted-token>"
_secrets: set[str] = set()
_installed = False


def redact(text: str) -> str:
    for secret in _secrets:
        if secret in text:
            text = text.replace(secret, REDACTED)
    return text


class TokenRedactingFilter(logging.Filter):
    """Rewrites a record's message (and its formatted traceback) without any known token."""

    _formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        if not _secrets:
            return True
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a malformed %-format: keep the raw template
            message = str(record.msg)
        record.msg, record.args = redact(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = self._formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


class _RedactedRecord(logging.LogRecord):
    """A record that redacts its traceback text whenever it is set, so a formatter that
    formats an exception attached after creation (any handler, ours or not) leaks nothing."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _REDACTED_FIELDS and isinstance(value, str):
            value = redact(value)
        super().__setattr__(name, value)

    def getMessage(self) -> str:
        return redact(super().getMessage())


_REDACTED_FIELDS = frozenset({"exc_text", "stack_info", "message"})


def install_token_redaction(token: str) -> None:
    """Redact `token` (and its secret half) from every log record from now on."""
    global _installed
    if token:
        _secrets.add(token)
        _, _, secret = token.partition(":")
        if len(secret) >= 10:
            _secrets.add(secret)
    if _installed:
        return
    _installed = True
    previous = logging.getLogRecordFactory()
    redactor = TokenRedactingFilter()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        if type(record) is logging.LogRecord:
            record.__class__ = _RedactedRecord
        redactor.filter(record)
        return record

    logging.setLogRecordFactory(factory)


def quiet_http_loggers() -> None:
    for name in ("httpx", "httpcore"):
        logging.getLogger(name).setLevel(logging.WARNING)


def configure_logging(level: int, token: str) -> None:
    """For `python -m bot telegram`: plain lines on stderr, token-free."""
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for handler in logging.getLogger().handlers:
        handler.addFilter(TokenRedactingFilter())
    quiet_http_loggers()
    install_token_redaction(token)
