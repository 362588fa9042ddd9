"""100 escalations in 10 s (reduced: CHAOS_SCALE): every user's "ticket #N" p99 <= 5 s, and
every staff post delivered, in ticket order, within the staff group's 20 messages a minute."""

from __future__ import annotations

import asyncio

from bot.delivery.pacing import GroupWindow
from tests.chaos.conftest import STAFF_CHAT_ID, running_bot
from tests.chaos.figures import percentile, record, scale, scaled, until

QUESTION = "Hoe vraag ik een nieuw paspoort aan bij de gemeente?"  # the core escalates it
GROUP_LIMIT = 20


async def test_receipts_never_wait_behind_staff_posts(fake, tmp_path, chaos_assistant):
    count = scaled(100, least=30)
    spread = 10.0 * count / 100  # the rate: 100 in 10 s
    # Telegram's 20 a minute; the reduced run shrinks the minute, not the limit, so that the
    # posts past the first 20 still have to wait for it.
    window = 60.0 if scale() >= 1 else 6.0
    chats = [5000 + n for n in range(count)]
    receipts: dict[int, float] = {}
    staff_posts: list[tuple[float, str]] = []

    def listener(call):
        if call.method != "sendMessage" or call.status != 200:
            return
        now = asyncio.get_running_loop().time()
        chat, text = int(call.params["chat_id"]), call.params.get("text", "")
        if chat == STAFF_CHAT_ID and text.startswith("<b>Ticket #"):
            staff_posts.append((now, text))
        elif chat > 0 and "ticket #" in text and chat not in receipts:
            receipts[chat] = now

    fake.listener = listener
    pressed: dict[int, float] = {}

    async def person(chat: int, delay: float) -> None:
        await asyncio.sleep(delay)
        fake.user_says(chat, QUESTION)
        prompt = await fake.next_call("sendMessage", chat_id=chat, timeout=60)
        send = [d for row in prompt.buttons() for _, d in row if d.startswith("tk:confirm")]
        pressed[chat] = asyncio.get_running_loop().time()
        fake.user_presses(chat, prompt.message_id, send[0])

    async with running_bot(fake, tmp_path, chaos_assistant,
                           group_window=GroupWindow(GROUP_LIMIT, window)):
        await asyncio.gather(*(person(c, i * spread / count) for i, c in enumerate(chats)))
        # The group's limit sets the pace of the posts: 20 per window.
        await until(lambda: len(staff_posts) >= count, timeout=30 + window * count / 20)

    waits = [receipts[c] - pressed[c] for c in chats if c in receipts]
    numbers = [int(text.split("#")[1].split("<")[0].split()[0]) for _, text in staff_posts]
    times = [t for t, _ in staff_posts]
    busiest = max(
        (sum(1 for u in times if t <= u < t + window) for t in times), default=0
    )
    record(
        "escalations",
        f"{count} escalations in {spread:.1f} s: receipts {len(waits)}/{count}, "
        f"p50 {percentile(waits, 50):.2f} s, p99 {percentile(waits, 99):.2f} s; "
        f"staff posts {len(staff_posts)}/{count}, in order {numbers == sorted(numbers)}, "
        f"busiest {window:.0f} s {busiest} posts (limit {GROUP_LIMIT}), last post "
        f"{(times[-1] - times[0]) if times else 0:.1f} s after the first",
    )
    assert len(waits) == count
    assert percentile(waits, 99) <= 5
    assert numbers == list(range(1, count + 1))
    assert busiest <= GROUP_LIMIT
