"""The weekly picture's numbers, from plain records: what was asked, what the bot did, how
fast the staff answered, what is still open and which questions lack an entry."""

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.reporting.build import build_report
from bot.reporting.candidates import Question, group_candidates
from bot.reporting.records import FeedbackEvent, QuestionEvent, TicketRecord
from bot.reporting.summary import summary_lines
from bot.reporting.workdays import percentile, working_days
from bot.testing.report_history import (
    PLANTED_EMAIL,
    PLANTED_FIRST_NAMES,
    PLANTED_NAMES,
    PLANTED_PHONE,
    PLANTED_USERNAME,
    generate_history,
)

MON, SUN = date(2026, 11, 23), date(2026, 11, 29)
NOW = datetime(2026, 11, 30, 8, tzinfo=UTC)


def ev(day, action, language="nl", entry=None, topic=None):
    return QuestionEvent(day, language, action, entry, topic)


def ticket(opened, answered=None, *, state="closed", question="", topic=None, matched=False):
    return TicketRecord("nl", topic, state, opened, answered, question, nothing_matched=matched)


def test_questions_are_counted_per_day_by_action_and_language():
    events = [ev(MON, "answer", entry="a.nl"), ev(MON, "escalate", "fr"),
              ev(MON + timedelta(days=2), "smalltalk"), ev(SUN + timedelta(days=1), "answer")]
    report = build_report(events, [], [], start=MON, end=SUN, now=NOW)
    assert [d.day for d in report.days] == [MON + timedelta(days=i) for i in range(7)]
    assert report.days[0].by_action == {"answer": 1, "clarify": 0, "escalate": 1,
                                        "smalltalk": 0}
    assert report.days[0].by_language == {"fr": 1, "nl": 1}
    assert report.days[1].total == 0 and report.days[2].by_action["smalltalk"] == 1
    assert report.questions == 3  # the Monday after the period is not in it


def test_share_answered_without_staff_leaves_small_talk_out():
    events = [ev(MON, "answer")] * 6 + [ev(MON, "clarify")] * 2 + [ev(MON, "escalate")] * 2 \
        + [ev(MON, "smalltalk")] * 5
    report = build_report(events, [], [], start=MON, end=SUN, now=NOW)
    assert report.answered_without_staff == pytest.approx(0.8)
    assert build_report([], [], [], start=MON, end=SUN, now=NOW).answered_without_staff is None


def test_entries_answered_most_and_those_with_most_thumbs_down():
    events = [ev(MON, "answer", entry="a.nl")] * 3 + [ev(MON, "answer", entry="b.nl")] * 5
    votes = [FeedbackEvent(MON, "a.nl", -1)] * 2 + [FeedbackEvent(MON, "b.nl", -1),
             FeedbackEvent(MON, "b.nl", 1), FeedbackEvent(MON, "c.nl", 1),
             FeedbackEvent(SUN + timedelta(days=3), "c.nl", -1)]
    report = build_report(events, votes, [], start=MON, end=SUN, now=NOW)
    assert report.top_answered == (("b.nl", 5), ("a.nl", 3))
    assert [(v.entry_id, v.down, v.up) for v in report.most_down] == [
        ("a.nl", 2, 0), ("b.nl", 1, 1)]  # c.nl's 👎 came after the period


def test_a_weekend_does_not_count_as_waiting_time():
    friday_afternoon = datetime(2026, 11, 27, 16, tzinfo=UTC)
    assert working_days(friday_afternoon, datetime(2026, 11, 30, 10, tzinfo=UTC)) == 0.75
    assert working_days(datetime(2026, 11, 28, 9, tzinfo=UTC),
                        datetime(2026, 11, 29, 20, tzinfo=UTC)) == 0


def test_time_to_first_staff_answer_median_and_p90_in_working_days():
    opened = datetime(2026, 11, 23, 9, tzinfo=UTC)  # a Monday
    tickets = [ticket(opened, opened + timedelta(hours=h)) for h in (6, 12, 24, 48, 96)]
    tickets.append(ticket(opened, None, state="open"))
    report = build_report([], [], tickets, start=MON, end=SUN, now=NOW)
    assert report.tickets_opened == 6 and report.waiting == 1
    assert report.wait_median == pytest.approx(1.0)
    assert report.wait_p90 == pytest.approx(4.0)
    assert percentile([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0], 0.9) == 9.0


