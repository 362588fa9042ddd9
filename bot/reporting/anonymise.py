"""Escalated questions without the people in them: names, numbers, e-mail addresses, phone
numbers, links and @usernames are replaced by a placeholder before any text is shown.

Names are found without a list of names (there is none that covers Belgium's volunteers):
a capitalised word that does not open a sentence is taken for a name (or a place or an
organisation, which is lost too: better a vaguer question than a person in a staff report),
and so is the word after "mijn naam is", "ik heet", "je m'appelle" and the like, whatever its
case. Short all-capitals words (VZW, ASBL, RSZ, ONEM) are kept: they are the subject.
"""

from __future__ import annotations

import re

from bot.core.text.analyzer import load_word_list
from bot.core.text.normalise import fold

PLACEHOLDERS: dict[str, dict[str, str]] = {
    "nl": {"name": "[naam]", "number": "[getal]", "email": "[e-mail]", "phone": "[telefoon]",
           "link": "[link]"},
    "fr": {"name": "[nom]", "number": "[nombre]", "email": "[e-mail]", "phone": "[téléphone]",
           "link": "[lien]"},
}
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_LINK = re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)
_HANDLE = re.compile(r"(?<![\w@])@\w{3,}")
# Phone numbers: 8 or more digits, possibly with +, spaces, dots, slashes or dashes between.
_PHONE = re.compile(r"(?<![\w+])(?:\+|00)?\d(?:[\s./-]?\d){7,}(?!\w)")
# Any other digits (amounts, dates, house and ticket numbers, IBAN fragments).
_NUMBER = re.compile(r"[A-Z]{0,2}\d+(?:[.,:/-]\d+)*")
_INTRO = re.compile(
    r"(?i:\b(?:mijn naam is|ik heet|ik ben|je m'appelle|je m’appelle|mon nom est|je suis|"
    r"moi c'est|groeten|groetjes|groet|cordialement|bien à vous|merci|dank je|bedankt)"
    r"[\s,:]+)"
)
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_SENTENCE_ENDS = ".!?…"
_PLACEHOLDER = re.compile(r"\[[^\]]+\]")
MAX_ACRONYM = 5
MAX_NAME_WORDS = 3  # "Marie-Claire Van Damme" is three words
_EXPLICIT = ("mijn naam is", "ik heet", "je m'appelle", "je m’appelle", "mon nom est", "moi c'est")
_SMALL_WORDS = load_word_list("stopwords.nl.txt") | load_word_list("stopwords.fr.txt")
_GREETINGS = frozenset({
    "hallo", "hoi", "dag", "beste", "goedemorgen", "goedemiddag", "goedenavond", "goeiedag",
    "dank", "bedankt", "ja", "nee", "oke", "ok", "bonjour", "bonsoir", "salut", "madame",
    "monsieur", "merci", "oui", "non", "alors", "voila", "groetjes", "groeten", "groet",
    "mvg", "cordialement", "amicalement",
})
# Dates and bank accounts before phone numbers: they are digits too, but not a phone.
_DATE = re.compile(r"(?<!\d)\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}(?!\d)")
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){2,7}(?:\s?[A-Z0-9]{1,3})?\b")


def anonymise(text: str, language: str) -> str:
    """The question with every personal detail replaced by a placeholder."""
    words = PLACEHOLDERS.get(language, PLACEHOLDERS["nl"])
    text = _EMAIL.sub(words["email"], text)
    text = _LINK.sub(words["link"], text)
    text = _HANDLE.sub(words["name"], text)
    text = _DATE.sub(words["number"], text)
    text = _IBAN.sub(words["number"], text)
    text = _PHONE.sub(words["phone"], text)
    text = _NUMBER.sub(words["number"], text)
    text = _names_after_introductions(text, words["name"])
    return _capitalised_names(text, words["name"])


def _names_after_introductions(text: str, placeholder: str) -> str:
    """"ik heet jan peeters" -> "ik heet [naam]": after an explicit introduction ("mijn naam
    is", "je m'appelle") the next two words are a name unless they are small words ("en",
    "et"); after a looser one ("ik ben", "groetjes") only capitalised words are."""
    out: list[str] = []
    position = 0
    for intro in _INTRO.finditer(text):
        if intro.start() < position:
            continue
        out.append(text[position : intro.end()])
        position = intro.end()
        explicit = intro.group(0).lower().startswith(_EXPLICIT)
        taken = 0
        while taken < MAX_NAME_WORDS:
            word = _WORD.match(text, position)
            if word is None:
                break
            value = word.group(0)
            small = fold(value) in _SMALL_WORDS
            if not (value[0].isupper() or (explicit and not small)):
                break
            taken += 1
            position = word.end()
            space = re.match(r" +", text[position:])
            following = text[position + space.end()] if space else ""
            if not space or not following or following in ".,!?;:":
                break
            position += space.end()
        if taken:
            out.append(placeholder + (" " if text[position - 1 : position] == " " else ""))
    out.append(text[position:])
    return "".join(out)


def _capitalised_names(text: str, placeholder: str) -> str:
    out: list[str] = []
    position = 0
    last = ""  # the last word written (or placeholder), to join "Jan Peeters" into one
    tail = ""  # the last character of the text before the word, spaces aside
    for word in _WORD.finditer(text):
        gap = text[position : word.start()]
        ends = gap.rstrip()[-1:] or tail
        position = word.end()
        value = word.group(0)
        tail = value[-1]
        opens_sentence = ends == "" or ends in _SENTENCE_ENDS
        acronym = value.isupper() and len(value) <= MAX_ACRONYM
        name = not opens_sentence or _names_at_start(value, text[word.end() : word.end() + 40])
        if value[0].isupper() and name and ends != "[" and not acronym:
            if last == placeholder and not gap.strip():
                continue  # the next word of the same name: the placeholder is there
            out += [gap, placeholder]
            last = placeholder
        else:
            out += [gap, value]
            last = value
    out.append(text[position:])
    return "".join(out)


def _names_at_start(value: str, after: str) -> bool:
    """A capitalised word opening a sentence is usually just that; it is a name when another
    capitalised word follows ("Jan Peeters hier") or a comma does ("Marie, mag ik ...") and
    it is no small word or greeting ("Hallo, ...", "Mag Jan ...")."""
    if fold(value) in _SMALL_WORDS or fold(value) in _GREETINGS:
        return False
    following = re.match(r"\s*(,|[^\W\d_])", after)
    return following is not None and (following.group(1) == "," or following.group(1).isupper())


def is_placeholder(token: str) -> bool:
    return bool(_PLACEHOLDER.fullmatch(token))
