"""The escalation desk, without Telegram: every use case, every refusal, repeated presses."""

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.core.model import Candidate, Reply
from bot.escalation.desk import (
    Asked,
    ChatMessage,
    Desk,
    DraftRequest,
    Pressed,
    StaffMember,
    contact_text,
    given_up_kind,
    staff_command_of,
)
from bot.escalation.outbox import OutboxRow
from bot.escalation.records import Change, NewMessage, NewOutbox
from bot.escalation.tickets import _TRANSITIONS, STATES, StaffPress, user_data
from bot.storage.sqlite import SQLiteStorage

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
STAFF_CHAT = -100
ANNA = StaffMember(7, "Anna")
CANDIDATES = (Candidate("insurance.a.nl", "A?", 0.5), Candidate("insurance.b.nl", "B?", 0.4))


class Core:
    """Stands in for the assistant: ranks every question the same; entry b is past review."""

    def ask(self, text, *, chat_lang=None, today):
        return Reply(text, chat_lang or "nl", "escalate", "?", candidates=CANDIDATES,
                     topic="insurance")

    def answer_entry(self, entry_id, *, today):
        action = "escalate" if entry_id == "insurance.b.nl" else "answer"
        return Reply("A?", "nl", action, f"<b>{entry_id}</b>", entry_id=entry_id)


def say(lang, name, **context):
    return f"{lang}/{name} " + " ".join(f"{k}={context[k]}" for k in sorted(context))


class Clock:
    def __init__(self):
        self.now = NOW

    def __call__(self):
        return self.now


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def db(tmp_path):
    storage = SQLiteStorage(tmp_path / "bot.sqlite3")
    yield storage
    storage.close()


@pytest.fixture
def desk(db, clock):
    writes = []
    made = Desk(db, Core(), say, clock=clock, today=lambda: date(2026, 3, 2),
                split=lambda text: [text], configured_staff_chat=STAFF_CHAT,
                on_write=lambda: writes.append(1))
    made.writes = writes
    return made


def rows(db):
    return [(r.target, r.key) for r in db.pending_outbox()]


def drafted(desk, question="Mag ik dat?", message_id=1):
    notice = desk.draft(DraftRequest(42, 42, "nl", question, "command", message_id=message_id))
    [ticket] = desk.storage.tickets_of_chat(42, frozenset({"draft"}))
    return ticket, notice


def opened(desk):
    ticket, _ = drafted(desk)
    return desk.confirm(ticket).ticket


def in_state(desk, state, message_id=100):
    ticket, _ = drafted(desk, message_id=message_id)
    change = Change(ticket.id, frozenset({"draft"}), state, NOW, assign_number=True)
    return desk.storage.apply(change)


# ------------------------------------------------------------------------ the user's side
def test_an_escalation_shows_the_user_what_would_be_sent(desk, db):
    """The user sees their question with Send and Don't send; nothing reaches the staff yet."""
    ticket, notice = drafted(desk)

    assert ticket.state == "draft" and ticket.number is None
    assert "nl/esc_confirm" in notice.text and "Mag ik dat?" in notice.text
    assert [b["text"] for b in notice.keyboard["inline_keyboard"][0]] == [
        "✅ Versturen", "✖ Niet versturen"]
    assert [c.entry_id for c in ticket.candidates] == ["insurance.a.nl", "insurance.b.nl"]
    assert rows(db) == []


def test_sending_opens_ticket_one_and_queues_receipt_and_staff_message(desk, db):
    """Send: the ticket gets number 1, the user a receipt, the staff group the ticket."""
    ticket, _ = drafted(desk)

    done = desk.confirm(ticket)

    assert done.ok and done.ticket.state == "open" and done.ticket.number == 1
    assert rows(db) == [("user", f"t{ticket.id}:ticket_created:open"),
                        ("staff", f"t{ticket.id}:staff-ticket")]
    assert desk.writes


def test_pressing_send_twice_changes_nothing_the_second_time(desk, db):
    """A double click on Send is refused with the ticket's state, and queues nothing more."""
    ticket, _ = drafted(desk)
    desk.confirm(ticket)

    again = desk.confirm(ticket)

    assert not again.ok and "nl/esc_stale state=open" in again.text
    assert len(rows(db)) == 2


