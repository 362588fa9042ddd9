"""Which language the bot speaks in a chat: one rule, without Telegram."""

from bot.core import buttons
from bot.core.chat_language import chat_language, named, of_entry


def test_a_language_specific_command_speaks_its_own_language_whatever_the_chat_chose():
    assert chat_language(default="nl", command="sujets", chosen=lambda: "nl") == "fr"
    assert chat_language(default="fr", command="onderwerpen", app_language="fr") == "nl"


def test_a_command_settles_it_without_reading_the_stored_choice():
    def never() -> None:
        raise AssertionError("the stored choice was read")

    assert chat_language(default="nl", command="langue", chosen=never) == "fr"


def test_the_chats_choice_comes_before_the_app_language():
    assert chat_language(default="nl", command="start", chosen=lambda: "fr",
                         app_language="nl") == "fr"


def test_without_a_choice_the_app_language_then_the_default():
    assert chat_language(default="nl", app_language="fr-BE") == "fr"
    assert chat_language(default="nl", app_language="de") == "nl"
    assert chat_language(default="fr", app_language=None) == "fr"


def test_an_entry_speaks_the_language_its_id_ends_in():
    assert of_entry("volunteer.allowance.fr", "nl") == "fr"
    assert of_entry("gone", "nl") == "nl"


def test_a_buttons_data_names_its_language_second():
    assert buttons.language_of("t:fr:insurance", "nl") == "fr"
    assert buttons.language_of("h:xx", "nl") == "nl"


def test_taal_with_an_argument_names_the_language_to_switch_to():
    assert named(["fr"]) == "fr"
    assert named(["Français"]) == "fr"
    assert named(["NL", "graag"]) == "nl"
    assert named(["de"]) is None and named([]) is None
