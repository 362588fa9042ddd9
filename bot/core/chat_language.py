"""Which language the bot speaks in a chat: one rule, on the plain values an adapter reads.

A language-specific command speaks its own language (/sujets is French) whatever the chat
chose; otherwise the chat's stored choice; otherwise the language of the person's app
(Telegram's `language_code`, "fr-BE" counts as "fr"); otherwise the centre's default. The
stored choice alone (None when the chat never chose) is what the core's `Assistant.ask`
receives as `chat_lang`, so a question in the other language is still answered in it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from bot.core.menu import COMMAND_LANGUAGE
from bot.core.model import LANGUAGES, Language, as_language


def chat_language(
    *,
    default: Language,
    command: str | None = None,
    chosen: Callable[[], Language | None] = lambda: None,
    app_language: str | None = None,
) -> Language:
    """The language to speak in a chat (the rule above). `chosen` reads the chat's stored
    choice, only when a command does not settle it (it is a database read)."""
    if command in COMMAND_LANGUAGE:
        return COMMAND_LANGUAGE[command]
    stored = chosen()
    if stored is not None:
        return stored
    return as_language((app_language or "")[:2], default)


def of_entry(entry_id: str, fallback: Language) -> Language:
    """The language of a knowledge-base entry, which its id ends in (`x.allowance.fr`)."""
    return as_language(entry_id.rsplit(".", 1)[-1], fallback)


def named(args: Sequence[str]) -> Language | None:
    """The language `/taal fr` (or `/langue Français`) switches to: its first argument's
    first two letters; None when it names none of ours (the buttons are shown instead)."""
    wanted = (args[0] if args else "").lower()[:2]
    return as_language(wanted, "nl") if wanted in LANGUAGES else None
