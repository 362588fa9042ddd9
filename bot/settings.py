"""Configuration from environment variables: one table, one place, every problem at once.

`SETTINGS` is the single list of knobs; the README's configuration table is checked against it.
`Settings.from_env(environ)` takes the mapping as an argument (tests pass a dict) and collects
*all* problems before failing, one line each, so an operator fixes a deployment in one go.
The bot token is never printed: not in problems, not in repr.
"""

from __future__ import annotations

import ipaddress
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import time, timedelta
from pathlib import Path
from typing import cast
from urllib.parse import urlsplit

from bot.core.model import Language
from bot.escalation.retention import DEFAULT_COMPLAINT_RETENTION_DAYS
from bot.escalation.staff_language import StaffLanguage, parse_staff_language
from bot.reporting.schedule import parse_time, parse_weekday

REPO_ROOT = Path(__file__).resolve().parent.parent
TELEGRAM_BASE_URL = "https://api.telegram.org/bot{token}"
# A real token is "<bot id>:<35 url-safe characters>"; we only check the shape loosely so a
# self-hosted or test server with shorter secrets still works.
_TOKEN_SHAPE = re.compile(r"^\d{3,}:[A-Za-z0-9_-]{10,}$")
_LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
_SECRET_SHAPE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


@dataclass(frozen=True)
class Setting:
    env: str  # the environment variable, e.g. "BOT_TOKEN"
    default: str | None  # None = required by `python -m bot telegram`
    help: str  # one line; the README table repeats it


SETTINGS: tuple[Setting, ...] = (
    Setting("BOT_TOKEN", None, "Bot token from @BotFather. Never logged."),
    Setting(
        "STAFF_CHAT_ID",
        "",
        "Telegram id of the staff group (e.g. -1001234567890); empty = no staff group yet.",
    ),
    Setting(
        "STAFF_USER_IDS",
        "",
        "Comma-separated Telegram user ids allowed to act as staff; empty = nobody.",
    ),
    Setting(
        "BOT_API_BASE_URL",
        TELEGRAM_BASE_URL,
        "Bot API base URL ({token} is filled in); set it for a local Bot API server or a test "
        "emulator.",
    ),
    Setting(
        "DATABASE_URL",
        "sqlite:///var/bot.sqlite3",
        "Database: sqlite:///relative/path, sqlite:////absolute/path, or "
        "postgresql://user:pass@host/db (extra `postgres`; several replicas may share it).",
    ),
    Setting("DEFAULT_LANGUAGE", "nl", "Language for chats that have not chosen one: nl or fr."),
    Setting(
        "STAFF_LANGUAGE",
        "",
        "Language of every staff-group text (ticket posts, buttons, replies, popups, /stats): "
        "nl, fr or nl+fr (both, compactly); empty = DEFAULT_LANGUAGE.",
    ),
    Setting("CENTRE_NAME", None, "The expertise centre's display name, shown in replies."),
    Setting(
        "CENTRE_CONTACT",
        None,
        "How to reach the centre's staff (e-mail, phone, web page), shown in replies.",
    ),
    Setting(
        "KNOWLEDGE_DIR",
        "",
        "Folder holding faq/ and knowledge/; empty = the checkout (or image) root next to bot/.",
    ),
    Setting("LOG_LEVEL", "INFO", "Logging level: DEBUG, INFO, WARNING or ERROR."),
    Setting(
        "RETENTION_DAYS",
        "180",
        "Days after a ticket's last activity before its text and chat id are erased (anonymised).",
    ),
    Setting(
        "COMPLAINTS_CHAT_ID",
        "",
        "Telegram id of the complaints group (a separate, smaller staff group) that receives "
        "/klacht and /plainte; empty = complaints are not taken (the centre's contact is given).",
    ),
    Setting(
        "COMPLAINT_RETENTION_DAYS",
        str(DEFAULT_COMPLAINT_RETENTION_DAYS),
        "Days after a complaint's last activity before its texts and chat id are erased.",
    ),
    Setting(
        "REPORT_WEEKDAY",
        "",
        "Day the weekly report is posted in the staff group: mon ... sun (or 1-7, 1 = Monday); "
        "empty = no weekly post.",
    ),
    Setting(
        "REPORT_TIME",
        "08:00",
        "Time of the weekly report post, HH:MM Brussels time; it covers the seven days before.",
    ),
    Setting(
        "RESPONSE_WORKDAYS",
        "2",
        "Expected staff response time in working days, told to the user with the ticket number.",
    ),
    Setting(
        "WEBHOOK_URL",
        "",
        "Public https URL Telegram posts updates to (webhook mode); empty = long polling. "
        "http only for loopback hosts.",
    ),
    Setting(
        "WEBHOOK_LISTEN",
        "0.0.0.0",
        "Webhook mode: address the webhook server listens on.",
    ),
    Setting("WEBHOOK_PORT", "8080", "Webhook mode: port the webhook server listens on."),
    Setting(
        "WEBHOOK_SECRET",
        "",
        "Webhook mode (required there): secret Telegram sends in X-Telegram-Bot-Api-Secret-Token; "
        "1-256 of A-Z a-z 0-9 _ -. Never logged.",
    ),
    Setting(
        "CONVERSATION_TIMEOUT_MINUTES",
        "15",
        "Minutes without an answer before a guided check (allowance, insurance) expires and "
        "says so; decimals allowed, 0 = never.",
    ),
    Setting(
        "METRICS_PORT",
        "",
        "Polling mode: port for /healthz, /readyz and /metrics; empty = off (webhook mode "
        "serves them on WEBHOOK_PORT).",
    ),
    Setting(
        "OUTBOX_LEASE_SECONDS",
        "60",
        "PostgreSQL with several replicas: seconds a replica holds the outbox rows it is sending; "
        "a crashed replica's rows are taken over after this.",
    ),
)


