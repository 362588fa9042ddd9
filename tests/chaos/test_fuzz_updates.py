"""Chaos suite, fuzzed updates (issue 12): thousands of updates Telegram could send — any
text, captions, entities, commands, button data, edited messages, replies, service messages,
update kinds the bot does not serve — through the real Application (escalation, guided
checks, complaints) against the fake Bot API, which refuses what Telegram would refuse.

Goal: 0 unhandled exceptions (the error handler never fires, nothing is logged at ERROR),
0 Bot API 400s, every update handled. FUZZ_UPDATES sets the count (500 by default; the
issue's full run is FUZZ_UPDATES=10000).

The bot runs on an event loop in a thread of its own for the whole run, so Hypothesis feeds
it batch after batch (each example is one batch) without restarting it: state builds up
(tickets, drafts, conversations, language choices) as it does in production.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Coroutine
from datetime import date, timedelta
from pathlib import Path
from typing import Any, TypeVar

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from bot.adapters.telegram.app import setup_bot
from bot.adapters.telegram.complaint_route import ComplaintRoute
from bot.adapters.telegram.escalation import Escalation, Options, build_escalating_application
from bot.adapters.telegram.guided import allowance_plugin, insurance_plugin
from bot.core.assistant import load_assistant
from bot.core.render import Centre
from bot.escalation.outbox import RetryPolicy
from bot.settings import Settings
from bot.storage.sqlite import SQLiteStorage
from bot.testing.fake_bot_api import BOT_USERNAME, GROUP_ANONYMOUS_BOT_ID, TOKEN, FakeBotAPI
from bot.testing.fake_bot_wire import MEDIA, utf16_len

pytestmark = pytest.mark.chaos

TOTAL = int(os.environ.get("FUZZ_UPDATES", "500"))
BATCH = 25
TODAY = date(2026, 3, 2)
STAFF = -1009999
COMPLAINTS = -1008888
CENTRE = "Centre <X> & Co"
PEOPLE = list(range(1001, 1061))  # private chats: the chat id is the user's id
GROUPS = [-100500 - n for n in range(300)]  # ordinary groups (each has its own send limit)
CHANNEL = -1007777
T = TypeVar("T")

QUESTIONS = [
    "hoeveel onkostenvergoeding mag ik per dag krijgen",
    "Ben ik verzekerd als vrijwilliger?",
    "Mag ik als werkloze vrijwilligerswerk doen?",
    "Combien puis-je recevoir comme défraiement par jour ?",
    "assurance bénévole ?",
    "Hoe vraag ik een nieuw paspoort aan bij de gemeente?",
    "Wat is de organisatienota?",
    "hallo", "merci", "?", "3", "ja", "nee", "👍",
]
COMMANDS = [
    "start", "help", "onderwerpen", "sujets", "medewerker", "humain", "taal", "langue",
    "vergeet", "oublier", "status", "klacht", "plainte", "geen_correcties",
    "sans_corrections", "vergoeding", "defraiement", "verzekering", "assurance", "open",
    "ticket", "stats", "promote", "onbekend", "START",
]
COMMAND_TAILS = [
    "", f"@{BOT_USERNAME}", "@other_bot", " 1", " #2", " 0", " -3", " abc", " 99999999999",
    " 1 2", "  ", " " + "9" * 40,
]
DATA_PREFIXES = [
    "l:nl", "l:fr", "l:", "l:xx", "v:+:", "v:-:", "v:*:", "e:", "tl:nl", "tl:", "t:nl:",
    "t:fr:", "t:", "q:", "ar:nl:", "ar:", "h:nl", "h:fr", "h:", "x:nl:yes", "x:fr:no",
    "x:zz:yes", "x:", "tk:confirm:", "tk:cancel:", "tk:add:", "tk:new:", "tk:up:",
    "tk:down:", "tk:", "st:claim:", "st:suggest:", "st:oos:", "st:close:", "st:", "a:",
    "a:go:", "a:person:", "i:", "i:go:", "i:person:", "k:", "kw:", "kst:", "co:nl:on",
    "co:fr:on", "co:", "",
]
DATA_TAILS = ["", "1", "2", "3", "1:1", "1:3", "1:9", "0", "-1", "999999999",
              "allowances.flat-rate-ceiling.nl", "insurance.car.nl", "nope.nl", "insurance",
              "nl", "fr", "yes", "no", ":", "::", "1:2:3"]
ENTITY_TYPES = [
    "mention", "hashtag", "cashtag", "bot_command", "url", "email", "phone_number", "bold",
    "italic", "underline", "strikethrough", "spoiler", "blockquote", "expandable_blockquote",
    "code", "pre", "text_link", "text_mention", "custom_emoji",
]


# ------------------------------------------------------------------ strategies
characters = st.characters(blacklist_categories=("Cs",))  # Telegram sends valid UTF-8
any_text = st.text(characters, min_size=1, max_size=200)
long_text = st.text(characters, min_size=1500, max_size=4096)
command = st.builds(
    lambda name, tail, rest: f"/{name}{tail}{rest}",
    st.sampled_from(COMMANDS), st.sampled_from(COMMAND_TAILS),
    st.sampled_from(["", " ", " hallo", " <b>&amp;"]) | st.text(characters, max_size=20),
)
texts = st.one_of(
    any_text, st.sampled_from(QUESTIONS), command, long_text,
    st.builds(lambda q, junk: f"{q} {junk}", st.sampled_from(QUESTIONS), any_text),
    st.builds(lambda q: f"@{BOT_USERNAME} {q}", st.sampled_from(QUESTIONS)),
    st.sampled_from(["<b>vet</b>", "&lt;", "<", "&", "a\u0000b", "\u202e\u200d", "\n\n", " x "]),
)
callback_data = st.one_of(
    st.builds(lambda p, t: p + t, st.sampled_from(DATA_PREFIXES), st.sampled_from(DATA_TAILS)),
    st.builds(lambda p, t: p + t, st.sampled_from(DATA_PREFIXES), st.text(characters,
                                                                        max_size=12)),
    st.text(characters, min_size=1, max_size=30),
).map(lambda d: d.encode()[:64].decode("utf-8", "ignore") or "?")


def capped(text: str) -> str:
    """Telegram never delivers more than 4,096 UTF-16 units."""
    while utf16_len(text) > 4096:
        text = text[:-1]
    return text


@st.composite
def entities(draw: st.DrawFn, text: str) -> list[dict[str, Any]]:
    # Offsets and lengths count UTF-16 units, and Telegram never cuts a character in two.
    found: list[dict[str, Any]] = []
    if text.startswith("/") and text.split():
        found.append({"type": "bot_command", "offset": 0,
                      "length": utf16_len(text.split(maxsplit=1)[0])})
    for _ in range(draw(st.integers(0, 3))):
        start = draw(st.integers(0, len(text) - 1))
        end = draw(st.integers(start + 1, len(text)))
        entity: dict[str, Any] = {
            "type": draw(st.sampled_from(ENTITY_TYPES)), "offset": utf16_len(text[:start]),
            "length": utf16_len(text[start:end]),
        }
        if entity["type"] == "text_link":
            entity["url"] = draw(st.sampled_from(["https://example.org", "tg://user?id=1"]))
        elif entity["type"] == "text_mention":
            entity["user"] = FakeBotAPI.user(draw(st.sampled_from(PEOPLE)))
        elif entity["type"] == "custom_emoji":
            entity["custom_emoji_id"] = "5368324170671202286"
        elif entity["type"] == "pre" and draw(st.booleans()):
            entity["language"] = "python"
        found.append(entity)
    return found


@st.composite
def message_plan(draw: st.DrawFn) -> dict[str, Any]:
    """What a person sends (the ids are filled in when it is delivered, by `deliver`)."""
    where = draw(st.sampled_from(
        ["private"] * 14 + ["group"] * 3 + ["staff"] + ["complaints"] + ["channel"]
    ))
    plan: dict[str, Any] = {"where": where, "kind": draw(st.sampled_from(
        ["message"] * 6 + ["edited_message"] * 2 + ["media", "service"]))}
    plan["text"] = capped(draw(texts))
    plan["entities"] = draw(entities(plan["text"]))
    plan["media"] = draw(st.sampled_from(sorted(MEDIA)))
    plan["caption"] = draw(st.none() | texts.map(lambda t: t[:1024]))
    plan["reply"] = draw(st.sampled_from(["none"] * 3 + ["to the bot", "to a person"]))
    plan["sender"] = draw(st.sampled_from(
        ["person"] * 10 + ["bot", "anonymous admin", "no language", "other language"]))
    plan["person"] = draw(st.sampled_from(PEOPLE))
    plan["group"] = draw(st.sampled_from(GROUPS))
    plan["extras"] = draw(st.sets(st.sampled_from(
        ["forwarded", "topic", "via_bot", "has_protected_content", "quote"]), max_size=2))
    return plan


@st.composite
def press_plan(draw: st.DrawFn) -> dict[str, Any]:
    return {
        "kind": "press",
        "where": draw(st.sampled_from(["private"] * 6 + ["group", "staff", "complaints"])),
        "data": draw(callback_data),
        "target": draw(st.sampled_from(
            ["a button the bot showed"] * 5 + ["the bot's last message", "inaccessible",
                                               "inline", "a person's message"])),
        "person": draw(st.sampled_from(PEOPLE)),
        "group": draw(st.sampled_from(GROUPS)),
        "language": draw(st.sampled_from(["nl", "fr", "en", None])),
    }


@st.composite
def other_plan(draw: st.DrawFn) -> dict[str, Any]:
    return {"kind": draw(st.sampled_from(
        ["my_chat_member", "message_reaction", "poll_answer", "inline_query",
         "chat_join_request", "unknown"])),
        "person": draw(st.sampled_from(PEOPLE)), "text": draw(any_text)}


update_plan = st.one_of(message_plan(), message_plan(), message_plan(), press_plan(),
                        press_plan(), other_plan())


# ------------------------------------------------------------------ turning plans into updates
class Deliverer:
    """Builds real Telegram updates from plans, with ids the fake keeps consistent."""

    def __init__(self, fake: FakeBotAPI) -> None:
        self.fake = fake
        self.now = int(time.time())

    def chat_of(self, plan: dict[str, Any]) -> int:
        return {"private": plan["person"], "group": plan["group"], "staff": STAFF,
                "complaints": COMPLAINTS, "channel": CHANNEL}[plan["where"]]

    def sender(self, plan: dict[str, Any], chat_id: int) -> dict[str, Any]:
        kind = plan.get("sender", "person")
        user = FakeBotAPI.user(plan["person"], "nl")
        if kind == "bot":
            user = {"id": 5550001, "is_bot": True, "first_name": "Andere bot"}
        elif kind == "anonymous admin" and chat_id < 0:
            user = {"id": GROUP_ANONYMOUS_BOT_ID, "is_bot": True, "first_name": "Group",
                    "username": "GroupAnonymousBot"}
        elif kind == "no language":
            user.pop("language_code", None)
        elif kind == "other language":
            user["language_code"] = "pt-br"
        return user

    def messages_in(self, chat_id: int, *, by_bot: bool) -> list[dict[str, Any]]:
        return [
            m for (c, _), m in self.fake.messages.items()
            if c == chat_id and ((m.get("from") or {}).get("id") == self.fake.bot_id) == by_bot
        ]

    def message(self, plan: dict[str, Any]) -> dict[str, Any]:
        chat_id = self.chat_of(plan)
        if plan["kind"] == "edited_message":
            earlier = self.messages_in(chat_id, by_bot=False)
            if earlier:
                original = earlier[len(earlier) // 2]
                edited = {**original, "edit_date": self.now}
                edited.pop("entities", None)
                if "text" in original or "caption" not in original:
                    edited["text"] = plan["text"]
                    if plan["entities"]:
                        edited["entities"] = plan["entities"]
                else:
                    edited["caption"] = plan["text"][:1024]
                kind = "edited_channel_post" if chat_id == CHANNEL else "edited_message"
                return {kind: edited}
        message: dict[str, Any] = {
            "message_id": self.fake.new_message_id(chat_id),
            "chat": self.fake.chat(chat_id), "date": self.now,
        }
        if chat_id == CHANNEL:
            message["chat"] = {"id": CHANNEL, "type": "channel", "title": "Kanaal"}
            message["sender_chat"] = message["chat"]
        else:
            message["from"] = self.sender(plan, chat_id)
            if message["from"]["id"] == GROUP_ANONYMOUS_BOT_ID:
                message["sender_chat"] = message["chat"]
        if plan["kind"] == "media":
            message.update(MEDIA[plan["media"]]())
            if plan["caption"] and plan["media"] not in ("sticker", "location", "contact",
                                                         "poll", "video_note"):
                message["caption"] = plan["caption"]
        elif plan["kind"] == "service":
            message["new_chat_members"] = [FakeBotAPI.user(plan["person"])]
        else:
            message["text"] = plan["text"]
            if plan["entities"]:
                message["entities"] = plan["entities"]
        replied = None
        if plan["reply"] != "none":
            candidates = self.messages_in(chat_id, by_bot=plan["reply"] == "to the bot")
            replied = candidates[-1] if candidates else None
        if replied is not None:
            message["reply_to_message"] = {
                k: v for k, v in replied.items() if k != "reply_to_message"
            }
        extras = plan["extras"]
        if "forwarded" in extras:
            message["forward_origin"] = {"type": "hidden_user", "sender_user_name": "Iemand",
                                         "date": self.now - 60}
        if "topic" in extras and chat_id < 0:
            message["message_thread_id"] = 7
            message["is_topic_message"] = True
        if "via_bot" in extras:
            message["via_bot"] = {"id": 5550002, "is_bot": True, "first_name": "Inline"}
        if "has_protected_content" in extras:
            message["has_protected_content"] = True
        if "quote" in extras and replied is not None and "text" in replied:
            message["quote"] = {"text": replied["text"][:10] or "x", "position": 0}
        return {"channel_post" if chat_id == CHANNEL else "message": message}

    def press(self, plan: dict[str, Any]) -> dict[str, Any]:
        chat_id = self.chat_of(plan)
        person = FakeBotAPI.user(plan["person"], plan["language"])
        query: dict[str, Any] = {
            "id": self.fake.new_query_id(), "from": person, "chat_instance": str(chat_id),
            "data": plan["data"],
        }
        target = plan["target"]
        if target == "inline":
            query["inline_message_id"] = "AgAAAHsAAAB7AAAAxyz"
            return {"callback_query": query}
        if target == "a person's message":
            mine = self.messages_in(chat_id, by_bot=False)
            target = "a button the bot showed" if not mine else target
            if mine:
                query["message"] = mine[-1]
        if target == "the bot's last message":
            posted = self.messages_in(chat_id, by_bot=True)
            target = "a button the bot showed" if not posted else target
            if posted:
                query["message"] = posted[-1]
        if target == "inaccessible":
            query["message"] = {"chat": self.fake.chat(chat_id), "message_id": 1, "date": 0}
        if target == "a button the bot showed":
            query["message"] = self.fake.bot_posted(
                chat_id, "Een eerder bericht", [[("Knop", plan["data"]), ("« Terug", "tl:nl")]]
            )
        return {"callback_query": query}

    def other(self, plan: dict[str, Any]) -> dict[str, Any]:
        person = FakeBotAPI.user(plan["person"])
        chat = FakeBotAPI.chat(plan["person"])
        member = {"user": self.fake.bot_user}
        return {
            "my_chat_member": {"my_chat_member": {
                "chat": chat, "from": person, "date": self.now,
                "old_chat_member": {**member, "status": "member"},
                "new_chat_member": {**member, "status": "kicked", "until_date": 0}}},
            "message_reaction": {"message_reaction": {
                "chat": chat, "message_id": 1, "date": self.now, "user": person,
                "old_reaction": [], "new_reaction": [{"type": "emoji", "emoji": "👍"}]}},
            "poll_answer": {"poll_answer": {"poll_id": "poll-1", "user": person,
                                            "option_ids": [0],
                                            "option_persistent_ids": ["opt-1"]}},
            "inline_query": {"inline_query": {"id": "iq-1", "from": person,
                                              "query": plan["text"], "offset": ""}},
            "chat_join_request": {"chat_join_request": {
                "chat": FakeBotAPI.chat(GROUPS[0]), "from": person,
                "user_chat_id": plan["person"], "date": self.now}},
            "unknown": {"a_kind_from_2027": {"id": 1, "text": plan["text"]}},
        }[plan["kind"]]

    def deliver(self, plan: dict[str, Any]) -> int:
        if plan["kind"] == "press":
            update = self.press(plan)
        elif plan["kind"] in ("message", "edited_message", "media", "service"):
            update = self.message(plan)
        else:
            update = self.other(plan)
        json.dumps(update)  # what Telegram sends is JSON
        return self.fake.release_update(update)


# ------------------------------------------------------------------ the bot, in a thread
class Problems(logging.Handler):
    """Every record at ERROR or above, from any logger (the error handler logs there)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


