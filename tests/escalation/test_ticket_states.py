"""Tickets move only along the allowed paths, and button data is checked like any input."""

import pytest

from bot.escalation.tickets import (
    STATES,
    NotAllowed,
    allowed,
    next_state,
    parse_staff_data,
    parse_ticket_number,
    parse_user_data,
    staff_buttons,
    staff_data,
    user_data,
)


def test_a_confirmed_draft_opens_and_a_staff_reply_answers_it():
    """A draft becomes an open ticket on confirmation and answered on the staff's reply."""
    state = next_state("draft", "confirm")
    assert state == "open"
    assert next_state(next_state(state, "claim"), "reply") == "answered"


def test_follow_up_replies_keep_a_ticket_answered():
    """Staff can send further replies to an answered ticket."""
    assert next_state("answered", "reply") == "answered"


@pytest.mark.parametrize("state", ["closed", "out_of_scope", "cancelled"])
@pytest.mark.parametrize("action", ["claim", "suggest", "reply", "close", "cancel", "add"])
def test_finished_tickets_accept_nothing(state, action):
    """A closed, redirected or cancelled ticket cannot be acted on again."""
    with pytest.raises(NotAllowed):
        next_state(state, action)


def test_a_draft_is_invisible_to_staff_actions():
    """Staff cannot claim or answer a question the user has not confirmed yet."""
    assert not any(allowed("draft", a) for a in ("claim", "reply", "suggest", "close"))


def test_a_claimed_ticket_cannot_be_claimed_twice():
    """The second of two quick Claim presses is refused."""
    with pytest.raises(NotAllowed):
        next_state("claimed", "claim")


def test_a_blocked_user_ticket_can_only_be_closed():
    """When the user blocked the bot, staff can close the ticket but not answer it."""
    assert next_state("open", "blocked") == "user_blocked"
    assert next_state("user_blocked", "close") == "closed"
    assert not allowed("user_blocked", "reply")


def test_every_state_has_a_label_and_a_button_set():
    """Each state is named for the staff and gets a (possibly empty) button row."""
    from bot.escalation.staff_language import STATE_LABELS

    assert all(set(labels) == set(STATES) for labels in STATE_LABELS.values())
    assert staff_buttons("open", 3) == [
        "claim",
        "suggest1",
        "suggest2",
        "suggest3",
        "out_of_scope",
        "close",
    ]
    assert staff_buttons("claimed", 1) == ["suggest1", "out_of_scope", "close"]
    assert staff_buttons("closed", 3) == []


def test_staff_button_data_round_trips():
    """The data the bot puts on a staff button parses back to the same press."""
    press = parse_staff_data(staff_data("suggest", 12, 2))
    assert press is not None
    assert (press.action, press.ticket, press.suggestion) == ("suggest", 12, 2)
    assert parse_staff_data(staff_data("claim", 7)).action == "claim"


@pytest.mark.parametrize(
    "data",
    [
        None,
        "",
        "st:claim:0",
        "st:claim:-3",
        "st:claim:12:1",  # claim takes no suggestion index
        "st:suggest:12",  # suggest needs one
        "st:suggest:12:4",
        "st:delete:12",
        "st:claim:12 ",
        "st:claim:1e3",
        "st:claim:99999999999",
        "tk:confirm:12",
        "st:claim:12;DROP TABLE tickets",
    ],
)
def test_forged_staff_button_data_is_rejected(data):
    """Button data the bot could not have sent is ignored, whatever it contains."""
    assert parse_staff_data(data) is None


def test_user_button_data_is_strict_too():
    """A user's button press must name a known action and a positive ticket id."""
    assert parse_user_data(user_data("confirm", 5)).action == "confirm"
    assert parse_user_data("tk:confirm:x") is None
    assert parse_user_data("tk:erase:5") is None


def test_ticket_numbers_in_commands():
    """'/ticket 12' and '/ticket #12' both name ticket 12; anything else names none."""
    assert parse_ticket_number("12") == 12
    assert parse_ticket_number(" #12 ") == 12
    assert parse_ticket_number("twelve") is None
    assert parse_ticket_number("0") is None
    assert parse_ticket_number(None) is None
