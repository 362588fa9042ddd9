"""Every complaint text renders in both user languages (the complaints group's also in each
STAFF_LANGUAGE), escapes the person's words, stays short, and the flow's rules hold."""

from datetime import date
from pathlib import Path

import pytest

from bot.escalation.complaint_guide import ComplaintGuide, ComplaintInputError
from bot.escalation.complaints import NotAllowed, complaint_of_key, next_state

TODAY = date(2026, 3, 2)
TEMPLATES = Path(__file__).resolve().parents[2] / "bot" / "templates"
STORY = "Ze zeiden <b>betaal</b> of vertrek & zwijg"
POST = {"number": "K-3", "language": "fr", "state": "open", "claimed_by": "",
        "what": STORY, "organisation": "asbl <X>", "contact_org": "anonymous", "reach": ""}
USER_SAMPLES = {
    "cmp_intro": {},
    "cmp_question": {"step": "contact_org"},
    "cmp_invalid": {"problem": "too_long", "limit": 2500},
    "cmp_preview": {"what": STORY, "organisation": "", "contact_org": "yes",
                    "reach": "sam@example.org", "retention_days": 90},
    "cmp_edit": {},
    "cmp_cancelled": {},
    "cmp_stale": {},
    "cmp_unavailable": {},
    "cmp_private_only": {},
    "cmp_receipt": {"number": "K-3", "state": "open"},
    "cmp_withdraw_confirm": {"number": "K-3"},
    "cmp_withdrawn": {"number": "K-3"},
    "cmp_withdraw_refused": {"number": "K-3", "state": "claimed", "erased": False},
    "cmp_taken": {"number": "K-3"},
    "cmp_answer": {"number": "K-3", "body": "Ja <script>"},
    "cmp_closed": {"number": "K-3"},
    "cmp_erased": {"numbers": ["K-3", "K-4"]},
    "cmp_addition": {"number": "K-3", "sent": True, "text_only": False},
    "cmp_expired": {"minutes": 15},
}
STAFF_SAMPLES = {
    "cmp_staff_post": POST,
    "cmp_staff_gone": {"number": "K-3", "why": "withdrawn"},
    "cmp_staff_notice": {"kind": "refused", "anonymous": True},
    "cmp_staff_addition": {"number": "K-3", "text": STORY},
    "cmp_staff_open": {"complaints": [{"number": "K-3", "language": "fr", "state": "claimed",
                                       "claimed_by": "Sam <b>", "days": 2}]},
}
NOTICES = [
    {"kind": "claimed", "number": "K-3", "by": "Sam"},
    {"kind": "closed", "number": "K-3"},
    {"kind": "stale", "number": "K-3", "state": "claimed", "erased": False},
    {"kind": "stale", "number": "K-3", "state": "open", "erased": True},
    {"kind": "text_only", "number": "K-3"},
    {"kind": "refused", "anonymous": False},
    {"kind": "migrated", "new_id": -1001},
]


def test_every_complaint_template_has_a_sample_in_each_language():
    """The user texts exist in nl and fr, the group's texts in nl, fr and nl+fr."""
    for lang in ("nl", "fr"):
        found = {p.stem for p in (TEMPLATES / lang).glob("cmp_*.html")}
        assert found == set(USER_SAMPLES) | set(STAFF_SAMPLES)
    assert {p.stem for p in (TEMPLATES / "nl+fr").glob("cmp_*.html")} == set(STAFF_SAMPLES)


@pytest.mark.parametrize("lang", ["nl", "fr"])
@pytest.mark.parametrize("name", sorted(USER_SAMPLES))
def test_every_user_text_renders_short_and_escaped(mini, lang, name):
    text = mini.message(lang, name, **USER_SAMPLES[name])
    assert text.strip() and len(text) < 4096
    assert "<b>betaal</b>" not in text and "<script>" not in text


@pytest.mark.parametrize("lang", ["nl", "fr", "nl+fr"])
@pytest.mark.parametrize(
    "sample",
    [("cmp_staff_post", POST), ("cmp_staff_gone", STAFF_SAMPLES["cmp_staff_gone"]),
     ("cmp_staff_addition", STAFF_SAMPLES["cmp_staff_addition"]),
     ("cmp_staff_open", STAFF_SAMPLES["cmp_staff_open"]), ("cmp_staff_open", {"complaints": []}),
     *[("cmp_staff_notice", notice) for notice in NOTICES]],
)
def test_every_group_text_renders_in_each_staff_language(mini, lang, sample):
    """In Dutch, in French, or both (STAFF_LANGUAGE), with the person's words escaped."""
    name, context = sample
    text = mini.message(lang, name, **context)
    assert text.strip() and len(text) < 4096
    assert "<b>betaal</b>" not in text and "<X>" not in text
    dutch = any(w in text for w in ("Klacht", "klacht", "melder", "Alleen"))
    french = any(w in text for w in ("Plainte", "plainte", "personne", "Seul"))
    assert (dutch, french) == {"nl": (True, False), "fr": (False, True),
                               "nl+fr": (True, True)}[lang], text


@pytest.mark.parametrize("lang", ["nl", "fr", "nl+fr"])
def test_the_post_shows_the_story_once_and_its_language(mini, lang):
    text = mini.message(lang, "cmp_staff_post", **POST)
    assert text.count("Ze zeiden &lt;b&gt;betaal&lt;/b&gt; of vertrek &amp; zwijg") == 1
    assert "· FR ·" in text


