"""A run: what plugins see of the campaign's state as the engine runs its timeline."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from .model import Campaign
from .org import expand, resolve_groups
from .schedule import Schedule, schedule_of

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
    """

    def __init__(
        self,
        campaign: Campaign,
        *,
        now: dt.datetime,
        live: bool = False,
        schedule: Schedule | None = None,
    ) -> None:
        self.campaign = campaign
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
        """Assignees with no accepted submission for `requirement` by now, in file order."""
        accepted = self._accepted[requirement]
        return [unit for unit in self._assignees[requirement] if unit not in accepted]

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
