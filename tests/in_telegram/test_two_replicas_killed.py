"""Two bot processes on one PostgreSQL, one killed with SIGKILL while it delivers.

Two real `python -m bot telegram` processes in webhook mode share one throwaway database
(tests/storage_backends.py; skipped with the reason without a server) and one fake Telegram.
Every update is posted to both replicas, as a load balancer that retries on the other one
would. Each replica talks to Telegram through its own door (port) of the fake, so the test
knows who sent what. Replica A is killed (SIGKILL) the instant Telegram has accepted one of its
staff-group posts and before the answer reaches it: the one window in which a message can go
out twice. Replica B takes A's leased outbox rows over once the lease (OUTBOX_LEASE_SECONDS,
short here) has run out; A then comes back, as an orchestrator restarts it, and replays the
updates it had stored but not handled.

What must hold: every confirmed ticket reaches the staff group once (the message in flight at
the kill twice, and nothing else), every receipt and every staff answer reaches its user once,
and nothing is left pending or failed.
"""

from __future__ import annotations

import asyncio
import contextvars
import os
import re
import signal
import socket
import sys
import time
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import CENTRE_CONTACT, CENTRE_NAME, STAFF_CHAT_ID

from bot.testing.fake_bot_api import TOKEN, Call, FakeBotAPI
from tests.storage_backends import postgres_database

ROOT = Path(__file__).resolve().parents[2]
MINI = ROOT / "tests" / "data" / "kb-mini"
SECRET = "replicas-secret"
STAFF_MEMBER = 7001
LEASE_SECONDS = 2
QUESTION = "Hoe vraag ik een nieuw paspoort aan bij de gemeente?"  # escalated: out of scope
STAFF_POST = re.compile(r"^Ticket #(\d+) ")
RECEIPT = re.compile(r"^Verstuurd: ticket #(\d+)\.")
_door: contextvars.ContextVar[int] = contextvars.ContextVar("door", default=0)


@dataclass
class Trap:
    """Kill `process` once Telegram has accepted a staff-group post it sent through `door`."""

    door: int
    process: asyncio.subprocess.Process
    fired: asyncio.Event
    accepted: Call | None = None


