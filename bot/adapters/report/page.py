"""The report as one self-contained HTML file: inline CSS, charts as base64 PNG, no script and
no external request (it opens from an e-mail attachment or a Telegram document alike).

Everything shown comes from the `Report`: counts, entry ids, topics and the anonymised texts
of escalated questions. Every text is escaped."""

from __future__ import annotations

import base64
from collections.abc import Iterable, Sequence
from html import escape

from bot.adapters.report import charts
from bot.reporting.build import Report
from bot.reporting.summary import labels, summary_lines

STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 62em; color: #222; }
h1 { font-size: 1.5em; margin-bottom: 0.2em; } h2 { font-size: 1.15em; margin-top: 1.6em; }
.period { color: #666; margin-top: 0; } img { max-width: 100%; }
table { border-collapse: collapse; width: 100%; font-size: 0.92em; }
th, td { text-align: left; padding: 0.3em 0.6em; border-bottom: 1px solid #ddd;
         vertical-align: top; }
td.n { text-align: right; width: 5em; } .note { color: #666; font-size: 0.9em; }
ul.summary li { margin: 0.2em 0; }
"""


def _image(png: bytes, alt: str) -> str:
    data = base64.b64encode(png).decode("ascii")
    return f'<img alt="{escape(alt)}" src="data:image/png;base64,{data}">'


def _table(head: Sequence[str], rows: Iterable[Sequence[object]], numeric: set[int]) -> str:
    cells = "".join(f"<th>{escape(h)}</th>" for h in head)
    body = "".join(
        "<tr>" + "".join(
            f'<td class="n">{escape(str(v))}</td>' if i in numeric
            else f"<td>{escape(str(v))}</td>"
            for i, v in enumerate(row)
        ) + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{cells}</tr></thead><tbody>{body}</tbody></table>"


def render_html(report: Report, language: str, *, main_png: bytes | None = None) -> str:
    """The whole page; `main_png` reuses the main chart when the caller drew it already."""
    words = labels(language)
    none = f'<p class="note">{escape(words["none"])}</p>'
    period = words["period"].format(start=f"{report.start:%d/%m/%Y}", end=f"{report.end:%d/%m/%Y}")
    parts = [
        f'<!DOCTYPE html><html lang="{escape(language)}"><head><meta charset="utf-8">',
        f"<title>{escape(words['title'])} – {escape(period)}</title>",
        f"<style>{STYLE}</style></head><body>",
        f"<h1>{escape(words['title'])}</h1><p class=\"period\">{escape(period)}</p>",
        '<ul class="summary">',
        *(f"<li>{escape(line)}</li>" for line in summary_lines(report, language)),
        "</ul>",
        f"<h2>{escape(words['per_day_action'])}</h2>",
        _image(main_png or charts.main_chart(report, language), words["per_day_action"]),
        f"<h2>{escape(words['per_day_language'])}</h2>",
        _image(charts.language_chart(report, language), words["per_day_language"]),
        f"<h2>{escape(words['top_answered'])}</h2>",
    ]
    if report.top_answered:
        parts.append(_image(charts.top_answered_chart(report, language), words["top_answered"]))
        parts.append(_table((words["entry"], words["times"]), report.top_answered, {1}))
    else:
        parts.append(none)
    parts.append(f"<h2>{escape(words['most_down'])}</h2>")
    if report.most_down:
        parts.append(_image(charts.most_down_chart(report, language), words["most_down"]))
        parts.append(_table(
            (words["entry"], words["down"], words["up"]),
            ((v.entry_id, v.down, v.up) for v in report.most_down), {1, 2},
        ))
    else:
        parts.append(none)
    parts.append(f"<h2>{escape(words['by_topic'])}</h2>")
    if report.escalations_by_topic:
        parts.append(_image(charts.topics_chart(report, language), words["by_topic"]))
    else:
        parts.append(none)
    parts += [
        f"<h2>{escape(words['waits'])}</h2>",
        _image(charts.waits_chart(report, language), words["waits"]),
        f"<h2>{escape(words['candidates'])}</h2>",
        f'<p class="note">{escape(words["candidates_note"])}</p>',
    ]
    if report.candidates:
        parts.append(_table(
            ("", words["terms"], words["count"], words["examples"]),
            (
                (c.language, ", ".join(c.terms) or words["single"], c.count,
                 " · ".join(c.examples))
                for c in report.candidates
            ),
            {2},
        ))
    else:
        parts.append(none)
    parts.append("</body></html>")
    return "\n".join(parts)
