"""Stickers, photos and other non-text; very long messages; edits; language mix-ups."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "kind", ["sticker", "photo", "voice", "video", "document", "location", "contact", "poll"]
)
async def test_non_text_gets_a_clear_reply(bot_api, running_bot, kind):
    """Sending a sticker, photo, voice note, file, place, contact or poll: 'I read text'."""
    bot_api.user_sends(42, kind)

    sent = await bot_api.next_call("sendMessage", chat_id=42)

    assert "Ik lees alleen tekstvragen" in sent["text"]


async def test_non_text_reply_follows_the_chats_language(bot_api, running_bot, storage, today):
    """In a French chat, a voice message gets the French explanation."""
    storage.set_chat_language(42, "fr", today=today)
    bot_api.user_sends(42, "voice")

    sent = await bot_api.next_call("sendMessage", chat_id=42)

    assert "Je lis seulement les questions écrites" in sent["text"]


async def test_five_thousand_characters_ask_to_shorten(bot_api, running_bot):
    """A 5,000-character message is not guessed at: the user is asked to shorten it."""
    bot_api.user_says(42, "Ik ben vrijwilliger en heb een vraag over mijn vergoeding. " * 85)

    sent = await bot_api.next_call("sendMessage", chat_id=42)

    assert "erg lang" in sent["text"] and "1500" in sent["text"]


async def test_long_but_reasonable_message_goes_to_the_assistant(bot_api, running_bot):
    """A question with a few sentences of context is not refused as too long."""
    context = "Ik help elke zaterdag in de jeugdbeweging en rij soms met mijn eigen auto. "
    bot_api.user_says(42, context * 4 + "Hoeveel onkostenvergoeding mag ik per dag krijgen?")

    sent = await bot_api.next_call("sendMessage", chat_id=42)

    assert "erg lang" not in sent["text"]


async def test_french_question_in_dutch_chat_is_answered_in_french(
    bot_api, running_bot, storage, today
):
    """A French question in a chat set to Dutch gets a French answer and how to switch."""
    storage.set_chat_language(42, "nl", today=today)
    bot_api.user_says(42, "Quel défraiement forfaitaire puis-je recevoir par jour ?")

    sent = await bot_api.next_call("sendMessage", chat_id=42)

    assert "Sources" in sent["text"] or "Source" in sent["text"]
    assert "/langue" in sent["text"]
    assert storage.chat_language(42) == "nl"  # the choice itself is not changed


async def test_edited_question_is_answered_again(bot_api, running_bot):
    """Correcting a question by editing it gets a new answer to the corrected text."""
    message_id = bot_api.user_says(42, "verzekring")
    await bot_api.next_call("sendMessage", chat_id=42)

    bot_api.user_edits(42, message_id, "hoeveel onkostenvergoeding mag ik per dag krijgen")

    again = await bot_api.next_call("sendMessage", chat_id=42)
    assert again["reply_parameters"]["message_id"] == message_id
    assert again.vote_buttons() == ["👍", "👎"]


async def test_unknown_command_points_to_help(bot_api, running_bot):
    """A mistyped command gets a pointer to /help instead of silence."""
    bot_api.user_says(42, "/onderwerp")

    sent = await bot_api.next_call("sendMessage", chat_id=42)

    assert "/help" in sent["text"]