def test_the_same_message_escalated_again_shows_the_status(desk):
    """A replayed hand-off of a message that already opened a ticket shows /status instead."""
    ticket, _ = drafted(desk)
    desk.confirm(ticket)

    notice = desk.draft(DraftRequest(42, 42, "nl", "Mag ik dat?", "command", message_id=1))

    assert "nl/esc_status" in notice.text


def test_not_sending_a_draft_tells_nobody(desk, db):
    """Don't send: the draft is cancelled and the staff never hear of it."""
    ticket, _ = drafted(desk)

    done = desk.cancel(ticket)

    assert done.ok and "nl/esc_cancelled number=None" in done.text
    assert db.ticket(ticket.id).state == "cancelled" and rows(db) == []
    assert not desk.cancel(ticket).ok  # pressed again: refused


def test_cancelling_an_open_ticket_tells_the_staff(desk, db):
    """Cancelling ticket #1 from /status tells the staff and updates their ticket message."""
    ticket = opened(desk)

    done = desk.cancel(ticket)

    assert done.ok and "number=1" in done.text
    assert ("staff", f"t{ticket.id}:notice-cancelled:user") in rows(db)
    assert ("staff", f"t{ticket.id}:staff-edit:cancelled") in rows(db)


def test_text_after_an_empty_draft_becomes_its_question(desk, db):
    """/medewerker without words: the next text is the question."""
    ticket, _ = drafted(desk, question="")

    notice = desk.take_text(42, "Mijn vraag", 2)

    assert db.ticket(ticket.id).question == "Mijn vraag"
    assert "✅ Versturen" in str(notice.keyboard)


def test_more_text_is_added_to_the_draft_once(desk, db):
    ticket, _ = drafted(desk)

    desk.take_text(42, "Nog iets", 2)
    desk.take_text(42, "Nog iets", 2)  # the same update replayed

    assert [m.text for m in db.messages(ticket.id)] == ["Nog iets"]


def test_an_abandoned_draft_expires_and_text_is_a_new_question(desk, db, clock):
    ticket, _ = drafted(desk)
    clock.now = NOW + timedelta(minutes=31)

    assert desk.take_text(42, "Iets anders", 2) is None
    assert db.ticket(ticket.id).state == "cancelled"


def test_text_while_a_ticket_is_open_asks_where_it_belongs(desk):
    opened(desk)

    notice = desk.take_text(42, "Nog een vraag", 5)

    assert "esc_addition_prompt number=1" in notice.text and notice.reply_to == 5
    labels = [row[0]["text"] for row in notice.keyboard["inline_keyboard"]]
    assert labels == ["Aanvulling op #1", "Nieuwe vraag"]


def test_text_without_a_ticket_is_not_the_desks(desk):
    assert desk.take_text(42, "Hallo", 1) is None


def test_an_addition_goes_to_the_staff_once(desk, db):
    ticket = opened(desk)

    first = desk.add(ticket, "Extra info", 42, 9)
    desk.add(ticket, "Extra info", 42, 9)  # pressed twice

    assert first.ok
    additions = [k for t, k in rows(db) if "addition" in k]
    assert additions == [f"t{ticket.id}:addition:m:42:9"]


def test_an_addition_to_a_closed_ticket_is_refused(desk):
    ticket = in_state(desk, "closed")
    assert not desk.add(ticket, "Extra", 42, 9).ok


def test_a_user_cannot_act_on_another_chats_ticket(desk):
    ticket, _ = drafted(desk)
    assert desk.own_ticket(ticket.id, 43) is None
    assert desk.own_ticket(ticket.id, 42) == ticket


def test_status_lists_open_tickets_with_cancel_buttons(desk):
    opened(desk)
    notice = desk.status(42, "nl")
    assert notice.keyboard["inline_keyboard"][0][0]["text"] == "Annuleer ticket #1"


# ------------------------------------------------------------------------ the user's buttons
ASKED = Asked(42, 9, "Extra info")


def test_send_under_a_draft_edits_it_into_the_receipt_line_or_clears_its_buttons(desk, db):
    """Send opens the ticket (its receipt comes through the outbox): the draft's buttons go."""
    ticket, _ = drafted(desk)

    done = desk.user_press(user_data("confirm", ticket.id), 42, 42, None)

    assert done == Pressed(clear=True)
    assert db.ticket(ticket.id).state == "open"


