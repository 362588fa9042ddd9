"""Run the bot: long polling (with /healthz, /readyz, /metrics on METRICS_PORT when set)."""

from __future__ import annotations

import logging
from typing import Any

from telegram import Update

from bot.adapters.http.observability import Observability
from bot.adapters.http.server import MetricsServer
from bot.adapters.telegram.app import BotApplication
from bot.settings import Settings

log = logging.getLogger(__name__)
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
    """Block until stopped (Ctrl-C, SIGTERM)."""
    if settings.metrics_port is not None:
        serve_metrics_while_running(
            application, observability, listen=METRICS_LISTEN, port=settings.metrics_port
        )
    application.run_polling(allowed_updates=Update.ALL_TYPES, drop_pending_updates=False)
