"""Random faults for the fake Bot API (the chaos suite): `fake.faults = FaultPlan(rate=0.1)`.

Each call the bot makes (getUpdates excepted) fails with probability `rate`, with one of the
kinds below drawn at random: Telegram's own error shapes (429 with retry_after, 5xx), a hang
past the client's read timeout, an answer that is not JSON (the message delivered or not),
and a connection closed without an answer. `only_chats` limits the faults to some chats, so
a test can tell the chats that met a fault from those that did not; `hit` lists the chats
that met at least one.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from bot.testing.fake_bot_api import _Failure

KINDS = ("429", "500", "502", "hang", "garble", "garble_lost", "reset")


@dataclass
class FaultPlan:
    rate: float = 0.1
    kinds: tuple[str, ...] = KINDS
    retry_after: int = 1  # seconds, for 429
    hang: float = 3.0  # seconds: set past the bot's read timeout
    seed: int = 12
    only_chats: set[int] | None = None
    methods: tuple[str, ...] = ("sendMessage", "editMessageText", "editMessageReplyMarkup",
                                "answerCallbackQuery", "deleteMessage")
    hit: set[int] = field(default_factory=set)
    drawn: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._random = random.Random(self.seed)

    def draw(self, method: str, chat_id: Any) -> _Failure | None:
        if method not in self.methods or chat_id is None:
            return None
        chat = int(chat_id)
        if self.only_chats is not None and chat not in self.only_chats:
            return None
        if self._random.random() >= self.rate:
            return None
        kind = self._random.choice(self.kinds)
        self.hit.add(chat)
        self.drawn[kind] = self.drawn.get(kind, 0) + 1
        return self.failure(kind)

    def failure(self, kind: str) -> _Failure:
        if kind == "429":
            return _Failure(429, f"Too Many Requests: retry after {self.retry_after}",
                            self.retry_after)
        if kind == "500":
            return _Failure(500, "Internal Server Error")
        if kind == "502":
            return _Failure(502, "Bad Gateway")
        if kind == "hang":
            return _Failure(504, "Gateway Timeout", hang=self.hang)
        if kind == "garble":
            return _Failure(200, "garbled", wire="garble", deliver=True)
        if kind == "garble_lost":
            return _Failure(200, "garbled", wire="garble", deliver=False)
        if kind == "reset":
            return _Failure(502, "reset", wire="reset")
        raise ValueError(f"unknown fault kind {kind!r}")
