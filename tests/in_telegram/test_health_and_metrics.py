"""Operators see that the bot is alive, ready and how it is doing, without seeing anyone's data.

The bot runs against the loopback fake with its metrics server on a free port; the tests read
/healthz, /readyz and /metrics over HTTP as Prometheus and a load balancer would.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from conftest import CENTRE_NAME, STAFF_CHAT_ID, TODAY, until
from test_escalation_round_trip import NL_QUESTION, escalate_and_confirm

from bot.adapters.http.observability import Observability
from bot.adapters.http.run import serve_metrics_while_running
from bot.adapters.telegram.escalation import Escalation, Options, build_escalating_application
from bot.escalation.outbox import RetryPolicy
from bot.testing.fake_bot_api import TOKEN

USER = 4242
USER_NAMES = ("Sam", "Vrijwilliger")  # the fake's first names for users and chats


@asynccontextmanager
async def observed_bot(
    bot_api: Any, settings: Any, assistant: Any, storage: Any, **kwargs: Any
) -> AsyncIterator[tuple[str, Observability]]:
    """The production wiring (observed assistant, escalation, metrics server), on port 0."""
    bot_api.staff_chat_id = STAFF_CHAT_ID
    observability = Observability(storage, assistant.kb, today=lambda: TODAY, **kwargs)
    fast = Options(policy=RetryPolicy(base=timedelta(milliseconds=50)))
    escalation = Escalation(
        settings, storage, observability.observe_assistant(assistant),
        today=lambda: TODAY, options=fast,
    )
    app = build_escalating_application(
        settings, storage, escalation, today=lambda: TODAY, request_timeout=1.0
    )
    observability.attach(app)
    serve_metrics_while_running(app, observability, listen="127.0.0.1", port=0)
    await app.initialize()
    assert app.post_init is not None
    await app.post_init(app)  # what run_polling does: menu, escalation, probe, metrics server
    assert app.updater is not None
    await app.updater.start_polling(poll_interval=0, timeout=1)
    await app.start()
    port = _bound_port(app)
    try:
        yield f"http://127.0.0.1:{port}", observability
    finally:
        await app.updater.stop()
        await app.stop()
        assert app.post_stop is not None
        await app.post_stop(app)
        await app.shutdown()


def _bound_port(app: Any) -> int:
    """The metrics server's port, found through the post_init closure's server object."""
    for cell in app.post_stop.__closure__ or ():
        port = getattr(cell.cell_contents, "port", None)
        if isinstance(port, int) and port:
            return port
    raise AssertionError("metrics server not started")


async def metrics_once_shown(
    http: httpx.AsyncClient, url: str, name: str, timeout: float = 5.0, **labels: str  # noqa: ASYNC109
) -> str:
    """The metrics page once it holds the sample `name` with `labels` (or after `timeout`)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        text = (await http.get(f"{url}/metrics")).text
        if _find(text, name, **labels) is not None or loop.time() > deadline:
            return text
        await asyncio.sleep(0.05)


def _find(metrics: str, name: str, **labels: str) -> re.Match[str] | None:
    wanted = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))
    pattern = re.escape(name) + (r"\{" + re.escape(wanted) + r"\}" if labels else "") + r" (\S+)"
    return re.search(r"^" + pattern + r"$", metrics, flags=re.MULTILINE)


def sample(metrics: str, name: str, **labels: str) -> float:
    """The value of one sample in Prometheus text format."""
    found = _find(metrics, name, **labels)
    assert found, f"{name} {labels} not in metrics"
    return float(found.group(1))


async def test_healthz_answers_and_readyz_is_ready_once_telegram_answered(
    bot_api, settings, assistant, storage
):
    """/healthz says the process lives; /readyz reports database, knowledge base and Bot API."""
    async with observed_bot(bot_api, settings, assistant, storage) as (url, _), \
            httpx.AsyncClient() as http:
        assert (await http.get(f"{url}/healthz")).text == "ok\n"
        ready = await http.get(f"{url}/readyz")
        assert ready.status_code == 200
        assert ready.json() == {
            "ready": True, "database": True, "knowledge_base": True, "bot_api": True,
        }


async def test_readyz_is_unavailable_when_telegram_was_not_reached_for_a_minute(
    bot_api, settings, assistant, storage
):
    """A replica whose last successful Bot API call is over a minute old is taken out."""
    later = [datetime.now(UTC)]
    async with observed_bot(
        bot_api, settings, assistant, storage, clock=lambda: later[0],
        probe_every=timedelta(hours=1),
    ) as (url, observability), httpx.AsyncClient() as http:
        observability.health.api_succeeded()
        later[0] += timedelta(seconds=61)
        ready = await http.get(f"{url}/readyz")
        assert ready.status_code == 503
        assert ready.json()["bot_api"] is False and ready.json()["database"] is True


