"""The staff side, in the STAFF_CHAT_ID group: ticket buttons, answers by reply, commands.

- Buttons on a ticket message: Claim, Send suggestion 1/2/3 (relays that knowledge-base
  answer), Out of scope (the user gets a polite redirect), Close.
- A Telegram reply to a ticket message (or to an addition posted under it) is relayed to the
  user in their language; the ticket becomes answered; further replies are relayed too.
- /open, /ticket N, /stats, /promote N.
Every action checks the sender with `StaffAuth`, validates button data, and is applied as one
compare-and-set `Change` with its outbox rows, so a double click or a stale button changes
nothing. Handlers run in group -1 and stop the update when it was theirs.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from telegram import Message, Update, User
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.adapters.telegram import staff_commands
from bot.adapters.telegram import ticket_messages as tm
from bot.adapters.telegram.context import BotContext
from bot.adapters.telegram.replies import send_html
from bot.escalation.outbox import OutboxRow, ticket_key
from bot.escalation.records import Change, NewMessage, NewOutbox, Ticket
from bot.escalation.tickets import ACTIVE, STATE_LABELS, parse_staff_data

if TYPE_CHECKING:
    from bot.adapters.telegram.escalation import Escalation

log = logging.getLogger(__name__)
LANG = tm.STAFF_LANGUAGE


def _rt(context: BotContext) -> Escalation:
    return context.bot_data["escalation"]  # type: ignore[no-any-return]


class StaffChat(filters.MessageFilter):
    """Messages in the staff group, by its current id (it changes on a supergroup upgrade)."""

    def __init__(self, escalation: Escalation) -> None:
        super().__init__(name="StaffChat")
        self.escalation = escalation

    def filter(self, message: Message) -> bool:
        return message.chat.id == self.escalation.staff_chat_id


async def authorised(update: Update, context: BotContext) -> User | None:
    """The acting staff member, or None after refusing (with an explanation) and logging."""
    rt = _rt(context)
    query = update.callback_query
    message = update.effective_message
    staff_chat = rt.staff_chat_id
    sender_chat = message.sender_chat if message is not None and query is None else None
    user = update.effective_user
    verdict = "refused"
    if staff_chat is not None:
        verdict = await rt.auth.check(context.bot, staff_chat, user, sender_chat)
    if verdict == "staff":
        return user
    # No ids or names in the log: that someone was refused is what the operator needs.
    log.warning("refused a staff action (%s)", verdict)
    text = context.services.say(LANG, "esc_staff_refused", anonymous=verdict == "anonymous")
    if query is not None:
        await query.answer(text[:200], show_alert=True)
    elif message is not None:
        await message.reply_html(text)
    return None


async def notice(context: BotContext, chat_id: int, kind: str, **values: Any) -> None:
    await send_html(
        context, chat_id, context.services.say(LANG, "esc_staff_notice", kind=kind, **values)
    )


# ------------------------------------------------------------------------ changes
def _edit(rt: Escalation, context: BotContext, ticket: Ticket, ref: str) -> list[NewOutbox]:
    staff_chat = rt.staff_chat_id
    if staff_chat is None:
        return []
    messages = rt.storage.messages(ticket.id)
    return [tm.staff_edit_row(context.services.say, ticket, messages, staff_chat, ref)]


async def relay(
    context: BotContext,
    ticket: Ticket,
    *,
    body_html: str,
    text: str,
    staff: User,
    kind: str,
    ref: str,
) -> Ticket | None:
    """Send a staff answer to the user and mark the ticket answered (one transaction)."""
    rt = _rt(context)
    say = context.services.say

    def rows(answered: Ticket) -> list[NewOutbox]:
        return [*tm.relay_rows(say, answered, body_html, ref), *_edit(rt, context, answered, ref)]

    done = rt.storage.apply(
        Change(
            ticket.id,
            ACTIVE,
            "answered",
            rt.clock(),
            first_answer=True,
            messages=[
                NewMessage(
                    "out",
                    kind,
                    text,
                    source_key=ref,
                    author_id=staff.id,
                    author_name=staff.first_name,
                )
            ],
            outbox_after=rows,
        )
    )
    rt.kick()
    if done is not None:
        log.info("ticket %s answered (%s)", ticket.number, kind)
    return done


async def on_reply(update: Update, context: BotContext) -> None:
    """A reply to one of the bot's ticket messages in the staff group: relay it."""
    message = update.message
    replied = message.reply_to_message if message else None
    if message is None or replied is None or replied.from_user is None:
        return
    if replied.from_user.id != context.bot.id:
        return  # the staff talking among themselves
    rt = _rt(context)
    ticket_id = rt.storage.ticket_for_staff_message(message.chat.id, replied.message_id)
    if ticket_id is None:
        raise ApplicationHandlerStop  # a reply to /open or a notice: not a question for the bot
    staff = await authorised(update, context)
    ticket = rt.storage.ticket(ticket_id)
    if staff is None or ticket is None:
        raise ApplicationHandlerStop
    if not message.text:
        await notice(context, message.chat.id, "text_only", number=ticket.number)
        raise ApplicationHandlerStop
    done = await relay(
        context,
        ticket,
        body_html=tm.escape(message.text),
        text=message.text,
        staff=staff,
        kind="reply",
        ref=f"s:{message.chat.id}:{message.message_id}",
    )
    if done is None:
        await notice(
            context,
            message.chat.id,
            "not_allowed",
            number=ticket.number,
            state_label=STATE_LABELS[ticket.state],
        )
    raise ApplicationHandlerStop


