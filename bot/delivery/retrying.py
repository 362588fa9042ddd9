"""One Bot API request, paced and tried again: the policy the ptb rate limiter
(`bot/adapters/telegram/retry.py`) applies to every request, without Telegram.

Before each attempt the request waits for its chat (`pacing.FloodPauses`: a chat under flood
control waits out its retry_after, whoever makes the call) and, for a group, for the group's
sliding window (`pacing.GroupWindow`). What went wrong is the caller's to tell (`judge`: the
adapter reads ptb's exceptions):
- `Flood(seconds)`, a 429: Telegram's flood control is per chat, so only that chat pauses
  (calls without a chat, such as setMyCommands, pause each other) and the request is tried
  again, so one chat's flood control never delays another chat;
- `TRANSIENT`, a timeout or a 5xx: tried again a few times with a short growing backoff. The
  cost is "at least once": a sendMessage that timed out after Telegram accepted it is sent
  again; a duplicate answer is better than none;
- None (a bad request, anything else): raised at once.
What still fails goes back to the caller; the outbox (`bot/escalation/outbox_worker.py`)
retries with its own, longer backoff.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from typing import Any, Final, Literal, Protocol, TypeVar

from bot.delivery.pacing import Chat, FloodPauses, GroupWindow, is_group

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True)
class Flood:
    """Flood control: this chat may send again after `seconds` (Telegram's retry_after)."""

    seconds: float


TRANSIENT: Final = "transient"
Verdict = Flood | Literal["transient"] | None
Judge = Callable[[Exception], Verdict]


class ApiObserver(Protocol):
    """Told about every Bot API attempt (bot.adapters.http: metrics and readiness)."""

    def api_succeeded(self, endpoint: str) -> None: ...

    def api_failed(self, endpoint: str, error: BaseException) -> None: ...


class Pacer:
    """The chats' flood pauses and the groups' windows, shared by every request of a bot."""

    def __init__(self, *, backoff: float = 0.25, group_window: GroupWindow | None = None) -> None:
        self.backoff = backoff  # seconds before the first retry of a transient failure
        self.groups = group_window or GroupWindow()
        self.flood = FloodPauses()

    async def call(
        self,
        attempt: Callable[[], Awaitable[T]],
        chat: Chat,
        judge: Judge,
        *,
        what: str,
        flood_retries: int,
        network_retries: int,
    ) -> T:
        """`attempt()` once its chat may send, tried again as its failures allow."""
        transient = floods = 0
        while True:
            await self.flood.wait(chat)
            if is_group(chat):
                await self.groups.wait(chat)
            try:
                return await attempt()
            except Exception as exc:
                verdict = judge(exc)
                if isinstance(verdict, Flood):
                    self.flood.pause(chat, verdict.seconds)
                    if floods >= flood_retries:
                        raise
                    floods += 1
                    log.info("%s: flood control, this chat waits %.1f s", what, verdict.seconds)
                elif verdict == TRANSIENT and transient < network_retries:
                    transient += 1
                    log.warning(
                        "%s failed (%s), retry %d of %d",
                        what, type(exc).__name__, transient, network_retries,
                    )
                    await asyncio.sleep(self.backoff * transient)
                else:
                    raise


def observed(
    callback: Callable[..., Awaitable[T]], endpoint: str, observer: ApiObserver
) -> Callable[..., Coroutine[Any, Any, T]]:
    """The same request, reporting each attempt (429 waits included) to the observer."""

    async def call(*args: Any, **kwargs: Any) -> T:
        try:
            result = await callback(*args, **kwargs)
        except Exception as exc:
            observer.api_failed(endpoint, exc)
            raise
        observer.api_succeeded(endpoint)
        return result

    return call
