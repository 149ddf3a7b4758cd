"""A run: what plugins see of the campaign's state as the engine walks its timeline."""

from __future__ import annotations

import datetime as dt

from .model import Campaign
from .org import expand, resolve_groups


class Run:
    """One walk of a campaign's timeline, on the virtual or the real clock.

    Plugins read it; only the engine changes it. ``now`` is the instant of the event being
    processed. Assignees are resolved once per run, so a plugin can fan out to units
    without resolving groups on every event.
    """

    def __init__(self, campaign: Campaign, *, now: dt.datetime, live: bool = False) -> None:
        self.campaign = campaign
        self.now = now
        self.live = live
        """True for `tick` on the real clock, False for `simulate`."""
        groups = resolve_groups(campaign)
        self._assignees = {
            req.id: expand(campaign, req.assignees, groups)
            for req in campaign.requirements.values()
        }
        self._accepted: dict[str, set[str]] = {req_id: set() for req_id in self._assignees}

    def assignees(self, requirement: str) -> tuple[str, ...]:
        """The units that must hand in `requirement`, groups resolved, in file order."""
        return self._assignees[requirement]

    def has_accepted(self, unit: str, requirement: str) -> bool:
        """True when `unit` has an accepted submission for `requirement` by now."""
        return unit in self._accepted[requirement]

    def missing(self, requirement: str) -> list[str]:
        """Assignees with no accepted submission for `requirement` by now, in file order."""
        accepted = self._accepted[requirement]
        return [unit for unit in self._assignees[requirement] if unit not in accepted]

    def accept(self, unit: str, requirement: str) -> None:
        """Record an accepted submission (the engine calls this, in time order)."""
        self._accepted.setdefault(requirement, set()).add(unit)
