"""Corrections reach the people who were given the old answer, once, in their language – and
nobody else (bot/escalation/corrections.py on both storage backends)."""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from markupsafe import escape

from bot.core.assistant import Assistant, load_assistant
from bot.core.model import Reply
from bot.delivery.split import split_message
from bot.escalation.corrections import AnswerGiven, NoticeWriter, answer_given, long_date, plan
from tests.storage_backends import BACKENDS, backend_url, open_url

MINI = Path(__file__).resolve().parents[1] / "data" / "kb-mini"
ANCHOR = "  reviewed: 2026-11-24\n  review_by: 2027-06-30\n"
CORRECTION = (
    "  corrections:\n"
    "    - date: 2026-11-20\n"
    "      nl: Het dagplafond is sinds november geïndexeerd.\n"
    "      fr: Le plafond journalier est indexé depuis novembre.\n"
)
TODAY = date(2026, 12, 10)
NOW = datetime(2026, 12, 10, 9, 0, tzinfo=UTC)
CEILING_NL, CEILING_FR = "allowances.ceiling.nl", "allowances.ceiling.fr"
KM_NL = "allowances.km.nl"


@pytest.fixture(scope="module")
def corrected(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    """kb-mini with one correction on allowances.ceiling (both languages)."""
    root = tmp_path_factory.mktemp("kb") / "kb"
    shutil.copytree(MINI, root)
    for name in ("faq/allowances.nl.yaml", "faq/allowances.fr.yaml"):
        path = root / name
        path.write_text(
            path.read_text(encoding="utf-8").replace(ANCHOR, ANCHOR + CORRECTION, 1),
            encoding="utf-8",
        )
    return load_assistant(root, today=TODAY)


@pytest.fixture(params=BACKENDS)
def storage(request: pytest.FixtureRequest, tmp_path: Path):
    with backend_url(request.param, tmp_path) as url:
        db = open_url(url)
        yield db
        db.close()


def old_revision(assistant: Assistant, entry_id: str) -> str:
    """The revision an answer had before the entry was reviewed and corrected."""
    entry = assistant.kb.entries[entry_id]
    return replace(entry, reviewed=date(2026, 6, 1), answer="Een oud antwoord.").revision


def the_plan(assistant: Assistant, storage, retention_days: int = 180):
    return plan(
        assistant.kb.entries,
        storage,
        today=TODAY,
        retention_days=retention_days,
        already_queued=lambda key: storage.outbox_row(key) is not None,
    )


def writer(assistant: Assistant, storage, split=split_message) -> NoticeWriter:
    return NoticeWriter(
        entries=assistant.kb.entries,
        say=assistant.message,
        current_answer=lambda entry_id: assistant.answer_entry(entry_id, today=TODAY),
        chat_language=storage.chat_language,
        split=split,
    )


def send(assistant: Assistant, storage) -> int:
    """What `python -m bot corrections --send` does; returns how many rows it queued."""
    rows = writer(assistant, storage).rows(the_plan(assistant, storage))
    storage.enqueue(rows, ticket_id=None, now=NOW)
    return len(rows)


def test_who_is_told_and_who_is_not(corrected, storage):
    """Told: chats given an older revision in the last 90 days. Not told: older than 90
    days, opted out, erased, given today's revision, or given another entry."""
    ceiling, km = old_revision(corrected, CEILING_NL), old_revision(corrected, KM_NL)
    current = corrected.kb.entries[CEILING_NL].revision
    storage.record_answer(101, CEILING_NL, ceiling, today=date(2026, 11, 1))
    storage.record_answer(102, CEILING_FR, old_revision(corrected, CEILING_FR),
                          today=date(2026, 10, 15))
    storage.record_answer(103, CEILING_NL, ceiling, today=date(2026, 9, 10))  # 91 days ago
    storage.record_answer(104, CEILING_NL, ceiling, today=date(2026, 11, 2))
    storage.set_corrections_wanted(104, False, today=date(2026, 11, 3))
    storage.record_answer(105, CEILING_NL, ceiling, today=date(2026, 11, 2))
    storage.erase_chat(105)  # /vergeet
    storage.record_answer(106, CEILING_NL, current, today=date(2026, 11, 30))
    storage.record_answer(107, KM_NL, km, today=date(2026, 11, 1))

    [item] = the_plan(corrected, storage)

    assert (item.pair, item.correction.day) == ("allowances.ceiling", date(2026, 11, 20))
    assert [(r.chat_id, r.entry_id, r.told_on) for r in item.to_tell] == [
        (101, CEILING_NL, date(2026, 11, 1)),
        (102, CEILING_FR, date(2026, 10, 15)),
    ]
    assert (item.affected, item.opted_out, item.already_told) == (3, 1, 0)


def test_the_last_affected_day_is_the_one_named(corrected, storage):
    """A chat told the old answer twice hears about the latest time."""
    old = old_revision(corrected, CEILING_NL)
    storage.record_answer(101, CEILING_NL, old, today=date(2026, 10, 1))
    storage.record_answer(101, CEILING_NL, old, today=date(2026, 11, 12))
    [item] = the_plan(corrected, storage)
    assert [(r.chat_id, r.told_on) for r in item.to_tell] == [(101, date(2026, 11, 12))]


def test_a_second_send_tells_nobody_twice(corrected, storage):
    """Running --send again (or after a crash halfway) queues nothing new."""
    old = old_revision(corrected, CEILING_NL)
    storage.record_answer(101, CEILING_NL, old, today=date(2026, 11, 1))
    storage.record_answer(102, CEILING_NL, old, today=date(2026, 11, 2))
    assert send(corrected, storage) == 2
    first = [storage.outbox_row(f"corr:allowances.ceiling:2026-11-20:{c}") for c in (101, 102)]
    assert all(row is not None and row.status == "pending" for row in first)

    assert send(corrected, storage) == 0
    [item] = the_plan(corrected, storage)
    assert (len(item.to_tell), item.already_told) == (0, 2)
    assert len(storage.pending_outbox()) == 2
    # A chat told the old answer later still gets its one message.
    storage.record_answer(103, CEILING_NL, old, today=date(2026, 11, 3))
    assert send(corrected, storage) == 1


def test_the_message_in_dutch(corrected, storage):
    storage.record_answer(101, CEILING_NL, old_revision(corrected, CEILING_NL),
                          today=date(2026, 3, 12))
    [item] = plan(corrected.kb.entries, storage, today=date(2026, 5, 1), retention_days=180,
                  already_queued=lambda key: False)
    [row] = writer(corrected, storage).rows([item])
    text = row.payload["text"]
    assert row.chat_id == 101 and row.target == "user" and row.method == "sendMessage"
    assert text.startswith("<b>Correctie van het Expertisecentrum Vrijwilligerswerk</b>")
    assert (
        "Op 12 maart 2026 gaf ik je een antwoord op de vraag „Hoeveel forfaitaire "
        "onkostenvergoeding mag een vrijwilliger krijgen?\". Dat is veranderd: Het dagplafond "
        "is sinds november geïndexeerd."
    ) in text
    current = corrected.answer_entry(CEILING_NL, today=TODAY).text
    assert f"<b>Het huidige antwoord:</b>\n\n{current}" in text
    assert text.endswith("<i>Liever geen correcties meer? Stuur /geen_correcties.</i>")
    assert "reply_markup" not in row.payload


def test_the_message_in_french_follows_the_chats_language(corrected, storage):
    """A chat that chose French hears in French, with the French entry, even if it was given
    the Dutch answer."""
    storage.set_chat_language(108, "fr", today=TODAY)
    storage.record_answer(108, CEILING_NL, old_revision(corrected, CEILING_NL),
                          today=date(2026, 11, 1))
    [row] = writer(corrected, storage).rows(the_plan(corrected, storage))
    text = row.payload["text"]
    question = escape(corrected.kb.entries[CEILING_FR].question)  # Telegram HTML
    assert (
        f"Le 1er novembre 2026, je vous ai répondu à la question « {question} ». Ceci a "
        "changé : Le plafond journalier est indexé depuis novembre."
    ) in text
    current = corrected.answer_entry(CEILING_FR, today=TODAY).text
    assert f"<b>La réponse actuelle :</b>\n\n{current}" in text
    assert text.endswith("<i>Vous ne voulez plus de corrections ? Envoyez /sans_corrections.</i>")


def test_a_current_answer_too_long_for_one_message_comes_by_button(corrected, storage):
    """One short message per chat: when today's answer would not fit in one Telegram message,
    the notice carries a button that sends it instead."""
    storage.record_answer(101, CEILING_NL, old_revision(corrected, CEILING_NL),
                          today=date(2026, 11, 1))
    long = Reply("q", "nl", "answer", "lang antwoord. " * 400, entry_id=CEILING_NL)
    notices = NoticeWriter(
        entries=corrected.kb.entries,
        say=corrected.message,
        current_answer=lambda entry_id: long,
        chat_language=storage.chat_language,
        split=split_message,
    )
    [row] = notices.rows(the_plan(corrected, storage))
    assert len(split_message(row.payload["text"])) == 1
    assert "lang antwoord" not in row.payload["text"]
    assert "Het huidige antwoord krijg je met de knop hieronder." in row.payload["text"]
    assert row.payload["reply_markup"] == {
        "inline_keyboard": [[{"text": "Toon het huidige antwoord",
                              "callback_data": f"e:{CEILING_NL}"}]]
    }


def test_opting_out_cancels_what_was_queued_and_erasure_removes_it(corrected, storage):
    old = old_revision(corrected, CEILING_NL)
    storage.record_answer(101, CEILING_NL, old, today=date(2026, 11, 1))
    storage.record_answer(102, CEILING_NL, old, today=date(2026, 11, 1))
    send(corrected, storage)
    storage.set_corrections_wanted(101, False, today=TODAY)
    storage.erase_chat(102)
    row = storage.outbox_row("corr:allowances.ceiling:2026-11-20:101")
    assert row is not None and row.status == "cancelled" and row.payload == {}
    assert storage.outbox_row("corr:allowances.ceiling:2026-11-20:102") is None
    assert storage.pending_outbox() == []
    assert storage.answers_given([CEILING_NL], since=date(2026, 1, 1)) == [
        a for a in storage.answers_given([CEILING_NL], since=date(2026, 1, 1)) if a.chat_id == 101
    ]
    storage.set_corrections_wanted(101, True, today=TODAY)
    assert storage.corrections_opted_out() == set()


def test_answers_given_are_kept_only_within_retention(corrected, storage):
    """Retention deletes old records; a retention shorter than 90 days shortens the window."""
    old = old_revision(corrected, CEILING_NL)
    storage.record_answer(101, CEILING_NL, old, today=date(2026, 5, 1))
    storage.record_answer(102, CEILING_NL, old, today=date(2026, 11, 1))
    storage.record_answer(103, CEILING_NL, old, today=date(2026, 11, 25))
    assert storage.forget_answers_before(date(2026, 6, 1)) == 1
    assert {a.chat_id for a in storage.answers_given([CEILING_NL], since=date(2026, 1, 1))} == {
        102, 103
    }
    [item] = the_plan(corrected, storage, retention_days=30)
    assert [r.chat_id for r in item.to_tell] == [103]


def test_correction_messages_done_are_deleted_with_retention(corrected, storage):
    """A sent correction's row (its key names the chat) goes when the answers that led to it
    have gone; one still pending stays until it is sent."""
    old = old_revision(corrected, CEILING_NL)
    storage.record_answer(101, CEILING_NL, old, today=date(2026, 11, 1))
    storage.record_answer(102, CEILING_NL, old, today=date(2026, 11, 1))
    send(corrected, storage)  # queued on 10 December
    sent = storage.outbox_row("corr:allowances.ceiling:2026-11-20:101")
    assert sent is not None
    storage.mark_sent(sent.id, 900, now=NOW)

    storage.forget_answers_before(date(2027, 6, 1))

    assert storage.outbox_row("corr:allowances.ceiling:2026-11-20:101") is None
    assert storage.outbox_row("corr:allowances.ceiling:2026-11-20:102") is not None
    assert storage.answers_given([CEILING_NL], since=date(2026, 1, 1)) == []


def test_the_same_answer_on_the_same_day_is_one_record(corrected, storage):
    """Only chat, entry, revision and day are kept: asking again that day adds nothing."""
    old = old_revision(corrected, CEILING_NL)
    for _ in range(3):
        storage.record_answer(101, CEILING_NL, old, today=date(2026, 11, 1))
    assert len(storage.answers_given([CEILING_NL], since=date(2026, 1, 1))) == 1


@pytest.mark.parametrize(
    ("day", "nl", "fr"),
    [(date(2026, 3, 12), "12 maart 2026", "12 mars 2026"),
     (date(2026, 8, 1), "1 augustus 2026", "1er août 2026")],
)
def test_dates_are_written_out_in_each_language(day, nl, fr):
    assert (long_date(day, "nl"), long_date(day, "fr")) == (nl, fr)


TWO_CORRECTIONS = (
    "  corrections:\n"
    "    - date: 2026-09-01\n"
    "      nl: De vergoeding is niet meer belast.\n"
    "      fr: L'indemnité n'est plus imposée.\n"
    "    - date: 2026-11-20\n"
    "      nl: Het dagplafond is sinds november geïndexeerd.\n"
    "      fr: Le plafond journalier est indexé depuis novembre.\n"
)


@pytest.fixture(scope="module")
def corrected_twice(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    """kb-mini with two corrections on allowances.ceiling: September and November."""
    root = tmp_path_factory.mktemp("kb2") / "kb"
    shutil.copytree(MINI, root)
    for name in ("faq/allowances.nl.yaml", "faq/allowances.fr.yaml"):
        path = root / name
        path.write_text(
            path.read_text(encoding="utf-8").replace(ANCHOR, ANCHOR + TWO_CORRECTIONS, 1),
            encoding="utf-8",
        )
    return load_assistant(root, today=TODAY)


def test_two_corrections_of_one_entry_make_one_message_per_chat(corrected_twice, storage):
    """A chat given the answer before both corrections gets one message naming both changes
    (oldest first) and today's answer; a chat given it between them hears only the later
    change; a second --send queues nothing, and the plan counts both as told."""
    entry = corrected_twice.kb.entries[CEILING_NL]
    before_both = replace(entry, reviewed=date(2026, 6, 1), answer="Oud.").revision
    between = replace(entry, reviewed=date(2026, 10, 1), answer="Minder oud.").revision
    storage.record_answer(101, CEILING_NL, before_both, today=date(2026, 10, 20))
    storage.record_answer(102, CEILING_NL, between, today=date(2026, 11, 5))

    rows = writer(corrected_twice, storage).rows(the_plan(corrected_twice, storage))

    assert sorted(row.key for row in rows) == [
        "corr:allowances.ceiling:2026-11-20:101", "corr:allowances.ceiling:2026-11-20:102",
    ]
    text = {row.chat_id: str(row.payload["text"]) for row in rows}
    assert "Dat is veranderd: De vergoeding is niet meer belast. Het dagplafond is sinds " \
           "november geïndexeerd." in text[101]
    assert "belast" not in text[102] and "geïndexeerd" in text[102]
    storage.enqueue(rows, ticket_id=None, now=NOW)

    assert send(corrected_twice, storage) == 0
    september, november = the_plan(corrected_twice, storage)
    assert (september.affected, len(september.to_tell), september.already_told) == (1, 0, 1)
    assert (november.affected, len(november.to_tell), november.already_told) == (2, 0, 2)


def test_only_an_entrys_answer_in_a_private_chat_is_kept_for_corrections():
    """A group, a clarify or an escalation keeps nothing; an answer keeps chat, entry,
    revision and day."""
    answer = Reply("vraag", "nl", "answer", "tekst", entry_id=CEILING_NL, revision="2026-11-24:x")
    assert answer_given(answer, 42, TODAY) == AnswerGiven(42, CEILING_NL, "2026-11-24:x", TODAY)
    assert answer_given(answer, -100, TODAY) is None
    assert answer_given(replace(answer, action="clarify"), 42, TODAY) is None
    assert answer_given(replace(answer, revision=""), 42, TODAY) is None
