"""The escalation workflow's long-lived parts (and the complaint route's), wired from the
settings, without Telegram.

`Workflow` owns what lives as long as the bot: the desk (desk.py, where the use cases are),
the staff group's door (staff_policy.StaffGroup), the core wrapped to count the questions it
answered itself (counting.py), the outbox worker (outbox_worker.py) and the hourly retention
sweep. It also says what follows when the worker gives a row up (the desk marks the ticket
and tells the staff) and when the staff group moved to a supergroup (the desk and the door
follow it). The Telegram adapter (bot/adapters/telegram/escalation.py) adds its handlers, the
durable inbox and the worker's Telegram transport.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from bot.clock import brussels_today, utc_now
from bot.core.assistant import AssistantLike, centre_say
from bot.delivery.split import split_message
from bot.delivery.sweep import Sweep
from bot.escalation.answers import AnswerOutbox
from bot.escalation.ballots import ballot_secret
from bot.escalation.complaint_desk import ComplaintDesk
from bot.escalation.complaints import ComplaintStorage
from bot.escalation.counting import CountingAssistant
from bot.escalation.desk import Desk
from bot.escalation.outbox import OutboxRow, RetryPolicy
from bot.escalation.outbox_worker import RECHECK, OutboxWorker, StorageCaller, Transport
from bot.escalation.records import TicketStorage
from bot.settings import Settings

MAINTENANCE_EVERY = timedelta(hours=1)
COMPLAINT_SWEEP_EVERY = timedelta(hours=1)


@dataclass(frozen=True)
class Options:
    retention_days: int = 180
    response_workdays: int = 2
    policy: RetryPolicy = field(default_factory=RetryPolicy)


class Workflow:
    def __init__(
        self,
        settings: Settings,
        storage: TicketStorage,
        assistant: AssistantLike,
        *,
        db: StorageCaller,
        clock: Callable[[], datetime] = utc_now,
        today: Callable[[], date] = brussels_today,
        options: Options | None = None,
    ) -> None:
        self.settings = settings
        self.storage = storage
        self.db = db  # every storage call made from async code goes through it
        self.clock = clock
        self.options = options or Options(
            retention_days=settings.retention_days, response_workdays=settings.response_workdays
        )
        self.desk = Desk(
            storage,
            assistant,
            centre_say(settings, assistant),
            clock=clock,
            today=today,
            split=split_message,  # the sender's limit: one outbox row per Telegram message
            configured_staff_chat=settings.staff_chat_id,
            response_workdays=self.options.response_workdays,
            on_write=self.kick,
            staff_language=settings.staff_language,
            ballot_secret=ballot_secret(settings.bot_token),
        )
        self.group = self.desk.door(settings.staff_user_ids)
        self.assistant = CountingAssistant(assistant, storage)
        self.sender: OutboxWorker | None = None
        self._maintenance = Sweep(self.maintain, MAINTENANCE_EVERY, "retention")

    @property
    def staff_chat_id(self) -> int | None:
        return self.desk.staff_chat_id

    def kick(self) -> None:
        """Rows were committed to the outbox: deliver now."""
        if self.sender is not None:
            self.sender.kick()

    def answer_outbox(self) -> AnswerOutbox:
        """Where handlers' messages go: rows in this workflow's outbox, delivered by its worker."""
        return AnswerOutbox(
            self.storage, self.db, clock=self.clock, kick=self.kick,
            is_staff_chat=self.desk.is_staff_chat,
        )

    def deliver_through(self, transport: Transport) -> None:
        """Start the outbox worker on `transport`, and the hourly retention sweep."""
        self.sender = OutboxWorker(
            transport,
            self.storage,
            db=self.db,
            clock=self.clock,
            policy=self.options.policy,
            on_give_up=self._gave_up,
            on_migrated=self._migrated,
            # Half the lease: a crashed replica's rows are looked at soon after it expires.
            recheck=min(RECHECK, self.settings.outbox_lease / 2),
        )
        self.sender.start()
        self._maintenance.start()

    async def stop(self) -> None:
        await self._maintenance.stop()
        if self.sender is not None:
            await self.sender.stop()
            self.sender = None

    def maintain(self) -> list[int]:
        """The desk's retention sweep (anonymised tickets, old outbox texts, answers given)."""
        return self.desk.sweep(self.options.retention_days)

    async def _gave_up(self, row: OutboxRow, status: str) -> None:
        await self.db(self.desk.user_unreachable, row, status)

    async def _migrated(self, old: int, new: int) -> None:
        if await self.db(self.desk.group_moved, old, new):
            await self.db(self.group.follow_migration, old, new)


class ComplaintWorkflow:
    """The confidential complaint route's long-lived parts, wired from the settings: its desk
    (complaint_desk.py), the complaints group's door, and the hourly sweep that empties
    complaints past COMPLAINT_RETENTION_DAYS. The adapter's complaint_route.py adds the
    handlers and the conversation; the escalation workflow's outbox worker delivers its rows."""

    def __init__(
        self,
        settings: Settings,
        storage: ComplaintStorage,
        assistant: AssistantLike,
        *,
        clock: Callable[[], datetime] = utc_now,
        on_write: Callable[[], None] = lambda: None,
    ) -> None:
        self.retention_days = settings.complaint_retention_days
        self.desk = ComplaintDesk(
            storage,
            centre_say(settings, assistant),
            clock=clock,
            split=split_message,
            configured_chat=settings.complaints_chat_id,
            staff_lang=settings.staff_language,
            on_write=on_write,
        )
        self.group = self.desk.door()
        self._sweep = Sweep(self.maintain, COMPLAINT_SWEEP_EVERY, "complaint retention")

    def start(self) -> None:
        """Erase what is due now, then every hour (tests call it directly)."""
        self.maintain()
        self._sweep.start()

    async def stop(self) -> None:
        await self._sweep.stop()

    def maintain(self) -> list[int]:
        """Complaints past COMPLAINT_RETENTION_DAYS lose their texts; their posts are replaced."""
        return self.desk.anonymise_due(self.retention_days)
