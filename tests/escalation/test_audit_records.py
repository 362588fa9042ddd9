"""Every staff action on a ticket is on record (who, when), stays as an anonymous count after
retention, and a relayed answer that is edited reaches the user as a correction."""

from datetime import date, timedelta

import pytest
from test_desk import ANNA, NOW, STAFF_CHAT, Clock, Core, drafted, opened, rows, say

from bot.escalation.desk import Desk, StaffMember
from bot.escalation.tickets import StaffPress
from tests.storage_backends import BACKENDS, backend_url, open_url

BERT = StaffMember(8, "Bert")


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture(params=BACKENDS)
def db(request, tmp_path):
    """The same audit trail on SQLite and on PostgreSQL (the same migration step)."""
    with backend_url(request.param, tmp_path) as url:
        storage = open_url(url)
        yield storage
        storage.close()


@pytest.fixture
def desk(db, clock):
    return Desk(db, Core(), say, clock=clock, today=lambda: date(2026, 3, 2),
                split=lambda text: [text], configured_staff_chat=STAFF_CHAT)


def later(clock, minutes):
    clock.now = clock.now + timedelta(minutes=minutes)
    return clock.now


def test_each_staff_action_is_recorded_with_the_staff_member_and_the_time(desk, db, clock):
    """Claim, answer, promote, close and reopen are each on record with id, name and time."""
    ticket = opened(desk)
    desk.press(ANNA, StaffPress("claim", 1), ref="q:1")
    later(clock, 5)
    desk.reply(ANNA, db.ticket(ticket.id), "Ja.", STAFF_CHAT, 50)
    later(clock, 5)
    desk.staff_command(BERT, "promote", "1", "s:-100:51")
    desk.press(BERT, StaffPress("close", 1), ref="q:2")
    later(clock, 60)
    desk.staff_command(ANNA, "reopen", "1", "s:-100:52")

    events = db.events(ticket.id)
    assert [(e.action, e.staff_id, e.staff_name) for e in events] == [
        ("claim", 7, "Anna"), ("reply", 7, "Anna"), ("promote", 8, "Bert"),
        ("close", 8, "Bert"), ("reopen", 7, "Anna"),
    ]
    assert [e.at - NOW for e in events] == [
        timedelta(0), timedelta(minutes=5), timedelta(minutes=10), timedelta(minutes=10),
        timedelta(minutes=70),
    ]


def test_out_of_scope_and_a_suggestion_are_recorded_too(desk, db):
    first = opened(desk)
    desk.press(ANNA, StaffPress("suggest", 1, 1), ref="q:1")
    second, _ = drafted(desk, message_id=2)
    desk.confirm(second)
    desk.press(BERT, StaffPress("out_of_scope", 2), ref="q:2")

    assert [e.action for e in db.events(first.id)] == ["suggest"]
    assert [(e.action, e.staff_id) for e in db.events(second.id)] == [("out_of_scope", 8)]


def test_a_refused_or_replayed_action_records_nothing_more(desk, db):
    """A second claim is refused and a replayed /promote (same message) is recorded once."""
    ticket = opened(desk)
    desk.press(ANNA, StaffPress("claim", 1), ref="q:1")
    desk.press(BERT, StaffPress("claim", 1), ref="q:2")
    desk.reply(ANNA, db.ticket(ticket.id), "Ja.", STAFF_CHAT, 50)
    desk.staff_command(ANNA, "promote", "1", "s:-100:60")
    desk.staff_command(ANNA, "promote", "1", "s:-100:60")

    assert [e.action for e in db.events(ticket.id)] == ["claim", "reply", "promote"]


def test_reopening_brings_a_closed_ticket_back_unclaimed(desk, db):
    """/reopen N: the closed ticket is open again, without its old claim, and the ticket
    message is edited to show its buttons again."""
    ticket = opened(desk)
    desk.press(ANNA, StaffPress("claim", 1), ref="q:1")
    desk.press(ANNA, StaffPress("close", 1), ref="q:2")

    text = desk.staff_command(BERT, "reopen", "1", "s:-100:70")

    reopened = db.ticket(ticket.id)
    assert "kind=reopened" in text and "by=Bert" in text
    assert reopened.state == "open" and reopened.claimed_by is None
    assert ("staff", f"t{ticket.id}:staff-edit:s:-100:70") in rows(db)


def test_an_open_or_cancelled_ticket_cannot_be_reopened(desk, db):
    opened(desk)
    assert "kind=not_allowed" in desk.staff_command(ANNA, "reopen", "1", "s:-100:1")
    second, _ = drafted(desk, message_id=2)
    desk.cancel(desk.confirm(second).ticket)
    assert "kind=not_allowed" in desk.staff_command(ANNA, "reopen", "2", "s:-100:2")


