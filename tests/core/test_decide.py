"""Answer, clarify, escalate or smalltalk: each path, as a user meets it."""

from datetime import date

from bot.core.assistant import plain_text


def test_a_clear_question_is_answered_with_its_source(mini, today):
    reply = mini.ask("hoeveel mag ik per dag krijgen als vrijwilliger?", today=today)
    assert reply.action == "answer" and reply.entry_id == "allowances.ceiling.nl"
    assert "art. 10" in plain_text(reply)
    assert 0 < reply.score <= 1


def test_a_french_question_is_answered_in_french(mini, today):
    reply = mini.ask("les bénévoles sont-ils assurés obligatoirement ?", today=today)
    assert reply.language == "fr" and reply.entry_id == "insurance.mandatory.fr"


def test_a_french_question_in_a_dutch_chat_is_answered_in_french_with_a_hint(mini, today):
    reply = mini.ask("assurance obligatoire pour les bénévoles", chat_lang="nl", today=today)
    assert reply.language == "fr"
    assert "/langue" in plain_text(reply)


def test_an_ambiguous_question_offers_choices(mini, today):
    """'verzekering vrijwilliger' could be several insurance entries: the user chooses."""
    reply = mini.ask("verzekering vrijwilliger", today=today)
    assert reply.action == "clarify"
    assert len(reply.candidates) >= 2
    assert {c.entry_id for c in reply.candidates} <= {
        "insurance.mandatory.nl", "insurance.accident.nl", "insurance.insurer.nl",
        "article.insurance.nl",
    }


def test_a_question_outside_volunteering_is_escalated(mini, today):
    reply = mini.ask("hoeveel verdient een verpleegster in een ziekenhuis", today=today)
    assert reply.action == "escalate" and reply.entry_id is None
    assert "medewerker" in plain_text(reply)


def test_english_is_escalated_with_an_explanation(mini, today):
    reply = mini.ask("how do I register a company", today=today)
    assert reply.action == "escalate"
    assert "Nederlands en het Frans" in plain_text(reply)


def test_asking_for_a_person_escalates(mini, today):
    reply = mini.ask("ik wil graag met een medewerker spreken", today=today)
    assert reply.action == "escalate" and "Natuurlijk" in plain_text(reply)
    reply = mini.ask("je voudrais parler à quelqu'un", today=today)
    assert reply.action == "escalate" and reply.language == "fr"


def test_greetings_thanks_and_help_get_a_short_friendly_reply(mini, today):
    for text, lang in (("hallo", "nl"), ("Bonjour !", "fr"), ("merci beaucoup", "fr"),
                       ("dankjewel", "nl"), ("help", "nl")):
        reply = mini.ask(text, chat_lang=lang, today=today)  # type: ignore[arg-type]
        assert reply.action == "smalltalk", text
        assert reply.language == lang


def test_an_empty_message_gets_help_not_an_error(mini, today):
    reply = mini.ask("   \u200b ", today=today)
    assert reply.action == "smalltalk" and plain_text(reply)


def test_an_entry_past_its_review_date_is_not_served(mini, today):
    """An outdated entry is never shown: the person hears it is being checked."""
    reply = mini.ask("fiscale fiche voor vrijwilligersvergoeding", today=today)
    assert reply.action == "escalate"
    assert reply.entry_id == "allowances.old-rule.nl"
    assert "nagekeken" in plain_text(reply)
    assert "geen fiscale fiche" not in plain_text(reply).lower()


def test_an_entry_marked_for_staff_gives_its_holding_note_and_escalates(mini, today):
    reply = mini.ask("welke verzekeraar doet de gratis vrijwilligersverzekering", today=today)
    assert reply.action == "escalate" and reply.entry_id == "insurance.insurer.nl"
    assert "niet bevestigd" in plain_text(reply)


def test_a_very_long_message_is_answered_on_its_content(mini, today):
    """A 10,000-character story still gets a reply, quickly and without error."""
    story = "Ik ben vrijwilliger en ik vraag me af hoeveel ik per dag mag krijgen. " * 150
    reply = mini.ask(story, today=today)
    assert reply.action in ("answer", "clarify", "escalate")
    assert len(reply.text) < 4096


def test_odd_unicode_does_not_break_anything(mini, today):
    for text in ("🙂🙂🙂", "\x00\x01", "ｈｏｅｖｅｅｌ ｐｅｒ ｄａｇ", "‮reversed", "a" * 5000):
        reply = mini.ask(text, today=today)
        assert reply.text


def test_entries_valid_only_later_are_not_used_before(mini):
    """The answer path never crashes on dates far from today (figures missing)."""
    reply = mini.ask("hoeveel per dag vrijwilliger", today=date(2010, 1, 1))
    assert reply.text


def test_choosing_an_entry_marked_for_staff_by_button_still_goes_to_staff(mini, today):
    """A button press on a question we cannot answer reliably gives the note and a person."""
    reply = mini.answer_entry("insurance.insurer.nl", today=today)
    assert reply.action == "escalate" and reply.entry_id == "insurance.insurer.nl"
    assert "niet bevestigd" in plain_text(reply)


def test_choosing_an_outdated_entry_by_button_is_not_served(mini, today):
    reply = mini.answer_entry("allowances.old-rule.nl", today=today)
    assert reply.action == "escalate" and "nagekeken" in plain_text(reply)
