"""Escalated questions are shown to staff without the people in them."""

import pytest

from bot.reporting.anonymise import anonymise


@pytest.mark.parametrize(
    ("text", "kept", "gone"),
    [
        ("Hallo, ik ben Marie Dubois. Mag ik 50 euro per dag krijgen?",
         ["Hallo, ik ben [naam].", "[getal] euro per dag"], ["Marie", "Dubois", "50"]),
        ("mijn naam is jan peeters, hoeveel km mag ik rijden met de VZW?",
         ["mijn naam is [naam], hoeveel km", "VZW"], ["jan", "peeters"]),
        ("ik heet karim en ik help in de keuken", ["ik heet [naam] en ik help"], ["karim"]),
        ("Mail me op marie.dubois@example.be of bel 0470 12 34 56",
         ["[e-mail]", "[telefoon]"], ["marie.dubois", "example.be", "0470"]),
        ("Ik ben vrijwilliger bij Oxfam. Groetjes, Els",
         ["Ik ben vrijwilliger bij [naam].", "Groetjes, [naam]"], ["Oxfam", "Els"]),
        ("Rekening BE68 5390 0754 7034 van 12/03/2026", ["Rekening [getal] van [getal]"],
         ["5390", "2026"]),
        ("zie https://example.be/naam?id=7 of @sophie_lambert", ["[link]", "[naam]"],
         ["example.be", "sophie"]),
    ],
)
def test_names_numbers_addresses_and_phones_are_replaced(text, kept, gone):
    shown = anonymise(text, "nl")
    for part in kept:
        assert part in shown
    for part in gone:
        assert part not in shown


def test_french_questions_get_french_placeholders():
    shown = anonymise("Bonjour, je m'appelle Sophie. Appelez le +32 2 123 45 67", "fr")
    assert shown == "Bonjour, je m'appelle [nom]. Appelez le [téléphone]"


def test_a_question_without_personal_details_is_unchanged():
    text = "Moet onze vzw een verzekering burgerlijke aansprakelijkheid afsluiten?"
    assert anonymise(text, "nl") == text


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("Jan Peeters hier, mag ik 50 euro krijgen?", "[naam] hier, mag ik [getal] euro krijgen?"),
        ("Marie, mag ik vrijwilliger zijn?", "[naam], mag ik vrijwilliger zijn?"),
        ("Mag Jan een vergoeding krijgen?", "Mag [naam] een vergoeding krijgen?"),
        ("Hallo, mag ik dat?", "Hallo, mag ik dat?"),
        ("Groetjes, Els", "Groetjes, [naam]"),
    ],
)
def test_a_name_opening_the_message_is_replaced_too(text, shown):
    assert anonymise(text, "nl") == shown
