"""/healthz, /readyz and /metrics as tornado handlers, and a server for polling mode.

Webhook mode adds the same routes to ptb's webhook server (bot.adapters.http.webhook);
polling mode serves them on METRICS_PORT (`MetricsServer`), or not at all when it is unset.
"""

from __future__ import annotations

import json
from typing import Any

import tornado.web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets

from bot.adapters.http.observability import Observability


class _Handler(tornado.web.RequestHandler):
    def initialize(self, observability: Observability) -> None:
        self.observability = observability


class HealthzHandler(_Handler):
    def get(self) -> None:
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.write("ok\n")


class ReadyzHandler(_Handler):
    def get(self) -> None:
        readiness = self.observability.health.readiness()
        self.set_status(200 if readiness.ready else 503)
        self.set_header("Content-Type", "application/json")
        self.write(json.dumps(readiness.as_dict()) + "\n")


class MetricsHandler(_Handler):
    def get(self) -> None:
        self.set_header("Content-Type", CONTENT_TYPE_LATEST)
        self.write(generate_latest(self.observability.metrics.registry))


def routes(observability: Observability) -> list[tuple[str, type[_Handler], dict[str, Any]]]:
    options = {"observability": observability}
    return [
        (r"/healthz", HealthzHandler, options),
        (r"/readyz", ReadyzHandler, options),
        (r"/metrics", MetricsHandler, options),
    ]


class MetricsServer:
    """The three routes on their own port (polling mode). Port 0 picks a free one (tests)."""

    def __init__(self, observability: Observability, *, listen: str, port: int) -> None:
        self.listen = listen
        self.port = port
        self._server = HTTPServer(tornado.web.Application(routes(observability)))

    def start(self) -> int:
        sockets = bind_sockets(self.port, address=self.listen)
        self._server.add_sockets(sockets)
        self.port = sockets[0].getsockname()[1]
        return self.port

    async def stop(self) -> None:
        self._server.stop()
        await self._server.close_all_connections()
