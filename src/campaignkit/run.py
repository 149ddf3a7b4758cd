"""A run: what plugins see of the campaign's state as the engine runs its timeline."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from .extensions import NO_ALLOWANCES, Allowances
from .model import Campaign
from .org import expand, resolve_groups
from .schedule import Schedule, schedule_of
from .timeline import due_at

if TYPE_CHECKING:
    from .submissions import Verdict


class Run:
    """One run of a campaign's timeline: on the virtual clock a rehearsal, on the real clock
    a tick.

    Plugins read it; only the engine changes it. ``now`` is the instant of the event being
    processed. Assignees are resolved once per run, so a plugin can fan out to units
    without resolving groups on every event.

    On the real clock (``tick``), the run knows every hand-in recorded up to the moment the
    tick runs to, so that a tick that wakes up late chases only what is still missing then.

    It also knows the office's extensions and exemptions (`allowances`): a unit whose
    deadline was moved is chased by events of its own (an `Event` with ``unit`` set, at
    its own date), not by the requirement's, and an exempt unit is chased by none.
    """

    def __init__(
        self,
        campaign: Campaign,
        *,
        now: dt.datetime,
        live: bool = False,
        schedule: Schedule | None = None,
        allowances: Allowances = NO_ALLOWANCES,
    ) -> None:
        self.campaign = campaign
        self.allowances = allowances
        """The extensions and exemptions in force."""
        self.now = now
        self.live = live
        """True for `tick` on the real clock, False for `simulate`."""
        self.schedule = schedule if schedule is not None else schedule_of(campaign)
        """When notices may go out: ``run.schedule.next_send(moment)``."""
        groups = resolve_groups(campaign)
        self._assignees = {
            req.id: expand(campaign, req.assignees, groups)
            for req in campaign.requirements.values()
        }
        self._assigned: dict[str, frozenset[str]] = {}
        self._accepted: dict[str, set[str]] = {req_id: set() for req_id in self._assignees}
        # Only the rejected hand-ins are kept: a national rehearsal judges 100,000 others.
        self._rejected: dict[tuple[str, str], Verdict] = {}

    def assignees(self, requirement: str) -> tuple[str, ...]:
        """The units that must hand in `requirement`, groups resolved, in file order."""
        return self._assignees[requirement]

    def has_accepted(self, unit: str, requirement: str) -> bool:
        """True when `unit` has an accepted submission for `requirement` by now."""
        return unit in self._accepted.get(requirement, ())

    def missing(self, requirement: str) -> list[str]:
        """Assignees with no accepted submission for `requirement` by now, in file order,
        that the requirement's own events chase: not those exempt from it, nor those whose
        deadline was moved (their own events chase them, see `owes`)."""
        accepted = self._accepted[requirement]
        units = [unit for unit in self._assignees[requirement] if unit not in accepted]
        if not self.allowances:
            return units
        kept = self.allowances
        return [
            unit
            for unit in units
            if not kept.is_exempt(unit, requirement) and kept.until(unit, requirement) is None
        ]

    def owes(self, unit: str, requirement: str) -> bool:
        """True when `unit` still owes `requirement` by now: an assignee, not exempt, with
        no accepted submission — what an event of the unit's own chases."""
        assigned = self._assigned.get(requirement)
        if assigned is None:  # a set, once per requirement: thousands of units may be extended
            assigned = frozenset(self._assignees.get(requirement, ()))
            self._assigned[requirement] = assigned
        return (
            unit in assigned
            and not self.has_accepted(unit, requirement)
            and not self.allowances.is_exempt(unit, requirement)
        )

    def is_exempt(self, unit: str, requirement: str) -> bool:
        """True when the office exempted `unit` from `requirement`: nothing is sent to it."""
        return self.allowances.is_exempt(unit, requirement)

    def deadline(self, unit: str, requirement: str) -> dt.datetime:
        """`unit`'s deadline on `requirement`: the end of the day of its extension in force,
        or the requirement's own, in the campaign's zone."""
        until = self.allowances.until(unit, requirement)
        return due_at(self.campaign, until or self.campaign.requirements[requirement].due)

    def rejection(self, unit: str, requirement: str) -> Verdict | None:
        """The unit's latest hand-in for `requirement` by now if it was rejected — with the
        reasons, what the unit must fix — or None when none was, or one was accepted since."""
        return self._rejected.get((unit, requirement))

    def record(self, row: Verdict) -> None:
        """Take a judged submission into account (the engine calls this, in time order)."""
        key = (row.unit, row.requirement)
        if row.status == "rejected":
            self._rejected[key] = row
        elif row.status == "returned":  # the office asked for changes: not handed in yet
            self._rejected.pop(key, None)
            self._accepted.get(row.requirement, set()).discard(row.unit)
        else:
            self._rejected.pop(key, None)
            self._accepted.setdefault(row.requirement, set()).add(row.unit)
