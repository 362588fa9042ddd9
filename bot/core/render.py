"""Jinja2 rendering for Telegram's HTML mode: reply templates and entry answers.

Templates live in bot/templates/<lang>/ (same file names per language). Autoescape is on and
undefined names are errors (StrictUndefined), so a typo fails at load, never in a reply.
Entry answers are compiled at load with the same Environment; their literal text is escaped
too, except the few tags Telegram understands (<b>, <i>, <u>, <a href>).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, Template, TemplateError
from markupsafe import Markup

from bot.core.amounts import format_eur, format_number, format_rate
from bot.core.errors import Problem
from bot.core.figures import Figures, FigureValue
from bot.core.knowledge import figure_names
from bot.core.model import LANGUAGES, Entry, Language

_JINJA_BLOCK = re.compile(r"({{.*?}}|{%.*?%}|{#.*?#})", re.DOTALL)
_ALLOWED_TAG = re.compile(
    r"&lt;(/?)(b|i|u)&gt;|&lt;a href=&quot;(https?://[^&\s]+)&quot;&gt;|&lt;/a&gt;"
)
_LINK = re.compile(r'<a href="([^"]+)">(.*?)</a>', re.DOTALL)
_TAG = re.compile(r"<[^>]+>")

UNKNOWN = {"nl": "niet bevestigd voor {day}", "fr": "non confirmé pour le {day}"}
# The coming period has no amount yet: the last confirmed one, labelled with ITS period.
PENDING = {
    "nl": "{amount} (bedrag van {last}; voor {coming} nog niet bevestigd)",
    "fr": "{amount} (montant de {last} ; pour {coming}, pas encore confirmé)",
}


@dataclass(frozen=True)
class Centre:
    """The expertise centre's display name and contact, shown in replies (never hard-coded)."""

    name: dict[str, str]
    contact: str = ""

    @classmethod
    def default(cls) -> Centre:
        return cls(
            {
                "nl": "het Expertisecentrum Vrijwilligerswerk",
                "fr": "le Centre d'expertise du volontariat",
            }
        )


_VOWEL_START = re.compile(r"[aeiouyàâäéèêëîïôöùûü]", re.IGNORECASE)


def french_of(name: str) -> str:
    """French "de" before the centre's name, as the name starts: "d'Expertisecentrum …",
    "du Centre …" (le), "des …" (les), else "de …". CENTRE_NAME is one name for both
    languages, and "de Expertisecentrum" is a mistake every French reader sees."""
    lower = name.lower()
    if lower.startswith("le "):
        return f"du {name[3:]}"
    if lower.startswith("les "):
        return f"des {name[4:]}"
    if _VOWEL_START.match(name):
        return f"d'{name}"
    return f"de {name}"


def format_day(day: date) -> str:
    return f"{day.day}/{day.month}/{day.year}"


def _filters(lang: Language) -> dict[str, Any]:
    def need(value: Any) -> FigureValue:
        if not isinstance(value, FigureValue):
            raise TemplateError(f"expected a figure (figures.…), got {value!r}")
        return value

    def show(fv: FigureValue, fmt: Any) -> str:
        if fv.value is not None:
            return str(fmt(fv.value))
        if fv.pending and fv.last is not None and fv.last.value is not None:
            return PENDING[lang].format(
                amount=fmt(fv.last.value), last=fv.last.label(lang), coming=fv.coming_label(lang)
            )
        return UNKNOWN[lang].format(day=format_day(fv.day))

    def eur(value: Any) -> str:
        return show(need(value), lambda v: format_eur(v, lang))

    def rate(value: Any) -> str:
        return show(need(value), lambda v: format_rate(v, lang))

    def num(value: Any) -> str:
        return show(need(value), lambda v: format_number(v, 0))

    def period(value: Any) -> str:
        fv = need(value)
        if fv.period:
            return fv.period.label(lang)
        if fv.pending and fv.last is not None:
            return fv.last.label(lang)  # the amounts shown are that period's, labelled so
        return format_day(fv.day)

    def known(value: Any) -> bool:
        return need(value).known

    return {
        "eur": eur,
        "rate": rate,
        "num": num,
        "period": period,
        "known": known,
        "day": format_day,
        "of": french_of,
    }


def escape_literal_text(source: str) -> str:
    """Escape an answer template's own text for Telegram HTML, keeping Jinja blocks and the
    tags Telegram supports, so "< 18 jaar" or "R&D" cannot break the message."""
    parts = _JINJA_BLOCK.split(source)
    for i in range(0, len(parts), 2):  # even parts are literal text
        escaped = html.escape(parts[i], quote=True)
        parts[i] = _ALLOWED_TAG.sub(_restore_tag, escaped)
    return "".join(parts)


