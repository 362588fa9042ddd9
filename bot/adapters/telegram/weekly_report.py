"""The weekly report in the staff group, through ptb's JobQueue (REPORT_WEEKDAY, REPORT_TIME).

Each week at the configured day and time (Brussels) the job runs `WeeklyPost.post_week`
(bot/adapters/report/weekly.py): it reads the week, builds and draws the report off the event
loop and queues its three staff-group posts in the outbox, once per week.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from bot.adapters.report.weekly import WeeklyPost
from bot.adapters.telegram.app import BotApplication, Plugin
from bot.adapters.telegram.context import BotContext
from bot.clock import BRUSSELS, utc_now
from bot.core.assistant import Assistant
from bot.settings import Settings

JOB_NAME = "weekly-report"


class WeeklyReport(WeeklyPost):
    """The weekly post, run by ptb's JobQueue."""

    @property
    def plugin(self) -> Plugin:
        return Plugin("weekly-report", self.register)

    def register(self, application: BotApplication) -> None:
        weekday = self.settings.report_weekday
        if weekday is None:
            return  # REPORT_WEEKDAY empty: no weekly post
        if application.job_queue is None:
            raise RuntimeError("REPORT_WEEKDAY needs python-telegram-bot[job-queue]")
        application.job_queue.run_daily(
            self.post,
            time=self.settings.report_time.replace(tzinfo=BRUSSELS),
            days=((weekday + 1) % 7,),  # ptb counts days from Sunday = 0
            name=JOB_NAME,
        )

    async def post(self, context: BotContext) -> None:
        """The job's callback."""
        await self.post_week(context.desk, context.services.storage)


def weekly_report_plugin(
    settings: Settings, assistant: Assistant, *, clock: Callable[[], datetime] = utc_now
) -> Plugin:
    return WeeklyReport(settings, assistant, clock=clock).plugin
