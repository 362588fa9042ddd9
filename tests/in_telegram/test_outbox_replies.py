"""Which message an outbox message replies to: the message id its row names (an answer names
the user's question); else the message an earlier row, named by its key, went out as (a staff
notice names its ticket post); else none."""

from __future__ import annotations

from datetime import UTC, datetime

from conftest import until

from bot.escalation.records import NewOutbox

CHAT = 42


def queue(storage, key, payload):
    row = NewOutbox(key, "user", CHAT, "sendMessage", payload)
    storage.enqueue([row], ticket_id=None, now=datetime.now(UTC))


def replied_to(bot_api, text):
    """The message Telegram shows the sent message as a reply to (None: not a reply)."""
    [sent] = [c for c in bot_api.calls("sendMessage", chat_id=CHAT) if c["text"] == text]
    return (sent.result.get("reply_to_message") or {}).get("message_id")


async def test_a_named_message_id_wins_over_a_key_and_a_key_over_nothing(
    bot_api, escalation_bot, storage
):
    """A message whose row names both a message id and an earlier row's key replies to the
    message id; with only the key, to the message that earlier row became; with neither, to
    nothing."""
    earlier = bot_api.bot_posted(CHAT, "Je vraag is doorgegeven.")["message_id"]
    queue(storage, "ticket-post", {"text": "Ticket #1"})
    both = {"reply_to_message_id": earlier, "reply_to_key": "ticket-post"}
    queue(storage, "both", {"text": "Antwoord op je vraag", **both})
    queue(storage, "key", {"text": "Notitie bij het ticket", "reply_to_key": "ticket-post"})
    queue(storage, "none", {"text": "Losse melding"})
    async with escalation_bot():
        await until(lambda: storage.outbox_row("none").status == "sent", timeout=10)
    post = storage.outbox_row("ticket-post").sent_message_id

    assert replied_to(bot_api, "Antwoord op je vraag") == earlier
    assert replied_to(bot_api, "Notitie bij het ticket") == post != earlier
    assert replied_to(bot_api, "Losse melding") is None
