"""Letting people into the hand-in portal: issue and revoke each unit's secret link, add the
office's staff and their bearer tokens, and say who a token belongs to. The use cases the
portal's commands and pages call; they print nothing.

A token is 256 random bits from `secrets`, shown once; the ledger keeps its digest alone
(`access.token_digest`), so a copy of the ledger lets no one in.
"""

from __future__ import annotations

import datetime as dt
import hmac
import secrets
from collections.abc import Iterable

from .access import (
    AccessRefused,
    IssuedToken,
    StaffMember,
    StaffToken,
    StoredToken,
    Visitor,
    closes_at,
    token_digest,
)
from .i18n import _
from .ledger import Ledger
from .model import Campaign
from .problems import Problem, did_you_mean
from .reviews import AuditEntry

TOKEN_BYTES = 32
"""How much randomness a token carries: 256 bits."""


OPERATOR = "command line"
"""Who the audit log says acted, when the command line did: the portal names its staff."""


def new_token() -> str:
    """A fresh token: 256 random bits, URL-safe."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def _unknown_units(campaign: Campaign, units: Iterable[str]) -> list[Problem]:
    problems = []
    for unit in units:
        if unit not in campaign.units:
            message = _("there is no unit `{unit}` in the campaign").format(unit=unit)
            hint = did_you_mean(unit, campaign.units)
            problems.append(Problem("unit", message, hint, code="unknown-unit"))
    return problems


def _refuse_unknown(campaign: Campaign, units: list[str]) -> None:
    if not units:
        raise AccessRefused([Problem("unit", _("no unit was named"), code="no-unit")])
    problems = _unknown_units(campaign, units)
    if problems:
        raise AccessRefused(problems)


def issue_unit_tokens(
    campaign: Campaign,
    ledger: Ledger,
    units: Iterable[str],
    *,
    expires: dt.datetime | None = None,
    now: dt.datetime,
    actor: str = OPERATOR,
) -> list[IssuedToken]:
    """Issue a secret link to each unit (by id), replacing (revoking) its earlier one.

    Each expires at `expires`, or when the campaign closes (`access.closes_at`). Raises
    `AccessRefused` for an unknown unit, or an expiry that is not after `now`; then nothing
    is issued."""
    wanted = list(dict.fromkeys(units))
    _refuse_unknown(campaign, wanted)
    until = expires if expires is not None else closes_at(campaign)
    if until is None:
        message = _("the campaign has no phases, so its links do not expire by themselves")
        hint = _("give the moment they expire")
        raise AccessRefused([Problem("expires", message, hint, code="no-expiry")])
    if until <= now:
        message = _("the links would expire at {moment}, which is already past").format(
            moment=until.astimezone(dt.UTC).isoformat(timespec="seconds")
        )
        raise AccessRefused([Problem("expires", message, code="expired")])
    cid = campaign.campaign.id
    issued = [
        IssuedToken(unit, campaign.units[unit].name, new_token(), until.astimezone(dt.UTC))
        for unit in wanted
    ]
    ledger.store_tokens(
        (
            StoredToken(
                token_digest(t.token), "unit", t.unit, campaign.campaign.id, now, t.expires_at
            )
            for t in issued
        ),
        replace=True,
        audit=[
            (cid, AuditEntry(now, actor, "invite", t.unit, {"expires": t.expires_at.isoformat()}))
            for t in issued
        ],
    )
    return issued


def revoke_unit_tokens(
    campaign: Campaign,
    ledger: Ledger,
    units: Iterable[str],
    *,
    now: dt.datetime,
    actor: str = OPERATOR,
) -> dict[str, int]:
    """Revoke each unit's links (by id): how many live ones each had. Raises
    `AccessRefused` for an unknown unit; then nothing is revoked."""
    wanted = list(dict.fromkeys(units))
    _refuse_unknown(campaign, wanted)
    return ledger.revoke_tokens("unit", campaign.campaign.id, wanted, now, actor=actor)


def who_is(ledger: Ledger, token: str, *, now: dt.datetime) -> Visitor | None:
    """Who `token` lets in at `now`: a unit or a member of staff; None for a token that is
    unknown, expired or revoked."""
    digest = token_digest(token)
    stored = ledger.stored_token(digest)
    # The row is found by its digest, which tells nothing of the token; the digests are
    # still compared in constant time, so that no lookup's timing ever depends on how much
    # of a guess was right.
    if stored is None or not hmac.compare_digest(stored.digest, digest):
        return None
    if not stored.lets_in(now):
        return None
    if stored.kind == "staff" and ledger.staff_member(stored.subject) is None:
        return None
    return Visitor(stored.kind, stored.subject, stored.campaign, stored.expires_at)


def add_staff(
    ledger: Ledger, name: str, password_hash: str, *, now: dt.datetime, actor: str = OPERATOR
) -> StaffMember:
    """Add a member of staff, with the hash of their password (the portal hashes it; the
    core keeps the string it is given). Raises `AccessRefused` for an empty name or hash, or
    a name already taken."""
    name = name.strip()
    if not name:
        raise AccessRefused([Problem("name", _("a member of staff needs a name"), code="empty")])
    if not password_hash:
        message = _("the password is empty")
        raise AccessRefused([Problem("password", message, code="empty-password")])
    member = StaffMember(name, password_hash, now)
    if not ledger.add_staff_member(member, actor=actor):
        message = _("there is a member of staff named `{name}` already").format(name=name)
        raise AccessRefused([Problem("name", message, code="name-taken")])
    return member


def _known_staff(ledger: Ledger, name: str) -> None:
    if ledger.staff_member(name) is None:
        message = _("there is no member of staff named `{name}`").format(name=name)
        hint = did_you_mean(name, [m.name for m in ledger.staff_members()])
        raise AccessRefused([Problem("name", message, hint, code="unknown-staff")])


def issue_staff_token(
    ledger: Ledger, name: str, *, now: dt.datetime, actor: str = OPERATOR
) -> StaffToken:
    """A bearer token for a member of staff's scripts, shown this once; it lasts until it
    is revoked. Raises `AccessRefused` for an unknown name."""
    _known_staff(ledger, name)
    token = new_token()
    ledger.store_tokens(
        [StoredToken(token_digest(token), "staff", name, None, now)],
        audit=[("", AuditEntry(now, actor, "staff-token", name))],
    )
    return StaffToken(name, token)


def revoke_staff_tokens(
    ledger: Ledger, name: str, *, now: dt.datetime, actor: str = OPERATOR
) -> int:
    """Revoke every bearer token of a member of staff: how many were live. Raises
    `AccessRefused` for an unknown name."""
    _known_staff(ledger, name)
    return ledger.revoke_tokens("staff", None, [name], now, actor=actor)[name]