def test_a_second_press_on_send_is_answered_with_the_state_and_changes_nothing(desk, db):
    ticket, _ = drafted(desk)
    desk.user_press(user_data("confirm", ticket.id), 42, 42, None)
    queued = rows(db)

    again = desk.user_press(user_data("confirm", ticket.id), 42, 42, None)

    assert again == Pressed("nl/esc_stale state=open")
    assert rows(db) == queued


def test_dont_send_replaces_the_draft_by_its_cancellation(desk):
    ticket, _ = drafted(desk)
    done = desk.user_press(user_data("cancel", ticket.id), 42, 42, None)
    assert done.edit is not None and "nl/esc_cancelled" in done.edit and done.popup is None


def test_an_addition_button_sends_the_message_it_was_about_once(desk, db):
    ticket = opened(desk)

    first = desk.user_press(user_data("add", ticket.id), 42, 42, ASKED)
    desk.user_press(user_data("add", ticket.id), 42, 42, ASKED)  # pressed twice

    assert first.edit is not None and "nl/esc_addition_added" in first.edit
    assert [k for _, k in rows(db) if "addition" in k] == [f"t{ticket.id}:addition:m:42:9"]


def test_an_addition_whose_message_is_gone_is_refused(desk):
    ticket = opened(desk)
    done = desk.user_press(user_data("add", ticket.id), 42, 42, None)
    assert done.popup is not None and "nl/esc_stale" in done.popup and not done.clear


def test_new_question_clears_the_buttons_and_asks_the_message_as_a_new_question(desk, db):
    ticket = opened(desk)
    queued = rows(db)

    done = desk.user_press(user_data("new", ticket.id), 42, 42, ASKED)

    assert done == Pressed(clear=True, ask=ASKED)
    assert rows(db) == queued  # nothing goes to the staff
    assert desk.user_press(user_data("new", ticket.id), 42, 42, None) == Pressed(clear=True)


def test_a_vote_on_a_relayed_answer_counts_once_per_person(desk, db):
    ticket = opened(desk)
    desk.reply(ANNA, ticket, "Ja", STAFF_CHAT, 50)

    first = desk.user_press(user_data("up", ticket.id), 42, 42, None)
    again = desk.user_press(user_data("up", ticket.id), 42, 42, None)

    assert first == Pressed("nl/tg_thanks_vote ", clear=True)
    assert again == Pressed()  # counted already: the buttons stay, nothing is said


def test_a_vote_on_an_unanswered_ticket_is_refused_and_not_counted(desk):
    ticket = opened(desk)
    done = desk.user_press(user_data("down", ticket.id), 42, 42, None)
    assert done == Pressed("nl/esc_vote_unanswered ")


def test_a_ticket_button_of_another_chat_or_with_forged_data_does_nothing(desk, db):
    """Whatever the button data says, a user acts only on the tickets of their own chat."""
    ticket, _ = drafted(desk)

    assert desk.user_press(user_data("confirm", ticket.id), 43, 43, None) == Pressed()
    assert desk.user_press(user_data("confirm", ticket.id), None, 42, None) == Pressed()
    assert desk.user_press("tk:confirm:x", 42, 42, None) == Pressed()
    assert desk.user_press(None, 42, 42, None) == Pressed()
    assert db.ticket(ticket.id).state == "draft" and rows(db) == []


# ------------------------------------------------------------------------ the staff's side
def test_claiming_shows_who_took_it_and_refuses_a_second_claim(desk, db):
    ticket = opened(desk)

    done = desk.press(ANNA, StaffPress("claim", 1), ref="q:1")
    again = desk.press(StaffMember(8, "Bert"), StaffPress("claim", 1), ref="q:2")

    assert done.ok and "kind=done number=1 state_label=opgenomen" in done.text
    assert db.ticket(ticket.id).claimed_name == "Anna"
    assert not again.ok and "kind=refused number=1 state_label=opgenomen" in again.text


def test_a_press_on_an_unknown_ticket_is_answered_without_text(desk):
    assert desk.press(ANNA, StaffPress("claim", 99), ref="q:1").text is None