class SharedTelegram(FakeBotAPI):
    """One Telegram, one door per replica; records which door every call came through."""

    def __post_init__(self) -> None:
        super().__post_init__()
        self.webhooks: dict[int, str] = {}  # door -> the URL that replica registered
        self.doors: dict[int, int] = {}  # id(call) -> door
        self.trap: Trap | None = None
        self.slow_door = 0
        self._runners: list[Any] = []

    async def open_door(self) -> tuple[int, str]:
        """A new port on the same fake; returns (port, BOT_API_BASE_URL for it)."""
        from aiohttp import web

        app = web.Application()
        app.router.add_route("*", "/{path:.*}", self._through_door)
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        self._runners.append(runner)
        port = int(site._server.sockets[0].getsockname()[1])  # type: ignore[union-attr]
        return port, f"http://127.0.0.1:{port}/bot{{token}}"

    async def _through_door(self, request: Any) -> Any:
        _door.set(int(request.transport.get_extra_info("sockname")[1]))
        return await self._serve(request)

    async def close_doors(self) -> None:
        await self.stop()
        for runner in self._runners:
            await runner.cleanup()

    async def _api_setWebhook(self, params: dict[str, Any]) -> bool:
        self.webhooks[_door.get()] = str(params["url"])
        return True

    async def handle(self, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        door = _door.get()
        if door and door == self.slow_door:
            await asyncio.sleep(0.1)  # a replica on a slower link builds up a backlog
        status, body = await super().handle(method, params)
        call = self.log[-1] if self.log and method != "getUpdates" else None
        if call is not None:
            self.doors[id(call)] = door
        trap = self.trap
        if (
            trap is not None and call is not None and door == trap.door and status == 200
            and method == "sendMessage" and params.get("chat_id") == STAFF_CHAT_ID
        ):
            # Telegram has the message; the replica dies before it hears so.
            self.trap = None
            trap.accepted = call
            trap.process.send_signal(signal.SIGKILL)
            await trap.process.wait()
            trap.fired.set()
        return status, body

    def newest_update(self) -> dict[str, Any]:
        update = self.released[max(self.released)]
        self._updates.remove(update)  # webhook mode: nobody fetches it with getUpdates
        return update

    def sent_texts(self, chat_id: int) -> list[str]:
        return [c.result["text"] for c in self.calls("sendMessage", chat_id=chat_id)]


@dataclass
class Replica:
    name: str
    door: int
    hook: str
    process: asyncio.subprocess.Process
    log_file: Path


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def database_url() -> Any:
    with postgres_database() as url:
        yield url


@pytest.fixture
async def telegram() -> AsyncIterator[SharedTelegram]:
    fake = SharedTelegram()
    fake.staff_chat_id = STAFF_CHAT_ID
    fake.url = "http://127.0.0.1"  # only doors serve; next_call and the log work as usual
    yield fake
    await fake.close_doors()


@pytest.fixture
async def cluster(
    telegram: SharedTelegram, database_url: str, tmp_path: Path
) -> AsyncIterator[Callable[[str], Awaitable[Replica]]]:
    """Start replicas by name; every one still running is stopped (SIGTERM) at the end."""
    started: list[Replica] = []

    async def start(name: str) -> Replica:
        door, base_url = await telegram.open_door()
        port = _free_port()
        hook = f"http://127.0.0.1:{port}/telegram/hook"
        env = {
            **os.environ,
            "BOT_TOKEN": TOKEN,
            "BOT_API_BASE_URL": base_url,
            "DATABASE_URL": database_url,
            "CENTRE_NAME": CENTRE_NAME,
            "CENTRE_CONTACT": CENTRE_CONTACT,
            "STAFF_CHAT_ID": str(STAFF_CHAT_ID),
            "STAFF_USER_IDS": str(STAFF_MEMBER),
            "WEBHOOK_URL": hook,
            "WEBHOOK_LISTEN": "127.0.0.1",
            "WEBHOOK_PORT": str(port),
            "WEBHOOK_SECRET": SECRET,
            "OUTBOX_LEASE_SECONDS": str(LEASE_SECONDS),
            "KNOWLEDGE_DIR": str(MINI),  # starts faster; the question is out of scope there too
        }
        log_file = tmp_path / f"{name}.log"
        with log_file.open("wb") as out:  # a file, not a pipe: nobody has to drain it
            process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", "telegram", cwd=ROOT, env=env,
                stdout=out, stderr=out,
            )
        replica = Replica(name, door, hook, process, log_file)
        started.append(replica)
        return replica

    yield start
    for replica in started:
        if replica.process.returncode is None:
            replica.process.send_signal(signal.SIGTERM)
    for replica in started:
        await asyncio.wait_for(replica.process.wait(), 30)
        assert TOKEN not in replica.log_file.read_text()


