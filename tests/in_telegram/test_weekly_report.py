"""The weekly report reaches the staff group by itself: the main chart as a photo, a
five-line summary and the HTML page as a document, through the real Application's JobQueue
and the outbox, once per week, naming nobody."""

from __future__ import annotations

import re
from datetime import time, timedelta

import pytest

from bot.adapters.telegram.weekly_report import JOB_NAME, WeeklyReport
from bot.clock import BRUSSELS
from bot.testing.report_history import (
    PLANTED_CHAT_IDS,
    PLANTED_EMAIL,
    PLANTED_FIRST_NAMES,
    PLANTED_NAMES,
    PLANTED_PHONE,
    STAFF_NAME,
    fill_storage,
    generate_history,
)
from tests.in_telegram.conftest import STAFF_CHAT_ID, make_settings, until


@pytest.fixture
def settings(bot_api, tmp_path):
    return make_settings(bot_api, tmp_path, REPORT_WEEKDAY="mon", REPORT_TIME="08:30")


def history_in(storage, clock):
    now = clock()
    history = generate_history(now.date() - timedelta(days=40), now.date(), now=now)
    fill_storage(storage, history)
    return history


async def run_weekly_job(app):
    """What the scheduler does on Monday at 08:30, now: the job ptb scheduled, run by ptb."""
    [job] = app.job_queue.get_jobs_by_name(JOB_NAME)
    await job.run(app)
    return job


async def test_the_weekly_post_brings_chart_summary_and_page_to_the_staff_group(
    bot_api, escalation_bot, settings, assistant, storage, clock
):
    history = history_in(storage, clock)
    weekly = WeeklyReport(settings, assistant, clock=clock)
    async with escalation_bot(plugins=[weekly.plugin]) as (app, _):
        job = await run_weekly_job(app)
        photo = await bot_api.next_call("sendPhoto", chat_id=STAFF_CHAT_ID, timeout=30)
        summary = await bot_api.next_call("sendMessage", chat_id=STAFF_CHAT_ID, timeout=10)
        document = await bot_api.next_call("sendDocument", chat_id=STAFF_CHAT_ID, timeout=10)

    # Scheduled every Monday at 08:30 in Brussels.
    next_run = job.next_t.astimezone(BRUSSELS)
    assert next_run.weekday() == 0 and next_run.time() == time(8, 30)

    assert photo["photo"]["data"].startswith(b"\x89PNG")
    assert photo.result["caption"].startswith("Weekoverzicht van de vrijwilligersassistent")
    end = clock().astimezone(BRUSSELS).date() - timedelta(days=1)
    start = end - timedelta(days=6)
    asked = sum(1 for e in history.events if start <= e.day <= end)
    lines = summary.result["text"].splitlines()
    assert lines[0] == "Weekoverzicht van de vrijwilligersassistent"
    assert len(lines) == 7 and all(line.startswith("• ") for line in lines[2:])
    assert lines[2].startswith(f"• {asked} vragen")
    assert lines[3].startswith("• Zonder medewerker beantwoord: ")

    page = document["document"]
    assert page["filename"] == f"report-{start.isoformat()}-{end.isoformat()}.html"
    html = page["data"].decode("utf-8")
    assert html.startswith("<!DOCTYPE html>") and "Kandidaat-nieuwe vragen" in html
    text = re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "", html)
    everything = text + summary.result["text"] + photo.result["caption"]
    for planted in (*PLANTED_NAMES, *PLANTED_FIRST_NAMES, STAFF_NAME, PLANTED_EMAIL,
                    PLANTED_PHONE, *map(str, PLANTED_CHAT_IDS)):
        assert planted not in everything, planted


async def test_the_week_is_posted_once_however_often_the_job_runs(
    bot_api, escalation_bot, settings, assistant, storage, clock
):
    history_in(storage, clock)
    weekly = WeeklyReport(settings, assistant, clock=clock)
    async with escalation_bot(plugins=[weekly.plugin]) as (app, _):
        await run_weekly_job(app)
        await bot_api.next_call("sendDocument", chat_id=STAFF_CHAT_ID, timeout=30)
        await until(lambda: not any(r.key.startswith("report:")
                                    for r in storage.pending_outbox()))
        await run_weekly_job(app)  # a second run, as after a restart or on a second replica
        assert not any(r.key.startswith("report:") for r in storage.pending_outbox())
    assert len(bot_api.calls("sendPhoto")) == 1 and len(bot_api.calls("sendDocument")) == 1


async def test_an_upload_refused_by_flood_control_is_sent_again(
    bot_api, escalation_bot, settings, assistant, storage, clock
):
    history_in(storage, clock)
    bot_api.fail_next("sendPhoto", status=429, retry_after=1)
    weekly = WeeklyReport(settings, assistant, clock=clock)
    async with escalation_bot(plugins=[weekly.plugin]) as (app, _):
        await run_weekly_job(app)
        photo = await bot_api.next_call("sendPhoto", chat_id=STAFF_CHAT_ID, timeout=30)
        await bot_api.next_call("sendDocument", chat_id=STAFF_CHAT_ID, timeout=30)
    assert [a.status for a in bot_api.attempts("sendPhoto")] == [429, 200]
    assert photo["photo"]["data"].startswith(b"\x89PNG")


