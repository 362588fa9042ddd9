"""`python -m bot report`: one self-contained HTML page from the bot's database, naming
nobody."""

import re
import time
from datetime import UTC, datetime, timedelta

from bot.cli import main
from bot.storage.sqlite import SQLiteStorage
from bot.testing.report_history import (
    PLANTED_CHAT_IDS,
    PLANTED_EMAIL,
    PLANTED_FIRST_NAMES,
    PLANTED_NAMES,
    PLANTED_PHONE,
    PLANTED_USERNAME,
    STAFF_NAME,
    fill_storage,
    generate_history,
)


def make_database(tmp_path, days):
    now = datetime.now(UTC)
    storage = SQLiteStorage(tmp_path / "bot.sqlite3")
    history = generate_history(now.date() - timedelta(days=days), now.date(), now=now)
    fill_storage(storage, history)
    storage.close()
    return history


def test_report_writes_one_self_contained_page_that_names_nobody(tmp_path, monkeypatch, capsys):
    history = make_database(tmp_path, days=364)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'bot.sqlite3'}")
    out = tmp_path / "report.html"
    start = (datetime.now(UTC).date() - timedelta(days=364)).isoformat()

    began = time.perf_counter()
    assert main(["report", "--from", start, "--out", str(out)]) == 0
    with capsys.disabled():  # the benchmark figure: printed, never asserted
        print(f"\nreport for a year of history ({history.size} events): "
              f"{time.perf_counter() - began:.2f} s including the knowledge base load")

    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert html.count('src="data:image/png;base64,') >= 6  # every chart is inside the file
    assert not re.search(r'(src|href)="(?!data:)', html) and "<script" not in html
    assert "Kandidaat-nieuwe vragen" in html and "btw" in html and "drone" in html
    assert "allowances.flat-rate-ceiling.nl" in html  # entry ids are shown
    # The charts are pictures of counts and entry ids; the text around them is what is read.
    text = re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "", html)
    for planted in (*PLANTED_NAMES, *PLANTED_FIRST_NAMES, STAFF_NAME, PLANTED_EMAIL,
                    PLANTED_PHONE, PLANTED_USERNAME.lstrip("@"), *map(str, PLANTED_CHAT_IDS),
                    "7001"):
        assert planted not in text, planted
    printed = capsys.readouterr().out.splitlines()
    assert printed[0].startswith(f"{len(history.events)} vragen")
    assert printed[1].startswith("Zonder medewerker beantwoord: ")
    assert printed[5].startswith(f"wrote {out}")


def test_report_defaults_to_the_last_seven_days_in_the_chosen_language(
    tmp_path, monkeypatch, capsys
):
    history = make_database(tmp_path, days=30)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'bot.sqlite3'}")
    out = tmp_path / "semaine.html"
    assert main(["report", "--language", "fr", "--out", str(out)]) == 0
    week = datetime.now(UTC).date() - timedelta(days=6)
    expected = sum(1 for e in history.events if e.day >= week)
    first = capsys.readouterr().out.splitlines()[0]
    assert first.startswith(f"{expected} questions")
    assert '<html lang="fr">' in out.read_text(encoding="utf-8")


def test_report_refuses_a_period_that_ends_before_it_starts(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'bot.sqlite3'}")
    assert main(["report", "--from", "2026-05-02", "--to", "2026-05-01"]) == 2
    assert "--from 2026-05-02 is after --to 2026-05-01" in capsys.readouterr().err


def test_complaints_never_reach_the_report(tmp_path, monkeypatch):
    """A complaint is confidential: not counted, not quoted, not grouped as a candidate."""
    from bot.escalation.complaints import NewComplaint

    make_database(tmp_path, days=10)
    storage = SQLiteStorage(tmp_path / "bot.sqlite3")
    storage.create_complaint(
        NewComplaint(4242, 4242, "nl", "Mijn coördinator Jozefien Wuyts zet me onder druk",
                     "Vzw Zonnebloem", "no", "bel 0499 88 77 66"),
        source_key="k-test", now=datetime.now(UTC), outbox_after=lambda c: [],
    )
    storage.close()
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'bot.sqlite3'}")
    out = tmp_path / "report.html"
    assert main(["report", "--out", str(out)]) == 0
    text = re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "", out.read_text("utf-8"))
    for word in ("Jozefien", "Wuyts", "coördinator", "druk", "Zonnebloem", "0499"):
        assert word not in text