async def _ready(telegram: SharedTelegram, replica: Replica, http: httpx.AsyncClient) -> None:
    base = replica.hook.removesuffix("/telegram/hook")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if replica.process.returncode is not None:
            raise AssertionError(f"{replica.name} exited:\n{replica.log_file.read_text()}")
        if replica.door in telegram.webhooks:
            try:
                if (await http.get(f"{base}/healthz")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
        await asyncio.sleep(0.05)
    raise AssertionError(f"{replica.name} never came up:\n{replica.log_file.read_text()}")


async def test_a_replica_killed_mid_delivery_loses_no_ticket_and_repeats_only_its_last_post(
    telegram, cluster, database_url
):
    import psycopg

    async with httpx.AsyncClient(timeout=10) as http:

        async def post(replica: Replica, update: dict[str, Any]) -> None:
            try:
                answer = await http.post(replica.hook, json=update, headers={
                    "Content-Type": "application/json",
                    "X-Telegram-Bot-Api-Secret-Token": SECRET,
                })
            except httpx.TransportError:
                return  # a dead replica: the other one has the update too
            assert answer.status_code == 200

        async def to_both(update: dict[str, Any]) -> None:
            """Both replicas get the update at the same moment; one of them handles it."""
            await asyncio.gather(*(post(r, update) for r in live))

        def first_to(replica: Replica) -> Callable[[dict[str, Any]], Awaitable[None]]:
            async def route(update: dict[str, Any]) -> None:
                await post(replica, update)  # stored by this replica...
                for other in live:
                    if other is not replica:
                        await post(other, update)  # ...and dropped by the other as seen
            return route

        async def ask(user: int, route: Callable[[dict[str, Any]], Awaitable[None]]) -> int:
            """The user asks an out-of-scope question; returns the confirmation's message id."""
            telegram.user_says(user, QUESTION)
            await route(telegram.newest_update())
            prompt = await telegram.next_call("sendMessage", chat_id=user, timeout=20)
            assert "Dit stuur ik naar de medewerkers" in prompt["text"]
            prompts[user] = prompt
            return prompt.message_id

        def press_send(user: int, prompt_id: int) -> dict[str, Any]:
            (send,) = [data for row in prompts[user].buttons() for _, data in row
                       if data.startswith("tk:confirm")]
            telegram.user_presses(user, prompt_id, send)
            return telegram.newest_update()

        def staff_post_of(number: int) -> Any:
            posts = [c for c in telegram.calls("sendMessage", chat_id=STAFF_CHAT_ID)
                     if STAFF_POST.match(c.result["text"])
                     and int(STAFF_POST.match(c.result["text"]).group(1)) == number]
            assert posts, f"no staff post for ticket #{number}"
            return posts[-1]  # the one the bot knows: a reply to it is an answer

        def ticket_of(user: int) -> int:
            for c in telegram.calls("sendMessage", chat_id=user):
                if found := RECEIPT.match(c.result["text"]):
                    return int(found.group(1))
            raise AssertionError(f"user {user} has no receipt")

        async def until(what: str, condition: Callable[[], bool], timeout: float = 30) -> None:  # noqa: ASYNC109
            deadline = time.monotonic() + timeout
            while not condition():
                if time.monotonic() > deadline:
                    raise AssertionError(f"not reached in {timeout}s: {what}")
                await asyncio.sleep(0.05)

        def receipts() -> set[int]:
            return {u for u in users if any(RECEIPT.match(t) for t in telegram.sent_texts(u))}

        def pending_rows() -> int:
            with psycopg.connect(database_url) as db:
                return int(db.execute(
                    "SELECT COUNT(*) FROM outbox WHERE status = 'pending'").fetchone()[0])

        users = list(range(101, 109))
        prompts: dict[int, Any] = {}
        a, b = await cluster("A"), await cluster("B")
        live = [a, b]
        await asyncio.gather(_ready(telegram, a, http), _ready(telegram, b, http))

        # 1. Both alive: four tickets, every update to both replicas at once.
        for user in users[:4]:
            prompt = await ask(user, to_both)
            await to_both(press_send(user, prompt))
        await until("four receipts", lambda: receipts() >= set(users[:4]))
        answers: dict[int, str] = {}
        for user in users[:2]:
            answers[user] = f"Antwoord {user}: daarvoor is de gemeente bevoegd."
            telegram.staff_replies(staff_post_of(ticket_of(user)).message_id, answers[user],
                                   user_id=STAFF_MEMBER)
            await to_both(telegram.newest_update())

        # 2. A, on a slower link, takes the next updates first; it dies the moment Telegram
        #    has accepted one of its staff posts.
        trap = Trap(a.door, a.process, asyncio.Event())
        telegram.trap, telegram.slow_door = trap, a.door
        waiting = {user: await ask(user, first_to(a)) for user in users[4:7]}
        for user in users[2:4]:
            answers[user] = f"Antwoord {user}: vraag het aan het gemeentehuis."
            telegram.staff_replies(staff_post_of(ticket_of(user)).message_id, answers[user],
                                   user_id=STAFF_MEMBER)
            await first_to(a)(telegram.newest_update())
        for user in users[4:7]:
            await first_to(a)(press_send(user, waiting[user]))
        await asyncio.wait_for(trap.fired.wait(), 30)
        killed_at = time.monotonic()
        live = [b]
        assert trap.accepted is not None
        in_flight = int(STAFF_POST.match(trap.accepted.response["result"]["text"]).group(1))

        # 3. The orchestrator restarts A at once; meanwhile B sends what A had leased once
        #    the lease runs out, and takes a new ticket.
        a = await cluster("A-restarted")
        prompt = await ask(users[7], to_both)
        await to_both(press_send(users[7], prompt))
        await until("the post A died on is sent again", lambda: sum(
            1 for c in telegram.calls("sendMessage", chat_id=STAFF_CHAT_ID)
            if c.result["text"].startswith(f"Ticket #{in_flight} ")) == 2)
        takeover = time.monotonic() - killed_at

        # 4. A is back and replays what it had stored but not handled; staff answer the
        #    remaining tickets, each update to both replicas.
        await _ready(telegram, a, http)
        live = [a, b]
        await until("every user who pressed Send has a receipt", lambda: receipts() == set(users))
        for user in users[4:]:
            answers[user] = f"Antwoord {user}: de gemeente regelt paspoorten."
            telegram.staff_replies(staff_post_of(ticket_of(user)).message_id, answers[user],
                                   user_id=STAFF_MEMBER)
            await to_both(telegram.newest_update())
        await until("every answer relayed", lambda: all(
            any(answers[u] in t for t in telegram.sent_texts(u)) for u in users))
        await until("nothing pending", lambda: pending_rows() == 0)

    staff_posts = Counter(
        int(found.group(1)) for c in telegram.calls("sendMessage", chat_id=STAFF_CHAT_ID)
        if (found := STAFF_POST.match(c.result["text"]))
    )
    tickets = {ticket_of(u) for u in users}
    receipts_per_user = {u: sum(1 for t in telegram.sent_texts(u) if RECEIPT.match(t))
                         for u in users}
    relays_per_answer = {u: sum(1 for t in telegram.sent_texts(u) if answers[u] in t)
                         for u in users}
    by_door = Counter(telegram.doors[id(c)] for c in telegram.log if c.method == "sendMessage")
    with psycopg.connect(database_url) as db:
        states = dict(db.execute("SELECT status, COUNT(*) FROM outbox GROUP BY status").fetchall())
        numbered = {int(n) for (n,) in db.execute(
            "SELECT number FROM tickets WHERE number IS NOT NULL").fetchall()}
    replayed = re.findall(r"replaying (\d+) update", a.log_file.read_text())
    print(
        f"\n{len(tickets)} tickets, {sum(staff_posts.values())} staff posts "
        f"(duplicates: {sum(staff_posts.values()) - len(staff_posts)}, ticket #{in_flight} in "
        f"flight at the kill), takeover {takeover:.1f}s after SIGKILL with a "
        f"{LEASE_SECONDS}s lease; updates replayed by the restarted replica: {replayed or 0}; "
        f"sendMessage per door {dict(by_door)}; outbox {states}"
    )
    assert numbered == tickets and len(tickets) == len(users)  # one ticket per Send, none lost
    assert {n: staff_posts[n] for n in tickets} == {
        n: 2 if n == in_flight else 1 for n in tickets
    }, "only the post Telegram accepted as the replica died may go out twice"
    assert set(receipts_per_user.values()) == {1}, receipts_per_user
    assert set(relays_per_answer.values()) == {1}, relays_per_answer
    assert set(states) == {"sent"}, states
    assert by_door[a.door] + by_door[trap.door] > 0 and by_door[b.door] > 0  # both worked
