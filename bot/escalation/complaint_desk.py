"""The complaint desk: every use case of the confidential complaint route, without Telegram.

Like the ticket desk (desk.py), each use case reads the complaint, asks the one transition
table (`complaints.next_state`) and commits the change with the outbox rows announcing it in
one compare-and-set step; refusals are values. Differences that are the point of the route:

- the rows go to COMPLAINTS_CHAT_ID, never to the staff group of the tickets;
- who may act in the complaints group: its members, nobody else (`door`); STAFF_USER_IDS is
  the ticket desk's allow-list and does not open this smaller group;
- only `open` complaints may be withdrawn; withdrawing, /vergeet and the retention period all
  empty the texts, cancel what was still queued and replace the group's post by one line
  without content (edited, so it works after Telegram's 48 hours for deleting, too).

Keyboards are plain Bot API dicts; the adapter renders and sends.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from markupsafe import Markup

from bot.core.buttons import Keyboard
from bot.escalation.complaint_guide import ComplaintDraft
from bot.escalation.complaint_messages import (
    confirm_withdraw_keyboard,
    parse_staff_data,
    parse_withdraw_data,
    staff_keyboard,
    withdraw_keyboard,
)
from bot.escalation.complaints import (
    Action,
    Complaint,
    ComplaintStorage,
    Erased,
    Move,
    NewComplaint,
    NotAllowed,
    complaint_key,
    next_state,
)
from bot.escalation.desk import ChatMessage, StaffMember
from bot.escalation.messages import Say, Texts, escape
from bot.escalation.records import NewOutbox
from bot.escalation.retention import TicketAge, due_for_anonymisation
from bot.escalation.staff_language import StaffLanguage
from bot.escalation.staff_policy import StaffGroup, StaffPolicy

log = logging.getLogger(__name__)

COMPLAINTS_CHAT_KEY = "complaints_chat_id"  # kv: the complaints group after a migration

@dataclass(frozen=True)
class Outcome:
    """What the person who acted is shown: ok, and a text (a popup or the edited message)."""

    ok: bool
    text: str | None = None
    keyboard: Keyboard | None = None


@dataclass
class ComplaintDesk:
    storage: ComplaintStorage
    say: Say
    clock: Callable[[], datetime]
    split: Callable[[str], list[str]]
    configured_chat: int | None  # COMPLAINTS_CHAT_ID
    staff_lang: StaffLanguage  # STAFF_LANGUAGE: the complaints group's texts too
    on_write: Callable[[], None] = lambda: None  # rows were committed: wake the sender
    texts: Texts = field(init=False)

    def __post_init__(self) -> None:
        self.texts = Texts(self.say, self.split)

    @property
    def complaints_chat(self) -> int | None:
        """The complaints group: COMPLAINTS_CHAT_ID, or the supergroup it became."""
        followed = self.storage.get_value(COMPLAINTS_CHAT_KEY)
        return int(followed) if followed else self.configured_chat

    @property
    def available(self) -> bool:
        return self.complaints_chat is not None

    def post_key(self, complaint: Complaint) -> str:
        """The key of the complaint's post in the current group (a reposted one after a
        supergroup upgrade has its own: message ids are per chat)."""
        chat = self.complaints_chat
        ref = None if chat == self.configured_chat else chat
        return complaint_key(complaint.id, "post", ref)

    # ================================================================ texts
    def staff_say(self, name: str, **context: Any) -> str:
        return self.say(self.staff_lang, name, **context)

    def post_text(self, complaint: Complaint) -> str:
        if complaint.erased_at is not None:
            return self.staff_say("cmp_staff_gone", number=complaint.number,
                                  why=complaint.erased_why)
        return self.staff_say(
            "cmp_staff_post",
            number=complaint.number,
            language=complaint.language,
            state=complaint.state,
            claimed_by=complaint.claimed_name,
            what=complaint.what,
            organisation=complaint.organisation,
            contact_org=complaint.contact_org,
            reach=complaint.reach,
        )

    def receipt_text(self, complaint: Complaint) -> str:
        return self.say(complaint.language, "cmp_receipt", number=complaint.number,
                        state=complaint.state)

    def notice(self, kind: str, **context: Any) -> str:
        """A line for the complaints group (or a staff popup): no complaint text in it."""
        return self.staff_say("cmp_staff_notice", kind=kind, **context)

    # ================================================================ rows
    def _post_rows(self, complaint: Complaint, chat: int) -> list[NewOutbox]:
        return self.texts.text_rows(
            self.post_key(complaint), "staff", chat, self.post_text(complaint),
            markup=staff_keyboard(complaint, self.staff_lang),
        )

    def _post_edit(self, complaint: Complaint, ref: str) -> list[NewOutbox]:
        chat = self.complaints_chat
        if chat is None:
            return []
        payload: dict[str, Any] = {
            "text": self.split(self.post_text(complaint))[0],
            "message_key": self.post_key(complaint),
        }
        markup = staff_keyboard(complaint, self.staff_lang)
        if markup is not None:
            payload["reply_markup"] = markup
        return [NewOutbox(complaint_key(complaint.id, "edit", ref), "staff", chat,
                          "editMessageText", payload)]

    def _user_rows(
        self, complaint: Complaint, template: str, ref: str, **context: Any
    ) -> list[NewOutbox]:
        if complaint.chat_id is None:
            return []  # erased: nothing more reaches the person
        text = self.say(complaint.language, template, number=complaint.number, **context)
        key = complaint_key(complaint.id, template.removeprefix("cmp_"), ref)
        return self.texts.text_rows(key, "user", complaint.chat_id, text)

    def _receipt_rows(self, complaint: Complaint) -> list[NewOutbox]:
        assert complaint.chat_id is not None  # just created
        return self.texts.text_rows(
            complaint_key(complaint.id, "receipt"), "user", complaint.chat_id,
            self.receipt_text(complaint), markup=withdraw_keyboard(complaint),
        )

    def _taken_rows(self, complaint: Complaint, ref: str) -> list[NewOutbox]:
        """Taken up: the post shows who, the person is told, the receipt loses its
        withdraw button."""
        rows = [*self._post_edit(complaint, ref), *self._user_rows(complaint, "cmp_taken", ref)]
        if complaint.chat_id is not None:
            payload = {"text": self.receipt_text(complaint),
                       "message_key": complaint_key(complaint.id, "receipt")}
            rows.append(NewOutbox(complaint_key(complaint.id, "receipt-edit", ref), "user",
                                  complaint.chat_id, "editMessageText", payload))
        return rows

    # ================================================================ the person's side
    def submit(self, new: NewComplaint, *, source_key: str) -> Complaint | None:
        """Send: the complaint is stored with its post and the receipt (one transaction).
        None when no complaints group is configured."""
        chat = self.complaints_chat
        if chat is None:
            return None

        def rows(complaint: Complaint) -> list[NewOutbox]:
            return [*self._post_rows(complaint, chat), *self._receipt_rows(complaint)]

        complaint, created = self.storage.create_complaint(
            new, source_key=source_key, now=self.clock(), outbox_after=rows
        )
        if created:
            log.info("complaint %s received", complaint.number)
            self.on_write()
        return complaint

    def send(
        self, draft: ComplaintDraft, chat_id: int, user_id: int | None, preview_id: int
    ) -> str:
        """Send under the preview (message `preview_id`): stored and posted once, however
        often the button is pressed (the preview is the key); the receipt comes through the
        outbox. Returns what to say besides: nothing, or that complaints cannot be received
        (the complaints group was unset meanwhile)."""
        source = f"p:{chat_id}:{preview_id}"
        if self.submit(draft.to_new(chat_id, user_id), source_key=source) is None:
            return self.say(draft.lang, "cmp_unavailable")
        return ""

    def own(self, complaint_id: int, chat_id: int | None) -> Complaint | None:
        """The complaint, if this chat sent it (whatever a button's data claims)."""
        complaint = self.storage.complaint(complaint_id)
        if complaint is None or chat_id is None or complaint.chat_id != chat_id:
            return None
        return complaint

    def withdraw_button(self, data: str | None, chat_id: int | None) -> Outcome | None:
        """`kw:ask|yes|no:<id>` pressed under a receipt in `chat_id`; None when the data is
        not ours or names a complaint this chat did not send (nothing changes)."""
        press = parse_withdraw_data(data)
        complaint = self.own(press[1], chat_id) if press else None
        if press is None or complaint is None:
            log.warning("refused a withdrawal press that does not match its chat")
            return None
        return self.withdraw_press(press[0], complaint)

    def withdraw_press(self, step: str, complaint: Complaint) -> Outcome:
        """A button under the receipt: "ask" (once more), "yes" (withdraw) or "no" (keep)."""
        return {"ask": self.ask_withdraw, "yes": self.withdraw}.get(step, self.keep)(complaint)

    def ask_withdraw(self, complaint: Complaint) -> Outcome:
        if complaint.state != "open":
            return self._not_withdrawable(complaint)
        text = self.say(complaint.language, "cmp_withdraw_confirm", number=complaint.number)
        return Outcome(True, text, confirm_withdraw_keyboard(complaint))

    def keep(self, complaint: Complaint) -> Outcome:
        """"No, keep it": the receipt as it was."""
        markup = withdraw_keyboard(complaint) if complaint.state == "open" else None
        return Outcome(True, self.receipt_text(complaint), markup)

    def withdraw(self, complaint: Complaint) -> Outcome:
        """Withdraw an open complaint: texts erased, the post replaced by "withdrawn"."""
        try:
            next_state(complaint.state, "withdraw")
        except NotAllowed:
            return self._not_withdrawable(complaint)
        erased = self._erase([complaint.id], "withdrawn", withdraw=True)
        if not erased:  # taken up a moment ago
            return self._not_withdrawable(self.storage.complaint(complaint.id) or complaint)
        log.info("complaint %s withdrawn", complaint.number)
        return Outcome(True, self.say(complaint.language, "cmp_withdrawn",
                                      number=complaint.number))

    def _not_withdrawable(self, complaint: Complaint) -> Outcome:
        text = self.say(complaint.language, "cmp_withdraw_refused", number=complaint.number,
                        state=complaint.state, erased=complaint.erased_at is not None)
        return Outcome(False, text)

    def person_reply(self, message: ChatMessage) -> str | None:
        """A reply in a private chat: when it answers the bot's message about the person's
        own complaint (its receipt, an answer), `add`ed and what to tell them; None when it
        is about something else (it goes on as usual)."""
        if message.replied_id is None:
            return None
        complaint = self.complaint_for_person(message.chat_id, message.replied_id)
        if complaint is None:
            return None
        return self.add(complaint, message.text, message.chat_id, message.message_id)

    def complaint_for_person(self, chat_id: int, message_id: int) -> Complaint | None:
        """The person's own complaint that a message the bot sent them is about."""
        found = self.storage.complaint_for_user_message(chat_id, message_id)
        return None if found is None else self.own(found, chat_id)

    def add(self, complaint: Complaint, text: str | None, chat_id: int,
            message_id: int) -> str:
        """The person replied to a message about their complaint: their words go to the
        complaints group, under the post. Returns what to tell them."""
        number = complaint.number
        if not text:
            return self.say(complaint.language, "cmp_addition", sent=False, text_only=True,
                            number=number)
        try:
            to_state = next_state(complaint.state, "add")
        except NotAllowed:
            return self.say(complaint.language, "cmp_addition", sent=False, text_only=False,
                            number=number)
        chat = self.complaints_chat
        ref = f"m:{chat_id}:{message_id}"

        def rows(done: Complaint) -> list[NewOutbox]:
            if chat is None:
                return []
            body = self.staff_say("cmp_staff_addition", number=number, text=text)
            return self.texts.text_rows(complaint_key(done.id, "addition", ref), "staff", chat,
                                        body, reply_to_key=self.post_key(done))

        done = self.storage.move_complaint(Move(
            complaint.id, frozenset({complaint.state}), to_state, self.clock(),
            outbox_after=rows,
        ))
        if done is None:
            return self.say(complaint.language, "cmp_addition", sent=False, text_only=False,
                            number=number)
        self.on_write()
        return self.say(complaint.language, "cmp_addition", sent=True, text_only=False,
                        number=number)

    def erase_chat(self, chat_id: int) -> list[Complaint]:
        """/vergeet: every complaint of this chat loses its texts; the posts are replaced."""
        ids = [c.id for c in self.storage.complaints_of_chat(chat_id) if c.erased_at is None]
        erased = self._erase(ids, "request")
        if erased:
            log.info("%d complaint(s) erased on request", len(erased))
        return erased

    def forget_chat(self, chat_id: int) -> str | None:
        """/vergeet: `erase_chat`, and what the person is told about their complaints (None
        when they had none left to erase)."""
        erased = self.erase_chat(chat_id)
        if not erased:
            return None
        return self.say(erased[0].language, "cmp_erased", numbers=[c.number for c in erased])

    def anonymise_due(self, retention_days: int) -> list[int]:
        """COMPLAINT_RETENTION_DAYS after their last activity, complaints lose their texts."""
        ages = [TicketAge(a.complaint_id, a.last_activity_at, a.erased)
                for a in self.storage.complaint_ages()]
        due = due_for_anonymisation(ages, self.clock(), retention_days)
        erased = self._erase(due, "retention")
        if erased:
            log.info("%d complaint(s) erased after the retention period", len(erased))
        return [c.id for c in erased]

    def _erase(self, ids: list[int], why: Erased, *, withdraw: bool = False) -> list[Complaint]:
        if not ids:
            return []
        erased = self.storage.erase_complaints(
            ids, now=self.clock(), why=why, withdraw=withdraw,
            outbox_after=lambda c: self._post_edit(c, why),
        )
        if erased:
            self.on_write()
        return erased

    def follow_migration(self, old: int, new: int) -> bool:
        """The complaints group became a supergroup: follow it, move what was not sent yet,
        post the complaints still in hand again (the old group is read-only). False when it
        is not the complaints group, or already followed."""
        if old != self.complaints_chat or new == self.complaints_chat:
            return False
        self.storage.set_value(COMPLAINTS_CHAT_KEY, str(new))
        self.storage.retarget_staff_chat(old, new)
        now = self.clock()
        notice = self.notice("migrated", new_id=new)
        self.storage.enqueue(self.texts.text_rows(f"k-migrated:{new}", "staff", new, notice),
                             ticket_id=None, now=now)
        for complaint in self.storage.complaints_in_hand():
            self.storage.enqueue(self._post_rows(complaint, new)[:1], ticket_id=None, now=now)
        self.on_write()
        return True

    # ================================================================ the staff's side
    def door(self) -> StaffGroup:
        """The complaints group's door: its members only. The allow-list is empty, so an
        outage of the membership question refuses rather than opens."""
        return StaffGroup(
            StaffPolicy(frozenset()), current_id=lambda: self.complaints_chat,
            refusal=lambda anonymous: self.notice("refused", anonymous=anonymous),
            follow=self.follow_migration, name="complaints group",
            setting="COMPLAINTS_CHAT_ID", action="complaint action", prefix="kst:",
            parse_press=parse_staff_data,
        )

    def is_complaint_action(self, *, opens: bool, reply: ChatMessage | None) -> bool:
        """Whether the complaints group's gate must check the sender: /open there (`opens`),
        or a reply there to a complaint's message. Anything else is not its business."""
        return opens or (reply is not None and self.replied_complaint(reply) is not None)

    def replied_complaint(self, message: ChatMessage) -> Complaint | None:
        """The complaint a reply in the complaints group is about (its post, an addition)."""
        if message.replied_id is None:
            return None
        return self.complaint_for_reply(message.chat_id, message.replied_id)

    def staff_reply(self, message: ChatMessage) -> str | None:
        """A staff reply in the complaints group: relayed when it is about a complaint (see
        `reply`). Returns a line for the group when it was not relayed; None when relayed, or
        when it was about something else (staff talking to the bot)."""
        complaint = self.replied_complaint(message)
        if complaint is None or message.author is None:
            return None
        return self.reply(message.author, complaint, message.text, message.chat_id,
                          message.message_id)

    def complaint_for_reply(self, chat_id: int, message_id: int) -> Complaint | None:
        if chat_id != self.complaints_chat:
            return None
        found = self.storage.complaint_for_staff_message(chat_id, message_id)
        return None if found is None else self.storage.complaint(found)

    def open_list(self) -> str:
        """/open in the complaints group: what is in hand, oldest first, without texts."""
        now = self.clock()
        rows = [
            {"number": c.number, "language": c.language, "state": c.state,
             "claimed_by": c.claimed_name, "days": (now - c.created_at).days}
            for c in self.storage.complaints_in_hand()
        ]
        return self.staff_say("cmp_staff_open", complaints=rows)

    def staff_button(self, staff: StaffMember, data: str | None, ref: str) -> Outcome | None:
        """`kst:claim|close:<id>` pressed on a complaint's post (the gate checked where and
        who); None when the data is not one we could have sent."""
        press = parse_staff_data(data)
        return None if press is None else self.press(staff, press[0], press[1], ref)

    def press(self, staff: StaffMember, action: str, complaint_id: int, ref: str) -> Outcome:
        """A staff button on a post: claim (open → claimed) or close (claimed → closed)."""
        complaint = self.storage.complaint(complaint_id)
        if complaint is None:
            return Outcome(False)
        verb: Action = "claim" if action == "claim" else "close"
        try:
            to_state = next_state(complaint.state, verb)
        except NotAllowed:
            return self._stale(complaint)

        def rows(done: Complaint) -> list[NewOutbox]:
            if verb == "claim":
                return self._taken_rows(done, ref)
            return [*self._post_edit(done, ref), *self._user_rows(done, "cmp_closed", ref)]

        done = self.storage.move_complaint(Move(
            complaint.id, frozenset({complaint.state}), to_state, self.clock(),
            claimed_by=staff.id if verb == "claim" else None, claimed_name=staff.name,
            outbox_after=rows,
        ))
        if done is None:
            return self._stale(self.storage.complaint(complaint.id) or complaint)
        self.on_write()
        log.info("complaint %s: %s", complaint.number, to_state)
        return Outcome(True, self.notice(to_state, number=complaint.number, by=staff.name))

    def _stale(self, complaint: Complaint) -> Outcome:
        return Outcome(False, self.notice("stale", number=complaint.number,
                                          state=complaint.state,
                                          erased=complaint.erased_at is not None))

    def reply(
        self, staff: StaffMember, complaint: Complaint, text: str | None, chat_id: int,
        message_id: int,
    ) -> str | None:
        """A staff reply to a complaint's message: relayed to the person (taking the
        complaint up if it was open). Returns a line for the group when it was not relayed."""
        if not text:
            return self.notice("text_only", number=complaint.number)
        ref = f"s:{chat_id}:{message_id}"
        try:
            to_state = next_state(complaint.state, "reply")
        except NotAllowed:
            return self._stale(complaint).text
        was_open = complaint.state == "open"

        def rows(done: Complaint) -> list[NewOutbox]:
            relay = self._user_rows(done, "cmp_answer", ref, body=Markup(escape(text)))
            return [*self._taken_rows(done, ref), *relay] if was_open else relay

        done = self.storage.move_complaint(Move(
            complaint.id, frozenset({complaint.state}), to_state, self.clock(),
            claimed_by=staff.id if was_open else None, claimed_name=staff.name,
            outbox_after=rows,
        ))
        if done is None:
            return self._stale(self.storage.complaint(complaint.id) or complaint).text
        self.on_write()
        log.info("complaint %s answered", complaint.number)
        return None
