"""Redraw docs/report-example.png, the README's picture of the weekly report: the page's
header, summary and three of its charts, for one week of generated history.

    .venv/bin/python docs/report_example.py
"""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from pathlib import Path

import matplotlib.image as mpimg
from matplotlib.figure import Figure

from bot.adapters.report import charts
from bot.reporting.build import build_report
from bot.reporting.summary import labels, summary_lines
from bot.testing.report_history import generate_history

OUT = Path(__file__).with_name("report-example.png")
DPI = 100
HEADER = 260  # pixels for the title, the period and the five summary lines


def main() -> None:
    now = datetime(2026, 11, 30, 8, tzinfo=UTC)
    history = generate_history(date(2026, 9, 1), date(2026, 11, 29), now=now)
    report = build_report(history.events, history.feedback, history.tickets,
                          start=date(2026, 11, 23), end=date(2026, 11, 29), now=now)
    pictures = [mpimg.imread(io.BytesIO(png)) for png in (
        charts.main_chart(report, "nl"), charts.top_answered_chart(report, "nl"),
        charts.waits_chart(report, "nl"))]
    width = max(p.shape[1] for p in pictures)
    height = HEADER + sum(p.shape[0] + 10 for p in pictures) + 30
    figure = Figure(figsize=(width / DPI + 0.4, height / DPI), dpi=DPI)
    figure.patch.set_facecolor("white")
    words = labels("nl")
    figure.text(0.02, 1 - 30 / height, words["title"], fontsize=18, weight="bold", va="top")
    figure.text(0.02, 1 - 65 / height, words["period"].format(start="23/11/2026",
                end="29/11/2026"), fontsize=11, color="#666", va="top")
    for i, line in enumerate(summary_lines(report, "nl")):
        figure.text(0.03, 1 - (100 + i * 30) / height, f"•  {line}", fontsize=11, va="top")
    top = HEADER
    for picture in pictures:
        rows, columns = picture.shape[:2]
        axes = figure.add_axes((0.02, 1 - (top + rows) / height, columns / (width + 40),
                                rows / height))
        axes.imshow(picture)
        axes.axis("off")
        top += rows + 10
    figure.savefig(OUT, dpi=DPI)


if __name__ == "__main__":
    main()