class SettingsError(Exception):
    """The environment is not usable; `problems` has one human line per problem."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class Settings:
    bot_token: str = field(repr=False)
    staff_chat_id: int | None
    staff_user_ids: frozenset[int]
    bot_api_base_url: str
    database_url: str
    default_language: Language
    centre_name: str
    centre_contact: str
    knowledge_dir: Path
    log_level: str
    retention_days: int = 180
    response_workdays: int = 2
    staff_language: StaffLanguage = "nl"
    metrics_port: int | None = None
    webhook_url: str = ""
    webhook_listen: str = "0.0.0.0"  # the proxy in front of a container connects from outside
    webhook_port: int = 8080
    webhook_secret: str = field(default="", repr=False)
    outbox_lease_seconds: int = 60
    complaints_chat_id: int | None = None
    complaint_retention_days: int = DEFAULT_COMPLAINT_RETENTION_DAYS
    report_weekday: int | None = None  # Python's weekday (Monday = 0); None = no weekly post
    report_time: time = time(8, 0)  # Brussels time

    @property
    def outbox_lease(self) -> timedelta:
        return timedelta(seconds=self.outbox_lease_seconds)
    conversation_timeout_minutes: float = 15.0

    @property
    def webhook_path(self) -> str:
        """The path of WEBHOOK_URL: where the webhook server accepts Telegram's posts."""
        return urlsplit(self.webhook_url).path or "/"

    @property
    def database_path(self) -> Path:
        """The SQLite file named by DATABASE_URL (validated in from_env)."""
        return Path(self.database_url.removeprefix("sqlite:///"))

    @classmethod
    def from_env(cls, environ: Mapping[str, str], *, command: str = "telegram") -> Settings:
        """Read every setting; raise SettingsError listing all problems.

        Settings without a default are required only for `command == "telegram"`; other
        commands (console chat, bench) get empty strings so they can run without a bot.
        """
        problems: list[str] = []
        raw: dict[str, str] = {}
        for setting in SETTINGS:
            value = environ.get(setting.env, "").strip()
            if not value:
                if setting.default is None and command == "telegram":
                    problems.append(f'{setting.env} is missing (needed for "{command}").')
                value = setting.default or ""
            raw[setting.env] = value

        token = raw["BOT_TOKEN"]
        if token and not _TOKEN_SHAPE.match(token):
            # Never echo the value: a half-pasted token is still a secret.
            problems.append(
                "BOT_TOKEN does not look like a bot token (expected <digits>:<letters>, "
                "as given by @BotFather)."
            )

        staff_chat_id = _optional_int("STAFF_CHAT_ID", raw["STAFF_CHAT_ID"], problems)
        staff_user_ids = _int_set("STAFF_USER_IDS", raw["STAFF_USER_IDS"], problems)

        base_url = raw["BOT_API_BASE_URL"]
        if not base_url.startswith(("http://", "https://")):
            problems.append(f"BOT_API_BASE_URL has value {base_url!r}: not an http(s) URL.")

        database_url = raw["DATABASE_URL"]
        if database_url.startswith(("postgresql://", "postgres://")):
            pass  # the driver checks the rest when it connects; the password is never echoed
        elif not database_url.startswith("sqlite:///") or database_url == "sqlite:///":
            problems.append(
                "DATABASE_URL is not sqlite:///path or postgresql://user:pass@host/db."
            )

        language = raw["DEFAULT_LANGUAGE"].lower()
        if language not in ("nl", "fr"):
            problems.append(
                f"DEFAULT_LANGUAGE has value {raw['DEFAULT_LANGUAGE']!r}: use nl or fr."
            )

        # Empty: the staff speak the default language (a wrong one is reported above).
        staff_language = parse_staff_language(
            raw["STAFF_LANGUAGE"] or (language if language in ("nl", "fr") else "nl")
        )
        if staff_language is None:
            problems.append(
                f"STAFF_LANGUAGE has value {raw['STAFF_LANGUAGE']!r}: use nl, fr or nl+fr."
            )

        knowledge_dir = Path(raw["KNOWLEDGE_DIR"]) if raw["KNOWLEDGE_DIR"] else REPO_ROOT
        if not knowledge_dir.is_dir():
            problems.append(f"KNOWLEDGE_DIR has value {str(knowledge_dir)!r}: not a folder.")

        log_level = raw["LOG_LEVEL"].upper()
        if log_level not in _LOG_LEVELS:
            problems.append(
                f"LOG_LEVEL has value {raw['LOG_LEVEL']!r}: use one of {', '.join(_LOG_LEVELS)}."
            )

        retention_days = _positive_int("RETENTION_DAYS", raw["RETENTION_DAYS"], problems)
        complaints_chat_id = _optional_int(
            "COMPLAINTS_CHAT_ID", raw["COMPLAINTS_CHAT_ID"], problems
        )
        if complaints_chat_id is not None and complaints_chat_id == staff_chat_id:
            problems.append(
                "COMPLAINTS_CHAT_ID is the same group as STAFF_CHAT_ID: complaints need a "
                "separate, smaller group."
            )
        complaint_retention_days = _positive_int(
            "COMPLAINT_RETENTION_DAYS", raw["COMPLAINT_RETENTION_DAYS"], problems
        )
        response_workdays = _positive_int("RESPONSE_WORKDAYS", raw["RESPONSE_WORKDAYS"], problems)
        outbox_lease_seconds = _positive_int(
            "OUTBOX_LEASE_SECONDS", raw["OUTBOX_LEASE_SECONDS"], problems
        )

        metrics_port = _optional_port("METRICS_PORT", raw["METRICS_PORT"], problems)
        timeout = raw["CONVERSATION_TIMEOUT_MINUTES"]
        try:
            conversation_timeout = float(timeout)
        except ValueError:
            conversation_timeout = -1.0
        if not 0 <= conversation_timeout < float("inf"):
            problems.append(
                f"CONVERSATION_TIMEOUT_MINUTES has value {timeout!r}: not a number of minutes "
                "(0 or more)."
            )
        webhook_url = raw["WEBHOOK_URL"]
        webhook_port = _optional_port("WEBHOOK_PORT", raw["WEBHOOK_PORT"], problems) or 8080
        webhook_secret = raw["WEBHOOK_SECRET"]
        if webhook_url:
            _check_webhook_url(webhook_url, problems)
            if not webhook_secret:
                problems.append("WEBHOOK_SECRET is missing (needed when WEBHOOK_URL is set).")
        if webhook_secret and not _SECRET_SHAPE.match(webhook_secret):
            problems.append(
                "WEBHOOK_SECRET must be 1-256 characters of A-Z, a-z, 0-9, _ and - "
                "(Telegram's rule)."
            )

        report_weekday = parse_weekday(raw["REPORT_WEEKDAY"], problems)
        report_time = parse_time(raw["REPORT_TIME"], problems)

        if problems:
            raise SettingsError(problems)
        return cls(
            bot_token=token,
            staff_chat_id=staff_chat_id,
            staff_user_ids=staff_user_ids,
            bot_api_base_url=base_url,
            database_url=database_url,
            default_language=cast(Language, language),
            centre_name=raw["CENTRE_NAME"],
            centre_contact=raw["CENTRE_CONTACT"],
            knowledge_dir=knowledge_dir,
            log_level=log_level,
            retention_days=retention_days,
            response_workdays=response_workdays,
            staff_language=staff_language or "nl",
            metrics_port=metrics_port,
            webhook_url=webhook_url,
            webhook_listen=raw["WEBHOOK_LISTEN"],
            webhook_port=webhook_port,
            webhook_secret=webhook_secret,
            outbox_lease_seconds=outbox_lease_seconds,
            complaints_chat_id=complaints_chat_id,
            complaint_retention_days=complaint_retention_days,
            conversation_timeout_minutes=conversation_timeout,
            report_weekday=report_weekday,
            report_time=report_time,
        )

    @property
    def log_level_number(self) -> int:
        return logging.getLevelName(self.log_level)  # type: ignore[no-any-return]