class LiveBot:
    def __init__(self, path: Path, assistant: Any) -> None:
        self.path = path
        self.assistant = assistant
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.fake = FakeBotAPI()
        self.fake.staff_chat_id = STAFF
        self.deliverer = Deliverer(self.fake)
        self.released: list[int] = []

    def run(self, coroutine: Coroutine[Any, Any, T], timeout: float = 120) -> T:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    def call(self, function: Callable[[], T]) -> T:
        async def wrapped() -> T:
            return function()

        return self.run(wrapped())

    async def _start(self) -> None:
        await self.fake.start()
        settings = Settings.from_env({
            "BOT_TOKEN": TOKEN, "BOT_API_BASE_URL": self.fake.base_url,
            "DATABASE_URL": f"sqlite:///{self.path}", "STAFF_CHAT_ID": str(STAFF),
            "COMPLAINTS_CHAT_ID": str(COMPLAINTS), "CENTRE_NAME": CENTRE,
            "CENTRE_CONTACT": "info@x.be – 02 123 45 67", "DEFAULT_LANGUAGE": "nl",
        })
        self.storage = SQLiteStorage(self.path)
        fast = RetryPolicy(base=timedelta(milliseconds=50), cap=timedelta(milliseconds=200),
                           staff_wait=timedelta(milliseconds=200))
        self.escalation = Escalation(settings, self.storage, self.assistant,
                                     today=lambda: TODAY, options=Options(policy=fast))
        complaints = ComplaintRoute(settings, self.storage, self.assistant,
                                    on_write=self.escalation.kick)
        self.app = build_escalating_application(
            settings, self.storage, self.escalation, today=lambda: TODAY,
            plugins=[allowance_plugin(), insurance_plugin(), complaints.plugin],
            request_timeout=5.0,
        )
        await self.app.initialize()
        await setup_bot(self.app)
        await self.escalation.start(self.app)
        await self.app.updater.start_polling(poll_interval=0, timeout=1)
        await self.app.start()

    async def _stop(self) -> None:
        await self.app.updater.stop()
        await self.app.stop()
        await self.escalation.stop()
        await self.app.shutdown()
        self.storage.close()
        await self.fake.stop()

    def __enter__(self) -> LiveBot:
        self.thread.start()
        self.run(self._start())
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            self.run(self._stop())
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(10)
            self.loop.close()

    def feed(self, plans: list[dict[str, Any]]) -> list[int]:
        """Deliver the plans as updates, then wait until the bot handled every one."""
        ids = self.call(lambda: [self.deliverer.deliver(p) for p in plans])
        self.released.extend(ids)
        self.wait_handled(ids)
        return ids

    def wait_handled(self, ids: list[int], timeout: float = 60) -> None:
        reader = sqlite3.connect(self.path, timeout=30)
        marks = ",".join("?" * len(ids))
        deadline = time.monotonic() + timeout
        try:
            while True:
                (done,) = reader.execute(
                    f"SELECT COUNT(*) FROM inbox WHERE update_id IN ({marks}) "
                    "AND handled_at IS NOT NULL", ids,
                ).fetchone()
                if done == len(ids):
                    return
                if time.monotonic() > deadline:
                    waiting = [u for (u,) in reader.execute(
                        f"SELECT update_id FROM inbox WHERE update_id IN ({marks}) "
                        "AND handled_at IS NULL", ids)]
                    missing = sorted(set(ids) - {u for (u,) in reader.execute(
                        f"SELECT update_id FROM inbox WHERE update_id IN ({marks})", ids)})
                    recent = [(c.method, c.status) for c in self.fake.log[-10:]]
                    raise AssertionError(
                        f"only {done} of {len(ids)} updates handled in time; waiting: "
                        f"{[self.fake.released[u] for u in waiting][:3]}; never stored: "
                        f"{[self.fake.released[u] for u in missing][:3]}; last calls {recent}"
                    )
                time.sleep(0.02)
        finally:
            reader.close()


