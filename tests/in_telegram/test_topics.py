"""Browsing topics with /onderwerpen and /sujets: topics, questions, an answer, and Back."""

from __future__ import annotations


async def test_browse_a_topic_to_an_answer_and_back(bot_api, running_bot):
    """/onderwerpen shows topics; a topic shows its questions; Back returns to the list."""
    bot_api.user_says(42, "/onderwerpen")
    topics = await bot_api.next_call("sendMessage", chat_id=42)
    assert "Onderwerpen" in topics["text"]
    assert "Verzekering" in topics.labels()
    message_id = topics.message_id

    bot_api.user_presses(42, message_id, label="Verzekering")
    questions = await bot_api.next_call("editMessageText", chat_id=42)
    assert "<b>Verzekering</b>" in questions["text"]
    assert questions.labels()[-1] == "« Alle onderwerpen"
    question_data = [d for row in questions.buttons() for _, d in row if d.startswith("q:")]
    assert question_data and all(d.endswith(".nl") for d in question_data)

    bot_api.user_presses(42, message_id, question_data[0])
    answer = await bot_api.next_call("editMessageText", chat_id=42)
    assert "<a href=" in answer["text"]
    assert answer.vote_buttons() == ["👍", "👎"] and answer.labels()[-1] == "« Terug"

    bot_api.user_presses(42, message_id, label="« Terug")
    back = await bot_api.next_call("editMessageText", chat_id=42)
    assert back["text"] == questions["text"]

    bot_api.user_presses(42, message_id, label="« Alle onderwerpen")
    again = await bot_api.next_call("editMessageText", chat_id=42)
    assert again.labels() == topics.labels()
    assert len(bot_api.calls("sendMessage", chat_id=42)) == 1  # all in one message


async def test_sujets_browses_in_french(bot_api, running_bot):
    """/sujets lists the topics in French, and their questions are the French ones."""
    bot_api.user_says(42, "/sujets")
    topics = await bot_api.next_call("sendMessage", chat_id=42)
    assert "Sujets" in topics["text"]

    first = topics.buttons()[0][0][1]
    bot_api.user_presses(42, topics.message_id, first)
    questions = await bot_api.next_call("editMessageText", chat_id=42)

    assert "Choisissez une question" in questions["text"]
    assert questions.labels()[-1] == "« Tous les sujets"


async def test_rating_a_browsed_answer_keeps_the_back_button(bot_api, running_bot, storage):
    """👍 under a browsed answer is recorded, and the Back button stays."""
    bot_api.user_says(42, "/onderwerpen")
    topics = await bot_api.next_call("sendMessage", chat_id=42)
    bot_api.user_presses(42, topics.message_id, label="Verzekering")
    questions = await bot_api.next_call("editMessageText", chat_id=42)
    bot_api.user_presses(42, topics.message_id, questions.buttons()[0][0][1])
    await bot_api.next_call("editMessageText", chat_id=42)

    bot_api.user_presses(42, topics.message_id, label="👍")

    edited = await bot_api.next_call("editMessageReplyMarkup", chat_id=42)
    assert [b["text"] for row in edited["reply_markup"]["inline_keyboard"] for b in row] == [
        "« Terug"
    ]
    assert storage.feedback()[0].up == 1
