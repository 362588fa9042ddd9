"""The escalation desk: every use case of the ticket workflow, with no Telegram in sight.

Each use case reads the ticket, asks the ONE transition table (`tickets.next_state`) whether
the action is allowed from the state it found, and commits the change with its outbox rows in
one compare-and-set `Change` (so a double click, a stale button or a replayed update changes
nothing). What it returns is what the adapter shows the person who acted: a `Notice` to send
now, or an `Answer` (ok or refused, with the text). Refusals are values, never exceptions:

- wrong person: a user acts only on their own chat's tickets (`own_ticket`); staff actions
  are authorised by the adapter's staff gate before the desk is called;
- wrong state: `NotAllowed` from the table becomes a refusal naming the current state.

The adapter parses updates, renders keyboards (plain Bot API dicts here) and sends; the
sender delivers the outbox rows and tells the desk when a user cannot be reached.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Literal, Protocol

from markupsafe import Markup

from bot.core.buttons import Keyboard
from bot.core.menu import parse_command
from bot.core.model import Language, Reply
from bot.escalation import reports
from bot.escalation.ballots import ballot
from bot.escalation.corrections import KEY_PREFIX as CORRECTION_KEY
from bot.escalation.drafts import Draft, guess_topic
from bot.escalation.messages import (
    Say,
    Texts,
    addition_keyboard,
    confirm_keyboard,
    escape,
    status_keyboard,
)
from bot.escalation.outbox import OutboxRow, ticket_key
from bot.escalation.records import (
    CandidateRow,
    Change,
    NewEvent,
    NewMessage,
    NewOutbox,
    Ticket,
    TicketMessage,
    TicketStorage,
)
from bot.escalation.retention import DeletionPlan, deletion_plan
from bot.escalation.staff_language import StaffLanguage, state_label
from bot.escalation.staff_policy import StaffGroup, StaffPolicy
from bot.escalation.tickets import (
    ACTIVE,
    Action,
    NotAllowed,
    StaffPress,
    State,
    next_state,
    parse_staff_data,
    parse_user_data,
)

log = logging.getLogger(__name__)

STAFF_CHAT_KEY = "staff_chat_id"  # kv key: the staff group's id after a supergroup migration
# A draft nobody confirmed within this time is abandoned: later messages are new questions.
DRAFT_TTL = timedelta(minutes=30)
RESPONSE_TIME = {"nl": "{n} werkdagen", "fr": "{n} jours ouvrables"}
Reason = Literal["core", "button", "command"]
STAFF_COMMANDS = ("open", "ticket", "stats", "promote", "reopen")  # Desk.staff_command's


def staff_command_of(text: str | None, bot_username: str) -> str | None:
    """The staff command a message in the staff group gives this bot, or None (not a
    command, another bot's, or not one of STAFF_COMMANDS)."""
    parsed = parse_command(text)
    if parsed is None or parsed[1] not in ("", bot_username.lower()):
        return None
    return parsed[0] if parsed[0] in STAFF_COMMANDS else None


def contact_text(say: Say, request: DraftRequest) -> str:
    """The hand-off without a ticket desk (no workflow or no staff group): how to reach the
    centre's staff (CENTRE_CONTACT), saying why when the core could not answer."""
    return say(request.language, "tg_escalation_contact", asked=request.reason != "core",
               reason=request.reply.reason if request.reply else "")


def given_up_kind(row: OutboxRow) -> str:
    """What a given-up outbox row was, for the log line: its key's prefix names it
    (corrections.KEY_PREFIX, complaints.complaint_key, the weekly report's week keys)."""
    if row.key.startswith(CORRECTION_KEY):
        return "a correction to a user"
    if row.key.startswith("report:"):
        return "the weekly report to the staff group"
    if row.key.startswith("k") and row.key[1:2].isdigit():
        return ("a complaint message to the user" if row.target == "user"
                else "a complaint post to the complaints group")
    if row.target == "user":
        return "an outbox message to a user"
    return "an outbox message to the staff group"


class DeskAssistant(Protocol):
    """The part of the core the desk uses: ranking a question, an entry's answer, templates."""

    def ask(self, text: str, *, chat_lang: Language | None = None, today: date) -> Reply: ...
    def answer_entry(self, entry_id: str, *, today: date) -> Reply: ...


@dataclass(frozen=True)
class DraftRequest:
    chat_id: int
    user_id: int | None
    language: Language
    question: str  # the user's words ("" when they only pressed a button or sent a command)
    reason: Reason  # "core": the assistant could not answer; otherwise the user asked
    reply: Reply | None = None  # the core's escalate reply (summary, candidates) if any
    message_id: int | None = None  # the user's message, to reply to it


@dataclass(frozen=True)
class StaffMember:
    id: int
    name: str


@dataclass(frozen=True)
class ChatMessage:
    """A message as the desks need it to route it: where, its text, what it replies to, and
    who wrote it (a staff group's gate has checked that sender before it acts)."""

    chat_id: int
    message_id: int
    text: str | None
    replied_id: int | None = None  # the message it replies to
    to_bot: bool = False  # that replied message is one of the bot's
    author: StaffMember | None = None


@dataclass(frozen=True)
class Notice:
    """A message to send now (the person is waiting for it), not through the outbox."""

    chat_id: int
    text: str
    keyboard: Keyboard | None = None
    reply_to: int | None = None


@dataclass(frozen=True)
class Answer:
    """The outcome for the person who acted: `ok`, and the text to show them (if any)."""

    ok: bool
    text: str | None = None
    notice: str | None = None  # staff only: a line for the group besides the button answer
    ticket: Ticket | None = None


@dataclass(frozen=True)
class Asked:
    """The user's message a ticket button is about (the buttons' message replies to it)."""

    chat_id: int
    message_id: int
    text: str | None


@dataclass(frozen=True)
class Pressed:
    """What a user's ticket button shows: the press's popup, and what becomes of the message
    the button is on."""

    popup: str | None = None
    edit: str | None = None  # the message's new text, without its buttons
    clear: bool = False  # the buttons go, the text stays
    ask: Asked | None = None  # a question to answer as a new one ("new question")


@dataclass
class Desk:
    storage: TicketStorage
    assistant: DeskAssistant
    say: Say
    clock: Callable[[], datetime]
    today: Callable[[], date]
    split: Callable[[str], list[str]]  # the sender's splitter: one outbox row per message part
    configured_staff_chat: int | None = None
    response_workdays: int = 2
    on_write: Callable[[], None] = lambda: None  # rows were committed: wake the sender
    staff_language: StaffLanguage = "nl"  # STAFF_LANGUAGE: every staff-group text
    ballot_secret: bytes = b""  # the ballots' key (ballots.ballot_secret of the bot token)
    texts: Texts = field(init=False)

    def __post_init__(self) -> None:
        self.texts = Texts(self.say, self.split, self.staff_language)

    def staff_say(self, template: str, **context: Any) -> str:
        """A staff-group text in STAFF_LANGUAGE (bot/templates/<nl|fr|nl+fr>/)."""
        return self.texts.staff_say(template, **context)

    def state_label(self, state: State) -> str:
        return state_label(self.staff_language, state)

    def popup(self, kind: str, **context: Any) -> str:
        """A button answer for staff (the adapter's popup helper makes it plain and short)."""
        return self.staff_say("esc_staff_popup", kind=kind, **context)

    # ---------------------------------------------------------------- state
    @property
    def staff_chat_id(self) -> int | None:
        followed = self.storage.get_value(STAFF_CHAT_KEY)
        return int(followed) if followed else self.configured_staff_chat

    def is_staff_chat(self, chat_id: int) -> bool:
        """Whether `chat_id` is the staff group. Telegram's private chats have positive ids
        and groups negative ones, so a user's message is told apart without a database read
        (the staff filters ask this for every update; the read waited on the event loop)."""
        return chat_id < 0 and chat_id == self.staff_chat_id

    def _change(self, ticket: Ticket, action: Action, **kw: Any) -> Change:
        """The change `action` makes from the state the ticket was read in; NotAllowed when
        the table has no such transition. The read state is the compare-and-set guard."""
        to_state = next_state(ticket.state, action)
        return Change(ticket.id, frozenset({ticket.state}), to_state, self.clock(), **kw)

    def _apply(self, change: Change) -> Ticket | None:
        done = self.storage.apply(change)
        if done is not None:
            self.on_write()
        return done

    def _edit_rows(self, ticket: Ticket, ref: str) -> list[NewOutbox]:
        staff_chat = self.staff_chat_id
        if staff_chat is None:
            return []
        messages = self.storage.messages(ticket.id)
        return [self.texts.staff_edit_row(ticket, messages, staff_chat, ref)]

    def _stale(self, ticket: Ticket) -> Answer:
        fresh = self.storage.ticket(ticket.id) or ticket
        return Answer(False, self.say(ticket.language, "esc_stale", state=fresh.state))

    # ================================================================ the user's side
    def own_ticket(self, ticket_id: int, chat_id: int | None) -> Ticket | None:
        """The ticket, if it belongs to this chat: a user acts only on their own tickets,
        whatever the button data says."""
        ticket = self.storage.ticket(ticket_id)
        if ticket is None or chat_id is None or ticket.chat_id != chat_id:
            return None
        return ticket

    def draft(self, request: DraftRequest) -> Notice:
        """An escalation: a draft the user confirms (what the staff would receive), or the
        status of the ticket this same message already opened (a replay)."""
        reply = request.reply
        question = request.question.strip()
        if reply is None and question:
            # The user asked for a person: rank the entries anyway, for the staff's top 3.
            reply = self.assistant.ask(question, chat_lang=request.language, today=self.today())
        now = self.clock()
        source = (
            f"m:{request.chat_id}:{request.message_id}"
            if request.message_id
            else f"c:{request.chat_id}:{now.isoformat()}"
        )
        ticket, created = self.storage.create_draft(
            chat_id=request.chat_id,
            user_id=request.user_id,
            language=request.language,
            question=question,
            topic=reply.topic if reply else None,
            candidates=[
                CandidateRow(c.entry_id, c.question, c.score)
                for c in (reply.candidates if reply else ())
            ][:3],
            source_key=source,
            now=now,
        )
        if not created and ticket.state != "draft":
            return self.status(request.chat_id, ticket.language)
        intro = request.reply.text if request.reply and request.reason == "core" else ""
        return self._confirmation(ticket, intro=intro, reply_to=request.message_id)

    def _confirmation(
        self, ticket: Ticket, *, intro: str = "", reply_to: int | None = None
    ) -> Notice:
        additions = [m.text for m in self.storage.messages(ticket.id) if m.direction == "in"]
        text = self.say(
            ticket.language, "esc_confirm", question=ticket.question, additions=additions
        )
        assert ticket.chat_id is not None  # a draft is never anonymised
        return Notice(
            ticket.chat_id, f"{intro}\n\n{text}" if intro else text, confirm_keyboard(ticket),
            reply_to,
        )

    def status(self, chat_id: int, lang: Language) -> Notice:
        """/status: the chat's open tickets, each with a cancel button."""
        tickets = self.storage.tickets_of_chat(chat_id, ACTIVE)
        rows = [
            {
                "number": t.number,
                "state": t.state,
                "opened": f"{t.opened_at:%d/%m}" if t.opened_at else "",
            }
            for t in tickets
        ]
        text = self.say(lang, "esc_status", tickets=rows)
        return Notice(chat_id, text, status_keyboard(tickets, lang))

    def take_text(self, chat_id: int, text: str, message_id: int) -> Notice | None:
        """Text in a private chat: part of a draft being confirmed, or (while a ticket is
        open) a question whether it adds to #N; None when no ticket is waiting for it.
        One indexed read per private text; drafts left unconfirmed too long expire here."""
        now = self.clock()
        waiting = self.storage.tickets_of_chat(chat_id, frozenset({"draft", *ACTIVE}))
        draft = None
        for ticket in (t for t in waiting if t.state == "draft"):
            if now - ticket.last_activity_at > DRAFT_TTL:
                self.storage.apply(self._change(ticket, "cancel"))
            else:
                draft = ticket
        if draft is not None:
            if not draft.question:
                change = self._change(draft, "add", fields={"question": text})
                draft = self.storage.apply(change) or draft
            else:
                next_state(draft.state, "add")  # a draft takes additions (the table says so)
                self.storage.add_messages(
                    draft.id,
                    [NewMessage("in", "detail", text, source_key=f"m:{chat_id}:{message_id}")],
                    [],
                    self.clock(),
                )
            return self._confirmation(draft)
        active = [t for t in waiting if t.state in ACTIVE]
        if not active:
            return None
        lang = active[-1].language
        prompt = self.say(lang, "esc_addition_prompt", number=active[-1].number)
        return Notice(chat_id, prompt, addition_keyboard(active, lang), message_id)

    def user_press(
        self, data: str | None, chat_id: int | None, user_id: int, asked: Asked | None
    ) -> Pressed:
        """A ticket button pressed by the user (`tk:<action>:<ticket>`): confirm, cancel, add,
        new, up, down. Only on a ticket of the chat the button is in; anything else is
        answered and changes nothing."""
        press = parse_user_data(data)
        ticket = self.own_ticket(press.ticket, chat_id) if press else None
        if press is None or ticket is None:
            log.warning("refused a ticket button press that does not match its chat")
            return Pressed()
        if press.action == "new":  # not an addition: answer it as the new question it is
            return Pressed(clear=True, ask=asked if asked and asked.text else None)
        if press.action in ("up", "down"):
            voter = ballot(self.ballot_secret, "ticket", user_id, ticket.id)
            done = self.vote(ticket, up=press.action == "up", ballot=voter)
            return Pressed(done.text, clear=done.ok)
        if press.action == "confirm":
            done = self.confirm(ticket)
        elif press.action == "cancel":
            done = self.cancel(ticket)
        elif asked is None:  # add, but the message it was about is gone
            done = self._stale(ticket)
        else:
            done = self.add(ticket, asked.text, asked.chat_id, asked.message_id)
        if not done.ok:
            return Pressed(done.text)
        return Pressed(edit=done.text, clear=done.text is None)

    def confirm(self, ticket: Ticket) -> Answer:
        """"Send": the draft becomes ticket #N; the receipt and the staff message are queued."""
        staff_chat = self.staff_chat_id
        response = RESPONSE_TIME[ticket.language].format(n=self.response_workdays)

        def rows(opened: Ticket) -> list[NewOutbox]:
            out = self.texts.user_rows(opened, "esc_ticket_created", "open",
                                       response_time=response)
            if staff_chat is not None:
                messages = self.storage.messages(opened.id)
                out += self.texts.staff_ticket_rows(opened, messages, staff_chat)
            return out

        try:
            change = self._change(ticket, "confirm", assign_number=True, outbox_after=rows)
        except NotAllowed:
            return self._stale(ticket)
        opened = self._apply(change)
        if opened is None:
            return self._stale(ticket)
        log.info("ticket %s opened", opened.number)
        return Answer(True, ticket=opened)

    def cancel(self, ticket: Ticket) -> Answer:
        """"Don't send" on a draft, or "cancel #N" from /status (the staff are told)."""
        staff_chat = self.staff_chat_id
        was_draft = ticket.state == "draft"

        def rows(cancelled: Ticket) -> list[NewOutbox]:
            if was_draft or staff_chat is None:
                return []
            messages = self.storage.messages(cancelled.id)
            return [
                *self.texts.staff_notice_rows(cancelled, staff_chat, "cancelled", "user"),
                self.texts.staff_edit_row(cancelled, messages, staff_chat, "cancelled"),
            ]

        try:
            done = self._apply(self._change(ticket, "cancel", outbox_after=rows))
        except NotAllowed:
            done = None
        if done is None:
            return self._stale(ticket)
        number = None if was_draft else ticket.number
        return Answer(True, self.say(ticket.language, "esc_cancelled", number=number), ticket=done)

    def add(self, ticket: Ticket, text: str | None, chat_id: int, message_id: int) -> Answer:
        """"Addition to #N": the message the question was about goes to the staff."""
        if not text or ticket.state not in ACTIVE:
            return self._stale(ticket)
        next_state(ticket.state, "add")
        staff_chat = self.staff_chat_id
        source = f"m:{chat_id}:{message_id}"
        rows = []
        if staff_chat is not None:
            rows = self.texts.staff_addition_rows(ticket, staff_chat, text, source)
        self.storage.add_messages(
            ticket.id, [NewMessage("in", "addition", text, source_key=source)], rows, self.clock()
        )
        self.on_write()
        return Answer(True, self.say(ticket.language, "esc_addition_added", number=ticket.number))

    def vote(self, ticket: Ticket, up: bool, ballot: str) -> Answer:
        """👍/👎 on a relayed staff answer: an anonymous count, one per person and ticket
        (`ballot`, see ballots.py; a changed vote replaces the earlier one). A ticket that
        was never answered has nothing to rate: refused, not counted."""
        if ticket.first_answer_at is None:
            return Answer(False, self.say(ticket.language, "esc_vote_unanswered"))
        outcome = self.storage.record_staff_feedback(
            1 if up else -1, today=self.today(), ballot=ballot
        )
        if outcome == "same":  # a second tap: counted already, nothing to change or say
            return Answer(False)
        return Answer(True, self.say(ticket.language, "tg_thanks_vote") if up else None)

    def erase(self, chat_id: int) -> tuple[int, DeletionPlan]:
        """/vergeet: empty the chat's tickets and inbox copies; returns how many tickets, and
        which of the bot's staff-group messages about them can still be deleted."""
        now = self.clock()
        erasure = self.storage.erase_tickets_of_chat(chat_id, now=now)
        self.storage.erase_inbox_of_chat(chat_id)
        log.info("chat data erased on request (%d ticket(s))", erasure.tickets)
        return erasure.tickets, deletion_plan(erasure.staff_messages, now)

    def sweep(self, retention_days: int) -> list[int]:
        """The hourly retention sweep: tickets past `retention_days` are anonymised, sent
        outbox rows lose their texts and handled inbox ids expire, and the records of answers
        given (kept for corrections) go after the same period. Returns the anonymised
        tickets' ids."""
        now = self.clock()
        done = self.storage.anonymise_due(now=now, retention_days=retention_days)
        self.storage.forget_old_texts(now=now)
        self.storage.forget_answers_before((now - timedelta(days=retention_days)).date())
        if done:
            log.info("anonymised %d ticket(s) past the retention period", len(done))
        return done

    def erased_text(
        self, lang: str, tickets: int, plan: DeletionPlan, deleted: int, failed: int
    ) -> str:
        return self.say(
            lang if lang in ("nl", "fr") else "nl",
            "esc_erased",
            tickets=tickets,
            deleted=deleted,
            not_deleted=failed + len(plan.too_old),
            too_old=bool(plan.too_old),
        )

    # ================================================================ the staff's side
    def staff_button(self, staff: StaffMember, data: str | None, ref: str) -> Answer | None:
        """`st:claim|suggest|oos|close:<number>[:<n>]` pressed on a ticket message (the gate
        checked where and who); None when the data is not one we could have sent."""
        press = parse_staff_data(data)
        return None if press is None else self.press(staff, press, ref)

    def press(self, staff: StaffMember, press: StaffPress, ref: str) -> Answer:
        """A staff button on a ticket message: claim, suggestion n, out of scope, close."""
        ticket = self.storage.ticket_by_number(press.ticket)
        if ticket is None:
            return Answer(False)
        done: Ticket | None
        try:
            if press.action == "suggest":
                return self._suggest(staff, ticket, press.suggestion or 0, ref)
            done = self._apply(self._staff_change(ticket, press.action, staff, ref))
        except NotAllowed:
            done = None
        return self._pressed(ticket, done)

    def _pressed(self, ticket: Ticket, done: Ticket | None) -> Answer:
        if done is None:
            fresh = self.storage.ticket(ticket.id) or ticket
            text = self.popup(
                "refused", number=ticket.number, state_label=self.state_label(fresh.state)
            )
            return Answer(False, text)
        text = self.popup("done", number=ticket.number, state_label=self.state_label(done.state))
        return Answer(True, text, ticket=done)

    def _staff_change(
        self, ticket: Ticket, action: Action, staff: StaffMember, ref: str
    ) -> Change:
        event = _event(action, staff, ref)
        if action == "claim":
            return self._change(
                ticket, "claim", claimed_by=staff.id, claimed_name=staff.name, event=event,
                outbox_after=lambda t: self._edit_rows(t, ref),
            )
        if action == "out_of_scope":
            return self._change(
                ticket, "out_of_scope", event=event,
                outbox_after=lambda t: [
                    *self.texts.user_rows(t, "esc_out_of_scope", ref), *self._edit_rows(t, ref)
                ],
            )
        unanswered = ticket.first_answer_at is None and ticket.state in ("open", "claimed")

        def closing(t: Ticket) -> list[NewOutbox]:
            told = self.texts.user_rows(t, "esc_closed", ref) if unanswered else []
            return [*told, *self._edit_rows(t, ref)]

        return self._change(ticket, "close", event=event, outbox_after=closing)

    def _suggest(self, staff: StaffMember, ticket: Ticket, index: int, ref: str) -> Answer:
        if index > len(ticket.candidates):
            return Answer(False)
        entry = ticket.candidates[index - 1]
        answer = self.assistant.answer_entry(entry.entry_id, today=self.today())
        if answer.action != "answer":
            return Answer(False, notice=self.texts.staff_notice("no_suggestion", index=index))
        done = self.relay(
            staff, ticket, body_html=answer.text, text=f"[{entry.entry_id}]", kind="suggestion",
            ref=ref,
        )
        return self._pressed(ticket, done)

    def relay(
        self, staff: StaffMember, ticket: Ticket, *, body_html: str, text: str, kind: str,
        ref: str,
    ) -> Ticket | None:
        """Send a staff answer to the user and mark the ticket answered (one transaction)."""
        action: Action = "suggest" if kind == "suggestion" else "reply"
        message = NewMessage(
            "out", kind, text, source_key=ref, author_id=staff.id, author_name=staff.name
        )
        try:
            change = self._change(
                ticket, action, first_answer=True, messages=[message],
                event=_event(action, staff, ref),
                outbox_after=lambda t: [
                    *self.texts.relay_rows(t, body_html, ref), *self._edit_rows(t, ref)
                ],
            )
        except NotAllowed:
            return None
        done = self._apply(change)
        if done is not None:
            log.info("ticket %s answered (%s)", ticket.number, kind)
        return done

    def door(self, allow_list: frozenset[int]) -> StaffGroup:
        """The staff group's door: the ids in STAFF_USER_IDS (`allow_list`) and the group's
        members may act there."""
        return StaffGroup(
            StaffPolicy(allow_list), current_id=lambda: self.staff_chat_id,
            refusal=lambda anonymous: self.refused_text(anonymous=anonymous),
            follow=self.follow_migration, name="staff group", setting="STAFF_CHAT_ID",
            action="staff action", prefix="st:", parse_press=parse_staff_data,
        )

    def is_staff_action(self, message: ChatMessage, bot_username: str, *, reply: bool) -> bool:
        """Whether the staff gate must check who sent `message`: in the staff group, a staff
        command to this bot, or (`reply`: a message or its edit) a reply to a ticket's
        message, whatever its text ("/ hello" is no command, and is relayed like any answer).
        Anything else there is the staff talking among themselves."""
        if not self.is_staff_chat(message.chat_id):
            return False
        if staff_command_of(message.text, bot_username) is not None:
            return True
        return reply and self.replied_ticket(message) is not None

    def replied_ticket(self, message: ChatMessage) -> Ticket | None:
        """The ticket a reply to one of the bot's messages is about; None for a reply to
        /open, a notice, or to anyone else."""
        if not message.to_bot or message.replied_id is None:
            return None
        return self.ticket_for_reply(message.chat_id, message.replied_id)

    def reply_to(self, message: ChatMessage) -> str | None:
        """A staff reply to one of the bot's messages: relayed when it is a ticket's (see
        `reply`); None when relayed or when it was not about a ticket."""
        ticket = self.replied_ticket(message)
        if ticket is None or message.author is None:
            return None
        return self.reply(message.author, ticket, message.text, message.chat_id,
                          message.message_id)

    def correct_reply(self, message: ChatMessage, edited_at: int) -> str | None:
        """An edited staff reply to one of the bot's messages: a correction when it was a
        relayed answer to a ticket (see `correct`); None when there is nothing to say."""
        ticket = self.replied_ticket(message)
        if ticket is None or message.author is None:
            return None
        return self.correct(message.author, ticket, message.chat_id, message.message_id,
                            message.text, edited_at)

    def ticket_for_reply(self, chat_id: int, replied_message_id: int) -> Ticket | None:
        """The ticket a staff reply answers (a reply to its message or to an addition)."""
        ticket_id = self.storage.ticket_for_staff_message(chat_id, replied_message_id)
        return None if ticket_id is None else self.storage.ticket(ticket_id)

    def reply(
        self, staff: StaffMember, ticket: Ticket, text: str | None, chat_id: int, message_id: int
    ) -> str | None:
        """A staff member's reply to a ticket message: relayed to the user in their language.
        Returns a notice for the group when it could not be relayed, else None."""
        if not text:
            return self.texts.staff_notice("text_only", number=ticket.number)
        done = self.relay(
            staff, ticket, body_html=escape(text), text=text, kind="reply",
            ref=f"s:{chat_id}:{message_id}",
        )
        if done is None:
            return self.texts.staff_notice(
                "not_allowed", number=ticket.number, state_label=self.state_label(ticket.state)
            )
        return None

    def refused_text(self, anonymous: bool) -> str:
        return self.staff_say("esc_staff_refused", anonymous=anonymous)

    def command_message(self, message: ChatMessage, bot_username: str) -> str | None:
        """A message in the staff group giving this bot a staff command, from a sender the
        gate admitted: the reply (its arguments are the words after the command). None when
        it gives none."""
        command = staff_command_of(message.text, bot_username)
        if command is None or message.author is None:
            return None
        args = " ".join((message.text or "").split()[1:])
        return self.staff_command(message.author, command, args,
                                  ref=f"s:{message.chat_id}:{message.message_id}")

    def staff_command(self, staff: StaffMember, command: str, args: str, ref: str) -> str:
        """/open, /ticket N, /stats, /promote N, /reopen N: one reply for the staff group.
        `ref` names the command's message, so a replayed command records nothing twice."""
        if command == "promote":
            return self.promote(staff, args, ref)
        if command == "reopen":
            return self.reopen(staff, args, ref)
        return reports.staff_command(self, command, args)

    def _refused(self, ticket: Ticket) -> str:
        fresh = self.storage.ticket(ticket.id) or ticket
        return self.texts.staff_notice(
            "not_allowed", number=ticket.number, state_label=self.state_label(fresh.state)
        )

    def promote(self, staff: StaffMember, args: str, ref: str) -> str:
        """/promote N: the question and the staff's answers (as corrected) become a draft
        entry for the knowledge base."""
        ticket = reports.ticket_or_notice(self, args, "/promote N")
        if isinstance(ticket, str):
            return ticket
        answers = answers_as_corrected(self.storage.messages(ticket.id))
        if not answers or not ticket.question:
            return self.texts.staff_notice("not_promotable", number=ticket.number)
        try:
            change = self._change(ticket, "promote", event=_event("promote", staff, ref))
            done = self._apply(change)
        except NotAllowed:
            done = None
        if done is None:
            return self._refused(ticket)
        today = self.today()
        topic = ticket.topic or guess_topic(
            self.assistant, ticket.question, ticket.language, today
        )
        self.storage.add_draft(
            Draft(ticket.number or 0, ticket.language, ticket.question, "\n\n".join(answers),
                  topic, today)
        )
        return self.texts.staff_notice("promoted", number=ticket.number, topic=topic)

    def reopen(self, staff: StaffMember, args: str, ref: str) -> str:
        """/reopen N: a closed or redirected ticket is open again, unclaimed, with its buttons
        back on the ticket message."""
        ticket = reports.ticket_or_notice(self, args, "/reopen N")
        if isinstance(ticket, str):
            return ticket
        if ticket.anonymised_at is not None:  # nothing left to work on, nobody to answer
            return self.texts.staff_notice("anonymised", number=ticket.number)
        try:
            change = self._change(
                ticket, "reopen", fields={"claimed_by": None, "claimed_name": ""},
                event=_event("reopen", staff, ref),
                outbox_after=lambda t: self._edit_rows(t, ref),
            )
        except NotAllowed:
            return self._refused(ticket)
        if self._apply(change) is None:
            return self._refused(ticket)
        log.info("ticket %s reopened", ticket.number)
        return self.texts.staff_notice("reopened", number=ticket.number, by=staff.name)

    def correct(
        self, staff: StaffMember, ticket: Ticket, chat_id: int, message_id: int,
        text: str | None, edited_at: int,
    ) -> str | None:
        """A staff member edited their reply to `ticket`: if it was relayed, the new text goes
        to the user as a correction (a relayed answer never changes silently), or the group
        is told why it cannot. None when there is nothing to say (the edit changed nothing,
        or the reply was never relayed)."""
        if ticket.anonymised_at is not None:  # erased or past retention: nobody to tell
            return self.texts.staff_notice("correction_refused", number=ticket.number,
                                           reason="anonymised")
        original = self.storage.message_by_source(f"s:{chat_id}:{message_id}")
        if (original is None or original.ticket_id != ticket.id or original.kind != "reply"
                or original.source_key is None):
            return None
        if not text:
            return self.texts.staff_notice("text_only", number=ticket.number)
        if text == latest_version(original, self.storage.messages(ticket.id)):
            return None
        digest = hashlib.sha256(text.encode()).hexdigest()[:8]
        ref = f"{original.source_key}:e{edited_at}:{digest}"
        staff_chat = self.staff_chat_id
        message = NewMessage(
            "out", "correction", text, source_key=ref, author_id=staff.id, author_name=staff.name
        )

        def rows(t: Ticket) -> list[NewOutbox]:
            told = self.texts.user_rows(t, "esc_correction", ref, body=Markup(escape(text)))
            if staff_chat is None:
                return told
            return [*told, *self.texts.staff_notice_rows(t, staff_chat, "corrected", ref,
                                                         by=staff.name)]

        try:
            change = self._change(ticket, "correct", messages=[message],
                                  event=_event("correct", staff, ref), outbox_after=rows)
        except NotAllowed:
            change = None
        if change is None or self._apply(change) is None:
            fresh = self.storage.ticket(ticket.id) or ticket
            return self.texts.staff_notice(
                "correction_refused", number=ticket.number, reason=fresh.state,
                state_label=self.state_label(fresh.state),
            )
        log.info("ticket %s: a staff answer was corrected", ticket.number)
        return None

    # ================================================================ the system's side
    def user_unreachable(self, row: OutboxRow, status: str) -> None:
        """A message to the user could not be delivered: mark the ticket, tell the staff."""
        staff_chat = self.staff_chat_id
        if row.target != "user" or row.ticket_id is None or staff_chat is None:
            # Nothing to mark: say which kind of message was lost (never its key, which may
            # hold a chat id), e.g. a correction to someone who blocked the bot.
            log.warning("%s was given up (%s)", given_up_kind(row), status)
            return
        ticket = self.storage.ticket(row.ticket_id)
        if ticket is None:
            return
        if status == "blocked":

            def rows(t: Ticket) -> list[NewOutbox]:
                messages = self.storage.messages(t.id)
                return [
                    *self.texts.staff_notice_rows(t, staff_chat, "blocked", f"o{row.id}"),
                    self.texts.staff_edit_row(t, messages, staff_chat, f"blocked{row.id}"),
                ]

            with contextlib.suppress(NotAllowed):  # already closed or blocked: nothing to mark
                self._apply(self._change(ticket, "blocked", outbox_after=rows))
        else:
            self.storage.enqueue(
                self.texts.staff_notice_rows(ticket, staff_chat, "failed", f"o{row.id}"),
                ticket_id=ticket.id,
                now=self.clock(),
            )
            self.on_write()

    def group_moved(self, old: int, new: int) -> bool:
        """A send found that the group `old` is now the supergroup `new`. True when it is the
        staff group (its door follows it: `follow_migration`). Another group the bot posts to
        (the complaints group, which follows its own service message) only has its unsent
        rows moved along; the tickets stay here."""
        if old == self.staff_chat_id:
            return True
        self.storage.retarget_staff_chat(old, new)
        return False

    def follow_migration(self, old: int, new: int) -> bool:
        """The staff group became a supergroup: follow the new id, move unsent messages there,
        post the open tickets again (the old group is read-only now). False if known already."""
        if self.staff_chat_id == new:
            return False
        self.storage.set_value(STAFF_CHAT_KEY, str(new))
        self.storage.retarget_staff_chat(old, new)
        now = self.clock()
        notice = self.texts.staff_notice("migrated", new_id=new, number=None)
        self.storage.enqueue(
            self.texts.text_rows(f"migrated:{new}", "staff", new, notice), ticket_id=None, now=now
        )
        for ticket in self.storage.tickets_in_states(ACTIVE):
            messages = self.storage.messages(ticket.id)
            key = ticket_key(ticket.id, "staff-ticket", new)
            moved = self.texts.staff_ticket_rows(ticket, messages, new, key=key)[:1]
            self.storage.enqueue(moved, ticket_id=ticket.id, now=now)
        self.on_write()
        return True


# ---------------------------------------------------------------------------- helpers
def _event(action: Action, staff: StaffMember, ref: str) -> NewEvent:
    """The audit-trail record of a staff action (who, from which update)."""
    return NewEvent(action, staff.id, staff.name, ref)


def _corrections_of(reply: TicketMessage, messages: list[TicketMessage]) -> list[TicketMessage]:
    prefix = f"{reply.source_key}:e"
    return [
        m for m in messages
        if m.kind == "correction" and m.source_key and m.source_key.startswith(prefix)
    ]


def latest_version(reply: TicketMessage, messages: list[TicketMessage]) -> str:
    """What the user was last told for this reply: its text or its latest correction."""
    corrections = _corrections_of(reply, messages)
    return corrections[-1].text if corrections else reply.text


def answers_as_corrected(messages: list[TicketMessage]) -> list[str]:
    """The staff's own replies, each in its latest relayed version (for /promote)."""
    return [
        latest_version(m, messages) for m in messages if m.direction == "out" and m.kind == "reply"
    ]
