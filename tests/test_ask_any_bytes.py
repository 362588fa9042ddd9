"""`ask --stdin` answers every line it is given, whatever its bytes and whatever the locale."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[1]
MINI = ROOT / "tests" / "data" / "kb-mini"
LOCALES = {
    "C": {"LC_ALL": "C"},
    "C, no locale coercion": {"LC_ALL": "C", "PYTHONCOERCECLOCALE": "0"},
    "C.UTF-8": {"LC_ALL": "C.UTF-8"},
    "strict UTF-8 streams": {"LC_ALL": "C.UTF-8", "PYTHONIOENCODING": "utf-8"},
    "ASCII streams": {"LC_ALL": "C", "PYTHONIOENCODING": "ascii"},
}
DATA = b"hallo \xff vraag\n" + "assurance b\u00e9n\u00e9vole ? \U0001f600\n".encode() + (
    b"hoeveel mag ik per dag krijgen\n"
)
# 10 batches per locale; FUZZ_LINES=10000 for the full run (about 7 minutes), 1,000 by default.
FUZZ_BATCHES = 10
BATCH = int(os.environ.get("FUZZ_LINES", "1000")) // FUZZ_BATCHES


def ask_stdin(data: bytes, locale: dict[str, str]) -> subprocess.CompletedProcess[bytes]:
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONIOENCODING", "LANG"}}
    env.update(KNOWLEDGE_DIR=str(MINI), LANG="C", **locale)
    return subprocess.run(
        [sys.executable, "-m", "bot", "ask", "--json", "--stdin", "--today", "2026-02-01"],
        input=data, capture_output=True, env=env, cwd=ROOT, timeout=300, check=False,
    )


def answers(done: subprocess.CompletedProcess[bytes]) -> list[dict]:
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    assert b"Traceback" not in done.stderr
    return [json.loads(line) for line in done.stdout.decode("utf-8").splitlines()]


@pytest.mark.parametrize("locale", LOCALES.values(), ids=LOCALES.keys())
def test_an_invalid_byte_spoils_only_its_own_line(locale):
    replies = answers(ask_stdin(DATA, locale))
    assert len(replies) == 3
    assert replies[0]["question"].startswith("hallo")
    assert "bénévole" in replies[1]["question"]
    assert replies[2]["entry_id"] == "allowances.ceiling.nl"


fuzzed_line = st.binary(max_size=80).map(lambda b: b.replace(b"\n", b" ")) | st.text(
    max_size=80
).map(lambda t: t.replace("\n", " ").encode("utf-8", "surrogatepass"))


@pytest.mark.parametrize("locale", [LOCALES["C"], LOCALES["C.UTF-8"]], ids=["C", "C.UTF-8"])
@settings(
    max_examples=FUZZ_BATCHES, deadline=None, database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(lines=st.lists(fuzzed_line, min_size=BATCH, max_size=BATCH))
def test_ten_thousand_fuzzed_lines_give_one_json_answer_each(locale, lines):
    replies = answers(ask_stdin(b"".join(line + b"\n" for line in lines), locale))
    assert len(replies) == len(lines)
