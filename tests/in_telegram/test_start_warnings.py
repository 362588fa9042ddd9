"""At start, `python -m bot telegram` logs every figure that runs out within 30 days."""

from __future__ import annotations

import argparse
import logging
from datetime import date

from bot.commands import telegram as telegram_command
from bot.testing.fake_bot_api import TOKEN


def test_start_logs_the_figures_missing_for_the_coming_year(monkeypatch, tmp_path, caplog):
    """On 2 December 2026 the log names each yearly figure that has no 2027 amount yet."""
    monkeypatch.setenv("BOT_TOKEN", TOKEN)
    monkeypatch.setenv("CENTRE_NAME", "Centrum")
    monkeypatch.setenv("CENTRE_CONTACT", "info@example.org")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/bot.db")
    monkeypatch.setattr("bot.clock.brussels_today", lambda: date(2026, 12, 2))
    caplog.set_level(logging.WARNING, logger="bot")
    assert telegram_command.run(argparse.Namespace(check_config=True)) == 0
    soon = [r.getMessage() for r in caplog.records if "from 2027-01-01" in r.getMessage()]
    for name in ("allowance.per_day", "allowance.per_year", "allowance.raised_per_year"):
        assert any(f"'{name}'" in line for line in soon), name
