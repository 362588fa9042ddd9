"""One vote per person per answer, without storing who voted.

A vote is stored with a *ballot*: a keyed hash (HMAC-SHA256) of who voted on what — the user
and the answer's message for an assistant answer, the user and the ticket for a staff answer.
The same person pressing the same 👍 again (a double tap, a forged press) finds their ballot
and changes nothing; pressing 👎 instead replaces their vote. The database holds no user or
chat id, and without the key a ballot cannot be traced back to anyone: the key is derived
from the bot token, which is never stored in the database. (A new token gives new ballots,
so a vote cast before a token change can be cast once more after it.)
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from typing import Literal

BallotOutcome = Literal["new", "changed", "same"]  # what a vote did to its ballot


def ballot_secret(token: str) -> bytes:
    """The ballots' key: derived from the bot token, so it lives outside the database."""
    return hashlib.sha256(b"ballots\x00" + token.encode()).digest()


def ballot(secret: bytes, kind: Literal["answer", "ticket"], user_id: int, *about: int) -> str:
    """The ballot of `user_id` on one answer ("answer", chat id, message id) or one staff
    answer ("ticket", ticket id)."""
    subject = ":".join((kind, str(user_id), *(str(part) for part in about)))
    return hmac.new(secret, subject.encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Voted:
    """What a 👍/👎 on an assistant answer does for the person who pressed it."""

    thanks: bool  # a new or changed 👍: thank them
    counted: bool  # not the same vote again: the thumbs go, so it is not cast twice
    alternatives: bool  # a counted 👎: offer the closest other entries and a staff member


def voted(up: bool, outcome: BallotOutcome) -> Voted:
    """The same vote again (a double tap) changes nothing and says nothing."""
    counted = outcome != "same"
    return Voted(thanks=up and counted, counted=counted, alternatives=counted and not up)
