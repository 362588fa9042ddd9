"""The complaint desk's routing and staff side, without Telegram: which replies and presses
are about a complaint, who may act in the complaints group, every refusal (wrong state, wrong
person, forged data) and repeated presses changing nothing."""

from datetime import UTC, datetime

import pytest

from bot.escalation.complaint_desk import ComplaintDesk
from bot.escalation.complaints import NewComplaint
from bot.escalation.desk import ChatMessage, StaffMember
from bot.storage.sqlite import SQLiteStorage

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
GROUP = -1007777
PERSON = 42
SAM = StaffMember(7, "Sam")
NEW = NewComplaint(chat_id=PERSON, user_id=PERSON, language="nl", what="druk gezet",
                   organisation="vzw X", contact_org="anonymous", reach="")


def say(lang, name, **context):
    return f"{name} " + " ".join(f"{k}={context[k]}" for k in sorted(context))


@pytest.fixture
def db(tmp_path):
    storage = SQLiteStorage(tmp_path / "bot.sqlite3")
    yield storage
    storage.close()


@pytest.fixture
def desk(db):
    return ComplaintDesk(db, say, clock=lambda: NOW, split=lambda text: [text],
                         configured_chat=GROUP, staff_lang="nl")


def sent(db, key, message_id):
    """The outbox row `key` went out as `message_id`."""
    [row] = [r for r in db.pending_outbox() if r.key == key]
    db.mark_sent(row.id, message_id, now=NOW)


@pytest.fixture
def complaint(desk, db):
    """A complaint whose post (message 500 in the group) and receipt (message 80 in the
    person's chat) went out."""
    made = desk.submit(NEW, source_key="p:42:1")
    sent(db, f"k{made.id}:post", 500)
    sent(db, f"k{made.id}:receipt", 80)
    return made


def in_group(text, replied_id=500, message_id=60, author=SAM):
    return ChatMessage(GROUP, message_id, text, replied_id=replied_id, author=author)


def from_person(text, replied_id=80, message_id=90, chat=PERSON):
    return ChatMessage(chat, message_id, text, replied_id=replied_id)


# ------------------------------------------------------------------ the person's replies
def test_a_reply_to_the_receipt_goes_to_the_group_once(desk, db, complaint):
    told = desk.person_reply(from_person("En nog dit"))
    again = desk.person_reply(from_person("En nog dit"))  # the update replayed
    assert told.startswith("cmp_addition") and "sent=True" in told and "sent=True" in again
    additions = [r for r in db.pending_outbox() if r.key.startswith(f"k{complaint.id}:addition")]
    assert len(additions) == 1 and "En nog dit" in additions[0].payload["text"]
    assert additions[0].chat_id == GROUP


def test_a_reply_about_something_else_or_from_another_chat_is_not_the_desks(desk, complaint):
    assert desk.person_reply(from_person("Hallo", replied_id=81)) is None
    assert desk.person_reply(from_person("Hallo", replied_id=None)) is None
    assert desk.person_reply(from_person("Hallo", chat=43)) is None  # not their complaint


def test_a_reply_without_text_or_to_a_finished_complaint_is_not_passed_on(desk, complaint):
    assert "text_only=True" in desk.person_reply(from_person(None))
    desk.press(SAM, "claim", complaint.id, ref="q:1")
    desk.press(SAM, "close", complaint.id, ref="q:2")
    refused = desk.person_reply(from_person("Nog iets"))
    assert "sent=False" in refused and "text_only=False" in refused


# ------------------------------------------------------------------ the complaints group
def test_which_messages_the_complaints_groups_gate_must_check(desk, complaint):
    assert desk.is_complaint_action(opens=True, reply=None)
    assert desk.is_complaint_action(opens=False, reply=in_group("Wij bellen u"))
    assert not desk.is_complaint_action(opens=False, reply=None)
    assert not desk.is_complaint_action(opens=False, reply=in_group("Koffie?", 501))
    assert not desk.is_complaint_action(opens=False, reply=in_group("Koffie?", None))
    elsewhere = ChatMessage(-200, 60, "Wij bellen u", replied_id=500, author=SAM)
    assert not desk.is_complaint_action(opens=False, reply=elsewhere)


