"""The weekly report's posts, queued: the use case behind the staff group's Monday post.

It reads the seven days before today, builds the report in a worker thread (checking
escalated questions against the knowledge base and drawing charts takes a few seconds; the
bot keeps answering meanwhile) and queues three staff-group posts in the outbox, like every
other staff post: the main chart as a photo, the five-line summary (in each staff language),
and the HTML page as a document (bot/reporting/posts.py).

The outbox keys name the week ("report:2026-11-29:photo"), so a run that happens twice (a
restart at the wrong moment, two replicas on one PostgreSQL) posts the week once, and a
failed upload is retried by the sender with the same bytes. When it runs is the Telegram
adapter's (bot/adapters/telegram/weekly_report.py: ptb's JobQueue).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime

from bot.adapters.report.collect import Period, build, read_period
from bot.clock import BRUSSELS, utc_now
from bot.core.assistant import Assistant
from bot.escalation.desk import Desk
from bot.escalation.records import NewOutbox
from bot.escalation.staff_language import spoken
from bot.reporting.posts import report_posts
from bot.reporting.records import ReportStorage
from bot.reporting.schedule import reported_week
from bot.settings import Settings

log = logging.getLogger(__name__)


class WeeklyPost:
    def __init__(
        self,
        settings: Settings,
        assistant: Assistant,
        *,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.settings = settings
        self.assistant = assistant  # the core itself: checking questions counts no answers
        self.clock = clock

    async def post_week(self, desk: Desk, storage: ReportStorage) -> bool:
        """Queue the posts for the week before today; False when there is no staff group or
        the week was posted already."""
        chat_id = desk.staff_chat_id
        if chat_id is None:
            log.warning("weekly report: no staff group (STAFF_CHAT_ID) to post it in")
            return False
        now = self.clock()
        start, end = reported_week(now.astimezone(BRUSSELS).date())
        key = f"report:{end.isoformat()}"
        if desk.storage.outbox_row(f"{key}:document") is not None:
            return False
        period = read_period(storage, start=start, end=end, now=now)
        rows = await asyncio.to_thread(self.rows, period, chat_id, key)
        desk.storage.enqueue(rows, ticket_id=None, now=self.clock())
        desk.on_write()
        log.info("weekly report for %s .. %s queued", start, end)
        return True

    def rows(self, period: Period, chat_id: int, key: str) -> list[NewOutbox]:
        """The three posts (built off the event loop: no ptb, no database here)."""
        # matplotlib only when a report is drawn: the bot starts as fast without one.
        from bot.adapters.report.charts import main_chart
        from bot.adapters.report.page import render_html

        report = build(period, self.assistant)
        languages = spoken(self.settings.staff_language)
        png = main_chart(report, languages[0])
        page = render_html(report, languages[0], main_png=png)
        return report_posts(report, languages, chat_id, key, png=png, page=page)
