"""Button popups show what a person should read: plain text, never HTML entities, and cut to
Telegram's 200 characters at a word, never inside a character (issue 12 #10)."""

import html

import pytest
from conftest import STAFF_CHAT_ID, make_settings
from hypothesis import given
from hypothesis import strategies as st
from test_escalation_round_trip import NL_QUESTION, USER, escalate_and_confirm

from bot.delivery.popup import POPUP_LIMIT, popup_text
from bot.delivery.split import utf16_len

ODD_NAME = "Centre <X> & Co"
LONG_NAME = ODD_NAME + " en de Vrijwilligers & Partners van Brussel" * 5
OUTSIDER = 666


def test_entities_are_shown_as_the_characters_they_stand_for():
    assert popup_text("Alleen medewerkers van Centre &lt;X&gt; &amp; Co.") == (
        "Alleen medewerkers van Centre <X> & Co."
    )


def test_tags_are_dropped_and_their_text_kept():
    assert popup_text("<b>Ticket #3</b> is <i>afgesloten</i>") == "Ticket #3 is afgesloten"


def test_nothing_to_show_is_no_popup():
    assert popup_text(None) is None
    assert popup_text("  <b></b> ") is None


def test_a_long_text_is_cut_at_a_word_with_an_ellipsis():
    shown = popup_text(html.escape("woord & " * 60))
    assert shown is not None and len(shown) <= POPUP_LIMIT
    assert shown.endswith("woord &…") or shown.endswith("woord…")


def test_a_cut_never_splits_an_emoji_or_an_accent():
    shown = popup_text("👍🏽" * 150)  # each one: two surrogate pairs in UTF-16
    assert shown is not None and utf16_len(shown) <= POPUP_LIMIT
    assert shown.removesuffix("…").count("👍🏽") * len("👍🏽") == len(shown) - 1
    flags = popup_text("x" + "🇧🇪" * 150)  # a flag is two regional indicators
    assert flags is not None and (len(flags) - 2) % 2 == 0
    accents = popup_text("e\u0301" * 150)  # é as e + combining acute
    assert accents is not None and not accents.removesuffix("…").endswith("e")


@given(st.text(max_size=600))
def test_any_escaped_text_comes_back_plain_and_within_the_limit(text):
    shown = popup_text(html.escape(text))
    plain = text.strip()
    if not plain:
        assert shown is None
        return
    assert shown is not None
    assert utf16_len(shown) <= POPUP_LIMIT and len(shown) <= POPUP_LIMIT
    shown.encode("utf-8")  # no lone surrogate from a cut
    if shown.endswith("…") and shown != plain:
        assert plain.startswith(shown.removesuffix("…"))
    else:
        assert shown == plain


@pytest.fixture(params=[ODD_NAME, LONG_NAME], ids=["odd name", "long name"])
def settings(request, bot_api, tmp_path):
    return make_settings(bot_api, tmp_path, CENTRE_NAME=request.param)


async def test_the_staff_refusal_popup_shows_the_centre_name_as_written(
    bot_api, escalation_bot, settings
):
    """Someone outside the staff presses a ticket button: the alert names the centre as it
    is written, "Centre <X> & Co", and fits in Telegram's popup (no refused answer)."""
    bot_api.set_member(STAFF_CHAT_ID, OUTSIDER, "left")
    async with escalation_bot():
        _, _, ticket = await escalate_and_confirm(bot_api, USER, NL_QUESTION)
        bot_api.staff_presses(ticket.message_id, label="🙋 Opnemen", user_id=OUTSIDER)
        while True:
            answer = await bot_api.next_call("answerCallbackQuery")
            if answer.get("show_alert"):
                break
    text = answer["text"]
    assert ODD_NAME in text
    assert "&lt;" not in text and "&amp;" not in text and "&gt;" not in text
    assert len(text) <= POPUP_LIMIT
    if settings.centre_name == LONG_NAME:
        assert text.endswith("…")
    assert all(c.status == 200 for c in bot_api.attempts("answerCallbackQuery"))


async def test_a_stale_ticket_button_is_explained_in_plain_words(
    bot_api, escalation_bot, storage
):
    """Confirm pressed on a draft that was cancelled meanwhile: a plain popup says why."""
    async with escalation_bot():
        bot_api.user_says(USER, NL_QUESTION)
        draft = await bot_api.next_call("sendMessage", chat_id=USER)
        markup = draft["reply_markup"]
        data = {label: d for row in draft.buttons() for label, d in row}
        cancel = next(d for d in data.values() if d.startswith("tk:cancel"))
        confirm = next(d for d in data.values() if d.startswith("tk:confirm"))
        bot_api.user_presses(USER, draft.message_id, cancel)
        await bot_api.next_call("editMessageText", chat_id=USER)
        # An older copy of the keyboard, still shown on another device.
        bot_api.messages[(USER, draft.message_id)]["reply_markup"] = markup
        bot_api.user_presses(USER, draft.message_id, confirm)
        while True:
            answer = await bot_api.next_call("answerCallbackQuery")
            if answer.get("text"):
                break
    assert answer["text"].startswith("Dat kan niet meer")
    assert "&" not in answer["text"] and "<" not in answer["text"]


def test_every_popup_with_text_goes_through_the_one_helper():
    """answer_popup is the only place a press is answered with text (so no popup can show
    entities or be refused as too long): no other query.answer(...) with arguments."""
    import re
    from pathlib import Path

    import bot.adapters.telegram as adapter

    pattern = re.compile(r"(query\.answer\((?!\))|answer_callback_query\()")
    offenders = [
        f"{path.name}:{number}: {line.strip()}"
        for path in sorted(Path(adapter.__file__).parent.glob("*.py"))
        if path.name != "popups.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line)
    ]
    assert offenders == []
