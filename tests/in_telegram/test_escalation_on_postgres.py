"""The whole ticket round trip works on PostgreSQL as on SQLite (skipped without a server)."""

from __future__ import annotations

import pytest
from test_escalation_round_trip import NL_QUESTION, escalate_and_confirm

from bot.storage.postgres import PostgresStorage
from tests.storage_backends import postgres_database


@pytest.fixture
def pg():
    with postgres_database() as url:
        db = PostgresStorage(url)
        yield db
        db.close()


async def test_a_ticket_goes_to_staff_and_back_on_postgresql(bot_api, escalation_bot, pg):
    """Question → ticket #1 in the staff group → staff reply relayed to the user, all stored
    in PostgreSQL; a second bot on the same database sees the ticket."""
    async with escalation_bot(db=pg):
        _, receipt, ticket = await escalate_and_confirm(bot_api, 42, NL_QUESTION)
        assert "ticket #1" in receipt["text"] and NL_QUESTION in ticket["text"]
        bot_api.staff_replies(ticket.message_id, "Dat regelt de gemeente.")
        answer = await bot_api.next_call("sendMessage", chat_id=42)
        assert "Dat regelt de gemeente." in answer.result["text"]
    other = PostgresStorage(pg.url)
    try:
        (stored,) = other.tickets_in_states(frozenset({"answered"}))
        assert stored.number == 1 and stored.first_answer_at is not None
    finally:
        other.close()