def test_a_staff_reply_is_relayed_with_vote_buttons(desk, db):
    ticket = opened(desk)

    assert desk.reply(ANNA, ticket, "Ja <dat mag>", STAFF_CHAT, 50) is None
    desk.reply(ANNA, ticket, "Ja <dat mag>", STAFF_CHAT, 50)  # the update replayed

    answered = db.ticket(ticket.id)
    assert answered.state == "answered" and answered.first_answer_at == NOW
    [relay] = [r for r in db.pending_outbox() if r.key.startswith(f"t{ticket.id}:answer")]
    assert "Ja &lt;dat mag&gt;" in relay.payload["text"]
    assert relay.payload["reply_markup"]["inline_keyboard"][0][0]["text"] == "👍"


def test_a_reply_without_text_or_to_a_closed_ticket_is_explained(desk):
    ticket = opened(desk)
    assert "kind=text_only" in desk.reply(ANNA, ticket, None, STAFF_CHAT, 50)
    closed = in_state(desk, "closed")
    assert "kind=not_allowed" in desk.reply(ANNA, closed, "Ja", STAFF_CHAT, 51)


def test_a_suggestion_relays_that_entrys_answer(desk, db):
    ticket = opened(desk)

    done = desk.press(ANNA, StaffPress("suggest", 1, 1), ref="q:3")

    assert done.ok and db.ticket(ticket.id).state == "answered"
    [message] = db.messages(ticket.id)
    assert (message.kind, message.text) == ("suggestion", "[insurance.a.nl]")


def test_a_suggestion_that_cannot_be_answered_is_refused(desk, db):
    ticket = opened(desk)
    stale = desk.press(ANNA, StaffPress("suggest", 1, 2), ref="q:3")
    missing = desk.press(ANNA, StaffPress("suggest", 1, 3), ref="q:4")
    assert not stale.ok and "kind=no_suggestion" in stale.notice
    assert not missing.ok and missing.notice is None
    assert db.ticket(ticket.id).state == "open"


def test_out_of_scope_tells_the_user_and_ends_the_ticket(desk, db):
    ticket = opened(desk)
    assert desk.press(ANNA, StaffPress("out_of_scope", 1), ref="q:5").ok
    assert ("user", f"t{ticket.id}:out_of_scope:q:5") in rows(db)
    assert not desk.press(ANNA, StaffPress("close", 1), ref="q:6").ok


def test_closing_an_unanswered_ticket_tells_the_user_an_answered_one_not(desk, db):
    first = opened(desk)
    desk.press(ANNA, StaffPress("close", 1), ref="q:7")
    assert ("user", f"t{first.id}:closed:q:7") in rows(db)

    second, _ = drafted(desk, message_id=2)
    second = desk.confirm(second).ticket
    desk.reply(ANNA, second, "Antwoord", STAFF_CHAT, 60)
    desk.press(ANNA, StaffPress("close", 2), ref="q:8")
    assert ("user", f"t{second.id}:closed:q:8") not in rows(db)


def posted(desk, db, ticket, message_id=500):
    """The ticket's message in the staff group went out as `message_id`."""
    [row] = [r for r in db.pending_outbox() if r.key == f"t{ticket.id}:staff-ticket"]
    db.mark_sent(row.id, message_id, now=NOW)


def staff_says(text, replied_id=500, *, to_bot=True, chat=STAFF_CHAT, message_id=60,
               author=ANNA):
    return ChatMessage(chat, message_id, text, replied_id=replied_id, to_bot=to_bot,
                       author=author)


def test_a_staff_button_with_data_we_never_wrote_is_not_the_desks(desk, db):
    opened(desk)
    for forged in (None, "", "st:claim", "st:claim:x", "st:suggest:1", "st:claim:1:2", "kst:1"):
        assert desk.staff_button(ANNA, forged, ref="q:1") is None
    assert db.ticket_by_number(1).state == "open"


def test_a_staff_button_claims_once_and_a_repeated_press_is_refused(desk, db):
    opened(desk)
    done = desk.staff_button(ANNA, "st:claim:1", ref="q:1")
    again = desk.staff_button(ANNA, "st:claim:1", ref="q:2")
    assert done.ok and not again.ok and "kind=refused" in again.text
    assert db.ticket_by_number(1).state == "claimed"


