"""The complaint route's buttons: their callback data and keyboards (plain Bot API dicts).

    kst:claim|close:<id>     staff, on a complaint's post in the complaints group
    kw:ask|yes|no:<id>       the person, on the receipt: withdraw (asked once more)
"""

from __future__ import annotations

from bot.core.buttons import Keyboard, keyboard
from bot.escalation.complaints import Complaint
from bot.escalation.messages import button
from bot.escalation.staff_language import STAFF_LANGUAGES, StaffLanguage, button_label

# The complaints group's buttons, per STAFF_LANGUAGE (the same words as the ticket posts').
STAFF_LABELS: dict[StaffLanguage, dict[str, str]] = {
    lang: {action: button_label(lang, action) for action in ("claim", "close")}
    for lang in STAFF_LANGUAGES
}
USER_LABELS: dict[str, dict[str, str]] = {
    "nl": {"withdraw": "↩️ Klacht intrekken", "yes": "Ja, intrekken", "no": "Nee, laten staan"},
    "fr": {"withdraw": "↩️ Retirer la plainte", "yes": "Oui, la retirer", "no": "Non, la garder"},
}


def staff_data(action: str, complaint_id: int) -> str:
    return f"kst:{action}:{complaint_id}"


def parse_staff_data(data: str | None) -> tuple[str, int] | None:
    """("claim" | "close", complaint id) from a staff button's data, else None."""
    parts = (data or "").split(":")
    if len(parts) != 3 or parts[0] != "kst" or parts[1] not in ("claim", "close"):
        return None
    return (parts[1], int(parts[2])) if parts[2].isdigit() else None


def withdraw_data(step: str, complaint_id: int) -> str:
    return f"kw:{step}:{complaint_id}"


def parse_withdraw_data(data: str | None) -> tuple[str, int] | None:
    """("ask" | "yes" | "no", complaint id) from a withdrawal button's data, else None."""
    parts = (data or "").split(":")
    if len(parts) != 3 or parts[0] != "kw" or parts[1] not in ("ask", "yes", "no"):
        return None
    return (parts[1], int(parts[2])) if parts[2].isdigit() else None


def staff_keyboard(complaint: Complaint, staff_lang: StaffLanguage) -> Keyboard | None:
    labels = STAFF_LABELS[staff_lang]
    if complaint.state == "open":
        return keyboard([[button(labels["claim"], staff_data("claim", complaint.id))]])
    if complaint.state == "claimed":
        return keyboard([[button(labels["close"], staff_data("close", complaint.id))]])
    return None


def withdraw_keyboard(complaint: Complaint) -> Keyboard:
    labels = USER_LABELS[complaint.language]
    return {"inline_keyboard": [[button(labels["withdraw"], withdraw_data("ask", complaint.id))]]}


def confirm_withdraw_keyboard(complaint: Complaint) -> Keyboard:
    labels = USER_LABELS[complaint.language]
    return {"inline_keyboard": [[
        button(labels["yes"], withdraw_data("yes", complaint.id)),
        button(labels["no"], withdraw_data("no", complaint.id)),
    ]]}
