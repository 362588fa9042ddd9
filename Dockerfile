# The Telegram bot: python -m bot telegram, configured by environment variables (see README).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# Dependencies first, so editing the knowledge base does not reinstall them.
COPY pyproject.toml README.md ./
COPY bot ./bot
# Webhook mode (tornado) is a main dependency; PostgreSQL's driver comes with the extra.
RUN pip install '.[postgres]'

# The knowledge base sits next to bot/ as in a checkout. The installed package lives in
# site-packages, so KNOWLEDGE_DIR names this folder explicitly.
COPY knowledge ./knowledge
COPY faq ./faq
ENV KNOWLEDGE_DIR=/app \
    DATABASE_URL=sqlite:////data/bot.sqlite3

# Non-root, with a volume for the SQLite database (chat languages, anonymous ratings).
RUN useradd --system --uid 10001 --home-dir /app bot && mkdir /data && chown bot /data
USER bot
VOLUME ["/data"]

# Long polling needs no open port; webhook mode (WEBHOOK_URL) listens on 8080, which also
# serves /healthz, /readyz and /metrics (compose.yaml checks /readyz). A configuration
# problem exits with status 2.
EXPOSE 8080
CMD ["python", "-m", "bot", "telegram"]