def test_open_tickets_are_grouped_by_age_in_working_days():
    tickets = [
        ticket(datetime(2026, 11, 30, 7, tzinfo=UTC), state="open"),  # an hour old
        ticket(datetime(2026, 11, 26, 8, tzinfo=UTC), state="claimed"),  # Thu: 2 working days
        ticket(datetime(2026, 10, 1, 8, tzinfo=UTC), state="answered"),  # 1 Oct: 42 working days
        ticket(datetime(2026, 10, 1, 8, tzinfo=UTC), state="closed"),
    ]
    report = build_report([], [], tickets, start=MON, end=SUN, now=NOW)
    assert report.open_by_age == (("< 1", 1), ("1-2", 0), ("2-5", 1), ("> 5", 1))
    assert report.open_tickets == 3 and report.oldest_open == pytest.approx(42.0)


def test_escalations_by_topic_count_tickets_opened_in_the_period():
    at = datetime(2026, 11, 24, 10, tzinfo=UTC)
    tickets = [ticket(at, topic="insurance"), ticket(at, topic="insurance"), ticket(at),
               ticket(at - timedelta(days=30), topic="allowances")]
    report = build_report([], [], tickets, start=MON, end=SUN, now=NOW)
    assert report.escalations_by_topic == (("insurance", 2), ("?", 1))


def test_unmatched_questions_are_grouped_by_shared_key_terms():
    at = datetime(2026, 11, 24, 10, tzinfo=UTC)
    texts = ["Moeten we btw aanrekenen op de facturen van onze vzw?",
             "Btw op facturen voor de kermis, mail jan@example.be",
             "btw-plicht en facturatie voor vrijwilligers",
             "Mag een vrijwilliger met een drone filmen?",
             "drone vliegen tijdens de wandeltocht?",
             "iets totaal anders"]
    tickets = [ticket(at, question=t, matched=True) for t in texts]
    tickets.append(ticket(at, question="Hoeveel is de dagvergoeding?", matched=False))
    report = build_report([], [], tickets, start=MON, end=SUN, now=NOW)
    groups = [(c.terms[0], c.count) for c in report.candidates if c.count > 1]
    assert groups == [("btw", 3), ("drone", 2)]
    btw = report.candidates[0]
    assert "facturen" in btw.terms  # shared by most of the group, so part of its label
    assert any("[e-mail]" in example for example in btw.examples)
    singles = [c.examples for c in report.candidates if c.count == 1]
    assert singles == [("iets totaal anders",)]  # a matched question is no candidate


def test_stems_join_singular_and_plural_and_generic_words_never_form_a_group():
    groups = group_candidates([
        Question("nl", "vrijwilliger vergoeding brandweer"),
        Question("nl", "vrijwilligers en vergoedingen"),
        Question("nl", "vrijwilliger in het buitenland"),
    ])
    assert [(c.terms, c.count) for c in groups if c.count > 1] == [(("vergoeding",), 2)]


def test_a_year_of_generated_history_adds_up_and_names_nobody():
    start, end = date(2025, 12, 1), date(2026, 11, 29)
    history = generate_history(start, end, now=NOW)
    assert history.size > 5000
    report = build_report(history.events, history.feedback, history.tickets,
                          start=start, end=end, now=NOW)
    assert report.questions == len(history.events)
    assert sum(d.total for d in report.days) == report.questions
    assert report.tickets_opened == len(history.tickets)
    assert sum(n for _, n in report.escalations_by_topic) == report.tickets_opened
    assert len(report.waits) + report.waiting == report.tickets_opened
    assert report.wait_median is not None and report.wait_p90 >= report.wait_median
    assert sum(c.count for c in report.candidates if c.count > 1) > len(history.tickets) * 0.9
    shown = " ".join(e for c in report.candidates for e in c.examples)
    for planted in (*PLANTED_NAMES, *PLANTED_FIRST_NAMES, PLANTED_EMAIL, PLANTED_PHONE,
                    PLANTED_USERNAME):
        for part in planted.split():
            assert part not in shown, planted
    lines = summary_lines(report, "nl")
    assert len(lines) == 5 and lines[1] == "Zonder medewerker beantwoord: " \
        f"{round(report.answered_without_staff * 100)}%"