async def test_readyz_is_unavailable_when_the_database_does_not_answer(
    bot_api, settings, assistant, storage
):
    """A closed database connection makes the replica not ready."""
    async with observed_bot(bot_api, settings, assistant, storage) as (url, observability), \
            httpx.AsyncClient() as http:
        observability.health.storage = _Broken()
        ready = await http.get(f"{url}/readyz")
        assert ready.status_code == 503 and ready.json()["database"] is False


class _Broken:
    def get_value(self, key: str) -> str | None:
        raise OSError("database is gone")


async def test_metrics_count_questions_tickets_and_errors_without_personal_data(
    bot_api, settings, assistant, storage
):
    """After a question, a ticket and a 429, /metrics counts them all, and nothing in it
    names a chat, a person, a message or the token."""
    async with observed_bot(bot_api, settings, assistant, storage) as (url, _), \
            httpx.AsyncClient() as http:
        question = "Is mijn vrijwilliger verzekerd tijdens de activiteit?"
        bot_api.fail_next("sendMessage", status=429, retry_after=1)
        bot_api.user_says(USER, question)
        await bot_api.next_call("sendMessage", chat_id=USER)
        _, _, ticket = await escalate_and_confirm(bot_api, USER, NL_QUESTION)
        bot_api.staff_replies(ticket.message_id, "Vraag het aan je gemeente, Griet.")
        await bot_api.next_call("sendMessage", chat_id=USER)
        # The staff group's edit goes out in its own lane, maybe just after the relay.
        await until(lambda: storage.pending_outbox() == [])

        metrics = (await http.get(f"{url}/metrics")).text

    assert sample(metrics, "bot_questions_total", language="nl", action="escalate") >= 1
    assert sum(
        sample(metrics, "bot_questions_total", language="nl", action=a)
        for a in ("answer", "clarify") if f'action="{a}"' in metrics
    ) >= 1
    assert sample(metrics, "bot_answer_seconds_count") >= 2
    assert sample(metrics, "bot_escalations_total", event="opened") == 1
    assert sample(metrics, "bot_escalations_total", event="answered") == 1
    assert sample(metrics, "bot_escalations_total", event="closed") == 0
    assert sample(metrics, "bot_open_tickets") == 1
    assert sample(metrics, "bot_telegram_api_errors_total", method="sendMessage",
                  kind="RetryAfter") == 1
    assert sample(metrics, "bot_telegram_retry_after_waits_total") == 1
    assert sample(metrics, "bot_outbox_pending") == 0
    assert sample(metrics, "bot_outbox_oldest_pending_seconds") == 0
    assert sample(metrics, "bot_kb_entries_due_for_review") >= 0
    assert sample(metrics, "bot_kb_figures_without_value") >= 0

    private = [str(USER), str(STAFF_CHAT_ID), *USER_NAMES, question, NL_QUESTION, TOKEN,
               TOKEN.split(":")[1], CENTRE_NAME, "gemeente"]
    for secret in private:
        assert secret not in metrics, secret
    label_values = set(re.findall(r'="([^"]*)"', metrics))
    allowed = {"nl", "fr", "other", "answer", "clarify", "escalate", "smalltalk", "opened",
               "answered", "closed", "RetryAfter"}
    assert {v for v in label_values if not re.fullmatch(r"[A-Za-z]+|[0-9.+Inf]+", v)} == set()
    assert label_values - allowed <= {"sendMessage"} | {
        v for v in label_values if re.fullmatch(r"[0-9.+Inf]+", v)
    }


async def test_outbox_gauges_show_a_message_telegram_has_not_confirmed(
    bot_api, settings, assistant, storage
):
    """While the staff group is unreachable, the pending ticket shows in the outbox gauges."""
    async with observed_bot(bot_api, settings, assistant, storage) as (url, _), \
            httpx.AsyncClient() as http:
        bot_api.fail_next("sendMessage", chat_id=STAFF_CHAT_ID, status=500, times=100)
        bot_api.user_says(USER, NL_QUESTION)
        prompt = await bot_api.next_call("sendMessage", chat_id=USER)
        send = [d for row in prompt.buttons() for _, d in row if d.startswith("tk:confirm")]
        bot_api.user_presses(USER, prompt.message_id, send[0])
        await bot_api.next_call("sendMessage", chat_id=USER)  # the receipt with the number
        # The staff post is sent beside the receipt: wait until its failure is counted.
        metrics = await metrics_once_shown(
            http, url, "bot_telegram_api_errors_total", method="sendMessage", kind="NetworkError"
        )
    assert sample(metrics, "bot_outbox_pending") >= 1
    assert sample(metrics, "bot_outbox_oldest_pending_seconds") >= 0
    assert sample(metrics, "bot_telegram_api_errors_total", method="sendMessage",
                  kind="NetworkError") >= 1
