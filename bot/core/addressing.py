"""Which messages and button presses are for the bot, on the plain values an adapter reads.

- A group message is for the bot when it is a command (to no bot in particular, or to this
  one), mentions the bot, or replies to one of its messages; otherwise the bot never talks
  over a group's own conversation. The question is then read without the '@bot'.
- A press is handled only when it comes from a button that is on the bot's message now:
  with no message at all (a message sent in inline mode, which this bot never sends) it is
  refused with a popup saying where the buttons work; on a message too old for Telegram to
  show us, we cannot see its buttons, edit it or check the press, so it is refused; data that
  is not one of the message's buttons is a forged press, or a second tap that arrived after
  the bot removed the button (the 👍 pressed 50 times): refused, once each.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from bot.core.menu import parse_command


def is_addressed(
    text: str, *, mentions: Iterable[str], replied_to_bot: bool, bot_username: str
) -> bool:
    """Is this group message (its text or caption, the @mentions in it, whether it replies
    to the bot) meant for the bot?"""
    command = parse_command(text)
    if command is not None:
        _, target = command
        return not target or target == bot_username.lower()
    mention = f"@{bot_username}".lower()
    return any(value.lower() == mention for value in mentions) or replied_to_bot


def without_mention(text: str, bot_username: str) -> str:
    """The question without the '@bot' that addressed it in a group."""
    cleaned = text.replace(f"@{bot_username}", " ")
    return " ".join(cleaned.split()) if cleaned != text else text


def press_refusal(
    data: str | None, shown: Collection[object] | None, *, elsewhere: bool
) -> str | None:
    """Why a press must not reach a handler (a template name), or None. `shown`: the
    callback data of the buttons on the message now, None when it is too old to be seen;
    `elsewhere`: the press has no message in a chat at all."""
    if elsewhere:
        return "tg_press_elsewhere"
    if shown is None:
        return "tg_press_stale"
    return None if data is not None and data in shown else "tg_press_stale"
