"""Load faq/ and knowledge/ into a validated KnowledgeBase – or fail naming file, line, entry.

Every problem is collected before failing, so one `python -m bot check` run shows them all.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from bot.core.decide import Thresholds
from bot.core.errors import KnowledgeBaseError, Problem
from bot.core.figures import Figures, load_figures_under
from bot.core.model import LANGUAGES, TOPICS, Correction, Entry, Source
from bot.core.yaml_source import LineDict, as_date, load_yaml

REQUIRED = {
    "id",
    "lang",
    "pair",
    "topic",
    "question",
    "answer",
    "sources",
    "reviewed",
    "review_by",
}
OPTIONAL = {
    "variants", "tags", "valid_from", "valid_until", "escalate", "related", "corrections",
    "qualifiers",
}
CORRECTION_KEYS = {"date", *LANGUAGES}
# A correction is a short notice sent as one Telegram message with the current answer.
MAX_CORRECTION_CHARS = 400
FIGURE_REF = re.compile(r"\bfigures((?:\.[A-Za-z_][A-Za-z0-9_]*)+)")
# Data files in knowledge/ that are not articles.
DATA_FILES = {"figures.yaml", "thresholds.yaml", "out-of-scope.yaml"}
_FILE_NAME = re.compile(r"^(?P<topic>[a-z-]+)\.(?P<lang>nl|fr)\.ya?ml$")


@dataclass
class KnowledgeBase:
    entries: dict[str, Entry]
    figures: Figures
    root: Path
    warnings: list[str] = field(default_factory=list)
    # lang -> [(topic, phrasing)]: subjects we know we do not cover (knowledge/out-of-scope.yaml)
    out_of_scope: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    def by_lang(self, lang: str) -> list[Entry]:
        return [e for e in self.entries.values() if e.lang == lang]

    def twin(self, entry: Entry) -> Entry | None:
        other = "fr" if entry.lang == "nl" else "nl"
        return self.entries.get(f"{entry.pair}.{other}")

    def due_for_review(self, today: date, within_days: int = 30) -> list[Entry]:
        limit = today + timedelta(days=within_days)
        return sorted(
            (e for e in self.entries.values() if e.review_by <= limit), key=lambda e: e.review_by
        )


def figure_names(template: str) -> set[str]:
    return {match.group(1)[1:] for match in FIGURE_REF.finditer(template)}


def default_root() -> Path:
    """The checkout (or image) root: the folder that holds faq/ and knowledge/ next to bot/."""
    return Path(__file__).resolve().parents[2]


COMING_PERIOD_DAYS = 30  # `check` warns this many days before a figure runs out


def load_knowledge_base(root: Path | None = None, *, today: date) -> KnowledgeBase:
    """Parse, validate and cross-check every file; raise KnowledgeBaseError with all problems.

    Template rendering is checked by the Renderer (bot.core.render.validate_templates), which
    the Assistant runs right after this.
    """
    root = root or default_root()
    problems = _missing_folders(root)
    if problems:  # nothing else can be checked; every other problem would repeat this one
        raise KnowledgeBaseError(problems)
    figures_loaded = True
    try:
        figures = load_figures_under(root)
    except KnowledgeBaseError as exc:
        problems.extend(exc.problems)
        figures, figures_loaded = Figures({}), False
    _check_thresholds(root, problems)

    entries: dict[str, Entry] = {}
    # Ids of entries refused above, or None once a whole file could not be read: a twin or a
    # related pair that is missing for that reason is not a second problem.
    refused: set[str] | None = set()
    files = sorted((root / "faq").glob("*.y*ml")) + sorted(
        p for p in (root / "knowledge").glob("*.y*ml") if p.name not in DATA_FILES
    )
    for path in files:
        display = path.relative_to(root).as_posix()
        kind = "faq" if path.parent.name == "faq" else "article"
        data, syntax = load_yaml(path, display)
        problems.extend(syntax)
        if syntax:
            refused = None
            continue
        raw_entries = data if kind == "faq" else [data]
        if kind == "faq" and not isinstance(data, list):
            problems.append(Problem(display, "a faq file must be a YAML list of entries"))
            refused = None
            continue
        expected = _FILE_NAME.match(path.name)
        for raw in raw_entries:
            entry = _parse_entry(raw, kind, display, problems)
            if entry is None:
                if refused is not None and isinstance(raw, dict):
                    refused.add(str(raw.get("id")))
                continue
            if expected and expected.group("lang") != entry.lang:
                problems.append(
                    Problem(
                        display,
                        f"lang '{entry.lang}' does not match the file name",
                        entry.line,
                        entry.id,
                    )
                )
            if entry.id in entries:
                first = entries[entry.id]
                problems.append(
                    Problem(
                        display,
                        f"duplicate id (first defined in {first.file}:{first.line})",
                        entry.line,
                        entry.id,
                    )
                )
                continue
            entries[entry.id] = entry

    # Without figures every entry's figure would be "unknown": the figures' own problem says it.
    _check_pairs(entries, figures if figures_loaded else None, problems, refused)
    out_of_scope = _load_out_of_scope(root, problems)
    if problems:
        raise KnowledgeBaseError(problems)
    kb = KnowledgeBase(entries, figures, root, out_of_scope=out_of_scope)
    for name in figures.missing_on(today):
        kb.warnings.append(
            f"knowledge/figures.yaml: figure '{name}' has no confirmed value for "
            f"{today.isoformat()} (answers say it is not known and offer a staff member)"
        )
    for name, day in figures.missing_soon(today, COMING_PERIOD_DAYS):
        kb.warnings.append(
            f"knowledge/figures.yaml: figure '{name}' has no confirmed value from "
            f"{day.isoformat()} (in {(day - today).days} days): add the new period when the "
            "amount is published (until then answers give the last confirmed amount, labelled "
            "with its own period, and offer a staff member)"
        )
    return kb


def _load_out_of_scope(root: Path, problems: list[Problem]) -> dict[str, list[tuple[str, str]]]:
    """knowledge/out-of-scope.yaml: {lang: {topic: [phrasing, ...]}} (optional file)."""
    path = root / "knowledge" / "out-of-scope.yaml"
    display = "knowledge/out-of-scope.yaml"
    if not path.exists():
        return {}
    data, syntax = load_yaml(path, display)
    problems.extend(syntax)
    if syntax:
        return {}
    if not isinstance(data, dict) or set(data) - set(LANGUAGES):
        problems.append(Problem(display, "expected one mapping per language: nl, fr"))
        return {}
    result: dict[str, list[tuple[str, str]]] = {}
    for lang, topics in data.items():
        line = data.line if isinstance(data, LineDict) else None
        if not isinstance(topics, dict):
            problems.append(
                Problem(display, f"'{lang}' must map topics to lists of phrasings", line)
            )
            continue
        for topic, phrasings in topics.items():
            texts = _strings(phrasings)
            if not texts:
                problems.append(
                    Problem(
                        display,
                        f"'{lang}.{topic}' must be a non-empty list of texts",
                        topics.line if isinstance(topics, LineDict) else None,
                    )
                )
                continue
            result.setdefault(lang, []).extend((str(topic), t) for t in texts)
    return result


def _missing_folders(root: Path) -> list[Problem]:
    """faq/ and knowledge/ must exist and hold entries: a base without them answers nothing."""
    problems = []
    for folder in ("faq", "knowledge"):
        path = root / folder
        if not path.is_dir():
            problems.append(Problem(f"{folder}/", f"folder not found in {root}"))
        elif folder == "faq" and not any(path.glob("*.y*ml")):
            problems.append(Problem(f"{folder}/", "no entries: the folder has no .yaml files"))
    return problems


def _check_thresholds(root: Path, problems: list[Problem]) -> None:
    """knowledge/thresholds.yaml (optional): known names, each a finite number >= 0."""
    display = "knowledge/thresholds.yaml"
    path = root / "knowledge" / "thresholds.yaml"
    if not path.exists():
        return
    data, syntax = load_yaml(path, display)
    problems.extend(syntax)
    if syntax or data is None:
        return
    if not isinstance(data, LineDict):
        problems.append(Problem(display, "expected one 'name: number' per line"))
        return
    known = {f.name for f in fields(Thresholds)}
    for name, value in data.items():
        line = data.line_of(name)
        if name not in known:
            problems.append(
                Problem(display, f"unknown threshold {name!r}; known: {', '.join(sorted(known))}",
                        line)
            )
        elif (
            isinstance(value, bool) or not isinstance(value, int | float)
            or not math.isfinite(value) or value < 0
        ):
            problems.append(
                Problem(display, f"'{name}' must be a number of at least 0 (got {value!r})", line)
            )


def _check_pairs(
    entries: dict[str, Entry],
    figures: Figures | None,
    problems: list[Problem],
    refused: set[str] | None,
) -> None:
    def absent(entry_id: str) -> bool:
        """Missing, and not because it was refused (which is a problem of its own)."""
        return entry_id not in entries and refused is not None and entry_id not in refused

    for entry in entries.values():
        other = "fr" if entry.lang == "nl" else "nl"
        twin = entries.get(f"{entry.pair}.{other}")
        if twin is None and absent(f"{entry.pair}.{other}"):
            problems.append(
                Problem(
                    entry.file, f"no {other} entry for pair '{entry.pair}'", entry.line, entry.id
                )
            )
        for pair in entry.related:
            if absent(f"{pair}.{entry.lang}"):
                problems.append(
                    Problem(
                        entry.file, f"related pair '{pair}' does not exist", entry.line, entry.id
                    )
                )
        if twin is not None and entry.lang == "nl" and entry.corrections != twin.corrections:
            problems.append(
                Problem(
                    entry.file,
                    f"bilingual drift: 'corrections' differs from {twin.id} (write the same "
                    "corrections, both texts, in both files of the pair)",
                    entry.line,
                    entry.id,
                )
            )
        if twin is not None and entry.lang == "nl" and entry.related != twin.related:
            problems.append(
                Problem(
                    entry.file,
                    f"bilingual drift: 'related' differs from {twin.id}",
                    entry.line,
                    entry.id,
                )
            )
        names = figure_names(entry.answer)
        for name in sorted(names):
            if figures is not None and name not in figures:
                problems.append(
                    Problem(entry.file, f"unknown figure '{name}'", entry.line, entry.id)
                )
        if twin is not None and entry.lang == "nl":
            twin_names = figure_names(twin.answer)
            if names != twin_names:
                diff = ", ".join(sorted(names ^ twin_names))
                problems.append(
                    Problem(
                        entry.file,
                        f"bilingual drift: nl and fr use different figures ({diff}); "
                        f"see {twin.id}",
                        entry.line,
                        entry.id,
                    )
                )
            if entry.topic != twin.topic:
                problems.append(
                    Problem(
                        entry.file,
                        f"topic '{entry.topic}' differs from {twin.id} ('{twin.topic}')",
                        entry.line,
                        entry.id,
                    )
                )


def _strings(value: Any) -> tuple[str, ...] | None:
    if value is None:
        return ()
    if isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value):
        return tuple(v.strip() for v in value)
    return None


def _parse_entry(raw: Any, kind: str, file: str, problems: list[Problem]) -> Entry | None:
    if not isinstance(raw, dict):
        problems.append(Problem(file, "an entry must be a mapping of fields"))
        return None
    line = raw.line if isinstance(raw, LineDict) else 0
    entry_id = raw.get("id") if isinstance(raw.get("id"), str) else None
    before = len(problems)

    def bad(message: str, key: str | None = None) -> None:
        """One problem, at the line of the field `key` when it has one."""
        at = raw.line_of(key) if key is not None and isinstance(raw, LineDict) else line
        problems.append(Problem(file, message, at, entry_id))

    for key in sorted(set(raw) - REQUIRED - OPTIONAL, key=str):
        bad(f"unknown field '{key}'", key)
    for key in sorted(REQUIRED - set(raw)):
        bad(f"missing field '{key}'")
    if kind == "faq" and not raw.get("variants"):
        bad("a faq entry needs at least one variant (how people really ask)")
    if len(problems) > before:
        return None

    for key in ("id", "pair", "question", "answer"):
        if not isinstance(raw[key], str) or not raw[key].strip():
            bad(f"'{key}' must be non-empty text (got {raw[key]!r})", key)
    lang, topic = raw["lang"], raw["topic"]
    if lang not in LANGUAGES:
        bad(f"lang must be one of {', '.join(LANGUAGES)} (got {lang!r})", "lang")
    if topic not in TOPICS:
        bad(f"unknown topic {topic!r}; topics: {', '.join(TOPICS)}", "topic")
    if entry_id and isinstance(raw["pair"], str) and entry_id != f"{raw['pair']}.{lang}":
        bad(f"id must be pair + '.' + lang ('{raw['pair']}.{lang}')")
    variants, tags = _strings(raw.get("variants")), _strings(raw.get("tags"))
    if variants is None:
        bad("'variants' must be a list of non-empty texts", "variants")
    if tags is None:
        bad("'tags' must be a list of non-empty texts", "tags")
    qualifiers = _strings(raw.get("qualifiers"))
    if qualifiers is None:
        bad("'qualifiers' must be a list of non-empty texts (the words that name the case)",
            "qualifiers")
    for text in (*(variants or ()), *(tags or ())):
        # A variant written as `- tresorier: ...` or pasted from code arrives as a mapping's
        # text; braces and tags never occur in how people type a question.
        if any(mark in text for mark in "{}<>"):
            bad(f"variants and tags are plain text as people type it (no braces or HTML): "
                f"{text!r}", "variants")
    dates: dict[str, date | None] = {}
    for key in ("reviewed", "review_by", "valid_from", "valid_until"):
        value = raw.get(key)
        dates[key] = as_date(value)
        if (value is not None or key in REQUIRED) and dates[key] is None:
            bad(f"'{key}' must be a date like 2026-11-24 (got {value!r})", key)
    if dates["reviewed"] and dates["review_by"] and dates["review_by"] < dates["reviewed"]:
        bad("'review_by' is earlier than 'reviewed'", "review_by")
    escalate = raw.get("escalate", False)
    if not isinstance(escalate, bool):
        bad(f"'escalate' must be true or false (got {escalate!r})", "escalate")
    related = _strings(raw.get("related"))
    if related is None:
        bad("'related' must be a list of pair ids (e.g. insurance.accident-injury)", "related")
    sources = _parse_sources(raw["sources"], bad)
    corrections = _parse_corrections(raw.get("corrections"), dates["reviewed"], bad)
    if len(problems) > before:
        return None
    assert dates["reviewed"] and dates["review_by"]  # checked above: required and valid
    return Entry(
        id=entry_id or "",
        lang=lang,
        pair=raw["pair"],
        topic=topic,
        question=raw["question"].strip(),
        variants=variants or (),
        answer=raw["answer"].strip(),
        sources=sources,
        reviewed=dates["reviewed"],
        review_by=dates["review_by"],
        kind="faq" if kind == "faq" else "article",
        tags=tags or (),
        qualifiers=qualifiers or (),
        valid_from=dates["valid_from"],
        valid_until=dates["valid_until"],
        escalate=escalate,
        related=related or (),
        corrections=corrections,
        file=file,
        line=line,
    )


def _parse_corrections(
    raw: Any, reviewed: date | None, bad: Callable[[str], None]
) -> tuple[Correction, ...]:
    """`corrections:` – a list of {date, nl, fr}; see knowledge/README.md."""
    if raw is None:
        return ()
    if not isinstance(raw, list):
        bad("'corrections' must be a list of {date, nl, fr}")
        return ()
    found: list[Correction] = []
    for number, item in enumerate(raw, start=1):
        where = f"correction {number}"
        if not isinstance(item, dict):
            bad(f"{where} must be a mapping with date, nl and fr")
            continue
        for key in sorted(set(item) - CORRECTION_KEYS, key=str):
            bad(f"{where} has an unknown field '{key}' (only date, nl, fr)")
        for key in sorted(CORRECTION_KEYS - set(item)):
            bad(f"{where} is missing '{key}'")
        day = as_date(item.get("date"))
        if "date" in item and day is None:
            bad(f"{where}: 'date' must be a date like 2026-11-24 (got {item['date']!r})")
        texts: dict[str, str] = {}
        for lang in LANGUAGES:
            if lang not in item:
                continue
            text = item[lang]
            if not isinstance(text, str) or not text.strip():
                bad(f"{where}: '{lang}' must be non-empty text (got {text!r})")
            elif len(text.strip()) > MAX_CORRECTION_CHARS:
                bad(f"{where}: '{lang}' is {len(text.strip())} characters; keep it under "
                    f"{MAX_CORRECTION_CHARS} (the current answer follows it)")
            else:
                texts[lang] = " ".join(text.split())
        if day is not None and reviewed is not None and day > reviewed:
            # The revision of an answer is its `reviewed` date: a correction later than the
            # entry's review would count today's answers as wrong too.
            bad(f"{where} is dated {day.isoformat()}, after 'reviewed' "
                f"({reviewed.isoformat()}): set 'reviewed' to the day you corrected the entry")
        if day is not None and any(c.day == day for c in found):
            bad(f"{where}: two corrections on {day.isoformat()}; write them as one")
            continue
        if day is not None and len(texts) == len(LANGUAGES):
            found.append(Correction(day, texts["nl"], texts["fr"]))
    return tuple(sorted(found, key=lambda c: c.day))


def _parse_sources(raw: Any, bad: Any) -> tuple[Source, ...]:
    if not isinstance(raw, list) or not raw:
        bad("'sources' must list at least one source (title plus url and/or legal_ref)")
        return ()
    sources = []
    for item in raw:
        if not isinstance(item, dict) or not str(item.get("title") or "").strip():
            bad("every source needs a 'title'")
            continue
        unknown = set(item) - {"title", "url", "legal_ref"}
        if unknown:
            bad(f"unknown source field(s): {', '.join(sorted(unknown))}")
        url, legal_ref = item.get("url"), item.get("legal_ref")
        if not url and not legal_ref:
            bad(f"source '{item['title']}' needs a url or a legal_ref")
        if url and not str(url).startswith(("http://", "https://")):
            bad(f"source '{item['title']}' has a url that is not http(s): {url}")
        sources.append(Source(str(item["title"]).strip(), url or None, legal_ref or None))
    return tuple(sources)


_JINJA = re.compile(r"{{.*?}}|{%.*?%}|{#.*?#}", re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


def template_text(template: str) -> str:
    """The searchable words of an answer template: no Jinja blocks, no HTML tags."""
    return _TAG.sub(" ", _JINJA.sub(" ", template))
