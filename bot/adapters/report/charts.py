"""The report's charts as PNG bytes, drawn with matplotlib's object API on the Agg backend
(no display, no global pyplot state, so the weekly job can draw in a worker thread)."""

from __future__ import annotations

import io
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")  # before anything else of matplotlib: a server has no display

from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from bot.reporting.build import Report
from bot.reporting.records import ACTIONS
from bot.reporting.summary import labels, percent

COLOURS = {"answer": "#2e7d32", "clarify": "#f9a825", "escalate": "#c62828",
           "smalltalk": "#90a4ae", "nl": "#1565c0", "fr": "#ad1457"}
OTHER = "#6d4c41"
DPI = 110
MAX_BARS = 62  # longer periods are drawn as stacked areas


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, bbox_inches="tight")
    return buffer.getvalue()


def _stacked_per_day(
    report: Report, keys: Sequence[str], counts: Sequence[dict[str, int]], names: dict[str, str],
    title: str,
) -> bytes:
    figure = Figure(figsize=(9, 3.6))
    axes = figure.subplots()
    days = list(range(len(report.days)))
    series = [[c.get(key, 0) for c in counts] for key in keys]
    names_shown = [names.get(key, key) for key in keys]
    colours = [COLOURS.get(key, OTHER) for key in keys]
    if len(days) <= MAX_BARS:
        bottom = [0] * len(days)
        for values, name, colour in zip(series, names_shown, colours, strict=True):
            axes.bar(days, values, bottom=bottom, width=0.8, label=name, color=colour,
                     linewidth=0)
            bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    else:
        # A year of daily bars is thousands of rectangles (slow, and unreadable): areas.
        axes.stackplot(days, *series, labels=names_shown, colors=colours, linewidth=0)
        bottom = [sum(column) for column in zip(*series, strict=True)] if series else []
    axes.set_title(title, loc="left", fontsize=11)
    axes.legend(loc="upper left", fontsize=8, ncols=len(keys), frameon=False)
    axes.set_ylim(0, max([*bottom, 1]) * 1.25)  # room for the legend above the bars
    axes.spines[["top", "right"]].set_visible(False)
    step = max(1, len(days) // 12)  # about a dozen date labels, whatever the period
    axes.set_xticks(days[::step], [f"{d.day:%d/%m}" for d in report.days[::step]], fontsize=8)
    return _png(figure)


def main_chart(report: Report, language: str) -> bytes:
    """Questions per day by action, with the share answered without staff in the title:
    the picture posted to the staff group."""
    words = labels(language)
    title = (
        f"{words['per_day_action']} — {report.questions} · "
        f"{percent(report.answered_without_staff)} {words['share']}"
    )
    return _stacked_per_day(
        report, ACTIONS, [d.by_action for d in report.days], words, title
    )


def language_chart(report: Report, language: str) -> bytes:
    keys = sorted({lang for d in report.days for lang in d.by_language}) or ["nl", "fr"]
    return _stacked_per_day(
        report, keys, [d.by_language for d in report.days], {},
        labels(language)["per_day_language"],
    )


def _horizontal(
    pairs: Sequence[tuple[str, Sequence[int]]], series: Sequence[tuple[str, str]], title: str
) -> bytes:
    figure = Figure(figsize=(9, 0.9 + 0.32 * max(len(pairs), 1)))
    axes = figure.subplots()
    names = [name for name, _ in pairs][::-1]
    left = [0] * len(names)
    for index, (label, colour) in enumerate(series):
        values = [values[index] for _, values in pairs][::-1]
        axes.barh(names, values, left=left, color=colour, label=label)
        left = [a + b for a, b in zip(left, values, strict=True)]
    if len(series) > 1:
        axes.legend(loc="lower right", fontsize=8, frameon=False)
    axes.set_title(title, loc="left", fontsize=11)
    axes.tick_params(axis="y", labelsize=8)
    axes.spines[["top", "right"]].set_visible(False)
    return _png(figure)


def top_answered_chart(report: Report, language: str) -> bytes:
    words = labels(language)
    return _horizontal(
        [(entry, (n,)) for entry, n in report.top_answered], [(words["times"], COLOURS["answer"])],
        words["top_answered"],
    )


def most_down_chart(report: Report, language: str) -> bytes:
    words = labels(language)
    return _horizontal(
        [(v.entry_id, (v.down, v.up)) for v in report.most_down],
        # Words, not 👎/👍: matplotlib's bundled font has no emoji (and warns).
        [(words["down_word"], COLOURS["escalate"]), (words["up_word"], COLOURS["answer"])],
        words["most_down_chart"],
    )


def topics_chart(report: Report, language: str) -> bytes:
    words = labels(language)
    pairs = [
        (words["unknown_topic"] if topic == "?" else topic, (n,))
        for topic, n in report.escalations_by_topic
    ]
    return _horizontal(pairs, [(words["tickets"], COLOURS["escalate"])], words["by_topic"])


def waits_chart(report: Report, language: str) -> bytes:
    """Working days to the first staff answer (histogram, median and p90 marked) beside the
    open tickets by age."""
    words = labels(language)
    figure = Figure(figsize=(9, 3.2))
    waits_axes, age_axes = figure.subplots(1, 2, gridspec_kw={"width_ratios": [3, 2]})
    if report.waits:
        waits_axes.hist(report.waits, bins=20, color=COLOURS["nl"])
        for value, style, name in ((report.wait_median, "-", words["median"]),
                                   (report.wait_p90, "--", "p90")):
            if value is not None:
                waits_axes.axvline(value, color="black", linestyle=style,
                                   label=f"{name} {value:.1f}")
        # Below the axis, not inside: the p90 line often runs through the upper right
        # corner and would cross the legend out.
        waits_axes.legend(fontsize=8, frameon=False, ncols=2, loc="upper center",
                          bbox_to_anchor=(0.5, -0.12))
        waits_axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    waits_axes.set_title(words["waits"], loc="left", fontsize=9)
    names = [name for name, _ in report.open_by_age]
    age_axes.bar(names, [n for _, n in report.open_by_age], color=COLOURS["escalate"])
    age_axes.set_title(words["open_by_age"], loc="left", fontsize=9)
    age_axes.yaxis.set_major_locator(MaxNLocator(integer=True))  # tickets come whole
    for axes in (waits_axes, age_axes):
        axes.spines[["top", "right"]].set_visible(False)
    return _png(figure)
