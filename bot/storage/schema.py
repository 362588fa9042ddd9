"""Ordered schema migrations. Never edit a shipped step: append a new one.

The database's `PRAGMA user_version` is the number of steps already applied, so starting the
bot on an old file applies exactly the missing steps, in order, in one transaction each.
"""

from __future__ import annotations

MIGRATIONS: tuple[str, ...] = (
    # 1: per-chat preferences (only the chosen language for now).
    """
    CREATE TABLE chat_prefs (
        chat_id     INTEGER PRIMARY KEY,
        language    TEXT NOT NULL CHECK (language IN ('nl', 'fr')),
        updated_on  TEXT NOT NULL
    );
    """,
    # 2: anonymous answer feedback: which entry, which vote, which day. No chat or user id,
    # so it needs no erasure and can be kept to improve the knowledge base.
    """
    CREATE TABLE answer_feedback (
        id        INTEGER PRIMARY KEY AUTOINCREMENT,
        entry_id  TEXT NOT NULL,
        vote      INTEGER NOT NULL CHECK (vote IN (1, -1)),
        day       TEXT NOT NULL
    );
    CREATE INDEX answer_feedback_entry ON answer_feedback (entry_id);
    """,
    # 3: escalation tickets. Content columns (chat_id, user_id, question) become NULL when a
    # ticket is anonymised (erasure or retention); the rest stays as an anonymous count.
    # `number` is what users and staff see ("ticket #N"), given on confirmation; `source_key`
    # names the Telegram update or message that created the ticket, so a replay finds it.
    """
    CREATE TABLE tickets (
        id                INTEGER PRIMARY KEY AUTOINCREMENT,
        number            INTEGER UNIQUE,
        chat_id           INTEGER,
        user_id           INTEGER,
        language          TEXT NOT NULL CHECK (language IN ('nl', 'fr')),
        topic             TEXT,
        state             TEXT NOT NULL,
        question          TEXT,
        candidates        TEXT NOT NULL DEFAULT '[]',
        source_key        TEXT UNIQUE,
        claimed_by        INTEGER,
        claimed_name      TEXT NOT NULL DEFAULT '',
        created_at        TEXT NOT NULL,
        opened_at         TEXT,
        first_answer_at   TEXT,
        last_activity_at  TEXT NOT NULL,
        anonymised_at     TEXT
    );
    CREATE INDEX tickets_chat ON tickets (chat_id, state);
    CREATE INDEX tickets_state ON tickets (state);
    """,
    # 4: everything said on a ticket, both directions. `source_key` (the Telegram message it
    # came from) is unique, so a replayed update cannot add an addition or relay twice.
    """
    CREATE TABLE ticket_messages (
        id           INTEGER PRIMARY KEY AUTOINCREMENT,
        ticket_id    INTEGER NOT NULL REFERENCES tickets (id),
        direction    TEXT NOT NULL CHECK (direction IN ('in', 'out')),
        kind         TEXT NOT NULL,
        text         TEXT,
        author_id    INTEGER,
        author_name  TEXT NOT NULL DEFAULT '',
        source_key   TEXT UNIQUE,
        created_at   TEXT NOT NULL
    );
    CREATE INDEX ticket_messages_ticket ON ticket_messages (ticket_id);
    """,
    # 5: the outbox. Rows are written in the same transaction as the state change they
    # announce; `key` is the idempotency key. `payload` (JSON) holds the text until it is sent
    # and a week more, then only the key and the outcome remain.
    """
    CREATE TABLE outbox (
        id               INTEGER PRIMARY KEY AUTOINCREMENT,
        key              TEXT NOT NULL UNIQUE,
        target           TEXT NOT NULL CHECK (target IN ('user', 'staff')),
        chat_id          INTEGER NOT NULL,
        method           TEXT NOT NULL,
        payload          TEXT NOT NULL,
        ticket_id        INTEGER REFERENCES tickets (id),
        status           TEXT NOT NULL DEFAULT 'pending',
        attempts         INTEGER NOT NULL DEFAULT 0,
        next_attempt_at  TEXT,
        created_at       TEXT NOT NULL,
        sent_at          TEXT,
        last_error       TEXT NOT NULL DEFAULT '',
        sent_message_id  INTEGER
    );
    CREATE INDEX outbox_pending ON outbox (status);
    CREATE INDEX outbox_sent_message ON outbox (chat_id, sent_message_id);
    """,
    # 6: the durable inbox: each update is written here before it is handled and marked when
    # handling ends; unhandled rows are replayed at start. `raw` is cleared once handled.
    """
    CREATE TABLE inbox (
        update_id    INTEGER PRIMARY KEY,
        chat_id      INTEGER,
        raw          TEXT,
        received_at  TEXT NOT NULL,
        handled_at   TEXT
    );
    CREATE INDEX inbox_unhandled ON inbox (handled_at);
    """,
    # 7: the knowledge loop, /stats counts and small persistent values (the staff chat id
    # after a migration to a supergroup). Votes on relayed staff answers have their own table,
    # as anonymous as answer_feedback (no chat, no user, no ticket).
    """
    CREATE TABLE drafts (
        ticket_id   INTEGER PRIMARY KEY REFERENCES tickets (id),
        number      INTEGER NOT NULL,
        language    TEXT NOT NULL,
        question    TEXT NOT NULL,
        answer      TEXT NOT NULL,
        topic       TEXT,
        created_on  TEXT NOT NULL
    );
    CREATE TABLE assistant_answers (
        day       TEXT NOT NULL,
        language  TEXT NOT NULL,
        count     INTEGER NOT NULL,
        PRIMARY KEY (day, language)
    );
    CREATE TABLE staff_answer_feedback (
        id    INTEGER PRIMARY KEY AUTOINCREMENT,
        vote  INTEGER NOT NULL CHECK (vote IN (1, -1)),
        day   TEXT NOT NULL
    );
    CREATE TABLE kv (
        key    TEXT PRIMARY KEY,
        value  TEXT NOT NULL
    );
    """,
    # 8: outbox leases, so that several replicas on one PostgreSQL never send the same row
    # and a crashed replica's rows are taken over once its lease expires (SQLite has one
    # process and leaves them empty).
    """
    ALTER TABLE outbox ADD COLUMN lease_owner TEXT;
    ALTER TABLE outbox ADD COLUMN lease_until TEXT;
    """,
    # 9: corrections that reach people (issue 14, section 3). For each answer the assistant
    # gave in a private chat: the chat, the entry, the entry's revision and the day, nothing
    # else (no question, no user); deleted after RETENTION_DAYS and by /vergeet. The chats
    # that asked for no corrections (/geen_correcties, /sans_corrections).
    """
    CREATE TABLE answers_given (
        chat_id   INTEGER NOT NULL,
        entry_id  TEXT NOT NULL,
        revision  TEXT NOT NULL,
        day       TEXT NOT NULL,
        PRIMARY KEY (chat_id, entry_id, revision, day)
    );
    CREATE INDEX answers_given_entry ON answers_given (entry_id, day);
    CREATE INDEX answers_given_day ON answers_given (day);
    CREATE TABLE correction_optouts (
        chat_id  INTEGER PRIMARY KEY,
        since    TEXT NOT NULL
    );
    """,
    # 10: complaints (/klacht, /plainte), kept apart from tickets so that nothing built on
    # tickets (/promote, drafts, reports, /stats) can ever read them. Text columns (what,
    # organisation, reach) and the ids become NULL when the complaint is withdrawn, erased
    # (/vergeet) or past COMPLAINT_RETENTION_DAYS; `source_key` names the preview it was sent
    # from, so a double press or a replayed update creates one complaint. Their messages go
    # through the outbox with keys "k<id>:..." and no ticket_id.
    """
    CREATE TABLE complaints (
        id                INTEGER PRIMARY KEY AUTOINCREMENT,
        chat_id           INTEGER,
        user_id           INTEGER,
        language          TEXT NOT NULL CHECK (language IN ('nl', 'fr')),
        state             TEXT NOT NULL,
        what              TEXT,
        organisation      TEXT,
        contact_org       TEXT NOT NULL CHECK (contact_org IN ('yes', 'no', 'anonymous')),
        reach             TEXT,
        source_key        TEXT UNIQUE,
        claimed_by        INTEGER,
        claimed_name      TEXT NOT NULL DEFAULT '',
        created_at        TEXT NOT NULL,
        claimed_at        TEXT,
        last_activity_at  TEXT NOT NULL,
        erased_at         TEXT,
        erased_why        TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX complaints_chat ON complaints (chat_id);
    """,
    # 11: one vote per person per answer (issue 12 #8). A vote carries its ballot, a keyed
    # hash of who voted on what (bot/escalation/ballots.py): still no chat or user id, but
    # a second press finds the first. Older votes have none and stay as they were counted.
    """
    ALTER TABLE answer_feedback ADD COLUMN ballot TEXT;
    CREATE UNIQUE INDEX answer_feedback_ballot ON answer_feedback (ballot);
    ALTER TABLE staff_answer_feedback ADD COLUMN ballot TEXT;
    CREATE UNIQUE INDEX staff_answer_feedback_ballot ON staff_answer_feedback (ballot);
    """,
    # 12: an anonymous record of each question the bot handled, for the weekly report: the
    # day, language, what the core did, the entry it answered with and its topic. No chat,
    # no user, no text, so it needs no erasure and outlives ticket retention.
    """
    CREATE TABLE question_events (
        id        INTEGER PRIMARY KEY AUTOINCREMENT,
        day       TEXT NOT NULL,
        language  TEXT NOT NULL,
        action    TEXT NOT NULL
                  CHECK (action IN ('answer', 'clarify', 'escalate', 'smalltalk')),
        entry_id  TEXT,
        topic     TEXT
    );
    CREATE INDEX question_events_day ON question_events (day);
    """,
    # 13: the audit trail (issue 14, section 4): every staff action on a ticket (claim, reply,
    # suggest, out_of_scope, close, promote, reopen, correct) with the staff member's id,
    # first name and time. `source_key` names the update that caused it, so a replay records
    # nothing twice. Anonymising the ticket empties staff_id, staff_name and source_key: the
    # action and its time stay as an anonymous count.
    """
    CREATE TABLE ticket_events (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        ticket_id   INTEGER NOT NULL REFERENCES tickets (id),
        action      TEXT NOT NULL,
        staff_id    INTEGER,
        staff_name  TEXT NOT NULL DEFAULT '',
        source_key  TEXT UNIQUE,
        at          TEXT NOT NULL
    );
    CREATE INDEX ticket_events_ticket ON ticket_events (ticket_id);
    """,
)
