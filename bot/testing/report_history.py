"""A generated history for the weekly report's tests, benchmark and README picture: questions
per day (fewer at weekends), votes, and tickets whose texts carry planted personal details
(names, e-mail addresses, phone numbers, usernames, chat and user ids) that must never reach
a report. Seeded, so every run sees the same history."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from bot.reporting.records import Action, FeedbackEvent, QuestionEvent, TicketRecord

ENTRIES = {
    "nl": ["allowances.flat-rate-ceiling.nl", "allowances.car-km-rate.nl",
           "insurance.mandatory-cover.nl", "benefits-and-status.unemployment.nl",
           "information-duty.what-to-tell.nl", "liability.volunteer-fault.nl",
           "allowances.several-organisations.nl", "definition.what-is-volunteering.nl"],
    "fr": ["allowances.flat-rate-ceiling.fr", "allowances.car-km-rate.fr",
           "insurance.mandatory-cover.fr", "benefits-and-status.unemployment.fr",
           "information-duty.what-to-tell.fr", "liability.volunteer-fault.fr"],
}
TOPICS = ["allowances", "insurance", "benefits-and-status", "information-duty", "liability",
          None]
PLANTED_NAMES = ("Marie Dubois", "Jan Peeters", "Sophie Lambert", "Annemie Verstraeten")
PLANTED_FIRST_NAMES = ("Els", "Karim", "Nathalie")
PLANTED_EMAIL = "marie.dubois@example.be"
PLANTED_PHONE = "0470 12 34 56"
PLANTED_USERNAME = "@sophie_lambert"
PLANTED_CHAT_IDS = (987654321, 555000111)
STAFF_NAME = "Annemie Verstraeten"
# Questions the bundled knowledge base does not cover (checked by the report's tests), each
# with room for a planted personal detail.
UNMATCHED = {
    "nl": [
        "Hallo, ik ben {name}. Moeten we btw aanrekenen op de facturen van onze vzw?",
        "Btw op facturen voor de kermis van de vzw? Mail me op {email}",
        "Mogen we muziek draaien op ons eetfestijn zonder Sabam te betalen? Bel {phone}",
        "Sabam en billijke vergoeding voor het buurtfeest van {number} mensen?",
        "Mag onze vrijwilliger met een drone filmen tijdens het evenement? Groetjes, {first}",
        "drone vliegen bij een wandeltocht, welke vergunning? {username}",
        "Hoe vraag ik een subsidie aan bij de gemeente voor ons jeugdkamp? mijn naam is {name}",
        "subsidie gemeente jeugdkamp aanvragen voor {number} kinderen?",
    ],
    "fr": [
        "Bonjour, je m'appelle {name}. Faut-il facturer la TVA pour le souper de notre ASBL ?",
        "TVA sur les factures de l'asbl, contactez-moi au {phone}",
        "Doit-on payer la SABAM pour la musique de notre fête ? {email}",
        "Un drone pour filmer notre événement, quelle autorisation ? Merci, {first}",
    ],
}


@dataclass
class History:
    events: list[QuestionEvent] = field(default_factory=list)
    feedback: list[FeedbackEvent] = field(default_factory=list)
    tickets: list[TicketRecord] = field(default_factory=list)

    @property
    def size(self) -> int:
        return len(self.events) + len(self.feedback) + len(self.tickets)


def _text(rng: random.Random, language: str) -> str:
    return rng.choice(UNMATCHED[language]).format(
        name=rng.choice(PLANTED_NAMES), first=rng.choice(PLANTED_FIRST_NAMES),
        email=PLANTED_EMAIL, phone=PLANTED_PHONE, username=PLANTED_USERNAME,
        number=rng.randint(12, 480),
    )


def generate_history(start: date, end: date, *, now: datetime, seed: int = 14) -> History:
    """Questions from start to end (about 20 a weekday, 6 a weekend day), votes on a fifth
    of the answers (one entry is disliked), a ticket for most escalations."""
    rng = random.Random(seed)
    history = History()
    day = start
    while day <= end:
        weekday = day.weekday() < 5
        for _ in range(rng.randint(14, 26) if weekday else rng.randint(3, 9)):
            language = "nl" if rng.random() < 0.7 else "fr"
            action: Action = rng.choices(
                ("answer", "clarify", "escalate", "smalltalk"), (60, 12, 16, 12)
            )[0]
            entry = rng.choice(ENTRIES[language][: rng.randint(1, len(ENTRIES[language]))])
            topic = entry.split(".")[0] if action == "answer" else rng.choice(TOPICS)
            history.events.append(QuestionEvent(
                day, language, action, entry if action == "answer" else None, topic
            ))
            if action == "answer" and rng.random() < 0.2:
                disliked = entry.startswith("benefits-and-status")
                vote = -1 if rng.random() < (0.6 if disliked else 0.15) else 1
                history.feedback.append(FeedbackEvent(day, entry, vote))
            if action == "escalate" and rng.random() < 0.75:
                history.tickets.append(_ticket(rng, day, language, topic, now))
        day += timedelta(days=1)
    return history


def _ticket(
    rng: random.Random, day: date, language: str, topic: str | None, now: datetime
) -> TicketRecord:
    opened = datetime.combine(day, time(rng.randint(7, 21), rng.randint(0, 59)), tzinfo=UTC)
    answered: datetime | None = opened + timedelta(hours=rng.expovariate(1 / 20))
    state = "closed"
    if answered is not None and answered > now:
        answered, state = None, rng.choice(("open", "claimed"))
    elif rng.random() < 0.03:
        answered, state = None, "open"  # forgotten: an old open ticket
    return TicketRecord(
        language=language, topic=topic, state=state, opened_at=opened,
        first_answer_at=answered, question=_text(rng, language), nothing_matched=True,
    )


def fill_storage(storage: Any, history: History) -> None:
    """Write the history into a SQLite or PostgreSQL storage the way the bot would have left
    it, with chat ids, user ids and a staff member's name on the tickets (which the report
    must not show). Tickets are inserted directly: thousands of them through the desk would
    only test the desk."""
    for event in history.events:
        storage.record_question(
            day=event.day, language=event.language, action=event.action,
            entry_id=event.entry_id, topic=event.topic,
        )
    for n, vote in enumerate(history.feedback):
        storage.record_feedback(
            vote.entry_id, 1 if vote.vote > 0 else -1, today=vote.day, ballot=f"history-{n}"
        )
    for i, ticket in enumerate(history.tickets):
        storage._db.execute(
            "INSERT INTO tickets (number, chat_id, user_id, language, topic, state, question, "
            "claimed_by, claimed_name, created_at, opened_at, first_answer_at, "
            "last_activity_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                i + 1, PLANTED_CHAT_IDS[i % 2], PLANTED_CHAT_IDS[i % 2], ticket.language,
                ticket.topic, ticket.state, ticket.question, 7001, STAFF_NAME,
                ticket.opened_at.isoformat(), ticket.opened_at.isoformat(),
                ticket.first_answer_at.isoformat() if ticket.first_answer_at else None,
                (ticket.first_answer_at or ticket.opened_at).isoformat(),
            ),
        )
