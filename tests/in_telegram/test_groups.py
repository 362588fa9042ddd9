"""Group chats: the bot speaks only when addressed, except in the staff chat."""

from __future__ import annotations

from bot.testing.fake_bot_api import BOT_USERNAME

GROUP = -100555


async def test_group_chatter_is_ignored_until_the_bot_is_mentioned(bot_api, running_bot):
    """In a group, ordinary messages get no reply; '@bot question' gets an answer."""
    bot_api.user_says(GROUP, "verzekering", user_id=7)
    bot_api.user_sends(GROUP, "sticker", user_id=7)
    bot_api.user_says(
        GROUP, f"@{BOT_USERNAME} hoeveel onkostenvergoeding mag ik per dag krijgen", user_id=7
    )

    sent = await bot_api.next_call("sendMessage", chat_id=GROUP)

    assert sent.vote_buttons() == ["👍", "👎"]
    assert len(bot_api.calls("sendMessage", chat_id=GROUP)) == 1  # the first two: silence


async def test_reply_to_the_bot_in_a_group_is_answered(bot_api, running_bot):
    """Replying to one of the bot's messages in a group counts as addressing it."""
    bot_api.user_says(GROUP, "/help", user_id=7)
    help_message = await bot_api.next_call("sendMessage", chat_id=GROUP)

    bot_api.user_says(GROUP, "verzekering", user_id=7, reply_to=help_message.message_id)

    overview = await bot_api.next_call("sendMessage", chat_id=GROUP)
    assert "Ben ik als vrijwilliger verzekerd, en waarvoor?" in overview["text"]


async def test_command_for_another_bot_is_ignored(bot_api, running_bot):
    """'/help@other_bot' in a group is for another bot; '/help' alone is for everyone."""
    bot_api.user_says(GROUP, "/help@some_other_bot", user_id=7)
    bot_api.user_says(GROUP, f"/help@{BOT_USERNAME}", user_id=7)

    await bot_api.next_call("sendMessage", chat_id=GROUP)

    assert len(bot_api.calls("sendMessage", chat_id=GROUP)) == 1


async def test_staff_chat_messages_reach_handlers_but_get_no_unasked_answers(
    bot_api, running_bot, settings
):
    """In the staff chat the bot does not answer staff chatter as questions, but commands work."""
    staff_chat = settings.staff_chat_id
    bot_api.user_says(staff_chat, "verzekering", user_id=8)
    bot_api.user_says(staff_chat, "/help", user_id=8)

    sent = await bot_api.next_call("sendMessage", chat_id=staff_chat)

    assert "/onderwerpen" in sent["text"]
    assert len(bot_api.calls("sendMessage", chat_id=staff_chat)) == 1
