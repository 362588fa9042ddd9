"""The command menu per language: the bot's own commands, a plug-in's lines before the last."""

from bot.core.menu import COMMANDS, menu_with


def test_without_plug_ins_the_menu_is_the_bots_own():
    assert menu_with([]) == COMMANDS


def test_plug_in_lines_come_before_erasing_which_stays_last():
    check = {"nl": [("vergoeding", "Reken na")], "fr": [("defraiement", "Vérifier")]}
    staff = {"nl": [("status", "Je vragen")]}

    menu = menu_with([check, staff])

    assert [name for name, _ in menu["nl"][-3:]] == ["vergoeding", "status", "vergeet"]
    assert [name for name, _ in menu["fr"][-2:]] == ["defraiement", "oublier"]
    assert menu["nl"][: len(COMMANDS["nl"]) - 1] == COMMANDS["nl"][:-1]
