"""Corrections through the real Application against the fake Bot API: answers are recorded
as they are given, /geen_correcties and /sans_corrections opt out, and the messages queued by
`python -m bot corrections --send` are delivered by the running bot's sender."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.cli import main
from bot.core.assistant import Assistant, load_assistant
from bot.testing.fake_bot_api import FakeBotAPI
from tests.in_telegram.conftest import CENTRE_NAME, STAFF_CHAT_ID, TODAY, until

MINI = Path(__file__).resolve().parents[1] / "data" / "kb-mini"
FILES = ("faq/allowances.nl.yaml", "faq/allowances.fr.yaml")
REVIEWED = "  reviewed: 2026-11-24\n  review_by: 2027-06-30\n"
CEILING_NL, KM_NL = "allowances.ceiling.nl", "allowances.km.nl"
ASK_NL = "hoeveel mag ik per dag krijgen als vrijwilliger"
ASK_FR = "combien je peux recevoir par jour comme benevole"


def knowledge_base(root: Path, replacement: str) -> Path:
    """kb-mini with the ceiling entries' review lines replaced (both languages)."""
    shutil.copytree(MINI, root)
    for name in FILES:
        path = root / name
        text = path.read_text(encoding="utf-8")
        assert REVIEWED in text
        path.write_text(text.replace(REVIEWED, replacement, 1), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def kb_dirs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The base the bot answered from (reviewed in January) and the corrected one (reviewed
    and corrected on 5 March, three days after the test's today)."""
    base = tmp_path_factory.mktemp("kbs")
    before = knowledge_base(base / "before", "  reviewed: 2026-01-15\n  review_by: 2027-06-30\n")
    after = knowledge_base(
        base / "after",
        "  reviewed: 2026-03-05\n  review_by: 2027-06-30\n"
        "  corrections:\n"
        "    - date: 2026-03-05\n"
        "      nl: Het dagplafond is geïndexeerd.\n"
        "      fr: Le plafond journalier a été indexé.\n",
    )
    return before, after


@pytest.fixture(scope="module")
def assistant(kb_dirs: tuple[Path, Path]) -> Assistant:
    """The bot in these tests answers from the base as it was before the correction."""
    return load_assistant(kb_dirs[0], today=TODAY)


def corrections_cli(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], settings, kb: Path,
    *args: str,
) -> str:
    """`python -m bot corrections ...` on the bot's database, as an operator runs it."""
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    monkeypatch.setenv("KNOWLEDGE_DIR", str(kb))
    monkeypatch.setenv("CENTRE_NAME", CENTRE_NAME)
    capsys.readouterr()
    assert main(["corrections", *args]) == 0
    return capsys.readouterr().out


async def test_each_answer_given_is_recorded_with_its_revision_and_day(
    bot_api: FakeBotAPI, running_bot, storage, assistant
):
    """A typed question and an answer chosen by a button are each recorded: chat, entry,
    revision, day; a greeting (no entry answered) records nothing."""
    bot_api.user_says(42, "hallo")
    await bot_api.next_call("sendMessage", chat_id=42)
    bot_api.user_says(42, ASK_NL)
    answer = await bot_api.next_call("sendMessage", chat_id=42)
    bot_api.user_presses(42, answer.message_id, label="👎")
    offer = await bot_api.next_call("sendMessage", chat_id=42)
    km = next(data for row in offer.buttons() for _, data in row if data == f"e:{KM_NL}")
    bot_api.user_presses(42, offer.message_id, km)
    await bot_api.next_call("sendMessage", chat_id=42)
    # Recorded once Telegram confirmed the answer, as the handler returns.
    await until(lambda: len(storage.answers_given([KM_NL], since=TODAY)) == 1)

    given = storage.answers_given(list(assistant.kb.entries), since=TODAY)
    assert [(a.chat_id, a.entry_id, a.revision, a.day) for a in given] == [
        (42, CEILING_NL, assistant.kb.entries[CEILING_NL].revision, TODAY),
        (42, KM_NL, assistant.kb.entries[KM_NL].revision, TODAY),
    ]
    assert given[0].revision.startswith("2026-01-15.")


async def test_an_answer_read_while_browsing_topics_is_recorded(
    bot_api: FakeBotAPI, running_bot, storage, assistant
):
    """Browsing /onderwerpen to a question shows its answer: that is an answer given too."""
    bot_api.user_says(42, "/onderwerpen")
    topics = await bot_api.next_call("sendMessage", chat_id=42)
    bot_api.user_presses(42, topics.message_id, label="Onkostenvergoedingen")
    questions = await bot_api.next_call("editMessageText", chat_id=42)
    bot_api.user_presses(42, topics.message_id, f"q:{CEILING_NL}")
    await bot_api.next_call("editMessageText", chat_id=42)
    await until(lambda: len(storage.answers_given([CEILING_NL], since=TODAY)) == 1)
    [given] = storage.answers_given([CEILING_NL], since=TODAY)
    assert (given.chat_id, given.revision) == (42, assistant.kb.entries[CEILING_NL].revision)
    assert f"q:{CEILING_NL}" in [d for row in questions.buttons() for _, d in row]


async def test_the_opt_out_commands_are_in_both_menus(bot_api: FakeBotAPI, running_bot):
    menus = {c.get("language_code", ""): [x["command"] for x in c["commands"]]
             for c in bot_api.calls("setMyCommands")}
    assert "geen_correcties" in menus["nl"] and "sans_corrections" in menus["fr"]


async def test_opting_out_and_back_in_dutch(bot_api: FakeBotAPI, running_bot, storage):
    """/geen_correcties stops corrections for this chat; the button under the reply takes it
    back."""
    bot_api.user_says(42, "/geen_correcties")
    sent = await bot_api.next_call("sendMessage", chat_id=42)
    assert "je krijgt geen correcties meer" in sent["text"]
    assert sent.buttons() == [[("Toch correcties ontvangen", "co:nl:on")]]
    assert storage.corrections_opted_out() == {42}

    bot_api.user_presses(42, sent.message_id, "co:nl:on")
    edited = await bot_api.next_call("editMessageText", chat_id=42)
    assert "laat ik het je weten" in edited["text"]
    assert storage.corrections_opted_out() == set()


async def test_opting_out_in_french(bot_api: FakeBotAPI, running_bot, storage):
    """/sans_corrections answers in French, whatever the chat's language."""
    bot_api.user_says(43, "/sans_corrections", language_code="nl")
    sent = await bot_api.next_call("sendMessage", chat_id=43)
    assert "vous ne recevrez plus de correction" in sent["text"]
    assert sent.buttons() == [[("Recevoir les corrections", "co:fr:on")]]
    assert storage.corrections_opted_out() == {43}


async def test_corrections_reach_the_people_told_and_no_one_else(
    bot_api: FakeBotAPI, escalation_bot, storage, settings, kb_dirs, monkeypatch, capsys
):
    """Four people were given the day ceiling before it was corrected: one opted out, one
    erased their data. --dry-run counts them, --send queues two messages (Dutch and French),
    the running bot delivers them, and a second --send queues nothing."""
    async with escalation_bot() as (_app, escalation):
        for chat, text, lang in ((501, ASK_NL, "nl"), (502, ASK_NL, "nl"), (503, ASK_FR, "fr"),
                                 (504, ASK_NL, "nl")):
            bot_api.user_says(chat, text, language_code=lang)
            await bot_api.next_call("sendMessage", chat_id=chat)
        bot_api.user_says(502, "/geen_correcties")
        await bot_api.next_call("sendMessage", chat_id=502)
        bot_api.user_says(504, "/vergeet")
        confirm = await bot_api.next_call("sendMessage", chat_id=504)
        bot_api.user_presses(504, confirm.message_id, label="Ja, wis alles")
        await bot_api.next_call("editMessageText", chat_id=504)
        told_before = {c: len(bot_api.calls("sendMessage", chat_id=c)) for c in (502, 504)}

        _, after = kb_dirs
        dry = corrections_cli(monkeypatch, capsys, settings, after, "--dry-run",
                              "--today", "2026-03-06")
        assert dry.splitlines() == [
            "allowances.ceiling, correction of 2026-03-05: 3 chat(s) received an affected "
            "revision in the last 90 days: 2 to tell, 1 opted out, 0 told already",
            "dry run: 2 message(s) would be queued",
        ]
        assert storage.pending_outbox() == []

        sent = corrections_cli(monkeypatch, capsys, settings, after, "--send",
                               "--today", "2026-03-06")
        assert sent.splitlines()[-1] == (
            "queued 2 message(s) in the outbox; the running bot sends them"
        )
        # The sender looks at the outbox at least every 30 s (rows written by another
        # process); the test kicks it instead of waiting.
        escalation.kick()
        dutch = await bot_api.next_call("sendMessage", chat_id=501)
        french = await bot_api.next_call("sendMessage", chat_id=503)
        assert (
            "Op 2 maart 2026 gaf ik je een antwoord op de vraag „Hoeveel forfaitaire "
            "onkostenvergoeding mag een vrijwilliger krijgen?\". Dat is veranderd: Het "
            "dagplafond is geïndexeerd."
        ) in dutch["text"]
        assert "<b>Het huidige antwoord:</b>" in dutch["text"]
        assert "/geen_correcties" in dutch["text"]
        assert "Le 2 mars 2026, je vous ai répondu à la question" in french["text"]
        assert "Ceci a changé : Le plafond journalier a été indexé." in french["text"]
        assert "/sans_corrections" in french["text"]
        key = "corr:allowances.ceiling:2026-03-05:{}"
        await until(lambda: all(
            (row := storage.outbox_row(key.format(chat))) is not None and row.status == "sent"
            for chat in (501, 503)
        ))
        assert {chat: len(bot_api.calls("sendMessage", chat_id=chat)) for chat in (502, 504)} == (
            told_before
        )

        again = corrections_cli(monkeypatch, capsys, settings, after, "--send",
                                "--today", "2026-03-06")
        assert "0 to tell, 1 opted out, 2 told already" in again
        assert again.splitlines()[-1].startswith("queued 0 message(s)")
        assert storage.pending_outbox() == []
        assert escalation.sender is not None and await escalation.sender.flush() == 0

        late = corrections_cli(monkeypatch, capsys, settings, after, "--dry-run",
                               "--today", "2026-06-01")  # 91 days after the answers
        assert "0 chat(s) received an affected revision" in late


async def test_a_correction_to_someone_who_blocked_the_bot_is_given_up_quietly(
    bot_api: FakeBotAPI, escalation_bot, storage, settings, kb_dirs, monkeypatch, capsys, caplog
):
    """Telegram refuses the message (403: the person blocked the bot): the row is given up,
    the log says it was a correction to a user (not a message to the staff group, no chat
    id), the staff group hears nothing, and a second --send does not queue it again."""
    async with escalation_bot() as (_app, escalation):
        bot_api.user_says(505, ASK_NL, language_code="nl")
        await bot_api.next_call("sendMessage", chat_id=505)
        await until(lambda: len(storage.answers_given([CEILING_NL], since=TODAY)) == 1)
        bot_api.fail_next("sendMessage", status=403, chat_id=505,
                          description="Forbidden: bot was blocked by the user")
        staff_before = len(bot_api.calls("sendMessage", chat_id=STAFF_CHAT_ID))

        _, after = kb_dirs
        corrections_cli(monkeypatch, capsys, settings, after, "--send", "--today", "2026-03-06")
        escalation.kick()
        key = "corr:allowances.ceiling:2026-03-05:505"
        await until(lambda: (row := storage.outbox_row(key)) is not None
                    and row.status == "blocked")

        given_up = [r.getMessage() for r in caplog.records if "given up" in r.getMessage()]
        assert given_up == ["a correction to a user was given up (blocked)"]
        assert len(bot_api.calls("sendMessage", chat_id=STAFF_CHAT_ID)) == staff_before
        again = corrections_cli(monkeypatch, capsys, settings, after, "--send",
                                "--today", "2026-03-06")
        assert again.splitlines()[-1].startswith("queued 0 message(s)")


def test_the_hourly_retention_sweep_deletes_answers_past_retention(settings, storage, assistant):
    """Answers given are kept RETENTION_DAYS (180 by default) after the day they were given,
    like tickets: the bot's retention sweep deletes older records."""
    from datetime import UTC, datetime, timedelta

    from bot.adapters.telegram.escalation import Escalation

    now = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)
    escalation = Escalation(settings, storage, assistant, clock=lambda: now)
    revision = assistant.kb.entries[CEILING_NL].revision
    storage.record_answer(601, CEILING_NL, revision, today=(now - timedelta(days=181)).date())
    storage.record_answer(602, CEILING_NL, revision, today=(now - timedelta(days=179)).date())

    escalation.maintain()

    kept = storage.answers_given([CEILING_NL], since=(now - timedelta(days=400)).date())
    assert [a.chat_id for a in kept] == [602]


def test_the_opt_out_commands_are_valid_telegram_commands_and_documented():
    """Telegram commands allow lowercase letters, digits and underscores only; the README's
    user table names both."""
    import re

    from bot.adapters.telegram.corrections import OPT_OUT

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    for name in OPT_OUT.values():
        assert re.fullmatch(r"[a-z0-9_]{1,32}", name)
    assert "| `/geen_correcties` | `/sans_corrections` |" in readme
