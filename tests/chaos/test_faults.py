"""10% injected faults over 200 users x 5 questions (reduced: CHAOS_SCALE): every answer is
delivered, no call reaches a chat before its retry_after, p99 question -> answer <= 15 s, and
users whose chat met no fault are not delayed by the others' (p99 <= 2 s)."""

from __future__ import annotations

import asyncio
import random
from typing import Any

from bot.testing.fake_faults import FaultPlan
from tests.chaos.conftest import running_bot
from tests.chaos.figures import percentile, record, scale, scaled

QUESTIONS = [
    "Ben ik verzekerd als vrijwilliger?",
    "Mag ik als werkloze vrijwilligerswerk doen?",
    "Moet mijn organisatie een verzekering afsluiten?",
    "Wat is de organisatienota?",
    "Mag ik vrijwilligerswerk doen met een leefloon?",
]


class Deliveries:
    """When each question got its first answer (matched by the message it replies to), and
    how many answers arrived more than once."""

    def __init__(self) -> None:
        self.first: dict[tuple[int, int], float] = {}
        self.copies: dict[tuple[int, int], int] = {}
        self.arrived: dict[tuple[int, int], asyncio.Event] = {}

    def __call__(self, call: Any) -> None:
        if call.method != "sendMessage" or call.status != 200:
            return
        reply = call.params.get("reply_parameters") or {}
        replied = reply.get("message_id") or call.params.get("reply_to_message_id")
        if replied is None:
            return
        key = (int(call.params["chat_id"]), int(replied))
        self.copies[key] = self.copies.get(key, 0) + 1
        if key not in self.first:
            self.first[key] = asyncio.get_running_loop().time()
            self.event(key).set()

    def event(self, key: tuple[int, int]) -> asyncio.Event:
        return self.arrived.setdefault(key, asyncio.Event())


async def test_every_answer_arrives_through_ten_percent_faults(fake, tmp_path, chaos_assistant):
    users = scaled(200, least=20)
    timeout = 10.0 if scale() >= 1 else 2.0
    chats = [1000 + n for n in range(users)]
    faulty = set(chats[::2])  # half the chats meet faults, at twice the rate: 10% overall
    plan = FaultPlan(rate=0.2, only_chats=faulty, hang=timeout + 1, retry_after=1)
    deliveries = Deliveries()
    fake.listener = deliveries
    latencies: dict[int, list[float]] = {chat: [] for chat in chats}
    lost: list[tuple[int, str]] = []

    rng = random.Random(5)
    # Four people start a second and each asks five questions in a few seconds: about 20
    # questions a second at the peak, two thirds of the 30 messages a second Telegram lets a
    # whole bot send (the bot holds itself to that, retries and all). Ten people a second (40
    # to 50 questions a second) is more than any bot may answer: everyone then waits in that
    # one queue, which measures Telegram's limit, not one chat's hang.
    arrivals = users / 4  # seconds over which people start

    async def person(chat: int) -> None:
        loop = asyncio.get_running_loop()
        await asyncio.sleep(rng.uniform(0, arrivals))
        for question in QUESTIONS:
            await asyncio.sleep(rng.uniform(0.2, 1.0))  # reading, typing
            asked_at = loop.time()
            message_id = fake.user_says(chat, question)
            key = (chat, message_id)
            try:
                await asyncio.wait_for(deliveries.event(key).wait(), 120)
            except TimeoutError:
                lost.append((chat, question))
                continue
            latencies[chat].append(deliveries.first[key] - asked_at)

    async with running_bot(fake, tmp_path, chaos_assistant, request_timeout=timeout) as (
        _, escalation, _,
    ):
        fake.faults = plan
        await asyncio.gather(*(person(chat) for chat in chats))
        fake.faults = None
        assert escalation.sender is not None
        passes = escalation.sender.passes

    asked = users * len(QUESTIONS)
    every = [t for chat in chats for t in latencies[chat]]
    healthy = [t for chat in chats if chat not in plan.hit for t in latencies[chat]]
    calls = len([c for c in fake.log if c.method == "sendMessage"])
    faults = sum(plan.drawn.values())
    duplicates = sum(n - 1 for n in deliveries.copies.values())
    early = sum(fake.early_calls.values())
    record(
        "faults",
        f"{users} users x {len(QUESTIONS)} questions (starting over {arrivals:.0f} s), read "
        f"timeout {timeout:.0f} s: "
        f"{faults} faults in {calls} sendMessage calls ({faults / max(calls, 1):.0%}; "
        f"{dict(sorted(plan.drawn.items()))}); delivered {asked - len(lost)}/{asked}; "
        f"sends before retry_after {early}; p50 {percentile(every, 50):.2f} s, "
        f"p99 {percentile(every, 99):.2f} s, max {max(every):.2f} s; healthy chats "
        f"({users - len(plan.hit)}) p99 {percentile(healthy, 99):.2f} s; "
        f"duplicate answers {duplicates} (a lost answer to an accepted send); the sender "
        f"read the outbox {passes} times ({passes / asked:.2f} per question)",
    )
    assert lost == []
    assert early == 0
    # The goal for all answers is 15 s, asserted with room for a loaded CI machine (a chat
    # that met hangs waits out the read timeout, and the CPU on top of that). The goal for
    # the chats that met no fault is asserted as it is: 2 s.
    assert percentile(every, 99) <= 15 * 1.5
    assert percentile(healthy, 99) <= 2