def test_which_staff_group_messages_the_gate_must_check(desk, db):
    """A staff command to this bot, or a reply (or its edit) to a ticket's message; never
    another chat, another bot's command or a reply to anything else. A reply that starts with
    a slash is checked too: the reply handler relays it unless Telegram marked a command."""
    ticket = opened(desk)
    posted(desk, db, ticket)
    command = ChatMessage(STAFF_CHAT, 60, "/open")
    assert desk.is_staff_action(command, "centre_bot", reply=False)
    assert not desk.is_staff_action(ChatMessage(STAFF_CHAT, 60, "/open@other_bot"),
                                    "centre_bot", reply=False)
    assert not desk.is_staff_action(ChatMessage(42, 60, "/open"), "centre_bot", reply=False)
    assert not desk.is_staff_action(ChatMessage(-999, 60, "/open"), "centre_bot", reply=False)

    assert desk.is_staff_action(staff_says("Ja"), "centre_bot", reply=True)
    assert not desk.is_staff_action(staff_says("Ja"), "centre_bot", reply=False)
    assert not desk.is_staff_action(staff_says("Ja", 501), "centre_bot", reply=True)
    assert not desk.is_staff_action(staff_says("Ja", to_bot=False), "centre_bot", reply=True)
    assert desk.is_staff_action(staff_says("/ ja"), "centre_bot", reply=True)
    assert desk.is_staff_action(staff_says("/ja"), "centre_bot", reply=True)
    assert not desk.is_staff_action(staff_says("Ja", None), "centre_bot", reply=True)


def test_a_reply_to_a_tickets_message_is_relayed_and_anything_else_is_not(desk, db):
    ticket = opened(desk)
    posted(desk, db, ticket)

    assert desk.reply_to(staff_says("Het mag", 501)) is None  # a reply to /open, a notice
    assert desk.reply_to(staff_says("Het mag", to_bot=False)) is None  # to a colleague
    assert db.ticket(ticket.id).state == "open"
    assert "kind=text_only" in desk.reply_to(staff_says(None))

    assert desk.reply_to(staff_says("Het mag")) is None
    assert desk.reply_to(staff_says("Het mag")) is None  # the update replayed
    assert db.ticket(ticket.id).state == "answered"
    [answer] = db.messages(ticket.id)
    assert (answer.text, answer.author_name) == ("Het mag", "Anna")
    assert len([r for r in db.pending_outbox() if r.key.startswith(f"t{ticket.id}:answer")]) == 1


def test_an_edited_reply_to_a_ticket_becomes_one_correction(desk, db):
    ticket = opened(desk)
    posted(desk, db, ticket)
    desk.reply_to(staff_says("Het mag"))

    assert desk.correct_reply(staff_says("Het mag"), 1000) is None  # nothing changed
    assert desk.correct_reply(staff_says("Het mag niet", 501), 1001) is None  # not a ticket's
    assert desk.correct_reply(staff_says("Het mag niet"), 1002) is None
    assert desk.correct_reply(staff_says("Het mag niet"), 1002) is None  # replayed
    corrections = [r for r in db.pending_outbox() if r.target == "user" and ":e1002:" in r.key]
    assert len(corrections) == 1
    assert "kind=text_only" in desk.correct_reply(staff_says(None), 1003)


def test_the_staff_groups_door_admits_the_allow_list_and_follows_the_group(desk, db):
    door = desk.door(frozenset({7}))
    assert door.holds(STAFF_CHAT) and not door.holds(42)
    assert door.owns_press("st:claim:1") and not door.owns_press("kst:claim:1")
    assert door.press_is_here("st:claim:1", STAFF_CHAT)
    assert not door.press_is_here("st:claim:x", STAFF_CHAT)
    assert "anonymous=False" in door.refusal(False)

    assert door.follow_migration(STAFF_CHAT, -2000)
    assert not door.follow_migration(STAFF_CHAT, -2000)  # the old id is not the group now
    assert door.holds(-2000) and desk.staff_chat_id == -2000


def test_a_staff_command_is_ours_only_when_it_names_this_bot_or_none():
    assert staff_command_of("/open", "centre_bot") == "open"
    assert staff_command_of("/Ticket@Centre_Bot 3", "centre_bot") == "ticket"
    assert staff_command_of("/open@other_bot", "centre_bot") is None
    assert staff_command_of("/start", "centre_bot") is None
    assert staff_command_of("open", "centre_bot") is None


