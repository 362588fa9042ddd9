"""The bot's own HTTP face: health, readiness and Prometheus metrics, and webhook mode.

`metrics.py` and `health.py` hold no HTTP; `server.py` serves them (tornado, which ptb's
webhook extra brings) on METRICS_PORT in polling mode; `webhook.py` runs ptb's run_webhook
and adds the same routes to its server. `Observability` (here) ties them to one bot.
"""