def _restore_tag(match: re.Match[str]) -> str:
    if match.group(3):
        return f'<a href="{match.group(3)}">'
    if match.group(2):
        return f"<{match.group(1)}{match.group(2)}>"
    return "</a>"


def to_plain(text: str) -> str:
    """What a user sees, without HTML: links become 'title (url)', entities are decoded."""
    text = _LINK.sub(lambda m: f"{m.group(2)} ({m.group(1)})", text)
    return html.unescape(_TAG.sub("", text))


class Renderer:
    def __init__(self, figures: Figures, centre: Centre | None = None) -> None:
        self.figures = figures
        self.centre = centre or Centre.default()
        self._envs: dict[str, Environment] = {lang: self._environment(lang) for lang in LANGUAGES}
        # Entry answers are prose written by editors: keep the newline after a block tag
        # (`{% endif %}`), which trim_blocks would silently swallow and glue paragraphs.
        self._entry_envs = {lang: self._environment(lang, trim=False) for lang in LANGUAGES}
        self._compiled: dict[str, Template] = {}

    def _environment(self, lang: Language, trim: bool = True) -> Environment:
        env = Environment(
            loader=PackageLoader("bot", "templates"),
            autoescape=True,
            undefined=StrictUndefined,
            trim_blocks=trim,
            lstrip_blocks=trim,
            keep_trailing_newline=False,
        )
        env.filters.update(_filters(lang))
        env.globals["lang"] = lang
        return env

    def compile(self, entry: Entry) -> Template:
        template = self._compiled.get(entry.id)
        if template is None:
            source = escape_literal_text(entry.answer)
            template = self._entry_envs[entry.lang].from_string(source)
            self._compiled[entry.id] = template
        return template

    def entry_body(self, entry: Entry, today: date) -> tuple[Markup, list[FigureValue]]:
        used: list[FigureValue] = []
        text = self.compile(entry).render(figures=self.figures.namespace(today, used))
        return Markup(reflow(text)), _unique(used)

    def message(self, lang: str, name: str, **context: Any) -> str:
        """Render bot/templates/<lang>/<name>.html; the centre's name and contact are always
        available to the template. lang "nl+fr": bot/templates/nl+fr/, the staff group's
        texts for a bilingual team (STAFF_LANGUAGE), with Dutch number formats."""
        env = self._envs.get(lang, self._envs["nl"])
        context.setdefault("centre_name", self.centre.name.get(lang, self.centre.name["nl"]))
        context.setdefault("centre_contact", self.centre.contact)
        template = env.get_template(f"{lang}/{name}.html")
        return _tidy(template.render(**context))

    def validate(self, entries: list[Entry]) -> list[Problem]:
        """Render every entry on every date a figure it uses changes value (and today)."""
        problems = []
        for entry in entries:
            try:
                self.compile(entry)
            except TemplateError as exc:
                problems.append(
                    Problem(entry.file, f"template error: {exc}", entry.line, entry.id)
                )
                continue
            for day in self._dates_to_try(entry):
                try:
                    self.entry_body(entry, day)
                except (TemplateError, AttributeError, TypeError) as exc:
                    problems.append(
                        Problem(
                            entry.file,
                            f"answer fails to render for {day.isoformat()}: {exc}",
                            entry.line,
                            entry.id,
                        )
                    )
                    break
        return problems

    def _dates_to_try(self, entry: Entry) -> list[date]:
        days = {entry.reviewed}
        for name in figure_names(entry.answer):
            if name in self.figures:
                periods = self.figures.get(name).periods
                days.update(p.start for p in periods)
                if periods and periods[-1].end is not None:  # the coming, not yet added period
                    days.add(periods[-1].end + timedelta(days=1))
        return sorted(days)


_LIST_ITEM = re.compile(r"^\s*(?:[-•*]|\d+[.)])\s")


def reflow(text: str) -> str:
    """Join the line breaks YAML block text keeps inside a paragraph (Telegram would show
    them); keep blank lines between paragraphs and one line per list item."""
    paragraphs = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines: list[str] = []
        for line in block.splitlines():
            if lines and not _LIST_ITEM.match(line):
                lines[-1] = f"{lines[-1]} {line.strip()}"
            else:
                lines.append(line.strip())
        paragraphs.append("\n".join(lines))
    return "\n\n".join(p for p in paragraphs if p)


def _unique(values: list[FigureValue]) -> list[FigureValue]:
    seen: dict[str, FigureValue] = {}
    for value in values:
        seen.setdefault(value.name, value)
    return list(seen.values())


def _tidy(text: str) -> str:
    """Collapse the blank lines template logic leaves behind: at most one empty line."""
    return re.sub(
        r"\n{3,}", "\n\n", "\n".join(line.rstrip() for line in text.strip().splitlines())
    )
