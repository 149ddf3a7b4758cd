"""One tick of a live run: walk the events due up to a moment, then deliver the outbox.

The ``tick`` command runs it on the real clock, and ``campaignkit.testing``'s virtual clock
runs it on a clock a test moves by hand, so a plugin is tested on the very code path that
runs it in production.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

import attrs

from .delivery import Delivered, deliver_outbox
from .engine import Walked, walk
from .ledger import Ledger
from .ledger.maintenance import orphans
from .model import Campaign
from .plugins import PluginHost
from .problems import Problem
from .reach import installed_notifiers
from .submissions import Submission
from .timeline import build_timeline


@attrs.frozen
class Ticked:
    """What one tick did: the events it processed and how delivery went."""

    walked: Walked
    delivered: Delivered
    dead: int
    """Notifications that gave up, in the whole ledger."""


class LedgerMismatch(Exception):
    """The ledger holds hand-ins the campaign file no longer explains; ``problems`` says
    which, and how to go on."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(p.message for p in self.problems))


def orphaned(campaign: Campaign, ledger: Ledger) -> list[Problem]:
    """A problem for each requirement or unit that has hand-ins in the ledger but is not in
    the campaign file any more (renamed or removed): ticking on would chase units for work
    they have handed in."""
    found = orphans(ledger, campaign.campaign.id, campaign.requirements, campaign.units)
    problems: list[Problem] = []
    gone_requirements: dict[str, int] = {}
    gone_units: dict[str, int] = {}
    for unit, requirement, count in found:
        if requirement not in campaign.requirements:
            gone_requirements[requirement] = gone_requirements.get(requirement, 0) + count
        elif unit not in campaign.units:
            gone_units[unit] = gone_units.get(unit, 0) + count
    for requirement, count in gone_requirements.items():
        problems.append(
            Problem(
                f"requirements.{requirement}",
                f"the ledger holds {count} hand-in(s) for requirement `{requirement}`, "
                "which the campaign file no longer has",
                "put the id back, or, if it was renamed, move what was recorded: "
                f"`campaignkit ledger rename-requirement FILE {requirement} NEW-ID --db LEDGER`",
                code="orphaned-hand-ins",
            )
        )
    for unit, count in gone_units.items():
        problems.append(
            Problem(
                f"units.{unit}",
                f"the ledger holds {count} hand-in(s) by unit `{unit}`, "
                "which the campaign file no longer has",
                "put the id back, or, if it was renamed, move what was recorded: "
                f"`campaignkit ledger rename-unit FILE {unit} NEW-ID --db LEDGER`",
                code="orphaned-hand-ins",
            )
        )
    return problems


def tick(
    campaign: Campaign,
    host: PluginHost,
    ledger: Ledger,
    *,
    now: dt.datetime,
    outbox: Path | None = None,
    submissions: Iterable[Submission] = (),
) -> Ticked:
    """Process every event up to `now` that the ledger has not, and deliver what is due.

    Raises `LedgerMismatch`, before anything is processed or sent, when the ledger holds
    hand-ins for requirements or units the campaign no longer has.
    """
    problems = orphaned(campaign, ledger)
    if problems:
        raise LedgerMismatch(problems)
    host.configure(campaign.plugins, campaign)
    walked = walk(
        campaign,
        host,
        ledger,
        build_timeline(campaign, host),
        until=now,
        live=True,
        submissions=submissions,
    )
    notifiers = installed_notifiers(host)
    sent = deliver_outbox(ledger, campaign, notifiers, now=now, outbox=outbox)
    return Ticked(walked, sent, ledger.counts(campaign.campaign.id).get("dead", 0))