def test_staff_commands_answer_in_the_group(desk):
    opened(desk)
    assert "nl/esc_staff_open" in desk.staff_command(ANNA, "open", "", "s:-100:1")
    assert "kind=usage" in desk.staff_command(ANNA, "ticket", "abc", "s:-100:2")
    assert "kind=unknown" in desk.staff_command(ANNA, "ticket", "9", "s:-100:3")
    assert "kind=not_promotable" in desk.staff_command(ANNA, "promote", "1", "s:-100:4")
    assert "kind=usage" in desk.staff_command(ANNA, "reopen", "", "s:-100:5")


def test_a_staff_command_message_is_answered_with_its_words_after_the_command(desk):
    opened(desk)
    ticket = desk.command_message(ChatMessage(STAFF_CHAT, 7, "/ticket@Centre_Bot   1 ",
                                              author=ANNA), "centre_bot")
    assert ticket == desk.staff_command(ANNA, "ticket", "1", "s:-100:7")
    usage = desk.command_message(ChatMessage(STAFF_CHAT, 8, "/ticket een twee", author=ANNA),
                                 "centre_bot")
    assert "kind=usage" in usage
    for other in ("/ticket@other_bot 1", "/start", "ticket 1", None):
        assert desk.command_message(ChatMessage(STAFF_CHAT, 9, other, author=ANNA),
                                    "centre_bot") is None
    assert desk.command_message(ChatMessage(STAFF_CHAT, 9, "/open"), "centre_bot") is None


def test_without_a_ticket_desk_the_hand_off_says_how_to_reach_the_centre():
    asked = DraftRequest(42, 42, "fr", "", "command")
    could_not = DraftRequest(42, 42, "nl", "Mag dat?", "core",
                             reply=Reply("Mag dat?", "nl", "escalate", "?", reason="unclear"))
    assert contact_text(say, asked) == "fr/tg_escalation_contact asked=True reason="
    assert contact_text(say, could_not) == "nl/tg_escalation_contact asked=False reason=unclear"


# ------------------------------------------------------------------------ the system's side
def _row(ticket, target="user"):
    return OutboxRow(5, "k", target, 42, "sendMessage", {}, ticket.id, "blocked")


def test_a_user_who_blocked_the_bot_is_marked_and_the_staff_told(desk, db):
    ticket = opened(desk)

    desk.user_unreachable(_row(ticket), "blocked")
    desk.user_unreachable(_row(ticket), "blocked")  # reported twice

    assert db.ticket(ticket.id).state == "user_blocked"
    assert [k for _, k in rows(db)].count(f"t{ticket.id}:notice-blocked:o5") == 1
    assert desk.press(ANNA, StaffPress("close", 1), ref="q:9").ok


def test_a_failed_delivery_only_tells_the_staff(desk, db):
    ticket = opened(desk)
    desk.user_unreachable(_row(ticket), "failed")
    assert db.ticket(ticket.id).state == "open"
    assert ("staff", f"t{ticket.id}:notice-failed:o5") in rows(db)


@pytest.mark.parametrize(("key", "target", "said"), [
    ("corr:allowances.ceiling:2026-03-05:42", "user", "a correction to a user"),
    ("report:2026-11-29:photo", "staff", "the weekly report to the staff group"),
    ("k7:receipt", "user", "a complaint message to the user"),
    ("k7:post", "staff", "a complaint post to the complaints group"),
    ("migrated:-2000", "staff", "an outbox message to the staff group"),
])
def test_a_given_up_message_without_a_ticket_is_named_for_what_it_was(
    desk, db, caplog, key, target, said
):
    """Rows that belong to no ticket change no ticket; the log names the kind, never the
    key (a correction's key holds the chat id)."""
    row = OutboxRow(5, key, target, 42, "sendMessage", {}, None, "blocked")
    assert given_up_kind(row) == said
    desk.user_unreachable(row, "blocked")
    assert [r.getMessage() for r in caplog.records] == [f"{said} was given up (blocked)"]
    assert rows(db) == []


def test_the_desk_follows_the_staff_group_to_its_supergroup(desk, db):
    ticket = opened(desk)

    assert desk.follow_migration(STAFF_CHAT, -2000)
    assert not desk.follow_migration(STAFF_CHAT, -2000)  # told twice

    assert desk.staff_chat_id == -2000
    assert ("staff", f"t{ticket.id}:staff-ticket:-2000") in rows(db)


