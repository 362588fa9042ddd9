"""The weekly report as staff-group posts: the chart as a photo, the short summary (in each
staff language) and the page as a document, as outbox rows keyed by the week.

Pure: the chart and the page arrive drawn; bot/adapters/report/weekly.py draws them and writes
the rows, the Telegram adapter schedules the job.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from html import escape

from bot.escalation.records import NewOutbox
from bot.reporting.build import Report
from bot.reporting.summary import labels, summary_lines


def report_posts(
    report: Report, languages: Sequence[str], chat_id: int, key: str, *, png: bytes, page: str
) -> list[NewOutbox]:
    """The three posts; `key` names the week, so a second run finds them queued already."""
    caption = _caption(report, languages[0])
    stem = f"report-{report.start.isoformat()}-{report.end.isoformat()}"
    return [
        NewOutbox(f"{key}:photo", "staff", chat_id, "sendPhoto",
                  {"file": _b64(png), "filename": f"{stem}.png", "caption": caption}),
        NewOutbox(f"{key}:summary", "staff", chat_id, "sendMessage",
                  {"text": "\n\n".join(_summary(report, lang) for lang in languages)}),
        NewOutbox(f"{key}:document", "staff", chat_id, "sendDocument",
                  {"file": _b64(page.encode("utf-8")), "filename": f"{stem}.html",
                   "caption": caption}),
    ]


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _caption(report: Report, language: str) -> str:
    words = labels(language)
    period = words["period"].format(start=f"{report.start:%d/%m}", end=f"{report.end:%d/%m/%Y}")
    return f"<b>{escape(words['title'])}</b>\n{escape(period)}"


def _summary(report: Report, language: str) -> str:
    lines = summary_lines(report, language)
    return _caption(report, language) + "\n" + "\n".join(f"• {escape(line)}" for line in lines)