def refused_calls(fake: FakeBotAPI) -> list[tuple[str, int, str]]:
    return [(c.method, c.status, c.response.get("description", ""))
            for c in fake.log if c.status >= 400]


def test_fuzzed_updates_cause_no_exception_and_no_refused_call(tmp_path):
    """Thousands of updates of every kind: the error handler never fires, Telegram (the fake)
    refuses no call, and every update is handled."""
    assistant = load_assistant(today=TODAY, centre=Centre({"nl": CENTRE, "fr": CENTRE},
                                                          "info@x.be – 02 123 45 67"))
    problems = Problems()
    logging.getLogger().addHandler(problems)
    started = time.perf_counter()
    try:
        with LiveBot(tmp_path / "bot.sqlite3", assistant) as live:

            @settings(
                max_examples=max(1, TOTAL // BATCH), deadline=None, database=None,
                phases=[Phase.generate],  # a failure names its updates; no shrinking
                suppress_health_check=list(HealthCheck),
            )
            @given(plans=st.lists(update_plan, min_size=BATCH, max_size=BATCH))
            def feed(plans: list[dict[str, Any]]) -> None:
                before_errors, before_calls = len(problems.records), len(live.fake.log)
                ids = live.feed(plans)
                errors = problems.records[before_errors:]
                refused = [c for c in live.fake.log[before_calls:] if c.status >= 400]
                if errors or refused:
                    updates = [live.fake.released[i] for i in ids]
                    raise AssertionError(
                        f"errors: {[r.getMessage()[:2000] for r in errors]}\n"
                        f"refused calls: {[(c.method, c.params, c.response) for c in refused]}"
                        f"\nin this batch of updates: {json.dumps(updates)[:20000]}"
                    )

            feed()
            calls = len([c for c in live.fake.log if c.method != "getUpdates"])
            refused = refused_calls(live.fake)
            handled = len(live.released)
    finally:
        logging.getLogger().removeHandler(problems)
    seconds = time.perf_counter() - started
    print(
        f"\nfuzzed updates row: {handled} updates in {seconds:.0f} s, {calls} Bot API calls, "
        f"{len(problems.records)} unhandled exceptions, {len(refused)} Bot API 400s"
    )
    assert handled >= TOTAL - BATCH
    assert problems.records == [] and refused == []
