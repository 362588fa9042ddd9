"""The bot's commands per language: what set_my_commands registers and /help lists.

One list per language; the Telegram adapter's user_handlers.py handles these names. Plug-ins
(the guided checks, the staff workflow) add their own entries through `Plugin.commands`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from bot.core.model import Language

MenuLines = Mapping[Language, Sequence[tuple[str, str]]]  # (command, description) per language

COMMANDS: dict[Language, list[tuple[str, str]]] = {
    "nl": [
        ("start", "Welkom, taalkeuze en privacy"),
        ("help", "Wat ik kan en hoe je me gebruikt"),
        ("onderwerpen", "Blader door de onderwerpen"),
        ("medewerker", "Vraag een medewerker"),
        ("taal", "Kies je taal (Nederlands of Frans)"),
        ("geen_correcties", "Geen correcties meer van eerdere antwoorden"),
        ("vergeet", "Wis wat ik over dit gesprek bewaar"),
    ],
    "fr": [
        ("start", "Bienvenue, choix de la langue et vie privée"),
        ("help", "Ce que je sais faire et comment m'utiliser"),
        ("sujets", "Parcourir les sujets"),
        ("humain", "Demander un conseiller"),
        ("langue", "Choisir la langue (français ou néerlandais)"),
        ("sans_corrections", "Ne plus recevoir de corrections d'anciennes réponses"),
        ("oublier", "Effacer ce que je garde de cette conversation"),
    ],
}

# The language each language-specific command speaks, whatever the chat chose.
COMMAND_LANGUAGE: dict[str, Language] = {
    "onderwerpen": "nl", "medewerker": "nl", "taal": "nl", "vergeet": "nl", "klacht": "nl",
    "geen_correcties": "nl",
    "sujets": "fr", "humain": "fr", "langue": "fr", "oublier": "fr", "plainte": "fr",
    "sans_corrections": "fr",
}
# The complaint route's commands (added to the menus when the route is plugged in).
COMPLAINT_COMMANDS: dict[Language, list[tuple[str, str]]] = {
    "nl": [("klacht", "Meld vertrouwelijk een klacht over een organisatie")],
    "fr": [("plainte", "Déposer une plainte confidentielle sur une organisation")],
}
# The escalation workflow's (added to the menus when it is plugged in).
ESCALATION_COMMANDS: dict[Language, list[tuple[str, str]]] = {
    "nl": [("status", "Je vragen bij de medewerkers")],
    "fr": [("status", "Vos demandes auprès de l'équipe")],
}


def menu_with(extras: Iterable[MenuLines]) -> dict[Language, list[tuple[str, str]]]:
    """The menu per language with the plug-ins' lines added before the last one (erasing
    the conversation stays last)."""
    added = list(extras)
    return {
        lang: [*lines[:-1], *(line for extra in added for line in extra.get(lang, ())), lines[-1]]
        for lang, lines in COMMANDS.items()
    }


def parse_command(text: str | None) -> tuple[str, str] | None:
    """A command's name and the bot it is addressed to (both lower case, the bot "" when it
    names none), or None when the text is not a command: "/Taal@Bot fr" -> ("taal", "bot")."""
    if not text or not text.startswith("/"):
        return None
    name, _, target = text.split(maxsplit=1)[0][1:].partition("@")
    return name.lower(), target.lower()
