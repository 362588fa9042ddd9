"""An answer's first sentence states its subject: never a bare "Ja", "Nee", "Oui" or "Non",
which makes no sense when a differently phrased question reaches the entry (issue 9)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from bot.core.knowledge import load_knowledge_base

ROOT = Path(__file__).resolve().parents[1]
BARE_YES_NO = re.compile(r"^(?:<[^>]+>|\s)*(ja|nee|neen|oui|non)\b", re.IGNORECASE)


def test_no_answer_begins_with_a_bare_yes_or_no():
    kb = load_knowledge_base(ROOT, today=date(2026, 12, 2))
    bare = [e.id for e in kb.entries.values() if BARE_YES_NO.match(e.answer.strip())]
    assert not bare, "answers that open with a bare yes/no: " + ", ".join(sorted(bare))


def test_the_check_recognises_a_bare_opening():
    for text in ("Ja. Sinds 2009", "Nee, zolang", "<b>Oui</b>, mais", "Non : pas", "neen"):
        assert BARE_YES_NO.match(text), text
    for text in (
        "Jaarlijks wordt",
        "Nonprofit",
        "Ouistiti",
        "Si le plafond",
        "Kilometers vergoeden mag.",
    ):
        assert not BARE_YES_NO.match(text), text
