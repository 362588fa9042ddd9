"""A press on the core's buttons is read back from its data, without Telegram; data this
module did not write is nobody's press (an older version's, or forged)."""

from datetime import date

from bot.core import buttons, present
from bot.core.buttons import Pressed, read
from bot.core.model import Candidate, Entry, Reply

TODAY = date(2024, 6, 1)


def _entry():
    return Entry("a.nl", "nl", "a", "insurance", "Verzekerd?", (), "Ja.", (), TODAY, TODAY)


def _all_data(keyboard):
    return [b["callback_data"] for row in keyboard["inline_keyboard"] for b in row]


def test_every_button_the_core_writes_reads_back_as_what_it_asks_for():
    entry = _entry()
    written = [
        *_all_data(buttons.languages()),
        *_all_data(buttons.feedback("a.nl")),
        *_all_data(buttons.candidates((Candidate("b.fr", "Q?", 1.0),), "fr")),
        *_all_data(buttons.topic_questions([entry], "insurance", "nl", has_article=True)),
        *_all_data(buttons.browsed_answer("a.nl", "insurance", "fr")),
        *_all_data(buttons.confirm_erase("fr")),
    ]
    assert [read(data) for data in written] == [
        Pressed("language", lang="nl"), Pressed("language", lang="fr"),
        Pressed("vote", entry_id="a.nl", yes=True), Pressed("vote", entry_id="a.nl"),
        Pressed("entry", entry_id="b.fr"), Pressed("staff", lang="fr"),
        Pressed("article", lang="nl", topic="insurance"), Pressed("browsed", entry_id="a.nl"),
        Pressed("topics", lang="nl"),
        Pressed("vote", entry_id="a.nl", yes=True), Pressed("vote", entry_id="a.nl"),
        Pressed("topic", lang="fr", topic="insurance"),
        Pressed("erase", lang="fr", yes=True), Pressed("erase", lang="fr"),
    ]


def test_data_the_core_did_not_write_is_no_press_of_its_buttons():
    for data in ("l:de", "v:*:a.nl", "x:nl:maybe", "t:nl:", "a:go:nl", "tk:1", "", None, 7):
        assert read(data) is None


def test_a_press_without_a_language_of_its_own_takes_the_fallback():
    assert read("e:a.fr").language("nl") == "nl"
    assert read("h:fr").language("nl") == "fr"


class FakeAssistant:
    """Two topics, one entry, and an article for insurance only."""

    def __init__(self):
        self.entry = _entry()

    def topics(self, lang):
        return [("insurance", "Verzekering"), ("allowances", "Vergoedingen")]

    def entries_in_topic(self, topic, lang):
        return [self.entry] if topic == "insurance" else []

    def article(self, topic, lang, *, today):
        if topic != "insurance":
            return None
        return Reply(question="", language=lang, action="answer", text="Overzicht")

    def answer_entry(self, entry_id, *, today):
        if entry_id != self.entry.id:
            raise KeyError(entry_id)
        return Reply(question="Verzekerd?", language="nl", action="answer", text="Ja.",
                     entry_id=entry_id)

    def detect_language(self, text):
        return "fr" if "bonjour" in text else "other"

    def alternatives(self, question, *, lang, exclude, today):
        return tuple(c for c in (Candidate("a.nl", "Verzekerd?", 1.0),) if c.entry_id != exclude)


def say(lang, name, **context):
    return f"{lang}:{name}:{sorted(context.items())}"


def test_a_topic_screen_has_its_title_its_questions_and_its_overview_when_it_has_one():
    screens = present.Screens(FakeAssistant(), say, TODAY)
    shown = screens.topic("insurance", "nl")
    assert shown.text == "nl:tg_topic:[('count', 1), ('title', 'Verzekering')]"
    assert _all_data(shown.keyboard) == ["ar:nl:insurance", "q:a.nl", "tl:nl"]
    assert _all_data(screens.topic("allowances", "nl").keyboard) == ["tl:nl"]


def test_an_entry_removed_since_its_button_was_sent_is_gone_not_an_error():
    screens = present.Screens(FakeAssistant(), say, TODAY)
    assert screens.entry("a.nl").entry_id == "a.nl"
    assert screens.entry("renamed.nl") is None


def test_the_alternatives_after_a_thumbs_down_leave_out_the_rated_entry():
    screens = present.Screens(FakeAssistant(), say, TODAY)
    assert _all_data(screens.alternatives("Verzekerd?", "nl", "a.nl").keyboard) == ["h:nl"]
    assert _all_data(screens.alternatives("Verzekerd?", "nl", "b.nl").keyboard) == [
        "e:a.nl", "h:nl"]


def _never():
    raise AssertionError("read for a message of a question's length")


def test_a_question_of_usual_length_is_not_refused_and_reads_nothing():
    screens = present.Screens(FakeAssistant(), say, TODAY)
    longest = "x" * present.MAX_QUESTION_CHARS
    assert screens.too_long(longest, chosen=_never, fallback=_never) is None


def test_a_pasted_letter_is_refused_in_the_chats_choice_else_its_own_language_else_the_fallback():
    screens = present.Screens(FakeAssistant(), say, TODAY)
    letter = "bonjour " + "x" * present.MAX_QUESTION_CHARS
    assert screens.too_long(letter, chosen=lambda: "nl", fallback=_never).text.startswith(
        "nl:tg_too_long")
    assert screens.too_long(letter, chosen=lambda: None, fallback=lambda: "nl").text.startswith(
        "fr:tg_too_long")
    unknown = "y" * 2000
    assert screens.too_long(unknown, chosen=lambda: None, fallback=lambda: "nl").text == (
        "nl:tg_too_long:[('length', 2000), ('limit', 1500)]")
