"""An answer whose neighbours are nearly as close offers them as buttons: real questions are
broader or worded otherwise than the entries, and the right entry is then often second."""

from __future__ import annotations

from bot.core.assistant import ALTERNATIVE_SHARE, MAX_ALTERNATIVES, plain_text


def test_an_answer_with_close_neighbours_offers_them(assistant, today):
    """A jobseeker asking about 'the C45B' may mean the first form or the new one after a
    change: the answer is one of them, the other is one tap away."""
    reply = assistant.ask("moet ik een C45B invullen als ik werkloos ben", today=today)
    assert reply.action == "answer"
    offered = [c.entry_id for c in reply.related]
    assert reply.alternatives and reply.entry_id not in offered
    assert {reply.entry_id, *offered} >= {
        "benefits-and-status.unemployed-c45b.nl", "benefits-and-status.new-c45b-on-change.nl"
    }
    assert "Bedoel je iets anders?" in plain_text(reply)


def test_alternatives_are_few_and_nearly_as_close(assistant, today):
    # (Not "dommage volontaire qui paie": its overview and the entry on who pays are tied, and
    # that broad question now gets the overview, which lists its entries instead.)
    reply = assistant.ask("assurance accident volontaire", today=today)
    route = assistant.route("assurance accident volontaire", today=today)
    assert route.search is not None
    scores = {r.entry.id: r.score for r in route.search.ranked}
    assert reply.alternatives and 0 < len(reply.related) <= MAX_ALTERNATIVES
    assert all(
        scores[c.entry_id] >= ALTERNATIVE_SHARE * scores[str(reply.entry_id)]
        for c in reply.related
    )
    assert "Ce n'est pas tout à fait votre question ?" in plain_text(reply)


def test_a_clear_answer_offers_no_alternatives(assistant, today):
    reply = assistant.ask("mag een asielzoeker vrijwilliger zijn", today=today)
    assert reply.entry_id == "benefits-and-status.asylum-seekers.nl"
    assert not reply.alternatives and reply.related == ()
    assert "Bedoel je iets anders?" not in plain_text(reply)


def test_an_overview_offers_its_own_entries_not_alternatives(assistant, today):
    reply = assistant.ask("wie is aansprakelijk bij schade", today=today)
    assert reply.entry_id == "liability.overview.nl"
    assert not reply.alternatives
    assert "liability.who-pays-damage.nl" in [c.entry_id for c in reply.related]
    assert "Bedoel je iets anders?" not in plain_text(reply)


def test_an_answer_chosen_by_button_offers_no_alternatives(assistant, today):
    """A button press names the entry: there is nothing to be unsure about."""
    reply = assistant.answer_entry("benefits-and-status.unemployed-c45b.nl", today=today)
    assert not reply.alternatives and reply.related == ()
