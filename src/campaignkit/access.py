"""Who may come into the hand-in portal: a unit through its secret link, a member of the
office's staff through a password or a bearer token. The records and the rules; the ledger
keeps them (``ledger/access.py``) and ``admission.py`` issues and checks them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Literal

import attrs

from .model import Campaign
from .problems import Problem
from .timeline import due_at

TokenKind = Literal["unit", "staff"]
"""Whom a token lets in: a unit of a campaign, or a member of staff."""


class AccessRefused(Exception):
    """Nothing was issued, added or revoked: the request has `problems` (an unknown unit, a
    staff name already taken…), each naming what is wrong."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(problem.message for problem in problems))
        self.problems = tuple(problems)


@attrs.frozen
class IssuedToken:
    """A unit's secret link, as it is issued: the token is shown this once, and the ledger
    keeps only its digest."""

    unit: str
    name: str
    """The unit's name."""
    token: str
    expires_at: dt.datetime
    """The last moment the link lets the unit in (UTC)."""

    def url(self, base_url: str) -> str:
        """The link to send the unit: ``{base_url}/u/{token}``."""
        return f"{base_url.rstrip('/')}/u/{self.token}"


@attrs.frozen
class StaffToken:
    """A bearer token for a member of staff's scripts, shown this once."""

    name: str
    token: str


@attrs.frozen
class StaffMember:
    """A member of the office's staff, who reviews hand-ins in the portal."""

    name: str
    password_hash: str
    """What the portal made of the password (argon2); the core stores it as given."""
    created_at: dt.datetime


@attrs.frozen
class StoredToken:
    """A token as the ledger keeps it: its digest, never the token."""

    digest: str
    kind: TokenKind
    subject: str
    """The unit's id, or the staff member's name."""
    campaign: str | None
    """The campaign of a unit's token; None for a staff token."""
    created_at: dt.datetime
    expires_at: dt.datetime | None = None
    """None: it does not expire (a staff token, until revoked)."""
    revoked_at: dt.datetime | None = None

    def lets_in(self, now: dt.datetime) -> bool:
        """Whether the token still opens the door at `now`: not revoked, and `now` is not
        past its last moment (to the second)."""
        if self.revoked_at is not None and self.revoked_at <= now:
            return False
        return self.expires_at is None or now <= self.expires_at


@attrs.frozen
class Visitor:
    """Who a token belongs to, when it lets them in."""

    kind: TokenKind
    subject: str
    """The unit's id, or the staff member's name."""
    campaign: str | None = None
    expires_at: dt.datetime | None = None


def token_digest(token: str) -> str:
    """What the ledger keeps of a token: its SHA-256, in hex.

    A fast hash is enough here, unlike for a password: a token is 256 random bits, so no
    one can try candidates against a stolen digest, and checking one costs a request
    nothing. A slow hash (argon2) is for secrets people choose."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def closes_at(campaign: Campaign) -> dt.datetime | None:
    """When a campaign closes, and its units' links expire: the end of the day its last
    phase ends, in its time zone (as UTC); None for a campaign without phases."""
    if not campaign.phases:
        return None
    last = max(phase.end for phase in campaign.phases.values())
    return due_at(campaign, last).astimezone(dt.UTC)
