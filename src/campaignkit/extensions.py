"""Extensions (延期) and exemptions (免报): the office moves one unit's deadline on one
requirement, or takes the unit out of it, for a reason, and may undo either.

The ledger keeps each one with who granted it and why, and who revoked it (never deleted).
`Allowances` is what is in force, read once per run, report or hand-in:

- an extension moves the unit's deadline to the end of its `until` day in the campaign's
  zone (the latest one in force, when several were granted); a hand-in before it is on
  time, and the unit is chased from its own date;
- an exemption takes the unit out of the requirement: standing ``exempt``, no notices,
  and not counted in any rate.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from .model import Campaign
from .timeline import due_at


@attrs.frozen
class Extension:
    """One unit's deadline on one requirement, moved to the end of `until`."""

    unit: str
    requirement: str
    until: dt.date
    reason: str
    by: str
    """Who granted it: a member of staff, or the operator at the command line."""
    at: dt.datetime
    revoked_at: dt.datetime | None = None
    revoked_by: str | None = None
    id: int | None = None
    """The ledger's row id, once recorded."""


@attrs.frozen
class Exemption:
    """One unit taken out of one requirement: nothing is asked of it there."""

    unit: str
    requirement: str
    reason: str
    by: str
    at: dt.datetime
    revoked_at: dt.datetime | None = None
    revoked_by: str | None = None
    id: int | None = None


@attrs.frozen
class ExtensionRequest:
    """A unit's request for a later deadline, kept in the audit log until the office answers
    it: with an extension or an exemption, or by declining it."""

    unit: str
    requirement: str
    until: dt.date
    reason: str
    at: dt.datetime


Pair = tuple[str, str]
"""(unit, requirement)."""


@attrs.frozen
class Allowances:
    """The extensions and exemptions in force (not revoked), by (unit, requirement)."""

    extended: Mapping[Pair, dt.date] = attrs.field(factory=dict)
    """Each moved deadline's day: the latest extension in force."""
    exempt: frozenset[Pair] = frozenset()
    moved: frozenset[Pair] = frozenset()
    """Every pair an extension was ever granted for, revoked ones too: their hand-ins are
    judged again against the deadline in force, so that revoking one restores the rule."""

    @classmethod
    def of(
        cls, extensions: Iterable[Extension] = (), exemptions: Iterable[Exemption] = ()
    ) -> Allowances:
        """What is in force among `extensions` and `exemptions` (in the order granted)."""
        extended: dict[Pair, dt.date] = {}
        moved: set[Pair] = set()
        for ext in extensions:
            moved.add((ext.unit, ext.requirement))
            if ext.revoked_at is None:
                extended[ext.unit, ext.requirement] = ext.until
        exempt = {(e.unit, e.requirement) for e in exemptions if e.revoked_at is None}
        return cls(extended, frozenset(exempt), frozenset(moved))

    def __bool__(self) -> bool:
        return bool(self.moved or self.exempt)

    def until(self, unit: str, requirement: str) -> dt.date | None:
        """The day `unit`'s deadline on `requirement` was moved to; None when it was not."""
        return self.extended.get((unit, requirement))

    def is_exempt(self, unit: str, requirement: str) -> bool:
        return (unit, requirement) in self.exempt

    def deadlines(self, campaign: Campaign) -> dict[Pair, dt.datetime]:
        """The deadline of every pair an extension was granted for (the requirement's own
        when it was revoked), of the campaign's requirements: what `reviews.reviewed`
        judges their hand-ins against."""
        out = {}
        for unit, requirement in self.moved:
            req = campaign.requirements.get(requirement)
            if req is not None:
                out[unit, requirement] = due_at(campaign, self.until(unit, requirement) or req.due)
        return out


NO_ALLOWANCES = Allowances()
"""Nothing extended and nothing exempt."""


def allowance_json(done: Extension | Exemption) -> dict[str, Any]:
    """An extension or an exemption as JSON data: what ``extend --format json`` prints,
    and the portal's API answers."""

    def moment(at: dt.datetime | None) -> str | None:
        return at.isoformat() if at is not None else None

    data: dict[str, Any] = {
        "id": done.id,
        "kind": "extension" if isinstance(done, Extension) else "exemption",
        "unit": done.unit,
        "requirement": done.requirement,
    }
    if isinstance(done, Extension):
        data["until"] = done.until.isoformat()
    return data | {
        "reason": done.reason,
        "by": done.by,
        "at": moment(done.at),
        "revoked_at": moment(done.revoked_at),
        "revoked_by": done.revoked_by,
    }