def test_after_retention_the_events_are_anonymous_counts(desk, db, clock):
    """Once a ticket is anonymised its actions keep only what happened and when: no staff id
    or name; /ticket N shows how often each action happened."""
    ticket = opened(desk)
    desk.press(ANNA, StaffPress("claim", 1), ref="q:1")
    desk.reply(ANNA, db.ticket(ticket.id), "Ja.", STAFF_CHAT, 50)
    desk.reply(ANNA, db.ticket(ticket.id), "En ook nee.", STAFF_CHAT, 51)

    db.anonymise_due(now=NOW + timedelta(days=181), retention_days=180)

    events = db.events(ticket.id)
    assert [e.action for e in events] == ["claim", "reply", "reply"]
    assert {(e.staff_id, e.staff_name) for e in events} == {(None, "")}
    history = desk.staff_command(ANNA, "ticket", "1", "s:-100:9")
    assert "anonymised=True" in history and "'n': 2" in history and "Anna" not in history


def test_erasure_leaves_the_events_anonymous_as_well(desk, db):
    ticket = opened(desk)
    desk.press(ANNA, StaffPress("claim", 1), ref="q:1")
    desk.erase(42)
    assert [(e.action, e.staff_id) for e in db.events(ticket.id)] == [("claim", None)]


# ---------------------------------------------------------------- corrections
def edit(desk, message_id, text, *, edited_at):
    """Anna edits her reply (Telegram message `message_id`) to ticket #1."""
    ticket = desk.storage.ticket_by_number(1)
    return desk.correct(ANNA, ticket, STAFF_CHAT, message_id, text, edited_at=edited_at)


def answered(desk, db, text="Ja, dat mag."):
    ticket = opened(desk)
    assert desk.reply(ANNA, ticket, text, STAFF_CHAT, 50) is None
    return db.ticket(ticket.id)


def test_an_edited_answer_goes_to_the_user_as_a_correction(desk, db):
    """The new text is queued for the user as a correction, the staff group is told, and the
    correction is on record."""
    ticket = answered(desk, db)

    assert edit(desk, 50, "Nee, dat mag niet.", edited_at=1000) is None

    queued = {r.key: r for r in db.pending_outbox()}
    [key] = [k for k in queued if ":correction:" in k]
    assert "nl/esc_correction" in queued[key].payload["text"]
    assert "Nee, dat mag niet." in queued[key].payload["text"]
    assert any(":notice-corrected:" in k for k in queued)
    assert [e.action for e in db.events(ticket.id)] == ["reply", "correct"]
    assert db.ticket(ticket.id).state == "answered"


def test_an_edit_that_changes_nothing_sends_nothing(desk, db):
    """Telegram also reports edits that leave the text as it was (and a replay repeats one)."""
    answered(desk, db)
    edit(desk, 50, "Nee.", edited_at=1000)
    before = len(db.pending_outbox())

    assert edit(desk, 50, "Nee.", edited_at=1000) is None
    assert edit(desk, 50, "Nee.", edited_at=1001) is None

    assert len(db.pending_outbox()) == before


def test_a_closed_ticket_still_gets_the_correction(desk, db):
    ticket = answered(desk, db)
    desk.press(ANNA, StaffPress("close", 1), ref="q:9")
    assert edit(desk, 50, "Toch niet.", edited_at=5) is None
    assert db.ticket(ticket.id).state == "closed"


def test_a_correction_to_a_cancelled_or_erased_ticket_is_refused_with_the_reason(desk, db):
    """The group hears why the user will not see the edit; the user hears nothing."""
    ticket = answered(desk, db)
    desk.cancel(ticket)
    refused = edit(desk, 50, "Nee.", edited_at=5)
    assert "kind=correction_refused" in refused and "reason=cancelled" in refused

    desk.erase(42)
    refused = edit(desk, 50, "Nee.", edited_at=6)
    assert "kind=correction_refused" in refused and "reason=anonymised" in refused
    assert not [r for r in db.pending_outbox() if ":correction:" in r.key]


def test_an_edit_of_a_message_that_was_never_relayed_is_ignored(desk, db):
    answered(desk, db)
    assert edit(desk, 77, "Iets anders.", edited_at=5) is None
    assert not [r for r in db.pending_outbox() if ":correction:" in r.key]


def test_promote_takes_the_corrected_answer(desk, db):
    """A draft entry is made from what the user was last told, not the first version."""
    answered(desk, db, "Ja, dat mag.")
    edit(desk, 50, "Nee, dat mag niet.", edited_at=5)
    desk.staff_command(ANNA, "promote", "1", "s:-100:90")
    [draft] = db.drafts()
    assert draft.answer == "Nee, dat mag niet."