def test_a_staff_reply_is_relayed_taking_the_complaint_up_once(desk, db, complaint):
    assert desk.staff_reply(in_group("Wij bellen u")) is None
    assert desk.staff_reply(in_group("Wij bellen u")) is None  # the update replayed
    taken = db.complaint(complaint.id)
    assert (taken.state, taken.claimed_name) == ("claimed", "Sam")
    answers = [r for r in db.pending_outbox() if r.key.startswith(f"k{complaint.id}:answer")]
    assert len(answers) == 1 and answers[0].chat_id == PERSON


def test_a_staff_reply_about_nothing_without_text_or_too_late_is_not_relayed(desk, complaint):
    assert desk.staff_reply(in_group("Koffie?", 501)) is None  # staff chatter
    assert desk.staff_reply(in_group("Koffie?", author=None)) is None
    assert desk.storage.complaint(complaint.id).state == "open"
    assert "kind=text_only" in desk.staff_reply(in_group(None))
    desk.withdraw(complaint)
    stale = desk.staff_reply(in_group("Wij bellen u"))
    assert "kind=stale" in stale and "erased=True" in stale


def test_claim_then_close_and_every_repeated_or_wrong_press_is_refused(desk, db, complaint):
    data = f"kst:claim:{complaint.id}"
    claimed = desk.staff_button(SAM, data, ref="q:1")
    again = desk.staff_button(StaffMember(8, "Bo"), data, ref="q:2")
    assert claimed.ok and "kind=claimed" in claimed.text
    assert not again.ok and "kind=stale" in again.text and "state=claimed" in again.text
    assert db.complaint(complaint.id).claimed_name == "Sam"

    closed = desk.staff_button(SAM, f"kst:close:{complaint.id}", ref="q:3")
    assert closed.ok and db.complaint(complaint.id).state == "closed"
    assert not desk.staff_button(SAM, f"kst:close:{complaint.id}", ref="q:4").ok
    assert not desk.staff_button(SAM, data, ref="q:5").ok
    closings = [r for r in db.pending_outbox() if r.key.startswith(f"k{complaint.id}:closed")]
    assert len(closings) == 1


def test_closing_an_open_complaint_is_refused(desk, db, complaint):
    done = desk.staff_button(SAM, f"kst:close:{complaint.id}", ref="q:1")
    assert not done.ok and "state=open" in done.text
    assert db.complaint(complaint.id).state == "open"


def test_a_press_with_forged_data_or_on_an_unknown_complaint_changes_nothing(desk, complaint):
    for forged in (None, "", "kst:claim", "kst:take:1", "kst:claim:x", "kw:yes:1"):
        assert desk.staff_button(SAM, forged, ref="q:1") is None
    unknown = desk.staff_button(SAM, "kst:claim:999", ref="q:1")
    assert not unknown.ok and unknown.text is None
    assert desk.storage.complaint(complaint.id).state == "open"


def test_the_complaints_groups_door_is_for_its_members_only(desk, db):
    door = desk.door()
    assert door.policy.allow_list == frozenset()  # STAFF_USER_IDS do not open it
    assert door.holds(GROUP) and not door.holds(PERSON)
    assert door.owns_press("kst:claim:1") and not door.owns_press("st:claim:1")
    assert door.press_is_here("kst:claim:1", GROUP)
    assert not door.press_is_here("kst:claim:x", GROUP)
    assert not door.press_is_here("kst:claim:1", -200)
    assert "kind=refused" in door.refusal(True) and "anonymous=True" in door.refusal(True)

    assert door.follow_migration(GROUP, -2000)
    assert not door.follow_migration(GROUP, -2000)
    assert desk.complaints_chat == -2000 and door.holds(-2000)