async def on_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    rt = _rt(context)
    press = parse_staff_data(query.data)
    if press is None or query.message is None or query.message.chat.id != rt.staff_chat_id:
        log.warning("refused a staff button press with invalid data or outside the staff group")
        await query.answer()
        raise ApplicationHandlerStop
    staff = await authorised(update, context)
    if staff is None:
        raise ApplicationHandlerStop
    ticket = rt.storage.ticket_by_number(press.ticket)
    if ticket is None:
        await query.answer()
        raise ApplicationHandlerStop
    say = context.services.say
    ref = f"q:{query.id}"
    done: Ticket | None
    if press.action == "suggest":
        index = press.suggestion or 0
        if index > len(ticket.candidates):
            await query.answer()
            raise ApplicationHandlerStop
        entry = ticket.candidates[index - 1]
        answer = rt.core.answer_entry(entry.entry_id, today=rt.today())
        if answer.action != "answer":
            await notice(context, rt.staff_chat_id, "no_suggestion", index=index)
            await query.answer()
            raise ApplicationHandlerStop
        done = await relay(
            context,
            ticket,
            body_html=answer.text,
            text=f"[{entry.entry_id}]",
            staff=staff,
            kind="suggestion",
            ref=ref,
        )
    else:
        done = _apply_button(rt, context, ticket, press.action, staff, ref, say)
        rt.kick()
    if done is None:
        fresh = rt.storage.ticket(ticket.id) or ticket
        await query.answer(f"Kan niet: ticket #{ticket.number} is {STATE_LABELS[fresh.state]}.")
    else:
        await query.answer(f"Ticket #{ticket.number}: {STATE_LABELS[done.state]}")
    raise ApplicationHandlerStop


def _apply_button(
    rt: Escalation,
    context: BotContext,
    ticket: Ticket,
    action: str,
    staff: User,
    ref: str,
    say: Any,
) -> Ticket | None:
    now = rt.clock()
    if action == "claim":
        return rt.storage.apply(
            Change(
                ticket.id,
                frozenset({"open"}),
                "claimed",
                now,
                claimed_by=staff.id,
                claimed_name=staff.first_name,
                outbox_after=lambda t: _edit(rt, context, t, ref),
            )
        )
    if action == "out_of_scope":
        return rt.storage.apply(
            Change(
                ticket.id,
                ACTIVE,
                "out_of_scope",
                now,
                outbox_after=lambda t: [
                    *tm.user_rows(say, t, "esc_out_of_scope", ref),
                    *_edit(rt, context, t, ref),
                ],
            )
        )
    unanswered = ticket.first_answer_at is None and ticket.state in ("open", "claimed")

    def closing(t: Ticket) -> list[NewOutbox]:
        told = tm.user_rows(say, t, "esc_closed", ref) if unanswered else []
        return [*told, *_edit(rt, context, t, ref)]

    return rt.storage.apply(
        Change(
            ticket.id, frozenset({*ACTIVE, "user_blocked"}), "closed", now, outbox_after=closing
        )
    )