def test_a_send_that_finds_a_group_moved_follows_only_the_staff_group(desk, db):
    opened(desk)
    db.enqueue([NewOutbox("k1:post", "staff", -300, "sendMessage", {"text": "x"})],
               ticket_id=None, now=NOW)

    assert desk.group_moved(STAFF_CHAT, -2000)  # the door follows it
    assert desk.staff_chat_id == STAFF_CHAT  # not before the door does
    assert not desk.group_moved(-300, -400)  # the complaints group: its rows only
    assert {r.key: r.chat_id for r in db.pending_outbox()}["k1:post"] == -400
    assert desk.staff_chat_id == STAFF_CHAT


def test_erasure_empties_the_chats_tickets(desk, db):
    ticket = opened(desk)
    count, plan = desk.erase(42)
    assert count == 1 and db.ticket(ticket.id).question == ""
    assert "tickets=1" in desk.erased_text("nl", count, plan, 0, 0)


def test_the_retention_sweep_anonymises_a_ticket_once_past_the_period(desk, db, clock):
    """A ticket keeps its words for the retention period, then the sweep empties it once."""
    ticket = opened(desk)
    db.record_answer(42, "insurance.a.nl", "2026-03-01:x", today=date(2026, 3, 2))

    assert desk.sweep(retention_days=180) == []
    clock.now = NOW + timedelta(days=200)

    assert desk.sweep(retention_days=180) == [ticket.id]
    assert db.ticket(ticket.id).question == "" and desk.sweep(retention_days=180) == []
    assert db.answers_given(["insurance.a.nl"], since=date(2026, 1, 1)) == []


# ------------------------------------------------------------------------ the one table
def _act(desk, ticket, action):
    """Do `action` through the desk's own use case; True when the desk accepted it."""
    if action == "confirm":
        return desk.confirm(ticket).ok
    if action == "cancel":
        return desk.cancel(ticket).ok
    if action == "add":
        if ticket.state == "draft":
            return desk.take_text(42, "Meer", 77) is not None
        return desk.add(ticket, "Meer", 42, 77).ok
    if action == "reply":
        return desk.reply(ANNA, ticket, "Antwoord", STAFF_CHAT, 88) is None
    if action == "suggest":
        return desk.press(ANNA, StaffPress("suggest", ticket.number, 1), ref="q:s").ok
    if action == "blocked":
        desk.user_unreachable(_row(ticket), "blocked")
        return desk.storage.ticket(ticket.id).state != ticket.state
    if action == "reopen":
        return "kind=reopened" in desk.staff_command(ANNA, "reopen", str(ticket.number), "s:x:1")
    if action in ("promote", "correct"):
        # Both act on an answer the user already received: store one, as a relay would.
        answer = NewMessage("out", "reply", "Antwoord", source_key=f"s:{STAFF_CHAT}:88",
                            author_id=ANNA.id, author_name=ANNA.name)
        desk.storage.add_messages(ticket.id, [answer], [], NOW)
        if action == "promote":
            text = desk.staff_command(ANNA, "promote", str(ticket.number), "s:x:2")
            return "kind=promoted" in text
        fresh = desk.storage.ticket(ticket.id)
        return desk.correct(ANNA, fresh, STAFF_CHAT, 88, "Beter antwoord", edited_at=1) is None
    return desk.press(ANNA, StaffPress(action, ticket.number), ref="q:x").ok


DESK_ACTIONS = ("confirm", "cancel", "add", "claim", "suggest", "reply", "out_of_scope",
                "close", "blocked", "promote", "reopen", "correct")


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("action", DESK_ACTIONS)
def test_every_use_case_follows_the_transition_table(desk, db, state, action):
    """From every state, each use case does exactly what tickets.next_state allows."""
    ticket = in_state(desk, state)
    expected = _TRANSITIONS.get((state, action))

    accepted = _act(desk, ticket, action)

    assert accepted == (expected is not None)
    assert db.ticket(ticket.id).state == (expected or state)


def test_every_action_of_the_table_is_checked_above():
    """No action of the transition table is left out of the use-case check."""
    from typing import get_args

    from bot.escalation.tickets import Action

    assert set(DESK_ACTIONS) == set(get_args(Action))
