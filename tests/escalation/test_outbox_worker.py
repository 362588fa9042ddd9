"""The outbox worker without Telegram or a database: a fake transport and an in-memory outbox.

Lanes per chat, oldest first, side by side; retries with backoff until the policy gives up;
kick, flush, stop; a chat that moved; a message the transport accepted is never sent twice."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.escalation.outbox import OutboxRow, Outcome, RetryPolicy
from bot.escalation.outbox_worker import (
    HOLD,
    Done,
    Failed,
    Judgement,
    Moved,
    OutboxWorker,
    SentId,
    WaitForEarlier,
)
from tests.inline_calls import direct, until

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
LONG = timedelta(hours=1)  # a recheck no test waits for: only kicks and lane ends wake


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


class FakeOutbox:
    """The six outbox calls the worker makes, on a dict of rows (the SQL storage's meaning)."""

    def __init__(self) -> None:
        self.rows: dict[int, OutboxRow] = {}
        self.broken_marks = 0  # how many mark_sent calls still fail
        self.broken_passes = 0  # how many pending_outbox calls still fail
        self.claimed_elsewhere: set[int] = set()  # rows another replica holds the lease of

    def add(self, chat_id: int, text: str, *, target: str = "user", key: str | None = None,
            **fields: Any) -> OutboxRow:
        row_id = len(self.rows) + 1
        fields.setdefault("status", "pending")
        payload = {"text": text, **fields.pop("payload", {})}
        row = OutboxRow(id=row_id, key=key or f"k{row_id}", target=target, chat_id=chat_id,
                        method="sendMessage", payload=payload, ticket_id=None, **fields)
        self.rows[row_id] = row
        return row

    def pending_outbox(self) -> list[OutboxRow]:
        if self.broken_passes:
            self.broken_passes -= 1
            raise RuntimeError("disk I/O error")
        return [r for _, r in sorted(self.rows.items()) if r.status == "pending"]

    def claim_outbox(self, row_id: int) -> bool:
        return self.rows[row_id].status == "pending" and row_id not in self.claimed_elsewhere

    def outbox_row(self, key: str) -> OutboxRow | None:
        return next((r for r in self.rows.values() if r.key == key), None)

    def mark_sent(self, row_id: int, message_id: int | None, *, now: datetime) -> None:
        if self.broken_marks:
            self.broken_marks -= 1
            raise RuntimeError("disk I/O error")
        row = self.rows[row_id]
        self.rows[row_id] = replace(row, status="sent", attempts=row.attempts + 1,
                                    sent_message_id=message_id)

    def mark_attempt(self, row_id: int, outcome: Outcome, error: str) -> None:
        self.rows[row_id] = replace(
            self.rows[row_id], status=outcome.status, attempts=outcome.attempts,
            next_attempt_at=outcome.next_attempt_at, last_error=error,
        )

    def retarget_staff_chat(self, old: int, new: int) -> None:
        for row_id, row in self.rows.items():
            if row.target == "staff" and row.chat_id == old and row.status == "pending":
                self.rows[row_id] = replace(row, chat_id=new, next_attempt_at=None)

    def status(self, row: OutboxRow) -> str:
        return self.rows[row.id].status


class Refusal(Exception):
    """What the fake service answers instead of a message; the transport judges it as given."""

    def __init__(self, judgement: Judgement, description: str = "") -> None:
        super().__init__(description)
        self.judgement = judgement


class FakeTransport:
    def __init__(self) -> None:
        self.attempts: list[tuple[int, str]] = []  # (chat, text) of every call, failed or not
        self.delivered: list[tuple[int, str]] = []  # (chat, text) the service accepted
        self.replies: dict[str, int | None] = {}  # text -> the message id it replied to
        self.gates: dict[int, asyncio.Event] = {}  # chat -> its calls wait until it is set
        self.cancelled: list[tuple[int, str]] = []  # calls cancelled while they waited
        self.failing: dict[int, Judgement] = {}  # chat -> every call to it fails like this
        self.message_ids = iter(range(500, 10_000))

    async def send(self, row: OutboxRow, sent_id: SentId) -> int | None:
        text = row.payload["text"]
        self.attempts.append((row.chat_id, text))
        gate = self.gates.get(row.chat_id)
        if gate is not None:
            try:
                await gate.wait()
            except asyncio.CancelledError:
                self.cancelled.append((row.chat_id, text))
                raise
        self.replies[text] = await sent_id(row.payload.get("reply_to_key"), row.chat_id)
        if row.chat_id in self.failing:
            raise Refusal(self.failing[row.chat_id], "Bad Gateway")
        self.delivered.append((row.chat_id, text))
        return next(self.message_ids)

    def judge(self, exc: Exception) -> Judgement:
        return exc.judgement if isinstance(exc, Refusal) else Failed("internal")

    def texts(self, chat_id: int) -> list[str]:
        return [text for chat, text in self.delivered if chat == chat_id]


@pytest.fixture
def outbox() -> FakeOutbox:
    return FakeOutbox()


@pytest.fixture
def transport() -> FakeTransport:
    return FakeTransport()


@pytest.fixture
def clock() -> Clock:
    return Clock()


def worker_for(transport: FakeTransport, outbox: FakeOutbox, clock: Clock,
               **options: Any) -> OutboxWorker:
    return OutboxWorker(transport, outbox, db=direct, clock=clock, **options)


async def test_each_chat_gets_its_rows_oldest_first_and_each_row_is_marked_sent(
    transport, outbox, clock
):
    rows = [outbox.add(chat, f"{chat}-{n}") for n in range(3) for chat in (1, 2)]
    worker = worker_for(transport, outbox, clock)

    assert await worker.flush() == 6

    assert transport.texts(1) == ["1-0", "1-1", "1-2"]
    assert transport.texts(2) == ["2-0", "2-1", "2-2"]
    assert all(outbox.rows[r.id].status == "sent" for r in rows)
    assert len({outbox.rows[r.id].sent_message_id for r in rows}) == 6
    assert await worker.flush() == 0  # nothing is sent twice


async def test_one_hung_chat_does_not_stall_another_and_keeps_its_own_order(
    transport, outbox, clock
):
    transport.gates[1] = asyncio.Event()  # chat 1's call hangs until the gate opens
    outbox.add(1, "first to 1")
    outbox.add(1, "second to 1")
    outbox.add(2, "to 2")
    worker = worker_for(transport, outbox, clock, recheck=LONG)
    worker.start()
    try:
        await until(lambda: transport.texts(2) == ["to 2"])
        assert transport.attempts.count((1, "first to 1")) == 1
        assert (1, "second to 1") not in transport.attempts  # waits behind its chat's first
        transport.gates[1].set()
        await until(lambda: transport.texts(1) == ["first to 1", "second to 1"])
    finally:
        await worker.stop()


async def test_stop_ends_the_worker_even_while_a_call_hangs(transport, outbox, clock):
    transport.gates[1] = asyncio.Event()
    hung = outbox.add(1, "never answered")
    worker = worker_for(transport, outbox, clock, recheck=LONG)
    worker.start()
    await until(lambda: transport.attempts)

    loop = asyncio.get_running_loop()
    started = loop.time()
    await asyncio.wait_for(worker.stop(), timeout=5)
    assert loop.time() - started < 1  # the hung call is cancelled, not waited for

    assert transport.cancelled == [(1, "never answered")]  # its lane ended with the worker
    assert outbox.status(hung) == "pending"  # not marked: it goes out after a restart


async def test_a_failing_row_is_retried_with_a_growing_backoff_then_failed_and_given_up(
    transport, outbox, clock
):
    given_up: list[tuple[int, str]] = []

    async def on_give_up(row: OutboxRow, status: str) -> None:
        given_up.append((row.id, status))

    policy = RetryPolicy(base=timedelta(seconds=2), max_attempts=3)
    transport.failing[1] = Failed("network", detail="Bad Gateway")
    row = outbox.add(1, "answer")
    worker = worker_for(transport, outbox, clock, policy=policy, on_give_up=on_give_up)

    await worker.flush()
    first = outbox.rows[row.id]
    assert (first.status, first.attempts, first.next_attempt_at) == (
        "pending", 1, NOW + timedelta(seconds=2))
    assert first.last_error == "Refusal: Bad Gateway"

    clock.advance(timedelta(seconds=1))
    await worker.flush()
    assert len(transport.attempts) == 1  # not due yet: no attempt before its backoff

    clock.advance(timedelta(seconds=1))
    await worker.flush()
    second = outbox.rows[row.id]
    assert (second.attempts, second.next_attempt_at) == (2, clock.now + timedelta(seconds=4))
    assert given_up == []

    clock.advance(timedelta(seconds=4))
    await worker.flush()
    assert outbox.status(row) == "failed" and outbox.rows[row.id].attempts == 3
    assert given_up == [(row.id, "failed")]

    clock.advance(timedelta(hours=1))
    await worker.flush()
    assert len(transport.attempts) == 3  # a failed row is never tried again


async def test_a_failing_row_holds_back_its_chat_only(transport, outbox, clock):
    transport.failing[1] = Failed("server")
    outbox.add(1, "fails")
    behind = outbox.add(1, "behind it")
    outbox.add(2, "elsewhere")
    worker = worker_for(transport, outbox, clock)

    assert await worker.flush() == 1

    assert transport.texts(2) == ["elsewhere"]
    assert (1, "behind it") not in transport.attempts  # never before the row ahead of it
    assert outbox.status(behind) == "pending"
    del transport.failing[1]
    clock.advance(timedelta(seconds=2))
    assert await worker.flush() == 2
    assert transport.texts(1) == ["fails", "behind it"]


async def test_flood_control_waits_the_time_the_service_asked_without_using_up_attempts(
    transport, outbox, clock
):
    transport.failing[1] = Failed("rate_limited", retry_after=7.0)
    row = outbox.add(1, "answer")
    worker = worker_for(transport, outbox, clock)

    await worker.flush()

    after = outbox.rows[row.id]
    assert (after.status, after.attempts) == ("pending", 0)
    assert after.next_attempt_at == NOW + timedelta(seconds=7)


async def test_a_row_with_nothing_left_to_do_counts_as_sent(transport, outbox, clock):
    transport.failing[1] = Done()
    row = outbox.add(1, "edit that changes nothing")
    worker = worker_for(transport, outbox, clock)

    assert await worker.flush() == 1

    assert outbox.status(row) == "sent" and outbox.rows[row.id].sent_message_id is None


async def test_kick_wakes_a_sleeping_worker_from_the_loop_and_from_another_thread(
    transport, outbox, clock
):
    worker = worker_for(transport, outbox, clock, recheck=LONG)
    worker.start()
    try:
        await until(lambda: worker.passes == 1)  # looked once, found nothing, sleeps an hour
        outbox.add(1, "new")
        await asyncio.sleep(0.2)
        assert transport.delivered == []  # nothing but a kick brings it out before the hour
        worker.kick()
        await until(lambda: transport.texts(1) == ["new"])

        outbox.add(2, "from a thread")
        await asyncio.to_thread(worker.kick)
        await until(lambda: transport.texts(2) == ["from a thread"])
    finally:
        await worker.stop()


async def test_kicks_that_arrive_together_make_one_pass(transport, outbox, clock):
    worker = worker_for(transport, outbox, clock, recheck=LONG)
    worker.start()
    try:
        await until(lambda: worker.passes == 1)
        for _ in range(50):
            worker.kick()
        await asyncio.sleep(0.2)
        assert worker.passes == 2
    finally:
        await worker.stop()


async def test_a_chat_waiting_for_a_free_lane_goes_when_a_lane_ends(transport, outbox, clock):
    transport.gates[1] = asyncio.Event()
    outbox.add(1, "slow")
    outbox.add(2, "waits for a lane")
    worker = worker_for(transport, outbox, clock, recheck=LONG, max_lanes=1)
    worker.start()
    try:
        await until(lambda: transport.attempts == [(1, "slow")])
        await asyncio.sleep(0.1)
        assert transport.texts(2) == []  # the one lane is taken
        assert worker.passes == 1  # the waiting chat is no reason to look again and again
        transport.gates[1].set()
        await until(lambda: transport.texts(2) == ["waits for a lane"])  # not after an hour
    finally:
        await worker.stop()


async def test_a_chat_backing_off_is_looked_at_again_when_its_first_row_is_due(
    transport, outbox, clock
):
    """The rows behind a backing-off row wait for it: only the first row says when to look."""
    outbox.add(1, "backing off", next_attempt_at=NOW + timedelta(minutes=5))
    outbox.add(1, "behind it")
    worker = worker_for(transport, outbox, clock, recheck=LONG)
    worker.start()
    try:
        await until(lambda: worker.passes == 1)
        await asyncio.sleep(0.2)
        assert worker.passes == 1 and transport.attempts == []  # asleep, not looking again
    finally:
        await worker.stop()


async def test_a_row_another_replica_claimed_is_left_to_it(transport, outbox, clock):
    taken = outbox.add(1, "leased by another replica")
    outbox.claimed_elsewhere.add(taken.id)
    worker = worker_for(transport, outbox, clock)

    assert await worker.flush() == 0

    assert transport.attempts == []  # never sent by two replicas
    assert outbox.status(taken) == "pending" and outbox.rows[taken.id].attempts == 0
    outbox.claimed_elsewhere.clear()  # its lease expired: now it is ours
    await worker.flush()
    assert transport.attempts == []  # held back a moment, not taken over at once
    clock.advance(HOLD)
    assert await worker.flush() == 1


async def test_flush_sends_everything_due_and_nothing_that_is_not(transport, outbox, clock):
    later = NOW + timedelta(minutes=5)
    due = [outbox.add(chat, f"due {chat}") for chat in (1, 2, 3, 4)]
    backing_off = outbox.add(5, "backing off", next_attempt_at=later)
    behind = outbox.add(5, "behind it")
    worker = worker_for(transport, outbox, clock, max_lanes=2)  # more chats than lanes

    assert await worker.flush() == 4

    assert all(outbox.status(r) == "sent" for r in due)
    assert outbox.status(backing_off) == outbox.status(behind) == "pending"
    assert all(chat != 5 for chat, _ in transport.attempts)


async def test_a_chat_that_moved_takes_its_pending_rows_along(transport, outbox, clock):
    transport.failing[-100] = Moved(-200)
    rows = [outbox.add(-100, f"post {n}", target="staff") for n in range(2)]
    worker = worker_for(transport, outbox, clock)

    assert await asyncio.wait_for(worker.flush(), timeout=5) == 2

    assert transport.texts(-200) == ["post 0", "post 1"]
    assert all(outbox.rows[r.id].chat_id == -200 for r in rows)
    assert all(outbox.rows[r.id].attempts == 1 for r in rows)  # the move was no attempt


async def test_a_staff_group_that_moved_is_handed_to_on_migrated(transport, outbox, clock):
    moves: list[tuple[int, int]] = []

    async def on_migrated(old: int, new: int) -> None:
        moves.append((old, new))
        outbox.retarget_staff_chat(old, new)  # what the desk's group_moved does, among more

    transport.failing[-100] = Moved(-200)
    outbox.add(-100, "ticket", target="staff")
    worker = worker_for(transport, outbox, clock, on_migrated=on_migrated)

    assert await asyncio.wait_for(worker.flush(), timeout=5) == 1

    assert moves == [(-100, -200)]
    assert transport.texts(-200) == ["ticket"]


async def test_an_accepted_message_is_never_sent_again_while_its_mark_fails(
    transport, outbox, clock
):
    row = outbox.add(1, "answer")
    outbox.broken_marks = 1
    worker = worker_for(transport, outbox, clock)

    assert await worker.flush() == 0  # accepted, but the mark could not be written
    assert outbox.status(row) == "pending"
    await worker.flush()
    assert len(transport.attempts) == 1  # held back, not tried again at once

    clock.advance(HOLD)
    assert await worker.flush() == 1
    assert transport.delivered == [(1, "answer")]  # once
    assert outbox.rows[row.id].sent_message_id == 500  # the id of that one delivery


async def test_a_reply_carries_the_message_id_of_the_row_it_answers(transport, outbox, clock):
    outbox.add(1, "question", key="q")
    outbox.add(1, "answer", payload={"reply_to_key": "q"})
    outbox.add(2, "elsewhere", payload={"reply_to_key": "q"})
    worker = worker_for(transport, outbox, clock)

    assert await worker.flush() == 3

    question = outbox.outbox_row("q")
    assert question is not None and question.sent_message_id is not None
    assert transport.replies == {
        "question": None, "answer": question.sent_message_id, "elsewhere": None,
    }


async def test_sent_id_waits_for_a_pending_row_and_ignores_other_chats(outbox, clock):
    worker = worker_for(FakeTransport(), outbox, clock)
    pending = outbox.add(1, "not yet", key="pending")
    outbox.add(1, "gone", key="cancelled", status="cancelled")
    sent = outbox.add(1, "sent", key="sent")
    outbox.mark_sent(sent.id, 77, now=NOW)

    with pytest.raises(WaitForEarlier):
        await worker.sent_id(pending.key, 1)
    assert await worker.sent_id("sent", 1) == 77
    assert await worker.sent_id("sent", 2) is None  # message ids are only valid per chat
    assert await worker.sent_id("cancelled", 1) is None
    assert await worker.sent_id("unknown", 1) is None
    assert await worker.sent_id(None, 1) is None


async def test_a_row_waiting_for_an_earlier_one_is_held_without_an_attempt(outbox, clock):
    class Waiting(FakeTransport):
        async def send(self, row: OutboxRow, sent_id: SentId) -> int | None:
            raise WaitForEarlier("k9")

    row = outbox.add(1, "edit")
    worker = worker_for(Waiting(), outbox, clock)

    assert await worker.flush() == 0

    assert outbox.rows[row.id].attempts == 0 and outbox.status(row) == "pending"


async def test_a_failed_pass_is_tried_again_and_delivery_goes_on(transport, outbox, clock):
    outbox.broken_passes = 1
    outbox.add(1, "after the error")
    worker = worker_for(transport, outbox, clock, recheck=LONG)
    worker.start()
    try:
        await until(lambda: transport.texts(1) == ["after the error"])
    finally:
        await worker.stop()
