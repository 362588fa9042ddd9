"""/start, choosing a language, /taal and /langue, and the command menus per language."""

from __future__ import annotations

from bot.testing.fake_bot_api import FakeBotAPI


async def test_start_welcomes_in_both_languages_with_language_buttons(bot_api, running_bot):
    """A new user typing /start gets a welcome in Dutch and French with two language buttons."""
    bot_api.user_says(42, "/start")

    sent = await bot_api.next_call("sendMessage", chat_id=42)

    assert "Welkom" in sent["text"] and "Bienvenue" in sent["text"]
    assert sent.labels() == ["🇳🇱 Nederlands", "🇫🇷 Français"]
    assert "/vergeet" in sent["text"] and "/oublier" in sent["text"]  # how to erase
    assert "Privacy" in sent["text"] and "Vie privée" in sent["text"]


async def test_french_app_user_sees_french_welcome_first(bot_api, running_bot):
    """Someone whose Telegram app is in French reads the French welcome first."""
    bot_api.user_says(43, "/start", language_code="fr")

    sent = await bot_api.next_call("sendMessage", chat_id=43)

    assert sent["text"].index("Bienvenue") < sent["text"].index("Welkom")


async def test_choosing_french_is_remembered(bot_api: FakeBotAPI, running_bot, storage):
    """Pressing Français switches the chat to French and the next help comes in French."""
    bot_api.user_says(42, "/start")
    welcome = await bot_api.next_call("sendMessage", chat_id=42)

    bot_api.user_presses(42, welcome.message_id, label="🇫🇷 Français")

    confirmed = await bot_api.next_call("sendMessage", chat_id=42)
    assert "français" in confirmed["text"]
    assert storage.chat_language(42) == "fr"
    assert bot_api.calls("answerCallbackQuery")
    bot_api.user_says(42, "/help")
    help_text = await bot_api.next_call("sendMessage", chat_id=42)
    assert "Comment m'utiliser" in help_text["text"]


async def test_taal_with_argument_switches_at_once(bot_api, running_bot, storage):
    """/taal fr switches a chat to French without buttons; /langue nl switches back."""
    bot_api.user_says(42, "/taal fr")
    assert "français" in (await bot_api.next_call("sendMessage", chat_id=42))["text"]
    assert storage.chat_language(42) == "fr"

    bot_api.user_says(42, "/langue nl")
    assert "Nederlands" in (await bot_api.next_call("sendMessage", chat_id=42))["text"]
    assert storage.chat_language(42) == "nl"


async def test_langue_without_argument_offers_buttons_in_french(bot_api, running_bot):
    """/langue asks in French which language to use, with the two buttons."""
    bot_api.user_says(42, "/langue")

    sent = await bot_api.next_call("sendMessage", chat_id=42)

    assert "Dans quelle langue" in sent["text"]
    assert sent.labels() == ["🇳🇱 Nederlands", "🇫🇷 Français"]


async def test_command_menus_are_registered_per_language(bot_api, running_bot):
    """Dutch and French Telegram apps each show the bot's commands in their own language."""
    menus = {c.get("language_code", ""): [x["command"] for x in c["commands"]]
             for c in bot_api.calls("setMyCommands")}

    assert {"onderwerpen", "medewerker", "taal", "vergeet"} <= set(menus["nl"])
    assert {"sujets", "humain", "langue", "oublier"} <= set(menus["fr"])
    assert menus[""] == menus["nl"]  # other app languages get DEFAULT_LANGUAGE's menu


async def test_help_lists_every_command_of_the_menu(bot_api, running_bot):
    """/help names every command the menu offers, in both languages."""
    menus = {c.get("language_code"): c["commands"] for c in bot_api.calls("setMyCommands")}
    for chat_id, lang in ((42, "nl"), (43, "fr")):
        bot_api.user_says(chat_id, "/help", language_code=lang)
        sent = await bot_api.next_call("sendMessage", chat_id=chat_id)
        for command in menus[lang]:
            assert f"/{command['command']}" in sent["text"]


async def test_a_dutch_question_in_a_french_chat_says_how_to_switch(
    bot_api, running_bot, storage, today
):
    """In a chat set to French, a Dutch question is answered in Dutch with one line on /taal."""
    storage.set_chat_language(42, "fr", today=today)
    bot_api.user_says(42, "hoeveel onkostenvergoeding mag ik per dag krijgen")

    reply = await bot_api.next_call("sendMessage", chat_id=42)

    assert "Deze chat staat in het Frans; met /taal nl schakel je over." in reply["text"]