async def test_a_bilingual_staff_gets_the_summary_in_both_languages(
    bot_api, escalation_bot, tmp_path, assistant, storage, clock
):
    settings = make_settings(bot_api, tmp_path, REPORT_WEEKDAY="1", STAFF_LANGUAGE="nl+fr")
    history_in(storage, clock)
    weekly = WeeklyReport(settings, assistant, clock=clock)
    async with escalation_bot(plugins=[weekly.plugin]) as (app, _):
        await run_weekly_job(app)
        summary = await bot_api.next_call("sendMessage", chat_id=STAFF_CHAT_ID, timeout=30)
    text = summary.result["text"]
    assert "Zonder medewerker beantwoord" in text and "Répondu sans l'équipe" in text


async def test_without_report_weekday_nothing_is_scheduled(
    bot_api, escalation_bot, tmp_path, assistant, clock
):
    settings = make_settings(bot_api, tmp_path)
    weekly = WeeklyReport(settings, assistant, clock=clock)
    async with escalation_bot(plugins=[weekly.plugin]) as (app, _):
        assert app.job_queue.get_jobs_by_name(JOB_NAME) == ()


def test_report_day_and_time_are_checked_with_the_other_settings(bot_api, tmp_path):
    from bot.settings import SettingsError

    with pytest.raises(SettingsError) as error:
        make_settings(bot_api, tmp_path, REPORT_WEEKDAY="maandag", REPORT_TIME="8u")
    assert error.value.problems == [
        "REPORT_WEEKDAY has value 'maandag': use mon, tue, wed, thu, fri, sat or sun "
        "(or 1-7, 1 = Monday).",
        "REPORT_TIME has value '8u': use HH:MM (24 hours), e.g. 08:00.",
    ]
    assert make_settings(bot_api, tmp_path, REPORT_WEEKDAY="Sun").report_weekday == 6
    assert make_settings(bot_api, tmp_path, REPORT_WEEKDAY="1").report_weekday == 0


async def test_the_fake_bot_api_checks_uploads_as_telegram_does(bot_api):
    """Photos must be images, captions at most 1,024 characters; the upload is kept."""
    from telegram import Bot
    from telegram.error import BadRequest

    from bot.testing.fake_bot_api import TOKEN

    async with Bot(TOKEN, base_url=bot_api.base_url) as bot:
        with pytest.raises(BadRequest, match=r"(?i)image_process_failed"):
            await bot.send_photo(STAFF_CHAT_ID, b"<html>not a picture</html>", filename="x.png")
        with pytest.raises(BadRequest, match="caption is too long"):
            await bot.send_document(STAFF_CHAT_ID, b"data", filename="a.txt", caption="x" * 1025)
        sent = await bot.send_document(STAFF_CHAT_ID, b"<p>hi</p>", filename="page.html",
                                       caption="<b>Week</b>", parse_mode="HTML")
    assert sent.document.file_name == "page.html" and sent.caption == "Week"
    upload = bot_api.calls("sendDocument")[-1]["document"]
    assert upload["data"] == b"<p>hi</p>" and upload["filename"] == "page.html"


async def test_escalated_questions_are_quoted_anonymised_and_only_within_retention(
    bot_api, escalation_bot, settings, assistant, storage, clock
):
    """Two people ask what the base cannot answer and send it to the staff: the page lists
    it as a candidate new entry, anonymised (no name, no phone). After RETENTION_DAYS the
    sweep empties the tickets: the same period's page still counts them, quoting nothing."""
    from bot.adapters.report.collect import collect
    from bot.adapters.report.page import render_html
    from tests.in_telegram.test_escalation_round_trip import escalate_and_confirm

    asked = ("Ik ben Jan Peeters: hoe vraag ik een nieuw paspoort aan? Bel 0499 12 34 56",
             "Waar kan ik een paspoort aanvragen voor mijn dochter?")
    async with escalation_bot() as (_app, escalation):
        for chat, question in zip((4101, 4102), asked, strict=True):
            await escalate_and_confirm(bot_api, chat, question)
        day = clock().astimezone(BRUSSELS).date()

        def page() -> str:
            report = collect(storage, assistant, start=day, end=day, now=clock())
            html = render_html(report, "nl")
            return re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "", html)

        within = page()
        assert "paspoort" in within and "Kandidaat-nieuwe vragen" in within
        for personal in ("Jan", "Peeters", "0499", "4101", "4102"):
            assert personal not in within, personal

        clock.shift = timedelta(days=181)
        assert sorted(escalation.maintain()) == [1, 2]
        after = page()
    assert "paspoort" not in after and "dochter" not in after
    counted = collect(storage, assistant, start=day, end=day, now=clock())
    assert sum(n for _, n in counted.escalations_by_topic) == 2  # the tickets still count


async def test_a_french_staff_group_gets_the_week_in_french(
    bot_api, escalation_bot, tmp_path, assistant, storage, clock
):
    settings = make_settings(bot_api, tmp_path, REPORT_WEEKDAY="mon", STAFF_LANGUAGE="fr")
    history_in(storage, clock)
    weekly = WeeklyReport(settings, assistant, clock=clock)
    async with escalation_bot(plugins=[weekly.plugin]) as (app, _):
        await run_weekly_job(app)
        photo = await bot_api.next_call("sendPhoto", chat_id=STAFF_CHAT_ID, timeout=30)
        summary = await bot_api.next_call("sendMessage", chat_id=STAFF_CHAT_ID, timeout=10)
        document = await bot_api.next_call("sendDocument", chat_id=STAFF_CHAT_ID, timeout=10)
    title = "Aperçu hebdomadaire de l'assistant du volontariat"
    assert photo.result["caption"].startswith(title)
    assert summary.result["text"].startswith(title) and "Zonder medewerker" not in (
        summary.result["text"])
    assert '<html lang="fr">' in document["document"]["data"].decode("utf-8")
