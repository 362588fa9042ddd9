"""FakeBotAPI: a small, faithful Telegram Bot API server for tests and the Telegram bench.

One object, a pure core and two mounts:
- core: `await fake.handle(method, params) -> (http_status, json_body)`; it keeps chats,
  message ids, the getUpdates queue (honouring offset and timeout) and a log of every call;
- `await fake.start()`: an aiohttp server on 127.0.0.1, port 0; the bot gets
  `BOT_API_BASE_URL = fake.base_url` ("http://127.0.0.1:<port>/bot{token}");
- `fake.httpx_transport()`: an httpx.MockTransport for socket-free micro tests.

Test-facing verbs are named from the user's side: user_says, user_edits, user_presses
(forged_press and user_presses_inline for presses no real button made),
user_sends (sticker, photo, voice, ...), then `await fake.next_call("sendMessage",
chat_id=...)`, which waits without sleeping. Failures use Telegram's real error shape so ptb
raises exactly what production would: fail_next(method, status=429, retry_after=1), 5xx,
or hang_next(method) to answer only after the client's read timeout.

Faithful where it catches real bugs: Telegram-HTML is parsed (unknown or unclosed tags and a
bare "<" are rejected as Telegram does), texts over 4,096 UTF-16 units are refused, callback
data over 64 bytes is refused, editing to identical content is "message is not modified",
and a user can only press buttons that exist on the message. aiohttp is a dev dependency.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import re
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from typing import Any

from bot.testing.fake_bot_wire import (
    IMAGE_SIGNATURES,
    MAX_CALLBACK_DATA,
    MAX_CAPTION,
    MAX_DOCUMENT_BYTES,
    MAX_PHOTO_BYTES,
    MAX_TEXT,
    MEDIA,
    TelegramHTMLError,
    as_upload,
    error,
    parse_params,
    split_path,
    text_entities,
    utf16_len,
    visible_text,
)

TOKEN = "123456789:AAFakeTokenForTestsOnly_abcdefghijklm"
BOT_ID = 123456789
BOT_USERNAME = "vrijwilligers_test_bot"
GROUP_ANONYMOUS_BOT_ID = 1087968824  # Telegram's stand-in sender for anonymous group admins
WIRE_FAULT = "__wire_fault__"  # marks a body that _serve must not send as it is
NO_ANSWER = 599  # the status logged for a call whose answer was lost on the wire
GARBLED = '{"ok": true, "result": {"message_id": 4'  # cut short: not JSON

class SentCall(dict[str, Any]):
    """The parameters of one call the bot made, plus what the fake answered."""

    result: Any = None

    @property
    def message_id(self) -> int:
        return int(self.result["message_id"])

    def buttons(self) -> list[list[tuple[str, str]]]:
        """The inline keyboard as rows of (label, callback data)."""
        markup = self.get("reply_markup") or {}
        return [
            [(b["text"], b.get("callback_data", "")) for b in row]
            for row in markup.get("inline_keyboard", [])
        ]

    def labels(self) -> list[str]:
        return [label for row in self.buttons() for label, _ in row]

    def vote_buttons(self) -> list[str]:
        """The labels of the 👍/👎 row under an answer ([] when there is none): an answer
        may also carry other rows (close alternatives, an overview's entries, an offer)."""
        rows = [[label for label, _ in row] for row in self.buttons()]
        return next((row for row in rows if "👍" in row), [])


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    status: int
    response: dict[str, Any]


@dataclass
class _Failure:
    status: int
    description: str
    retry_after: int | None = None
    hang: float | None = None
    chat_id: int | None = None  # only calls to this chat fail (None: any chat)
    migrate_to: int | None = None
    # A fault on the wire instead of an error answer: "garble" (an HTTP 200 whose body is
    # not JSON) or "reset" (the connection closed without an answer). With `deliver`, the
    # call is carried out first, as when Telegram accepted a message and its answer was lost.
    wire: str | None = None
    deliver: bool = False


@dataclass
class FakeBotAPI:
    token: str = TOKEN
    bot_id: int = BOT_ID
    username: str = BOT_USERNAME
    log: list[Call] = field(default_factory=list)
    messages: dict[tuple[int, int], dict[str, Any]] = field(default_factory=dict)
    commands: dict[tuple[str, str], list[dict[str, str]]] = field(default_factory=dict)
    members: dict[tuple[int, int], str] = field(default_factory=dict)
    staff_chat_id: int | None = None  # where staff_replies/staff_presses happen by default

    def __post_init__(self) -> None:
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._message_ids: dict[int, itertools.count[int]] = defaultdict(
            lambda: itertools.count(1)
        )
        self._query_ids = itertools.count(1)
        self._open_queries: set[str] = set()
        self._failures: dict[str, deque[_Failure]] = defaultdict(deque)
        self._consumed: set[int] = set()
        self._update_arrived = asyncio.Event()
        self._call_arrived = asyncio.Event()
        self._closing = asyncio.Event()
        self._runner: Any = None
        self.url = ""
        # when each update was released, for the bench's message-to-reply latency
        self.released_at: dict[int, float] = {}
        # called with every logged call (the bench uses it to time replies and to answer
        # like a person: next question after the reply)
        self.listener: Any = None
        self.migrated: dict[int, int] = {}  # old group id -> supergroup id
        self.released: dict[int, dict[str, Any]] = {}  # update_id -> the update, for redeliver
        # Random faults for the chaos suite (bot/testing/fake_faults.py); None: only the
        # queued ones (fail_next, hang_next, garble_next, reset_next).
        self.faults: Any = None
        # Flood control as Telegram applies it: after a 429 to a chat, every call to that chat
        # before retry_after has passed is refused again, and counted here.
        self.flood_until: dict[int, float] = {}
        self.early_calls: dict[int, int] = defaultdict(int)

    # ------------------------------------------------------------------ who's who
    @property
    def bot_user(self) -> dict[str, Any]:
        return {
            "id": self.bot_id, "is_bot": True, "first_name": "Vrijwilligersassistent",
            "username": self.username, "can_join_groups": True,
            "can_read_all_group_messages": False, "supports_inline_queries": False,
        }

    @property
    def base_url(self) -> str:
        """For BOT_API_BASE_URL: ptb fills in {token}."""
        return f"{self.url}/bot{{token}}"

    @staticmethod
    def chat(chat_id: int) -> dict[str, Any]:
        if chat_id > 0:
            return {"id": chat_id, "type": "private", "first_name": "Vrijwilliger"}
        return {"id": chat_id, "type": "supergroup", "title": f"Groep {chat_id}"}

    @staticmethod
    def user(user_id: int, language_code: str | None = "nl") -> dict[str, Any]:
        person = {"id": user_id, "is_bot": False, "first_name": "Sam"}
        if language_code:
            person["language_code"] = language_code
        return person

    # ------------------------------------------------------------------ user verbs
    def user_says(
        self,
        chat_id: int,
        text: str,
        *,
        user_id: int | None = None,
        language_code: str | None = "nl",
        reply_to: int | None = None,
    ) -> int:
        """A person sends text; returns the new message's id."""
        message = self._new_message(chat_id, user_id, language_code, reply_to)
        message["text"] = text
        found = text_entities(text)
        if found:
            message["entities"] = found
        self._store_and_release("message", message)
        return int(message["message_id"])

    def user_edits(self, chat_id: int, message_id: int, text: str) -> None:
        original = self.messages[(chat_id, message_id)]
        edited = {**original, "text": text, "edit_date": int(time.time())}
        edited.pop("entities", None)
        if found := text_entities(text):
            edited["entities"] = found
        self._store_and_release("edited_message", edited)

    def user_sends(
        self, chat_id: int, kind: str, *, user_id: int | None = None,
        language_code: str | None = "nl",
    ) -> int:
        """A person sends a sticker, photo, voice, video, document, location, contact or
        poll; returns the message id."""
        message = self._new_message(chat_id, user_id, language_code, None)
        message.update(MEDIA[kind]())
        self._store_and_release("message", message)
        return int(message["message_id"])

    def user_sends_sticker(self, chat_id: int, **kwargs: Any) -> int:
        return self.user_sends(chat_id, "sticker", **kwargs)

    def user_presses(
        self,
        chat_id: int,
        message_id: int,
        data: str | None = None,
        *,
        label: str | None = None,
        user_id: int | None = None,
        language_code: str | None = "nl",
    ) -> str:
        """A person presses an inline button (by callback data or by its label) on one of
        the bot's messages; returns the callback query id."""
        message = self.messages[(chat_id, message_id)]
        buttons = [
            b for row in (message.get("reply_markup") or {}).get("inline_keyboard", [])
            for b in row
        ]
        match = [b for b in buttons if b.get("callback_data") == data or b["text"] == label]
        if not match:
            shown = [(b["text"], b.get("callback_data")) for b in buttons]
            raise AssertionError(f"no button {data or label!r} on message {message_id}: {shown}")
        return self._press(
            self.user(user_id or chat_id, language_code), match[0]["callback_data"],
            message=message, chat_instance=str(chat_id),
        )

    def forged_press(
        self,
        chat_id: int,
        message_id: int,
        data: str,
        *,
        user_id: int | None = None,
        language_code: str | None = "nl",
        inaccessible: bool = False,
    ) -> str:
        """A press whose data need not be a button of the message: a modified client, or a
        second tap that arrives after the bot removed the button. Telegram sends the message
        as it is now (`inaccessible=True`: as an InaccessibleMessage, date 0, as it does for
        messages too old to show). Returns the callback query id."""
        message = self.messages[(chat_id, message_id)]
        if inaccessible:
            message = {"chat": message["chat"], "message_id": message_id, "date": 0}
        return self._press(
            self.user(user_id or chat_id, language_code), data,
            message=message, chat_instance=str(chat_id),
        )

    def user_presses_inline(
        self,
        data: str,
        *,
        user_id: int = 42,
        inline_message_id: str = "AgAAAHsAAAB7AAAAxyz",
        language_code: str | None = "nl",
    ) -> str:
        """A press on a message sent in inline mode ("via @bot" in another chat): Telegram
        sends `inline_message_id` and no `message`. Returns the callback query id."""
        return self._press(
            self.user(user_id, language_code), data,
            inline_message_id=inline_message_id, chat_instance="-77",
        )

    def new_message_id(self, chat_id: int) -> int:
        """The next message id in a chat (ids are per chat, shared by the bot and people)."""
        return next(self._message_ids[chat_id])

    def bot_posted(
        self, chat_id: int, text: str, buttons: list[list[tuple[str, str]]] | None = None
    ) -> dict[str, Any]:
        """A message the bot sent earlier (before this test's bot started), with inline
        buttons (label, callback data): something a person can reply to or press."""
        message: dict[str, Any] = {
            "message_id": self.new_message_id(chat_id), "from": self.bot_user,
            "chat": self.chat(chat_id), "date": int(time.time()), "text": text,
        }
        if buttons:
            message["reply_markup"] = {"inline_keyboard": [
                [{"text": label, "callback_data": data} for label, data in row]
                for row in buttons
            ]}
        self.messages[(chat_id, message["message_id"])] = message
        return message

    def release_update(self, payload: dict[str, Any]) -> int:
        """Any update as Telegram sends it (without its update_id): the fuzz suite's verb.
        Messages in it are kept, so the bot can reply to and edit them, and a callback
        query can be answered once. Returns the update id."""
        for kind in ("message", "edited_message", "channel_post", "edited_channel_post"):
            message = payload.get(kind)
            if message is not None:
                self.messages[(message["chat"]["id"], message["message_id"])] = message
        query = payload.get("callback_query")
        if query is not None:
            self._open_queries.add(str(query["id"]))
        self._release(payload)
        return int(next(reversed(self.released)))

    def new_query_id(self) -> str:
        return str(next(self._query_ids))

    def _press(
        self, sender: dict[str, Any], data: str, *, chat_instance: str,
        message: dict[str, Any] | None = None, inline_message_id: str | None = None,
    ) -> str:
        query_id = str(next(self._query_ids))
        self._open_queries.add(query_id)
        query: dict[str, Any] = {
            "id": query_id, "from": sender, "chat_instance": chat_instance, "data": data,
        }
        if message is not None:
            query["message"] = message
        if inline_message_id is not None:
            query["inline_message_id"] = inline_message_id
        self._release({"callback_query": query})
        return query_id

    def set_member(self, chat_id: int, user_id: int, status: str) -> None:
        self.members[(chat_id, user_id)] = status

    # ------------------------------------------------------------------ staff verbs
    def staff_replies(
        self,
        to_message_id: int,
        text: str,
        *,
        user_id: int = 7001,
        chat_id: int | None = None,
        anonymous: bool = False,
    ) -> int:
        """A staff member answers with a Telegram reply in the staff group (by default
        `staff_chat_id`); `anonymous=True` posts as an anonymous admin (GroupAnonymousBot,
        with the group as sender_chat), as Telegram does. Returns the message id."""
        group = chat_id if chat_id is not None else self.staff_chat_id
        assert group is not None, "set fake.staff_chat_id or pass chat_id"
        message = self._new_message(group, user_id, "nl", to_message_id)
        message["text"] = text
        if anonymous:
            message["from"] = {"id": GROUP_ANONYMOUS_BOT_ID, "is_bot": True,
                               "first_name": "Group", "username": "GroupAnonymousBot"}
            message["sender_chat"] = self.chat(group)
        if found := text_entities(text):
            message["entities"] = found
        self._store_and_release("message", message)
        return int(message["message_id"])

    def staff_says(self, text: str, *, user_id: int = 7001, chat_id: int | None = None) -> int:
        """A staff member writes in the staff group (a command such as /open)."""
        group = chat_id if chat_id is not None else self.staff_chat_id
        assert group is not None, "set fake.staff_chat_id or pass chat_id"
        return self.user_says(group, text, user_id=user_id)

    def staff_presses(
        self, message_id: int, data: str | None = None, *, label: str | None = None,
        user_id: int = 7001, chat_id: int | None = None,
    ) -> str:
        """A staff member presses a button on a message in the staff group."""
        group = chat_id if chat_id is not None else self.staff_chat_id
        assert group is not None, "set fake.staff_chat_id or pass chat_id"
        return self.user_presses(group, message_id, data, label=label, user_id=user_id)

    def redeliver(self, update_id: int) -> None:
        """Telegram delivers an update again (same update_id), as after a lost confirmation."""
        self._updates.append(self.released[update_id])
        self._update_arrived.set()

    def group_migrates(self, old_chat_id: int, new_chat_id: int) -> None:
        """The group becomes a supergroup: the service message in the old group, and from
        then on sending to the old id fails with migrate_to_chat_id, as Telegram does."""
        self.migrated[old_chat_id] = new_chat_id
        message = self._new_message(old_chat_id, 4242, "nl", None)
        message["migrate_to_chat_id"] = new_chat_id
        self._store_and_release("message", message)

    def _take_failure(self, method: str, params: dict[str, Any]) -> _Failure | None:
        chat = params.get("chat_id")
        if method != "getUpdates" and chat is not None and int(chat) in self.migrated:
            return _Failure(400, "Bad Request: group chat was upgraded to a supergroup chat",
                            migrate_to=self.migrated[int(chat)])
        if method != "getUpdates" and chat is not None:
            until = self.flood_until.get(int(chat), 0.0)
            left = until - time.monotonic()
            if left > 0:
                self.early_calls[int(chat)] += 1
                wait = max(1, int(left + 0.999))
                return _Failure(429, f"Too Many Requests: retry after {wait}", wait)
        queue = self._failures[method]
        for failure in queue:
            if failure.chat_id is None or failure.chat_id == chat:
                queue.remove(failure)
                return failure
        if self.faults is not None and method != "getUpdates":
            drawn: _Failure | None = self.faults.draw(method, chat)
            return drawn
        return None

    # ------------------------------------------------------------------ test verbs
    def fail_next(
        self,
        method: str,
        status: int = 429,
        *,
        retry_after: int | None = None,
        description: str | None = None,
        times: int = 1,
        chat_id: int | None = None,
    ) -> None:
        """The next `times` calls of `method` (to `chat_id`, if given) fail with Telegram's
        error shape."""
        if status == 429 and retry_after is None:
            retry_after = 1
        text = description or {
            429: f"Too Many Requests: retry after {retry_after}",
            500: "Internal Server Error",
            502: "Bad Gateway",
            403: "Forbidden: bot was blocked by the user",
        }.get(status, f"Error {status}")
        for _ in range(times):
            self._failures[method].append(_Failure(status, text, retry_after, chat_id=chat_id))

    def hang_next(
        self, method: str, seconds: float = 3.0, *, chat_id: int | None = None, times: int = 1
    ) -> None:
        """The next call of `method` gets no answer for `seconds` (past the bot's read
        timeout) and is not delivered."""
        for _ in range(times):
            self._failures[method].append(
                _Failure(504, "Gateway Timeout", hang=seconds, chat_id=chat_id)
            )

    def garble_next(
        self, method: str, *, chat_id: int | None = None, times: int = 1, deliver: bool = True
    ) -> None:
        """The next `times` calls are answered with a body that is not JSON; with `deliver`
        (the default) the message is delivered all the same, as Telegram had accepted it."""
        for _ in range(times):
            self._failures[method].append(
                _Failure(200, "garbled", chat_id=chat_id, wire="garble", deliver=deliver)
            )

    def reset_next(
        self, method: str, *, chat_id: int | None = None, times: int = 1, deliver: bool = False
    ) -> None:
        """The next `times` calls see their connection closed without an answer."""
        for _ in range(times):
            self._failures[method].append(
                _Failure(502, "reset", chat_id=chat_id, wire="reset", deliver=deliver)
            )

    def calls(self, method: str, *, chat_id: int | None = None) -> list[SentCall]:
        """Successful calls of `method` (to `chat_id` if given), oldest first."""
        return [
            self._sent(c) for c in self.log
            if c.method == method and c.status == 200 and _for_chat(c, chat_id)
        ]

    def attempts(self, method: str) -> list[Call]:
        """Every call of `method`, failed ones included."""
        return [c for c in self.log if c.method == method]

    async def next_call(
        self,
        method: str,
        *,
        chat_id: int | None = None,
        timeout: float = 5.0,  # noqa: ASYNC109 - the test verb reads best as timeout=
    ) -> SentCall:
        """The oldest successful `method` call not yet returned by next_call; waits for it."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            for index, call in enumerate(self.log):
                if (
                    index not in self._consumed and call.method == method
                    and call.status == 200 and _for_chat(call, chat_id)
                ):
                    self._consumed.add(index)
                    return self._sent(call)
            remaining = deadline - loop.time()
            if remaining <= 0:
                recent = [(c.method, c.params.get("chat_id"), c.status) for c in self.log[-8:]]
                raise AssertionError(
                    f"no {method} call for chat {chat_id} within {timeout}s; last calls: {recent}"
                )
            self._call_arrived.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._call_arrived.wait(), remaining)

    def pending_updates(self) -> int:
        return len(self._updates)

    # ------------------------------------------------------------------ the core
    async def handle(self, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        failure = self._take_failure(method, params)
        if failure is not None and failure.wire is not None:
            if failure.deliver:
                status, body = await self._carry_out(method, params)
            else:  # logged as an attempt that got no usable answer (never as a success)
                status, body = NO_ANSWER, error(NO_ANSWER, failure.description)
                self.log.append(Call(method, params, status, body))
            return status, {**body, WIRE_FAULT: failure.wire}
        if failure is not None:
            status, body = failure.status, error(failure.status, failure.description)
            if failure.retry_after is not None:
                body["parameters"] = {"retry_after": failure.retry_after}
                chat = params.get("chat_id")
                if chat is not None and method != "getUpdates":
                    until = time.monotonic() + failure.retry_after
                    self.flood_until[int(chat)] = max(self.flood_until.get(int(chat), 0), until)
            if failure.migrate_to is not None:
                body["parameters"] = {"migrate_to_chat_id": failure.migrate_to}
            if failure.hang is not None:
                # Logged now, as the attempt it is; the client gives up before the answer.
                self.log.append(Call(method, params, status, body))
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._closing.wait(), failure.hang)
                return status, body
            if method != "getUpdates":
                self._logged(Call(method, params, status, body))
            return status, body
        return await self._carry_out(method, params)

    async def _carry_out(self, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        implementation = getattr(self, f"_api_{method}", None)
        if implementation is None:
            status, body = 404, error(404, "Not Found: method not found")
        else:
            try:
                status, body = 200, {"ok": True, "result": await implementation(params)}
            except _APIError as exc:
                status, body = exc.status, error(exc.status, exc.description)
        if method != "getUpdates":
            self._logged(Call(method, params, status, body))
        return status, body

    def _logged(self, call: Call) -> None:
        self.log.append(call)
        self._call_arrived.set()
        if self.listener is not None:
            self.listener(call)

    async def _api_getMe(self, params: dict[str, Any]) -> dict[str, Any]:
        return self.bot_user

    async def _api_deleteWebhook(self, params: dict[str, Any]) -> bool:
        if params.get("drop_pending_updates"):
            self._updates.clear()
        return True

    async def _api_getWebhookInfo(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"url": "", "has_custom_certificate": False,
                "pending_update_count": len(self._updates)}

    async def _api_getUpdates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        limit = int(params.get("limit") or 100)
        timeout = float(params.get("timeout") or 0)
        if offset:  # Telegram forgets every update below the confirmed offset
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            if self._updates or self._closing.is_set():
                return self._updates[:limit]
            remaining = deadline - loop.time()
            if remaining <= 0:
                return []
            self._update_arrived.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._update_arrived.wait(), remaining)

    async def _api_sendMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = int(params["chat_id"])
        text = str(params.get("text", ""))
        shown = self._check_text(text, params)
        message_id: int = next(self._message_ids[chat_id])
        message: dict[str, Any] = {
            "message_id": message_id,
            "from": self.bot_user,
            "chat": self.chat(chat_id),
            "date": int(time.time()),
            "text": shown,
        }
        if params.get("reply_markup"):
            self._check_markup(params["reply_markup"])
            message["reply_markup"] = params["reply_markup"]
        reply = params.get("reply_parameters") or {}
        replied_id = reply.get("message_id") or params.get("reply_to_message_id")
        if replied_id:
            replied = self.messages.get((chat_id, int(replied_id)))
            if replied is not None:
                message["reply_to_message"] = {
                    k: v for k, v in replied.items() if k != "reply_to_message"
                }
            elif not (reply.get("allow_sending_without_reply")
                      or params.get("allow_sending_without_reply")):
                raise _APIError(400, "Bad Request: message to be replied not found")
        self.messages[(chat_id, message_id)] = message
        return message

    async def _api_sendPhoto(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._file_message("photo", params)

    async def _api_sendDocument(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._file_message("document", params)

    def _file_message(self, kind: str, params: dict[str, Any]) -> dict[str, Any]:
        """sendPhoto / sendDocument with an uploaded file (multipart). The call log keeps the
        upload as {"filename", "content_type", "data": bytes} so tests can open it."""
        chat_id = int(params["chat_id"])
        upload = as_upload(params.get(kind))
        if upload is None or not upload["data"]:
            raise _APIError(400, f"Bad Request: there is no {kind} in the request")
        params[kind] = upload
        data: bytes = upload["data"]
        if kind == "photo" and not data.startswith(IMAGE_SIGNATURES):
            raise _APIError(400, "Bad Request: IMAGE_PROCESS_FAILED")
        if len(data) > (MAX_PHOTO_BYTES if kind == "photo" else MAX_DOCUMENT_BYTES):
            raise _APIError(400, "Bad Request: file is too big")
        message: dict[str, Any] = {
            "message_id": next(self._message_ids[chat_id]),
            "from": self.bot_user,
            "chat": self.chat(chat_id),
            "date": int(time.time()),
        }
        unique = f"{kind}-{len(self.log)}"
        if kind == "photo":
            message["photo"] = [{"file_id": unique, "file_unique_id": unique, "width": 800,
                                 "height": 400, "file_size": len(data)}]
        else:
            message["document"] = {"file_id": unique, "file_unique_id": unique,
                                   "file_name": upload["filename"],
                                   "mime_type": upload["content_type"], "file_size": len(data)}
        caption = str(params.get("caption") or "")
        if caption:
            try:
                shown = visible_text(caption, params.get("parse_mode"))
            except TelegramHTMLError as exc:
                raise _APIError(400, f"Bad Request: can't parse entities: {exc}") from exc
            if utf16_len(shown) > MAX_CAPTION:
                raise _APIError(400, "Bad Request: message caption is too long")
            message["caption"] = shown
        self.messages[(chat_id, message["message_id"])] = message
        return message

    async def _api_editMessageText(self, params: dict[str, Any]) -> dict[str, Any]:
        message = self._find(params)
        shown = self._check_text(str(params.get("text", "")), params)
        markup = params.get("reply_markup")
        if shown == message["text"] and markup == message.get("reply_markup"):
            raise _APIError(400, "Bad Request: message is not modified: specified new message "
                            "content and reply markup are exactly the same")
        if markup:
            self._check_markup(markup)
        message["text"] = shown
        message["edit_date"] = int(time.time())
        _set_markup(message, markup)
        return message

    async def _api_editMessageReplyMarkup(self, params: dict[str, Any]) -> dict[str, Any]:
        message = self._find(params)
        markup = params.get("reply_markup")
        if markup == message.get("reply_markup") or (not markup and "reply_markup" not in message):
            raise _APIError(400, "Bad Request: message is not modified: specified new message "
                            "content and reply markup are exactly the same")
        if markup:
            self._check_markup(markup)
        _set_markup(message, markup)
        return message

    async def _api_deleteMessage(self, params: dict[str, Any]) -> bool:
        if self.messages.pop((int(params["chat_id"]), int(params["message_id"])), None) is None:
            raise _APIError(400, "Bad Request: message to delete not found")
        return True

    async def _api_answerCallbackQuery(self, params: dict[str, Any]) -> bool:
        query_id = str(params.get("callback_query_id"))
        if query_id not in self._open_queries:
            raise _APIError(400, "Bad Request: query is too old and response timeout expired "
                            "or query ID is invalid")
        self._open_queries.discard(query_id)
        if len(str(params.get("text") or "")) > 200:
            raise _APIError(400, "Bad Request: MESSAGE_TOO_LONG")
        return True

    async def _api_setMyCommands(self, params: dict[str, Any]) -> bool:
        for command in params["commands"]:
            if not re.fullmatch(r"[a-z0-9_]{1,32}", command["command"]):
                raise _APIError(400, "Bad Request: BOT_COMMAND_INVALID")
        self.commands[_scope_key(params)] = list(params["commands"])
        return True

    async def _api_deleteMyCommands(self, params: dict[str, Any]) -> bool:
        self.commands.pop(_scope_key(params), None)
        return True

    async def _api_getMyCommands(self, params: dict[str, Any]) -> list[dict[str, str]]:
        return self.commands.get(_scope_key(params), [])

    async def _api_getChatMember(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id, user_id = int(params["chat_id"]), int(params["user_id"])
        status = self.members.get((chat_id, user_id), "member")
        member: dict[str, Any] = {"status": status, "user": self.user(user_id)}
        if status == "administrator":
            member.update({
                "can_be_edited": False, "is_anonymous": False, "can_manage_chat": True,
                "can_delete_messages": True, "can_manage_video_chats": True,
                "can_restrict_members": True, "can_promote_members": False,
                "can_change_info": True, "can_invite_users": True, "can_post_stories": False,
                "can_edit_stories": False, "can_delete_stories": False,
            })
        return member

    async def _api_getChat(self, params: dict[str, Any]) -> dict[str, Any]:
        chat = self.chat(int(params["chat_id"]))
        return {**chat, "accent_color_id": 0, "max_reaction_count": 11}

    async def _api_sendChatAction(self, params: dict[str, Any]) -> bool:
        return True

    async def _api_close(self, params: dict[str, Any]) -> bool:
        return True

    # ------------------------------------------------------------------ helpers
    def _new_message(
        self, chat_id: int, user_id: int | None, language_code: str | None, reply_to: int | None
    ) -> dict[str, Any]:
        if user_id is None:
            user_id = chat_id if chat_id > 0 else 4242
        message: dict[str, Any] = {
            "message_id": next(self._message_ids[chat_id]),
            "from": self.user(user_id, language_code),
            "chat": self.chat(chat_id),
            "date": int(time.time()),
        }
        if reply_to is not None:
            replied = self.messages[(chat_id, reply_to)]
            message["reply_to_message"] = {
                k: v for k, v in replied.items() if k != "reply_to_message"
            }
        return message

    def _store_and_release(self, kind: str, message: dict[str, Any]) -> None:
        self.messages[(message["chat"]["id"], message["message_id"])] = message
        self._release({kind: message})

    def _release(self, payload: dict[str, Any]) -> None:
        update_id = next(self._update_ids)
        self.released[update_id] = {"update_id": update_id, **payload}
        self._updates.append(self.released[update_id])
        self.released_at[update_id] = time.perf_counter()
        self._update_arrived.set()

    def _find(self, params: dict[str, Any]) -> dict[str, Any]:
        key = (int(params["chat_id"]), int(params["message_id"]))
        if key not in self.messages:
            raise _APIError(400, "Bad Request: message to edit not found")
        if (self.messages[key].get("from") or {}).get("id") != self.bot_id:
            raise _APIError(400, "Bad Request: message can't be edited")
        return self.messages[key]

    def _check_text(self, text: str, params: dict[str, Any]) -> str:
        try:
            shown = visible_text(text, params.get("parse_mode"))
        except TelegramHTMLError as exc:
            raise _APIError(400, f"Bad Request: can't parse entities: {exc}") from exc
        if not shown.strip():
            raise _APIError(400, "Bad Request: message text is empty")
        if utf16_len(shown) > MAX_TEXT:
            raise _APIError(400, "Bad Request: message is too long")
        return shown

    @staticmethod
    def _check_markup(markup: dict[str, Any]) -> None:
        for row in markup.get("inline_keyboard", []):
            for button in row:
                if not button.get("text"):
                    raise _APIError(400, "Bad Request: text buttons are unallowed in the inline "
                                    "keyboard")
                data = button.get("callback_data")
                if data is not None and not 1 <= len(data.encode()) <= MAX_CALLBACK_DATA:
                    raise _APIError(400, "Bad Request: BUTTON_DATA_INVALID")

    def _sent(self, call: Call) -> SentCall:
        sent = SentCall(call.params)
        sent.result = call.response.get("result")
        return sent

    # ------------------------------------------------------------------ mounts
    async def start(self, port: int = 0) -> str:
        """Serve on 127.0.0.1, a free port (or `port`); returns the server's root URL."""
        from aiohttp import web  # dev-only dependency, imported where it is needed

        app = web.Application()
        app.router.add_route("*", "/{path:.*}", self._serve)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", port)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}"
        return self.url

    async def stop(self) -> None:
        self._closing.set()
        self._update_arrived.set()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _serve(self, request: Any) -> Any:
        from aiohttp import web

        token, method = split_path(request.path)
        if token is None:
            return web.json_response(error(404, "Not Found"), status=404)
        if token != self.token:
            return web.json_response(error(401, "Unauthorized"), status=401)
        if request.content_type == "application/json":
            raw = await request.json()
        else:
            raw = {**request.query, **(await request.post())}
        status, body = await self.handle(method, parse_params(raw))
        wire = body.pop(WIRE_FAULT, None)
        if wire == "garble":
            return web.Response(status=200, text=GARBLED, content_type="application/json")
        if wire == "reset" and request.transport is not None:
            request.transport.abort()  # no answer at all: the client sees a reset
        return web.json_response(body, status=status)

    def httpx_transport(self) -> Any:
        """Mount without sockets: HTTPXRequest(httpx_kwargs={"transport": ...})."""
        from urllib.parse import parse_qsl

        import httpx

        async def respond(request: httpx.Request) -> httpx.Response:
            token, method = split_path(request.url.path)
            if token != self.token:
                return httpx.Response(401, json=error(401, "Unauthorized"))
            raw: dict[str, Any] = dict(parse_qsl(request.content.decode()))
            status, body = await self.handle(method, parse_params(raw))
            wire = body.pop(WIRE_FAULT, None)
            if wire == "garble":
                return httpx.Response(200, text=GARBLED)
            if wire == "reset":
                raise httpx.RemoteProtocolError("connection reset by the fake", request=request)
            return httpx.Response(status, json=body)

        return httpx.MockTransport(respond)


class _APIError(Exception):
    def __init__(self, status: int, description: str) -> None:
        self.status = status
        self.description = description


def _for_chat(call: Call, chat_id: int | None) -> bool:
    return chat_id is None or call.params.get("chat_id") == chat_id


def _set_markup(message: dict[str, Any], markup: dict[str, Any] | None) -> None:
    if markup and markup.get("inline_keyboard"):
        message["reply_markup"] = markup
    else:
        message.pop("reply_markup", None)


def _scope_key(params: dict[str, Any]) -> tuple[str, str]:
    scope = params.get("scope") or {"type": "default"}
    return json.dumps(scope, sort_keys=True), str(params.get("language_code") or "")