# ------------------------------------------------------------------------ the group itself
async def on_anonymous(update: Update, context: BotContext) -> None:
    """Anonymous admins post as the group itself; issue 3's gate drops them as bots, so they
    are caught first here and told why nothing happens, when they addressed the bot."""
    message = update.message
    if message is None or message.sender_chat is None:
        return
    replied = message.reply_to_message
    to_bot = (
        replied is not None
        and replied.from_user is not None
        and (replied.from_user.id == context.bot.id)
    )
    if to_bot or (message.text or "").startswith("/"):
        await authorised(update, context)
    raise ApplicationHandlerStop


async def on_migrate(update: Update, context: BotContext) -> None:
    message = update.message
    if message is None or message.migrate_to_chat_id is None:
        return
    rt = _rt(context)
    if message.chat.id == rt.staff_chat_id:
        await follow_migration(rt, message.chat.id, message.migrate_to_chat_id)
    raise ApplicationHandlerStop


async def follow_migration(rt: Escalation, old: int, new: int) -> None:
    """The staff group became a supergroup: follow the new id, move unsent messages there,
    post the open tickets again (the old group is read-only now), and tell the maintainer."""
    if rt.staff_chat_id == new:
        return
    rt.storage.set_value("staff_chat_id", str(new))
    rt.storage.retarget_staff_chat(old, new)
    rt.auth.forget()
    # The group's id is configuration, not a person's: the maintainer needs it in the log.
    log.warning("the staff group moved to a supergroup: set STAFF_CHAT_ID=%s", new)
    say = rt.say
    now = rt.clock()
    rt.storage.enqueue(
        tm.text_rows(
            f"migrated:{new}",
            "staff",
            new,
            say(LANG, "esc_staff_notice", kind="migrated", new_id=new, number=None),
        ),
        ticket_id=None,
        now=now,
    )
    for ticket in rt.storage.tickets_in_states(ACTIVE):
        rows = tm.staff_ticket_rows(say, ticket, rt.storage.messages(ticket.id), new)
        moved = [
            NewOutbox(
                ticket_key(ticket.id, "staff-ticket", new),
                r.target,
                r.chat_id,
                r.method,
                r.payload,
            )
            for r in rows[:1]
        ]
        rt.storage.enqueue(moved, ticket_id=ticket.id, now=now)
    rt.kick()


def user_unreachable(rt: Escalation, row: OutboxRow, status: str) -> None:
    """A message to the user could not be delivered: mark the ticket, tell the staff."""
    staff_chat = rt.staff_chat_id
    if row.target != "user" or row.ticket_id is None or staff_chat is None:
        log.warning("an outbox message to the staff group was given up (%s)", status)
        return
    ticket = rt.storage.ticket(row.ticket_id)
    if ticket is None:
        return
    say = rt.say
    if status == "blocked":

        def rows(t: Ticket) -> list[NewOutbox]:
            messages = rt.storage.messages(t.id)
            return [
                *tm.staff_notice_rows(say, t, staff_chat, "blocked", f"o{row.id}"),
                tm.staff_edit_row(say, t, messages, staff_chat, f"blocked{row.id}"),
            ]

        rt.storage.apply(Change(ticket.id, ACTIVE, "user_blocked", rt.clock(), outbox_after=rows))
    else:
        rt.storage.enqueue(
            tm.staff_notice_rows(say, ticket, staff_chat, "failed", f"o{row.id}"),
            ticket_id=ticket.id,
            now=rt.clock(),
        )
    rt.kick()


def register(application: Application) -> None:  # type: ignore[type-arg]
    rt: Escalation = application.bot_data["escalation"]
    staff = StaffChat(rt)
    # Before issue 3's gate (group -2), which drops anonymous admins as bots.
    application.add_handler(
        MessageHandler(staff & filters.SenderChat.ALL & filters.UpdateType.MESSAGE, on_anonymous),
        group=-3,
    )
    application.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, on_migrate), group=-3)
    application.add_handler(
        CommandHandler(
            ["open", "ticket", "stats", "promote"], staff_commands.staff_command, filters=staff
        ),
        group=-1,
    )
    application.add_handler(
        MessageHandler(
            staff & filters.REPLY & filters.UpdateType.MESSAGE & ~filters.COMMAND, on_reply
        ),
        group=-1,
    )
    application.add_handler(CallbackQueryHandler(on_button, pattern=r"^st:"), group=-1)
