"""The command menu per language: the bot's own commands, a plug-in's lines before the last;
commands are read the same way by the user and staff handlers."""

from bot.core.menu import COMMAND_LANGUAGE, COMMANDS, menu_with, parse_command


def test_without_plug_ins_the_menu_is_the_bots_own():
    assert menu_with([]) == COMMANDS


def test_plug_in_lines_come_before_erasing_which_stays_last():
    check = {"nl": [("vergoeding", "Reken na")], "fr": [("defraiement", "Vérifier")]}
    staff = {"nl": [("status", "Je vragen")]}

    menu = menu_with([check, staff])

    assert [name for name, _ in menu["nl"][-3:]] == ["vergoeding", "status", "vergeet"]
    assert [name for name, _ in menu["fr"][-2:]] == ["defraiement", "oublier"]
    assert menu["nl"][: len(COMMANDS["nl"]) - 1] == COMMANDS["nl"][:-1]



def test_a_command_is_read_with_the_bot_it_names():
    assert parse_command("/Taal@Vrijwilligers_bot fr") == ("taal", "vrijwilligers_bot")
    assert parse_command("/open") == ("open", "")
    assert parse_command("open") is None and parse_command(None) is None


def test_every_language_specific_command_of_the_menu_speaks_its_menus_language():
    for lang, commands in COMMANDS.items():
        for name, _ in commands:
            assert COMMAND_LANGUAGE.get(name, lang) == lang, name
