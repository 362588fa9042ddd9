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
RUN pip install .

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

# Long polling needs no open port. A configuration problem exits with status 2.
CMD ["python", "-m", "bot", "telegram"]
