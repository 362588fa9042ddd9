"""One vote per person per answer (issue 12 #8): a ballot counts once, a changed vote replaces
the earlier one, a ticket never answered cannot be rated, and /stats counts what remains."""

from datetime import UTC, date, datetime

import pytest
from test_desk import ANNA, STAFF_CHAT, Clock, Core, opened, say

from bot.escalation.ballots import Voted, ballot, ballot_secret, voted
from bot.escalation.desk import Desk
from bot.escalation.stats import report
from tests.storage_backends import BACKENDS, backend_url, open_url

DAY = date(2026, 3, 2)
SECRET = ballot_secret("123:token")


@pytest.fixture(params=BACKENDS)
def db(request, tmp_path):
    with backend_url(request.param, tmp_path) as url:
        storage = open_url(url)
        yield storage
        storage.close()


def test_the_same_vote_cast_fifty_times_counts_once(db):
    key = ballot(SECRET, "answer", 42, 42, 7)
    outcomes = [db.record_feedback("insurance.car.nl", 1, today=DAY, ballot=key)
                for _ in range(50)]
    assert outcomes == ["new"] + ["same"] * 49
    [count] = db.feedback()
    assert (count.up, count.down) == (1, 0)


def test_a_changed_vote_replaces_the_earlier_one(db):
    key = ballot(SECRET, "answer", 42, 42, 7)
    db.record_feedback("insurance.car.nl", 1, today=DAY, ballot=key)
    assert db.record_feedback("insurance.car.nl", -1, today=DAY, ballot=key) == "changed"
    [count] = db.feedback()
    assert (count.up, count.down) == (0, 1)


def test_other_people_and_other_answers_count_separately(db):
    for user, message in ((42, 7), (43, 7), (42, 8)):
        db.record_feedback("insurance.car.nl", 1, today=DAY,
                           ballot=ballot(SECRET, "answer", user, 42, message))
    assert db.feedback()[0].up == 3


def test_staff_answer_votes_count_once_per_ballot_too(db):
    key = ballot(SECRET, "ticket", 42, 3)
    for _ in range(50):
        db.record_staff_feedback(1, today=DAY, ballot=key)
    db.record_staff_feedback(-1, today=DAY, ballot=ballot(SECRET, "ticket", 43, 3))
    staff = [v for v in db.votes() if v.by_staff]
    assert sorted(v.vote for v in staff) == [-1, 1]


def test_a_ballot_names_nobody():
    """The stored key holds neither the user nor the message, and needs the key to remake."""
    key = ballot(SECRET, "answer", 123456789, 42, 7)
    assert "123456789" not in key and len(key) == 64
    assert key != ballot(ballot_secret("another:token"), "answer", 123456789, 42, 7)
    assert key != ballot(SECRET, "answer", 123456789, 42, 8)


@pytest.fixture
def desk(tmp_path):
    from bot.storage.sqlite import SQLiteStorage

    storage = SQLiteStorage(tmp_path / "bot.sqlite3")
    yield Desk(storage, Core(), say, clock=Clock(), today=lambda: DAY,
               split=lambda text: [text], configured_staff_chat=STAFF_CHAT)
    storage.close()


def test_a_ticket_never_answered_cannot_be_rated(desk):
    ticket = opened(desk)
    done = desk.vote(ticket, up=True, ballot=ballot(SECRET, "ticket", 42, ticket.id))
    assert not done.ok and done.text.startswith("nl/esc_vote_unanswered")
    assert desk.storage.votes() == []


def test_stats_count_one_vote_per_person(desk):
    ticket = opened(desk)
    desk.reply(ANNA, ticket, "Ja.", STAFF_CHAT, 50)
    answered = desk.storage.ticket(ticket.id)
    key = ballot(SECRET, "ticket", 42, ticket.id)
    answers = [desk.vote(answered, up=True, ballot=key) for _ in range(50)]
    assert answers[0].text.startswith("nl/tg_thanks_vote")
    assert all(not a.ok and a.text is None for a in answers[1:])  # no change, no thanks
    desk.vote(answered, up=False, ballot=ballot(SECRET, "ticket", 43, ticket.id))
    week = report(datetime(2026, 3, 2, 12, tzinfo=UTC), [], [], desk.storage.votes())[0]
    assert (week.up, week.down) == (1, 1)


def test_a_thumbs_up_is_thanked_and_a_thumbs_down_offers_alternatives_once():
    """The thumbs go after a counted vote; the same vote again says and changes nothing."""
    assert voted(True, "new") == Voted(thanks=True, counted=True, alternatives=False)
    assert voted(False, "changed") == Voted(thanks=False, counted=True, alternatives=True)
    assert voted(True, "same") == voted(False, "same") == Voted(False, False, False)
