"""The ticket state machine and the untrusted callback data that drives it.

States (the value stored in the database):

    draft ──confirm──▶ open ──claim──▶ claimed
      │                 │                 │
      └──cancel──▶ cancelled ◀──cancel────┤
                        │  reply / suggest │
                        ▼                  ▼
                     answered ──reply──▶ answered (follow-ups)
    open / claimed / answered ──out_of_scope──▶ out_of_scope
    open / claimed / answered / user_blocked ──close──▶ closed
    open / claimed / answered ──blocked (403 on a relay)──▶ user_blocked
    closed / out_of_scope ──reopen (/reopen N)──▶ open
    answered / closed / out_of_scope ──correct (an edited staff answer)──▶ the same state

A draft is the confirmation step: the user sees what would be sent and has not agreed yet.
Only from `open` on do the staff see the ticket. Terminal states accept nothing but erasure,
a staff `reopen` and (closed, out of scope) a correction of an answer already given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal, get_args

State = Literal[
    "draft", "open", "claimed", "answered", "closed", "out_of_scope", "cancelled", "user_blocked"
]
STATES: tuple[State, ...] = get_args(State)

Action = Literal[
    # the user's
    "confirm",
    "cancel",
    "add",
    # the staff's
    "claim",
    "suggest",
    "reply",
    "out_of_scope",
    "close",
    "promote",
    "reopen",
    "correct",
    # the system's
    "blocked",
]
STAFF_ACTIONS: tuple[Action, ...] = (
    "claim",
    "suggest",
    "reply",
    "out_of_scope",
    "close",
    "promote",
    "reopen",
    "correct",
)

# Tickets a user can still add to, and that /open lists for the staff.
ACTIVE: frozenset[State] = frozenset({"open", "claimed", "answered"})
TERMINAL: frozenset[State] = frozenset({"closed", "out_of_scope", "cancelled"})

_TRANSITIONS: dict[tuple[State, Action], State] = {
    ("draft", "confirm"): "open",
    ("draft", "add"): "draft",
    ("draft", "cancel"): "cancelled",
    **{(s, "cancel"): "cancelled" for s in ("open", "claimed", "answered")},
    **{(s, "add"): s for s in ("open", "claimed", "answered")},
    ("open", "claim"): "claimed",
    **{(s, "reply"): "answered" for s in ("open", "claimed", "answered")},
    **{(s, "suggest"): "answered" for s in ("open", "claimed", "answered")},
    **{(s, "out_of_scope"): "out_of_scope" for s in ("open", "claimed", "answered")},
    **{(s, "close"): "closed" for s in ("open", "claimed", "answered", "user_blocked")},
    **{(s, "blocked"): "user_blocked" for s in ("open", "claimed", "answered")},
    # Promoting copies an answer into a draft entry; it does not change the ticket.
    **{(s, "promote"): s for s in ("answered", "closed")},
    # A closed ticket comes back to the staff's list (the user can add to it again).
    **{(s, "reopen"): "open" for s in ("closed", "out_of_scope")},
    # An edited staff answer is relayed as a correction wherever an answer could have gone
    # out; not to a user who cancelled the ticket or blocked the bot.
    **{(s, "correct"): s for s in ("answered", "closed", "out_of_scope")},
}


class NotAllowed(Exception):
    """An action that the ticket's current state does not allow (stale button, double click)."""

    def __init__(self, state: State, action: Action) -> None:
        self.state = state
        self.action = action
        super().__init__(f"{action} is not allowed on a ticket that is {state}")


def next_state(state: State, action: Action) -> State:
    """The state after `action`, or NotAllowed."""
    try:
        return _TRANSITIONS[(state, action)]
    except KeyError:
        raise NotAllowed(state, action) from None


def allowed(state: State, action: Action) -> bool:
    return (state, action) in _TRANSITIONS


def staff_buttons(state: State, suggestions: int) -> list[str]:
    """The button actions the ticket message shows in this state, in display order.

    `suggestions` is how many knowledge-base entries the assistant ranked (0..3).
    """
    buttons: list[str] = []
    if allowed(state, "claim"):
        buttons.append("claim")
    if allowed(state, "suggest"):
        buttons.extend(f"suggest{i}" for i in range(1, min(suggestions, 3) + 1))
    buttons.extend(a for a in ("out_of_scope", "close") if allowed(state, a))
    return buttons


# ------------------------------------------------------------------------ callback data
# Telegram returns callback data exactly as we sent it, but any client can send any string
# (up to 64 bytes) with a forged button press, so it is parsed strictly, never eval'd or split
# loosely, and the ticket's state is checked again when the action runs.
MAX_TICKET = 10**9
_STAFF_DATA = re.compile(r"^st:(claim|suggest|oos|close):([1-9][0-9]{0,8})(?::([1-3]))?$")
_USER_DATA = re.compile(r"^tk:(confirm|cancel|add|new|up|down):([1-9][0-9]{0,8})$")
_STAFF_CODES: dict[str, Action] = {
    "claim": "claim", "suggest": "suggest", "oos": "out_of_scope", "close": "close"
}


@dataclass(frozen=True)
class StaffPress:
    action: Action  # claim | suggest | out_of_scope | close
    ticket: int  # the ticket number
    suggestion: int | None = None  # 1..3 for "suggest"


@dataclass(frozen=True)
class UserPress:
    # confirm/cancel: the confirmation step (cancel also from /status); add/new: where a
    # message goes while a ticket is open; up/down: 👍/👎 on a relayed staff answer
    action: str
    ticket: int  # the ticket's internal id (not shown to staff)


def staff_data(action: str, ticket: int, suggestion: int | None = None) -> str:
    """Callback data for a staff button: 'st:claim:12', 'st:suggest:12:2'."""
    code = {str(v): k for k, v in _STAFF_CODES.items()}[action]
    return f"st:{code}:{ticket}" + (f":{suggestion}" if suggestion is not None else "")


def user_data(action: str, ticket: int) -> str:
    return f"tk:{action}:{ticket}"


def parse_staff_data(data: str | None) -> StaffPress | None:
    """A staff button press, or None when the data is not one we could have sent."""
    match = _STAFF_DATA.match(data or "")
    if not match:
        return None
    code, number, index = match.groups()
    action = _STAFF_CODES[code]
    if (action == "suggest") != (index is not None):
        return None
    return StaffPress(action, int(number), int(index) if index else None)


def parse_user_data(data: str | None) -> UserPress | None:
    match = _USER_DATA.match(data or "")
    if not match:
        return None
    return UserPress(match.group(1), int(match.group(2)))


def parse_ticket_number(text: str | None) -> int | None:
    """The N of '/ticket N' or '/promote N' ('#12' accepted), or None."""
    match = re.fullmatch(r"#?([1-9][0-9]{0,8})", (text or "").strip())
    return int(match.group(1)) if match else None
