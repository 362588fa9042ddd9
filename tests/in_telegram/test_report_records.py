"""Each question the bot handles leaves one anonymous row for the weekly report: the day,
the language, what the bot did, the entry and its topic; never the chat, the user or text."""

from __future__ import annotations

from bot.reporting.records import QuestionEvent


async def test_every_question_leaves_an_anonymous_count_for_the_report(
    bot_api, running_bot, storage, today
):
    bot_api.user_says(42, "hoeveel onkostenvergoeding mag ik per dag krijgen")
    await bot_api.next_call("sendMessage", chat_id=42)
    bot_api.user_says(43, "Bonjour !", language_code="fr")
    await bot_api.next_call("sendMessage", chat_id=43)
    bot_api.user_says(44, "Moeten we btw aanrekenen op de facturen van onze vzw?")
    await bot_api.next_call("sendMessage", chat_id=44)

    assert storage.question_events(today, today) == [
        QuestionEvent(today, "nl", "answer", "allowances.flat-rate-ceiling.nl", "allowances"),
        QuestionEvent(today, "fr", "smalltalk", None, None),
        QuestionEvent(today, "nl", "escalate", None, "liability"),  # its nearest topic
    ]
    columns = {r[1] for r in storage._db.execute("PRAGMA table_info(question_events)")}
    assert columns == {"id", "day", "language", "action", "entry_id", "topic"}