def test_the_preview_names_who_reads_it(mini):
    """The readers are the complaints group of the centre, not the general staff group."""
    for lang, words in (("nl", "niet de gewone medewerkersgroep"),
                        ("fr", "pas le groupe habituel de l'équipe")):
        text = mini.message(lang, "cmp_preview", **USER_SAMPLES["cmp_preview"],
                            centre_name="Centrum X")
        assert "Centrum X" in text and words in text


# ------------------------------------------------------------------------ the rules
def test_only_an_open_complaint_can_be_withdrawn():
    assert next_state("open", "withdraw") == "withdrawn"
    for state in ("claimed", "closed", "withdrawn"):
        with pytest.raises(NotAllowed):
            next_state(state, "withdraw")


def test_a_reply_takes_an_open_complaint_up_and_a_closed_one_takes_none():
    assert next_state("open", "reply") == "claimed"
    assert next_state("claimed", "reply") == "claimed"
    with pytest.raises(NotAllowed):
        next_state("closed", "reply")
    with pytest.raises(NotAllowed):
        next_state("open", "close")  # claimed first: someone is responsible


def test_complaint_keys_are_never_read_as_another_message():
    assert complaint_of_key("k12:post") == 12
    assert complaint_of_key("k12:edit:withdrawn") == 12
    assert complaint_of_key("t12:staff-ticket") is None
    assert complaint_of_key("migrated:-100") is None
    assert complaint_of_key("kx:post") is None


def _say(lang: str, name: str, **context: object) -> str:
    """A stand-in for the templates: the template's name and what it was given."""
    return f"[{lang}/{name} {sorted(context.items())}]"


def test_the_flow_goes_through_the_four_questions_to_the_preview():
    guide = ComplaintGuide(retention_days=90)
    draft = guide.start("nl")
    guide.read(draft, "  Ik moest zonder loon werken.  ", _say, TODAY)
    assert draft.step == "organisation"
    guide.press(draft, "answer", "skip", _say, TODAY)
    assert draft.step == "contact_org"
    guide.read(draft, "Alleen anoniem", _say, TODAY)
    assert draft.step == "reach"
    preview = guide.press(draft, "answer", "chat", _say, TODAY)
    assert draft.step == "preview" and "nl/cmp_preview" in preview.text
    sent = guide.press(draft, "answer", "send", _say, TODAY)
    assert sent.ended and sent.submit
    new = draft.to_new(42, 7)
    assert (new.what, new.organisation, new.contact_org, new.reach) == (
        "Ik moest zonder loon werken.", "", "anonymous", "")


def test_a_typed_skip_is_an_answer_and_a_story_may_be_a_question():
    """Only the button skips; a story phrased as a question is taken, not answered."""
    guide = ComplaintGuide(retention_days=90)
    draft = guide.start("nl")
    assert guide.read(draft, "Waarom moest ik elke zaterdag werken?", _say, TODAY) is not None
    guide.read(draft, "skip", _say, TODAY)
    assert draft.answers["organisation"] == "skip"


def test_editing_one_answer_returns_to_the_preview():
    guide = ComplaintGuide(retention_days=90)
    draft = guide.start("fr")
    for text in ("Pression", "asbl Y", "oui", "0470"):
        guide.read(draft, text, _say, TODAY)
    guide.press(draft, "answer", "edit", _say, TODAY)
    assert draft.step == "edit"
    guide.press(draft, "answer", "organisation", _say, TODAY)
    assert draft.step == "organisation"
    guide.read(draft, "asbl Z", _say, TODAY)
    assert draft.step == "preview"
    new = draft.to_new(42, None)
    assert (new.organisation, new.contact_org, new.reach) == ("asbl Z", "yes", "0470")


def test_answers_a_step_cannot_take_are_refused_with_the_reason():
    guide = ComplaintGuide(retention_days=90)
    draft = guide.start("nl")
    empty = guide.read(draft, "   ", _say, TODAY)
    assert empty is not None and "('problem', 'empty')" in empty.text
    long = guide.read(draft, "x" * 2501, _say, TODAY)
    assert long is not None and "('limit', 2500), ('problem', 'too_long')" in long.text
    assert draft.step == "what"
    guide.read(draft, "x" * 2500, _say, TODAY)  # exactly at the limit is fine
    guide.read(draft, "vzw", _say, TODAY)
    unclear = guide.read(draft, "misschien", _say, TODAY)
    assert unclear is not None and "('problem', 'choice')" in unclear.text
    guide.press(draft, "answer", "maybe", _say, TODAY)
    assert draft.step == "contact_org"
    with pytest.raises(ComplaintInputError):
        draft.parse_button("maybe")


# ------------------------------------------------------------------------ the settings
def test_the_complaints_group_must_be_a_separate_group():
    """COMPLAINTS_CHAT_ID equal to STAFF_CHAT_ID is refused at start, with the reason."""
    from bot.settings import Settings, SettingsError

    with pytest.raises(SettingsError) as refused:
        Settings.from_env({"STAFF_CHAT_ID": "-100", "COMPLAINTS_CHAT_ID": "-100"},
                          command="chat")
    assert refused.value.problems == [
        "COMPLAINTS_CHAT_ID is the same group as STAFF_CHAT_ID: complaints need a separate, "
        "smaller group."
    ]


def test_complaint_settings_default_to_no_group_and_90_days():
    from bot.settings import Settings, SettingsError

    settings = Settings.from_env({}, command="chat")
    assert (settings.complaints_chat_id, settings.complaint_retention_days) == (None, 90)
    with pytest.raises(SettingsError) as refused:
        Settings.from_env({"COMPLAINT_RETENTION_DAYS": "0"}, command="chat")
    assert refused.value.problems == [
        "COMPLAINT_RETENTION_DAYS has value '0': must be at least 1."
    ]
