"""Complaints are stored once, change state only from the state they were read in, and are
erased fully (their outbox texts too), on SQLite and on PostgreSQL alike."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.escalation.complaint_desk import ComplaintDesk
from bot.escalation.complaint_guide import ComplaintDraft
from bot.escalation.complaints import Move, NewComplaint, complaint_key
from bot.escalation.desk import StaffMember
from bot.escalation.records import NewOutbox
from bot.storage.sqlite import SQLiteStorage
from tests.storage_backends import BACKENDS, backend_url, open_url

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
MARKER = "ZQX-complaint-marker-4417"
GROUP = -1007777
NEW = NewComplaint(chat_id=42, user_id=42, language="nl", what=f"{MARKER} druk gezet",
                   organisation="vzw X", contact_org="anonymous", reach="")


@pytest.fixture(params=BACKENDS)
def db(request, tmp_path):
    with backend_url(request.param, tmp_path) as url:
        storage = open_url(url)
        yield storage
        storage.close()


def on_disk(path: Path, marker: str) -> int:
    """Occurrences of the marker's bytes in the database file and its companions."""
    return sum(p.read_bytes().count(marker.encode())
               for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")) if p.exists())


def desk(db, clock=lambda: NOW):
    say = lambda lang, name, **context: f"{name}:{context.get('what', '')}"  # noqa: E731
    return ComplaintDesk(db, say, clock=clock, split=lambda text: [text],
                         configured_chat=GROUP, staff_lang="nl")


def post_row(complaint):
    return [NewOutbox(complaint_key(complaint.id, "post"), "staff", GROUP, "sendMessage",
                      {"text": complaint.what})]


def test_the_same_preview_sends_one_complaint(db):
    """A second Send from the same preview returns the first complaint and queues nothing."""
    first, created = db.create_complaint(NEW, source_key="p:42:9", now=NOW, outbox_after=post_row)
    again, created_again = db.create_complaint(NEW, source_key="p:42:9", now=NOW,
                                               outbox_after=post_row)
    assert (created, created_again) == (True, False) and again.id == first.id
    assert [r.key for r in db.pending_outbox()] == [f"k{first.id}:post"]
    assert db.pending_outbox()[0].ticket_id is None


def test_a_move_holds_only_from_the_state_it_was_read_in(db):
    complaint, _ = db.create_complaint(NEW, source_key="p:42:1", now=NOW, outbox_after=post_row)
    claim = Move(complaint.id, frozenset({"open"}), "claimed", NOW, claimed_by=7,
                 claimed_name="Sam")
    done = db.move_complaint(claim)
    assert (done.state, done.claimed_name, done.claimed_at) == ("claimed", "Sam", NOW)
    assert db.move_complaint(claim) is None  # a double click: nothing written


def test_the_posts_message_leads_back_to_its_complaint(db):
    complaint, _ = db.create_complaint(NEW, source_key="p:42:1", now=NOW, outbox_after=post_row)
    row = db.pending_outbox()[0]
    db.mark_sent(row.id, 555, now=NOW)
    assert db.complaint_for_staff_message(GROUP, 555) == complaint.id
    assert db.complaint_for_staff_message(GROUP, 556) is None
    assert db.ticket_for_staff_message(GROUP, 555) is None  # no ticket reads it


def test_withdrawal_is_refused_once_claimed_and_erases_everything_before(db):
    complaints = desk(db)
    first = complaints.submit(NEW, source_key="p:42:1")
    second = complaints.submit(NEW, source_key="p:42:2")
    complaints.press(StaffMember(7, "Sam"), "claim", second.id, ref="q:1")

    assert complaints.withdraw(db.complaint(second.id)).ok is False
    assert db.complaint(second.id).what == NEW.what
    assert complaints.withdraw(first).ok is True
    gone = db.complaint(first.id)
    assert (gone.state, gone.what, gone.chat_id, gone.erased_why) == ("withdrawn", "", None,
                                                                      "withdrawn")
    rows = {r.key: r for r in db.pending_outbox()}
    assert f"k{first.id}:post" not in rows  # never sent now: cancelled
    edit = rows[f"k{first.id}:edit:withdrawn"]
    assert edit.payload["message_key"] == f"k{first.id}:post" and MARKER not in str(edit.payload)
    assert not any(MARKER in str(r.payload) for k, r in rows.items()
                   if k.startswith(f"k{first.id}:"))


def test_the_receipts_buttons_act_only_on_this_chats_own_complaint(db):
    """Withdraw asks once more, Yes withdraws, and a press from another chat or with data we
    never wrote changes nothing."""
    complaints = desk(db)
    mine = complaints.submit(NEW, source_key="p:42:1")

    assert complaints.withdraw_button(f"kw:ask:{mine.id}", 43) is None
    assert complaints.withdraw_button(f"kw:yes:{mine.id}", None) is None
    assert complaints.withdraw_button("kw:yes:x", 42) is None
    assert db.complaint(mine.id).state == "open"
    asked = complaints.withdraw_button(f"kw:ask:{mine.id}", 42)
    assert asked.ok and asked.text.startswith("cmp_withdraw_confirm") and asked.keyboard
    assert complaints.withdraw_button(f"kw:yes:{mine.id}", 42).ok
    assert db.complaint(mine.id).state == "withdrawn"
    # Pressed twice: the withdrawn complaint no longer names the chat, so nothing happens.
    assert complaints.withdraw_button(f"kw:yes:{mine.id}", 42) is None


def test_forgetting_a_chat_tells_the_person_which_complaints_were_erased(db):
    complaints = desk(db)
    complaints.submit(NEW, source_key="p:42:1")

    assert complaints.forget_chat(42).startswith("cmp_erased")
    assert complaints.forget_chat(42) is None  # nothing left to erase: nothing to say


def test_send_under_a_preview_posts_once_however_often_it_is_pressed(db):
    """The preview's message is the key: a second Send queues nothing more."""
    complaints = desk(db)
    draft = ComplaintDraft("nl", answers={"what": NEW.what, "contact_org": "anonymous"})

    assert complaints.send(draft, 42, 42, preview_id=7) == ""
    queued = [r.key for r in db.pending_outbox()]
    assert complaints.send(draft, 42, 42, preview_id=7) == ""

    assert [r.key for r in db.pending_outbox()] == queued
    assert len(db.complaints_of_chat(42)) == 1


def test_send_without_a_complaints_group_says_so_and_stores_nothing(db):
    say = lambda lang, name, **context: name  # noqa: E731
    complaints = ComplaintDesk(db, say, clock=lambda: NOW, split=lambda text: [text],
                               configured_chat=None, staff_lang="nl")
    draft = ComplaintDraft("nl", answers={"what": NEW.what, "contact_org": "anonymous"})

    assert complaints.send(draft, 42, 42, preview_id=7) == "cmp_unavailable"
    assert db.complaints_of_chat(42) == []


def test_retention_counts_from_the_last_activity(db):
    now = [NOW]
    complaints = desk(db, clock=lambda: now[0])
    complaint = complaints.submit(NEW, source_key="p:42:1")
    now[0] = NOW + timedelta(days=60)
    complaints.press(StaffMember(7, "Sam"), "claim", complaint.id, ref="q:1")
    now[0] = NOW + timedelta(days=91)
    assert complaints.anonymise_due(90) == []  # claimed 31 days ago
    now[0] = NOW + timedelta(days=151)
    assert complaints.anonymise_due(90) == [complaint.id]
    assert db.complaint(complaint.id).erased_why == "retention"
    assert complaints.anonymise_due(90) == []


def test_an_erased_complaint_leaves_no_copy_of_its_text_on_disk(tmp_path):
    """SQLite: withdrawn and erased complaint texts are gone from the file and its WAL."""
    path = tmp_path / "bot.sqlite3"
    db = SQLiteStorage(path)
    complaints = desk(db)
    for n in range(10):
        complaints.submit(NEW, source_key=f"p:42:{n}")
    assert on_disk(path, MARKER) > 0
    complaints.withdraw(db.complaint(1))
    complaints.erase_chat(42)
    db.close()
    assert on_disk(path, MARKER) == 0
