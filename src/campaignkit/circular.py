"""What a circular (通报) states, from the assessment: the facts of the hand-ins, the units
it commends and those it criticises. The words are the ``circular`` report format's."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import attrs

from .assessment import Scores, UnitScore, assessed_points
from .model import series_id
from .report import Report


@attrs.frozen
class Facts:
    """What the circular states first: how many hand-ins were owed, and how they came."""

    units: int
    """Units assessed."""
    requirements: int
    """Requirements (occurrences each) that have fallen due."""
    owed: int
    """Hand-ins owed: one per assignee of a requirement fallen due, the exempt left out."""
    on_time: int
    late: int
    rejected: int
    """Still rejected, or returned for changes, at the close."""
    missing: int

    @property
    def on_time_rate(self) -> float:
        return self.on_time / self.owed if self.owed else 1.0

    @property
    def handed_in_rate(self) -> float:
        return (self.on_time + self.late) / self.owed if self.owed else 1.0


def facts(report: Report, scores: Scores) -> Facts:
    """The counts over every assessed requirement the report shows fallen due."""
    counts = dict.fromkeys(("on_time", "late", "rejected", "returned", "missing"), 0)
    fallen = 0
    worth = assessed_points(report.campaign, scores.settings)
    for status in report.requirements:
        if series_id(status.requirement.id) not in worth:
            continue
        rows = [r for r in status.rows if r.standing in counts]
        fallen += bool(rows)
        for row in rows:
            counts[row.standing] += 1
    return Facts(
        units=len(scores.units),
        requirements=fallen,
        owed=sum(counts.values()),
        on_time=counts["on_time"],
        late=counts["late"],
        rejected=counts["rejected"] + counts["returned"],
        missing=counts["missing"],
    )


def commended(scores: Scores, count: int | None = None) -> list[UnitScore]:
    """The units a circular commends: every one with full marks, or, when fewer than
    `count` (``commend``) have them, the best `count` by total, ties at the last place
    included. Never a unit that handed nothing in for a requirement, nor one with 0."""
    count = scores.settings.commend if count is None else count
    eligible = [u for u in scores.units if not u.missed and u.total > 0]
    full = [u for u in eligible if u.total >= scores.scale]
    if count <= 0 or len(full) >= count:
        return full
    return _best(eligible, count, lambda u: -u.total)


def criticised(scores: Scores, count: int | None = None) -> list[UnitScore]:
    """The units a circular criticises: every one that handed nothing in for a requirement,
    and besides them the lowest `count` (``criticise``) by total below full marks, ties
    included; never one it commends. In the order of `Scores.units`."""
    count = scores.settings.criticise if count is None else count
    praised = {u.unit for u in commended(scores)}
    others = [u for u in scores.units if u.unit not in praised and u.total < scores.scale]
    rest = [u for u in others if not u.missed]
    lowest = {u.unit for u in _best(rest, count, lambda u: u.total)} if count > 0 else set()
    return [u for u in others if u.missed or u.unit in lowest]


def _best(
    units: Sequence[UnitScore], count: int, key: Callable[[UnitScore], float]
) -> list[UnitScore]:
    """The first `count` of `units` by `key`, and those tied with the last of them."""
    ordered = sorted(units, key=key)
    if len(ordered) <= count:
        return ordered
    last = key(ordered[count - 1])
    return [u for u in ordered if key(u) <= last]
