"""Replies are safe for Telegram's HTML mode, complete, and short enough."""

from pathlib import Path

import pytest

from bot.core.amounts import format_eur, format_rate
from bot.core.assistant import plain_text
from bot.core.render import escape_literal_text, french_of, to_plain

TEMPLATES = Path(__file__).resolve().parents[2] / "bot" / "templates"


def test_every_template_exists_in_both_languages():
    """Each reply template has a Dutch and a French version with the same name."""
    nl = {p.name for p in (TEMPLATES / "nl").glob("*.html")}
    fr = {p.name for p in (TEMPLATES / "fr").glob("*.html")}
    assert nl == fr and {"answer.html", "clarify.html", "escalate.html", "smalltalk.html"} <= nl


def test_literal_text_in_answers_is_escaped_but_simple_tags_survive():
    source = 'Bij < 18 jaar & R&D: <b>let op</b> <a href="https://x.be/a">link</a> {{ x }}'
    escaped = escape_literal_text(source)
    assert "&lt; 18 jaar &amp; R&amp;D" in escaped
    assert "<b>let op</b>" in escaped and '<a href="https://x.be/a">link</a>' in escaped
    assert "{{ x }}" in escaped


def test_a_script_tag_in_an_answer_is_shown_as_text():
    assert "<script>" not in escape_literal_text("<script>alert(1)</script>")


def test_answers_escape_special_characters_from_the_base(mini, today):
    """'< 2.000 km & meer' in an answer reaches Telegram escaped, and users see it plainly."""
    reply = mini.ask("kilometervergoeding bovenop forfait", today=today)
    assert "&lt; 2.000 km &amp; meer" in reply.text
    assert "< 2.000 km & meer" in plain_text(reply)


def test_plain_text_turns_links_into_title_and_address():
    assert to_plain('<a href="https://a.be">A</a> &amp; <b>b</b>') == "A (https://a.be) & b"


def test_amounts_are_written_the_belgian_way():
    from decimal import Decimal

    assert format_eur(Decimal("1760.83"), "nl") == "€ 1.760,83"
    assert format_eur(Decimal("1760.83"), "fr") == "1.760,83 €"
    assert format_rate(Decimal("0.4326"), "nl") == "€ 0,4326"


def test_the_centre_name_and_contact_come_from_configuration(today):
    from bot.core.assistant import load_assistant
    from bot.core.render import Centre
    from tests.conftest import MINI

    custom = load_assistant(MINI, today=today,
                            centre=Centre({"nl": "Steunpunt X", "fr": "Point Y"}, "info@x.be"))
    text = plain_text(custom.ask("hoeveel mag ik per dag krijgen", today=today))
    assert "Steunpunt X" in text and "info@x.be" in text


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def test_every_entry_of_the_real_base_fits_in_one_telegram_message(assistant, today):
    """No answer in the bundled base exceeds Telegram's 4,096 UTF-16 units."""
    for entry_id in assistant.kb.entries:
        reply = assistant.answer_entry(entry_id, today=today)
        assert utf16_length(reply.text) <= 4096, entry_id
        assert reply.sources, entry_id


@pytest.mark.parametrize(
    ("name", "french"),
    [
        ("Expertisecentrum Vrijwilligerswerk", "d'Expertisecentrum Vrijwilligerswerk"),
        ("le Centre d'expertise du volontariat", "du Centre d'expertise du volontariat"),
        ("les Centres réunis", "des Centres réunis"),
        ("la Plateforme francophone", "de la Plateforme francophone"),
        ("l'Agence X", "de l'Agence X"),
        ("Vlaams Steunpunt", "de Vlaams Steunpunt"),
    ],
)
def test_french_texts_join_the_centre_name_as_french_does(name, french):
    """CENTRE_NAME is one name for both languages: "de Expertisecentrum" is wrong."""
    assert french_of(name) == french


def test_the_french_greeting_names_the_default_centre_correctly(assistant, today):
    text = plain_text(assistant.ask("bonjour", today=today))
    assert "l'assistant du Centre d'expertise du volontariat" in text
