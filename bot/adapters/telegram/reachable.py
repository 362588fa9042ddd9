"""Start before the network is up: wait for the Bot API with backoff, never die of it.

A bot that starts before its network (a container before its proxy, a host after a reboot) or
during a Telegram outage gets a connection error from its first call (`getMe`, in ptb's
`Application.initialize`). Instead of a traceback and exit 1, `wait_for_bot_api` waits with
backoff (bot/delivery/backoff.py: one log line per attempt, 1 s, then 2, 4 ... up to 60 s)
until the API answers or the process is told to stop (SIGINT, SIGTERM: a clean exit), on the
event loop that ptb's run_polling / run_webhook then takes over, initialised.
A token Telegram refuses is no reason to wait: `BotTokenRefused`, whose text (unlike ptb's
InvalidToken) does not contain the token.
"""

from __future__ import annotations

import logging

from telegram.error import InvalidToken

from bot.adapters.telegram.app import BotApplication
from bot.adapters.telegram.retry import RetryingRateLimiter, judge
from bot.delivery.backoff import run_until_stopped, until_it_works
from bot.delivery.retrying import TRANSIENT

log = logging.getLogger(__name__)
FIRST_WAIT = 1.0  # seconds before the second attempt
MAX_WAIT = 60.0  # the wait doubles up to this


class BotTokenRefused(Exception):
    """Telegram answered 401/404 to getMe: BOT_TOKEN is wrong or revoked."""

    def __init__(self) -> None:
        super().__init__(
            "BOT_TOKEN was refused by Telegram (Unauthorized): copy the token again from "
            "@BotFather (it is revoked when a new one is generated)."
        )


async def initialize_when_reachable(
    application: BotApplication, *, first: float = FIRST_WAIT, cap: float = MAX_WAIT
) -> None:
    """`application.initialize()`, retried with capped exponential backoff
    (bot/delivery/backoff.py) while the Bot API cannot be reached (connection refused or
    reset, DNS, timeouts, 5xx)."""
    limiter = application.bot.rate_limiter
    # The limiter's own quick retries would add two lines per attempt; here the wait is ours.
    saved = None
    if isinstance(limiter, RetryingRateLimiter):
        saved, limiter.network_retries = limiter.network_retries, 0

    async def attempt() -> None:
        try:
            await application.initialize()
        except InvalidToken:
            raise BotTokenRefused from None  # ptb's message holds the token itself

    try:
        _, failed = await until_it_works(
            attempt, unreachable=_unreachable, log=log, first=first, cap=cap
        )
        if failed:
            log.info("Telegram Bot API reachable: starting")
    finally:
        if saved is not None and isinstance(limiter, RetryingRateLimiter):
            limiter.network_retries = saved


def _unreachable(exc: Exception) -> str | None:
    """The log line for a failure worth waiting out (what the rate limiter calls transient: no
    answer, a timeout, a 5xx), None for an answer from Telegram (a 400, a 429)."""
    if judge(exc) == TRANSIENT:
        return f"Telegram Bot API not reachable ({type(exc).__name__}: {exc})"
    return None


def wait_for_bot_api(application: BotApplication) -> bool:
    """Block until the application is initialised against a reachable Bot API (True), or a
    stop signal arrived first (False: nothing was started, the caller exits cleanly)."""
    started = run_until_stopped(
        lambda: initialize_when_reachable(application),
        refusals=(BotTokenRefused,), clean_up=application.bot.shutdown,
    )
    if not started:
        log.info("stopped while waiting for the Telegram Bot API")
    return started
