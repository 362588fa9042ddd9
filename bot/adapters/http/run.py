"""Run the bot: long polling by default, a webhook when WEBHOOK_URL is set.

Polling serves /healthz, /readyz and /metrics on METRICS_PORT when it is set; webhook mode
serves them on the webhook server. Both ask Telegram only for the update types the bot
handles.
"""

from __future__ import annotations

import logging
from typing import Any

from telegram import Update

from bot.adapters.http.observability import Observability
from bot.adapters.http.server import MetricsServer
from bot.adapters.http.webhook import use_webhook_updater
from bot.adapters.telegram.app import BotApplication
from bot.adapters.telegram.reachable import wait_for_bot_api
from bot.settings import Settings

log = logging.getLogger(__name__)
# What the handlers react to (messages, edits, buttons); Telegram sends nothing else.
ALLOWED_UPDATES = [Update.MESSAGE, Update.EDITED_MESSAGE, Update.CALLBACK_QUERY]
METRICS_LISTEN = "0.0.0.0"  # in a container the scraper comes from outside


def serve_metrics_while_running(
    application: BotApplication, observability: Observability, *, listen: str, port: int
) -> None:
    """Start the metrics server with the application and stop it with it."""
    server = MetricsServer(observability, listen=listen, port=port)
    previous_init, previous_stop = application.post_init, application.post_stop

    async def post_init(app: Any) -> None:
        if previous_init is not None:
            await previous_init(app)
        log.info("health and metrics on port %d", server.start())

    async def post_stop(app: Any) -> None:
        await server.stop()
        if previous_stop is not None:
            await previous_stop(app)

    application.post_init = post_init
    application.post_stop = post_stop


def run(application: BotApplication, settings: Settings, observability: Observability) -> None:
    """Block until stopped (Ctrl-C, SIGTERM). A Bot API that cannot be reached at start is
    waited for (bot.adapters.telegram.reachable), not a reason to exit."""
    if settings.webhook_url:
        use_webhook_updater(application, observability)
        if not wait_for_bot_api(application):
            return
        log.info("webhook mode on %s:%d", settings.webhook_listen, settings.webhook_port)
        application.run_webhook(
            listen=settings.webhook_listen,
            port=settings.webhook_port,
            url_path=settings.webhook_path,
            webhook_url=settings.webhook_url,
            secret_token=settings.webhook_secret,
            allowed_updates=ALLOWED_UPDATES,
            drop_pending_updates=False,
        )
        return
    if settings.metrics_port is not None:
        serve_metrics_while_running(
            application, observability, listen=METRICS_LISTEN, port=settings.metrics_port
        )
    if not wait_for_bot_api(application):
        return
    application.run_polling(allowed_updates=ALLOWED_UPDATES, drop_pending_updates=False)
