"""The bot token never reaches a log line, not even inside a logged traceback."""

import io
import logging

import pytest

from bot.logs import TokenRedactingFilter, install_token_redaction

TOKEN = "123456:SECRET-token-part-abcdefghij"


@pytest.fixture(params=["our handler filter", "a third-party handler without it"])
def log_output(request):
    install_token_redaction(TOKEN)
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    if request.param == "our handler filter":
        handler.addFilter(TokenRedactingFilter())
    logger = logging.getLogger("bot.test.redaction")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    yield logger, stream
    logger.removeHandler(handler)


def fail_with_url() -> None:
    try:
        raise OSError(f"connect failed: https://api.telegram.org/bot{TOKEN}/getMe")
    except OSError as error:
        raise RuntimeError(f"while calling bot{TOKEN}") from error


def test_a_logged_exception_whose_text_holds_the_token_is_redacted(log_output):
    logger, stream = log_output
    try:
        fail_with_url()
    except RuntimeError:
        logger.exception("request to %s failed", f"bot{TOKEN}")
    text = stream.getvalue()
    assert "Traceback" in text and "OSError" in text and "RuntimeError" in text
    assert TOKEN not in text and TOKEN.split(":")[1] not in text
    assert text.count("<redacted-token>") >= 3


def test_an_exception_attached_after_the_record_was_made_is_redacted(log_output):
    """A handler or filter that sets exc_info later (as some libraries do) leaks nothing."""
    logger, stream = log_output
    try:
        fail_with_url()
    except RuntimeError as error:
        record = logger.makeRecord(logger.name, logging.ERROR, __file__, 1, "boom", (), None)
        record.exc_info = (type(error), error, error.__traceback__)
        logger.handle(record)
    assert TOKEN not in stream.getvalue()


def test_a_logged_stack_holding_the_token_is_redacted(log_output):
    logger, stream = log_output
    logger.warning("here", stack_info=True, extra={"url": TOKEN})
    logger.error("exception object as message: %s", OSError(f"bot{TOKEN}"))
    assert TOKEN not in stream.getvalue()
