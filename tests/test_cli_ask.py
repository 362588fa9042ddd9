"""`python -m bot ask`: the JSON contract other tools rely on."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MINI = ROOT / "tests" / "data" / "kb-mini"
FIELDS = ["question", "language", "action", "entry_id", "score", "text", "sources", "suggestions"]


def run_bot(*args: str, stdin: str | None = None, knowledge: Path = MINI):
    env = {**os.environ, "KNOWLEDGE_DIR": str(knowledge)}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], input=stdin, capture_output=True, text=True,
        env=env, cwd=ROOT, timeout=120, check=False,
    )


def test_ask_json_has_exactly_the_contract_fields():
    done = run_bot("ask", "--json", "--today", "2026-02-01", "hoeveel mag ik per dag krijgen")
    assert done.returncode == 0, done.stderr
    reply = json.loads(done.stdout)
    assert list(reply) == FIELDS
    assert reply["action"] == "answer" and reply["entry_id"] == "allowances.ceiling.nl"
    assert reply["language"] == "nl" and 0 <= reply["score"] <= 1
    assert "<" not in reply["text"] and "€ 44,02" in reply["text"]
    assert all(set(s) == {"title", "url"} for s in reply["sources"])
    assert all(set(s) == {"entry_id", "question"} for s in reply["suggestions"])


def test_ask_stdin_answers_one_json_line_per_question_in_both_languages():
    questions = "hoeveel mag ik per dag krijgen\nassurance obligatoire bénévoles\nhallo\n" \
                "how do I register a company\n"
    done = run_bot("ask", "--json", "--stdin", "--today", "2026-02-01", stdin=questions)
    assert done.returncode == 0, done.stderr
    replies = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["action"] for r in replies] == ["answer", "answer", "smalltalk", "escalate"]
    assert [r["language"] for r in replies][:2] == ["nl", "fr"]
    assert all(list(r) == FIELDS for r in replies)


def test_ask_stdin_flushes_each_answer_as_it_goes():
    """A caller can write a question and read its answer before sending the next."""
    env = {**os.environ, "KNOWLEDGE_DIR": str(MINI)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "ask", "--json", "--stdin", "--today", "2026-02-01"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT,
    )
    try:
        assert proc.stdin and proc.stdout
        proc.stdin.write("plafond défraiement volontaire\n")
        proc.stdin.flush()
        first = json.loads(proc.stdout.readline())
        assert first["language"] == "fr"
    finally:
        proc.stdin.close()  # type: ignore[union-attr]
        proc.wait(timeout=60)
        proc.stdout.close()  # type: ignore[union-attr]


def test_check_reports_a_broken_base_with_file_and_line(tmp_path):
    import shutil

    broken = tmp_path / "kb"
    shutil.copytree(MINI, broken)
    nl = broken / "faq" / "insurance.nl.yaml"
    nl.write_text(nl.read_text(encoding="utf-8").replace("topic: insurance", "topic: [", 1))
    done = run_bot("check", knowledge=broken)
    assert done.returncode == 2
    assert "faq/insurance.nl.yaml:" in done.stderr and "YAML syntax error" in done.stderr
    assert "Traceback" not in done.stderr


def test_check_passes_on_the_bundled_base():
    done = run_bot("check", knowledge=ROOT)
    assert done.returncode == 0, done.stderr
    assert "Knowledge base OK" in done.stdout


def test_eval_prints_metrics_per_language_and_lists_failures(tmp_path):
    """A maintainer sees top-1, escalations and every failure with what was chosen instead."""
    (tmp_path / "set.yaml").write_text(
        "- {q: 'hoeveel mag ik per dag krijgen als vrijwilliger', lang: nl,"
        " expect: [allowances.ceiling.nl]}\n"
        "- {q: 'hoeveel verdient een verpleegster', lang: nl, expect: [allowances.km.nl]}\n"
        "- {q: 'combien de défraiement par jour', lang: fr, expect: [allowances.ceiling.fr]}\n"
        "- {q: 'how do I register a company', lang: en, expect: escalate}\n",
        encoding="utf-8",
    )
    done = run_bot("eval", "--set", str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert "nl all: in-scope 2: top-1 50.0%" in done.stdout
    assert "fr all: in-scope 1: top-1 100.0%" in done.stdout
    assert "1 failures:" in done.stdout and "hoeveel verdient een verpleegster" in done.stdout


def test_bench_prints_numbers_for_each_scale():
    done = run_bot("bench", "--scales", "1,2", "--questions", "50", "--today", "2026-02-01")
    assert done.returncode == 0, done.stderr
    assert "index build" in done.stdout and "2x base" in done.stdout
    assert "rank-bm25 get_scores" in done.stdout and "peak memory" in done.stdout


def test_an_overview_suggests_the_specific_entries_it_leads_to():
    """A broad question is answered with its topic's overview; the JSON suggestions are the
    specific entries the overview offers as buttons."""
    done = run_bot("ask", "--json", "--today", "2026-11-24", "verzekering", knowledge=ROOT)
    assert done.returncode == 0, done.stderr
    reply = json.loads(done.stdout)
    assert reply["action"] == "answer" and reply["entry_id"] == "insurance.overview.nl"
    assert len(reply["suggestions"]) >= 3
    assert all(s["entry_id"].startswith("insurance.") for s in reply["suggestions"])
