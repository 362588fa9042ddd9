"""Outgoing messages are retried the way Telegram asks, and never given up on silently."""

from datetime import UTC, datetime, timedelta

from bot.escalation.outbox import OutboxRow, RetryPolicy, due, next_wakeup, ticket_key

NOW = datetime(2026, 2, 1, 10, 0, tzinfo=UTC)
POLICY = RetryPolicy()


def row(id=1, target="user", attempts=0, ticket_id=1, chat_id=42, status="pending", at=None):
    return OutboxRow(
        id=id,
        key=f"k{id}",
        target=target,
        chat_id=chat_id,
        method="sendMessage",
        payload={"text": "x"},
        ticket_id=ticket_id,
        status=status,
        attempts=attempts,
        next_attempt_at=at,
    )


def test_flood_control_waits_exactly_as_long_as_telegram_asks():
    """On 429 the next attempt is retry_after seconds later and costs no attempt."""
    outcome = POLICY.after_failure(row(attempts=3), "rate_limited", NOW, retry_after=30)
    assert outcome.status == "pending"
    assert outcome.next_attempt_at == NOW + timedelta(seconds=30)
    assert outcome.attempts == 3


def test_server_and_network_errors_back_off_exponentially_up_to_a_cap():
    """5xx and network errors wait 2 s, 4 s, 8 s, ... but never more than 15 minutes."""
    delays = [
        POLICY.after_failure(row(attempts=n), "server", NOW).next_attempt_at - NOW
        for n in range(4)
    ]
    assert delays == [timedelta(seconds=s) for s in (2, 4, 8, 16)]
    late = POLICY.after_failure(row(attempts=9), "network", NOW)
    assert late.next_attempt_at - NOW == timedelta(minutes=15)


def test_a_user_message_fails_after_max_attempts():
    """After the last allowed attempt a message to a user is marked failed, not retried."""
    outcome = POLICY.after_failure(row(attempts=POLICY.max_attempts - 1), "server", NOW)
    assert outcome.status == "failed" and outcome.next_attempt_at is None


def test_a_user_who_blocked_the_bot_is_not_retried():
    """403 to a user marks the row blocked (the ticket is then marked and staff told)."""
    assert POLICY.after_failure(row(), "blocked", NOW).status == "blocked"


def test_an_unreachable_staff_group_keeps_tickets_waiting():
    """If the staff group cannot be reached, ticket messages wait and are retried later."""
    outcome = POLICY.after_failure(row(target="staff", attempts=50), "blocked", NOW)
    assert outcome.status == "pending"
    assert outcome.next_attempt_at >= NOW + timedelta(minutes=5)
    transient = POLICY.after_failure(row(target="staff", attempts=50), "server", NOW)
    assert transient.status == "pending"


def test_a_malformed_message_is_not_retried():
    """A 400 that is not about the chat means our message is wrong: it fails at once."""
    assert POLICY.after_failure(row(), "bad_request", NOW).status == "failed"


def test_a_tickets_messages_go_out_in_order():
    """An addition waits while the ticket message itself is still waiting to be retried."""
    later = NOW + timedelta(seconds=5)
    rows = [row(1, at=later), row(2), row(3, ticket_id=2)]
    assert [r.id for r in due(rows, NOW)] == [3]
    assert [r.id for r in due(rows, later)] == [1, 3]


def test_sent_rows_are_not_due_and_the_wakeup_is_the_earliest_pending():
    """Only pending rows are sent; the worker sleeps until the earliest one is due."""
    later = NOW + timedelta(seconds=9)
    rows = [row(1, status="sent"), row(2, ticket_id=5, at=later)]
    assert due(rows, NOW) == []
    assert next_wakeup(rows, NOW) == later
    assert next_wakeup([row(1, status="sent")], NOW) is None


def test_idempotency_keys_name_the_logical_message():
    """The same event always yields the same key, different events different keys."""
    assert ticket_key(12, "relay", 345) == ticket_key(12, "relay", 345) == "t12:relay:345"
    assert ticket_key(12, "staff-ticket") != ticket_key(13, "staff-ticket")