def _optional_int(name: str, value: str, problems: list[str]) -> int | None:
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        problems.append(f"{name} has value {value!r}: not an integer.")
        return None


def _int_set(name: str, value: str, problems: list[str]) -> frozenset[int]:
    ids: set[int] = set()
    for part in filter(None, (p.strip() for p in value.split(","))):
        try:
            ids.add(int(part))
        except ValueError:
            problems.append(f"{name} contains {part!r}: not an integer user id.")
    return frozenset(ids)


def _positive_int(name: str, value: str, problems: list[str]) -> int:
    try:
        number = int(value)
    except ValueError:
        problems.append(f"{name} has value {value!r}: not a whole number.")
        return 0
    if number < 1:
        problems.append(f"{name} has value {value!r}: must be at least 1.")
    return number


def _optional_port(name: str, value: str, problems: list[str]) -> int | None:
    if not value:
        return None
    if not value.isdigit() or not 1 <= int(value) <= 65535:
        problems.append(f"{name} has value {value!r}: not a port number (1-65535).")
        return None
    return int(value)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _check_webhook_url(url: str, problems: list[str]) -> None:
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.scheme not in ("http", "https") or not host:
        problems.append(f"WEBHOOK_URL has value {url!r}: not an http(s) URL.")
    elif parts.scheme == "http" and not is_loopback(host):
        problems.append(
            f"WEBHOOK_URL has value {url!r}: must be https (http only for loopback hosts)."
        )
    elif parts.query or parts.fragment:
        problems.append(f"WEBHOOK_URL has value {url!r}: no query or fragment, only a path.")
