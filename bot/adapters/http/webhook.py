"""Webhook mode: ptb's run_webhook, with /healthz, /readyz and /metrics on the same server.

Telegram posts each update to WEBHOOK_URL's path with the header
X-Telegram-Bot-Api-Secret-Token; ptb's handler answers 403 to any request without the right
value before the update reaches the queue, so such a request changes nothing. Accepted
updates go into the application's update queue: the durable inbox, as in polling mode.
"""

from __future__ import annotations

import asyncio
from typing import Any

from telegram import Bot
from telegram.ext import Updater

from bot.adapters.http.observability import Observability
from bot.adapters.http.server import routes
from bot.adapters.telegram.app import BotApplication


class WebhookUpdater(Updater):
    """ptb's Updater, whose webhook server also serves the health and metrics routes."""

    __slots__ = ("extra_routes",)

    def __init__(
        self, bot: Bot, update_queue: asyncio.Queue[object], extra_routes: list[Any]
    ) -> None:
        super().__init__(bot, update_queue)
        self.extra_routes = extra_routes

    async def start_webhook(self, *args: Any, **kwargs: Any) -> asyncio.Queue[object]:
        queue = await super().start_webhook(*args, **kwargs)
        # ptb builds its tornado Application inside start_webhook and offers no hook for more
        # routes, so they are added to it here. A ptb upgrade that moves this attribute fails
        # tests/in_telegram/test_webhook.py, not production silently.
        assert self._httpd is not None
        app: Any = self._httpd._http_server.request_callback  # tornado's web.Application
        app.add_handlers(r".*", self.extra_routes)
        return queue


def use_webhook_updater(application: BotApplication, observability: Observability) -> None:
    """Replace the application's Updater by one serving the health and metrics routes."""
    application.updater = WebhookUpdater(
        application.bot, application.update_queue, routes(observability)
    )
