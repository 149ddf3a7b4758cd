"""Where each assignee stands on each requirement, from the ledger's submissions."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter
from collections.abc import Iterable
from typing import Literal

import attrs

from .extensions import Allowances
from .model import Campaign
from .notify import Notification
from .org import expand, resolve_groups
from .submissions import Verdict
from .timeline import due_at

Standing = Literal["on_time", "late", "rejected", "returned", "missing", "pending", "exempt"]
"""Where a unit stands on a requirement; ``returned`` when the office's review of its
latest hand-in asked for changes (`campaignkit.reviews`); ``exempt`` when the office took
it out of the requirement (`campaignkit.extensions`): counted in no rate."""


def standings(
    campaign: Campaign,
    rows: Iterable[Verdict],
    as_of: dt.datetime | None = None,
    allowances: Allowances | None = None,
) -> dict[str, dict[str, Standing]]:
    """Per requirement, each assignee's standing.

    A unit is on time or late by its first accepted submission; rejected (or returned)
    when its latest submission was, and none was accepted; missing when it handed in
    nothing — or pending, when the standings are taken `as_of` a moment before the deadline.
    The office's reviews (and extensions) are taken into account by passing the verdicts
    through `campaignkit.reviews.reviewed` first. With `allowances`, a unit whose deadline
    was moved is pending until its own deadline, and an exempt unit is ``exempt`` whatever
    it handed in.
    """
    groups = resolve_groups(campaign)
    table: dict[str, dict[str, Standing]] = {}
    for req in campaign.requirements.values():
        open_ = as_of is not None and as_of <= due_at(campaign, req.due)
        nothing: Standing = "pending" if open_ else "missing"
        table[req.id] = dict.fromkeys(expand(campaign, req.assignees, groups), nothing)
    extended = allowances.extended if allowances else {}
    for (unit, requirement), until in extended.items():
        units = table.get(requirement)
        if units is not None and unit in units:
            open_ = as_of is not None and as_of <= due_at(campaign, until)
            units[unit] = "pending" if open_ else "missing"
    for row in sorted(rows, key=lambda r: r.at):
        units = table.get(row.requirement)
        if units is None or row.unit not in units:
            continue
        current = units[row.unit]
        if current in ("on_time", "late"):
            continue  # the first accepted submission decides
        units[row.unit] = row.status
    for unit, requirement in allowances.exempt if allowances else ():
        units = table.get(requirement)
        if units is not None and unit in units:
            units[unit] = "exempt"
    return table


@attrs.frozen
class Summary:
    """One requirement's counts."""

    assignees: int
    on_time: int
    late: int
    missing: int
    rejected: int
    notifications: int
    """Every notification about the requirement, whatever became of it."""
    unreached: int = 0
    """Sent, but no channel reaches the unit (nor any unit above it)."""
    skipped: int = 0
    """No longer true when it was to be sent (the unit had handed in): not sent."""
    exempt: int = 0
    """Assignees the office exempted: among `assignees`, and in no other count."""


def summarize(
    campaign: Campaign,
    rows: Iterable[Verdict],
    notifications: Iterable[Notification],
    fates: Iterable[str] = (),
    allowances: Allowances | None = None,
) -> dict[str, Summary]:
    """Per requirement: standings (with `allowances`, the extensions and exemptions in
    force), and the notifications by what became of them (`fates`, in the order of
    `notifications`, when known)."""
    sent: Counter[str | None] = Counter()
    fate_counts: Counter[tuple[str | None, str]] = Counter()
    for note, fate in itertools.zip_longest(notifications, fates):
        if note is None:
            break
        sent[note.requirement] += 1
        if fate is not None:
            fate_counts[note.requirement, fate] += 1
    out = {}
    for req_id, units in standings(campaign, rows, allowances=allowances).items():
        values = list(units.values())
        out[req_id] = Summary(
            assignees=len(values),
            on_time=values.count("on_time"),
            late=values.count("late"),
            missing=values.count("missing"),
            rejected=values.count("rejected"),
            notifications=sent[req_id],
            unreached=fate_counts[req_id, "unreached"],
            skipped=fate_counts[req_id, "skipped"],
            exempt=values.count("exempt"),
        )
    return out
