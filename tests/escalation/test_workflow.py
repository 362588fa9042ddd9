"""The escalation workflow as the bot runs it, wired from the settings and without Telegram:
a handler's message reaches the transport the workflow was given, a send that finds the staff
group moved makes the desk and its door follow it, and retention follows the settings; the
complaint route likewise."""

from datetime import UTC, datetime, timedelta

import pytest

from bot.escalation.complaints import NewComplaint
from bot.escalation.outbox import OutboxRow
from bot.escalation.outbox_worker import Failed, Judgement, Moved, SentId
from bot.escalation.workflow import ComplaintWorkflow, Options, Workflow
from bot.settings import Settings
from bot.testing.fake_bot_api import TOKEN
from tests.inline_calls import direct, until

NOW = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)
STAFF_CHAT, SUPERGROUP, COMPLAINTS = -100, -1001, -200
COMPLAINT = NewComplaint(chat_id=42, user_id=42, language="nl", what="druk gezet",
                         organisation="vzw X", contact_org="anonymous", reach="")


def settings(tmp_path, **env: str) -> Settings:
    return Settings.from_env({
        "BOT_TOKEN": TOKEN, "DATABASE_URL": f"sqlite:///{tmp_path / 'bot.sqlite3'}",
        "STAFF_CHAT_ID": str(STAFF_CHAT), "CENTRE_NAME": "Centrum",
        "CENTRE_CONTACT": "info@example.org", **env,
    })


class Transport:
    """Accepts every message, except that the old staff group answers "moved"."""

    def __init__(self) -> None:
        self.delivered: list[tuple[int, str]] = []

    async def send(self, row: OutboxRow, sent_id: SentId) -> int | None:
        if row.chat_id == STAFF_CHAT:
            raise LookupError("group chat was upgraded to a supergroup chat")
        self.delivered.append((row.chat_id, row.payload["text"]))
        return len(self.delivered)

    def judge(self, exc: Exception) -> Judgement:
        return Moved(SUPERGROUP) if isinstance(exc, LookupError) else Failed("internal")


def test_retention_and_response_time_come_from_the_settings_unless_options_are_given(
    tmp_path, storage, mini
):
    configured = settings(tmp_path, RETENTION_DAYS="30", RESPONSE_WORKDAYS="3")
    workflow = Workflow(configured, storage, mini, db=direct, clock=lambda: NOW)
    assert (workflow.options.retention_days, workflow.options.response_workdays) == (30, 3)
    assert workflow.desk.response_workdays == 3
    chosen = Workflow(configured, storage, mini, db=direct, options=Options(retention_days=7))
    assert chosen.options.retention_days == 7


@pytest.fixture
async def delivering(tmp_path, storage, mini):
    """A workflow delivering through a Transport; stopped after the test."""
    workflow = Workflow(settings(tmp_path), storage, mini, db=direct, clock=lambda: NOW)
    transport = Transport()
    workflow.deliver_through(transport)
    yield workflow, transport
    await workflow.stop()


async def test_a_handlers_message_is_delivered_through_the_transport_the_workflow_was_given(
    delivering,
):
    workflow, transport = delivering
    await workflow.answer_outbox().queue(42, ["Hallo"], keyboard=None, reply_to=None)
    await until(lambda: transport.delivered == [(42, "Hallo")])
    await workflow.stop()
    assert workflow.sender is None  # stopped: nothing delivers any more


async def test_when_a_send_finds_the_staff_group_moved_the_desk_and_its_door_follow_it(
    delivering,
):
    workflow, transport = delivering
    await workflow.answer_outbox().queue(STAFF_CHAT, ["Open tickets"], keyboard=None,
                                         reply_to=None)
    await until(lambda: (SUPERGROUP, "Open tickets") in transport.delivered)
    assert workflow.staff_chat_id == SUPERGROUP
    assert workflow.group.holds(SUPERGROUP) and not workflow.group.holds(STAFF_CHAT)


def test_the_complaint_route_is_available_only_with_a_complaints_group(tmp_path, storage, mini):
    without = ComplaintWorkflow(settings(tmp_path), storage, mini, clock=lambda: NOW)
    assert not without.desk.available
    configured = settings(tmp_path, COMPLAINTS_CHAT_ID=str(COMPLAINTS))
    route = ComplaintWorkflow(configured, storage, mini, clock=lambda: NOW)
    assert route.desk.available and route.group.holds(COMPLAINTS)


def test_a_complaint_loses_its_texts_after_the_configured_retention(tmp_path, storage, mini):
    now = [NOW]
    configured = settings(tmp_path, COMPLAINTS_CHAT_ID=str(COMPLAINTS),
                          COMPLAINT_RETENTION_DAYS="30")
    route = ComplaintWorkflow(configured, storage, mini, clock=lambda: now[0])
    made = route.desk.submit(COMPLAINT, source_key="p:42:1")
    now[0] = NOW + timedelta(days=29)
    assert route.maintain() == []
    now[0] = NOW + timedelta(days=31)
    assert route.maintain() == [made.id]
    assert storage.complaint(made.id).what == ""
    assert route.maintain() == []  # once
