"""Figures rolled up the organisation: per parent unit, and for the whole campaign.

Only accepted hand-ins count (on time or late, after the office's reviews), the latest
accepted one of each unit. A unit's figures count for every unit above it: its parent (or
the issuer, for a unit without one), that unit's parent, and so on, and for the campaign;
a parent's own hand-in is not part of its row, which sums the units below it.

- ``integer`` and ``decimal`` figures are summed;
- a ``percent`` is a weighted ratio: each unit's percentage weighed by its figure of the
  field named in ``weight`` (a fix rate by the hazards found, so that the roll-up is the
  share of all hazards fixed); without a ``weight``, or when the weights add up to 0, the
  plain mean of the units' percentages;
- ``text`` and ``date`` figures are not rolled up.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from fractions import Fraction

import attrs

from .expressions import Number
from .figures import NUMERIC, figure_deliverables, read_figure
from .model import Campaign, Deliverable, FigureField
from .submissions import Verdict

Total = int | float | None
"""A rolled-up figure: a whole number for integer figures, else a float; None when no unit
gave it."""


@attrs.frozen
class FigureTotals:
    """A deliverable's figures over some units: a parent unit's, or the whole campaign's."""

    unit: str | None
    """The parent unit; None for the whole campaign."""
    name: str
    units: int
    """How many units' accepted hand-ins count in it."""
    values: tuple[tuple[str, Total], ...]
    """Each rolled-up field's value, by field id, in the deliverable's order."""

    def value(self, field: str) -> Total:
        """The rolled-up value of `field`; None when no unit gave it."""
        return dict(self.values).get(field)


@attrs.frozen
class FigureRollup:
    """One `figures` deliverable of one requirement, rolled up."""

    requirement: str
    deliverable: Deliverable
    fields: tuple[FigureField, ...]
    """The fields rolled up: its integer, decimal and percent ones."""
    parents: tuple[FigureTotals, ...]
    """Per unit above the units that handed in, in file order."""
    total: FigureTotals
    """The whole campaign."""


def figure_rollups(
    campaign: Campaign, rows: Iterable[Verdict], only: str | None = None
) -> tuple[FigureRollup, ...]:
    """Every figures deliverable of the campaign rolled up from `rows` (a ledger's, after
    reviews); with `only`, from that unit's hand-in alone."""
    asking = {
        req.id: figure_deliverables(req)
        for req in campaign.requirements.values()
        if any(d.kind == "figures" for d in req.deliverables)
    }
    if not asking:
        return ()
    latest: dict[tuple[str, str], Verdict] = {}
    for row in sorted(rows, key=lambda r: r.at):
        accepted = row.status in ("on_time", "late")
        if accepted and row.requirement in asking and (only is None or row.unit == only):
            latest[(row.requirement, row.unit)] = row
    above = _ancestors(campaign)
    out = []
    for req_id, deliverables in asking.items():
        handed = {unit: row for (req, unit), row in latest.items() if req == req_id}
        for deliverable in deliverables:
            fields = tuple(f for f in deliverable.fields if f.type in NUMERIC)
            if fields:
                out.append(_rollup(campaign, req_id, deliverable, fields, handed, above))
    return tuple(out)


def _rollup(
    campaign: Campaign,
    requirement: str,
    deliverable: Deliverable,
    fields: tuple[FigureField, ...],
    handed: Mapping[str, Verdict],
    above: Mapping[str, tuple[str, ...]],
) -> FigureRollup:
    every = {f.id: f for f in deliverable.fields}
    groups: dict[str | None, list[dict[str, Number]]] = {None: []}
    for unit, row in handed.items():
        values = {}
        for key, text in row.figures.items():
            item = every.get(key)
            value = read_figure(item, text) if item is not None else None
            if isinstance(value, int | Fraction):
                values[key] = value
        for parent in (None, *above.get(unit, ())):
            groups.setdefault(parent, []).append(values)
    order = {uid: index for index, uid in enumerate(campaign.units)}
    parents = [p for p in groups if p is not None]
    parents.sort(key=lambda p: order.get(p, len(order)))
    return FigureRollup(
        requirement,
        deliverable,
        fields,
        tuple(
            _totals(p, campaign.units[p].name, groups[p], fields, every)
            for p in parents
            if p in campaign.units
        ),
        _totals(None, campaign.campaign.title, groups[None], fields, every),
    )


def _totals(
    unit: str | None,
    name: str,
    hand_ins: list[dict[str, Number]],
    fields: tuple[FigureField, ...],
    every: Mapping[str, FigureField],
) -> FigureTotals:
    values: list[tuple[str, Total]] = []
    for item in fields:
        given = [v[item.id] for v in hand_ins if item.id in v]
        if not given:
            values.append((item.id, None))
            continue
        if item.type != "percent":
            total = sum(given, Fraction(0))
            values.append((item.id, int(total) if item.type == "integer" else float(total)))
            continue
        weight = item.weight if item.weight in every else None
        pairs = [(v[item.id], v[weight]) for v in hand_ins if item.id in v and weight in v]
        weights = sum((w for _p, w in pairs), Fraction(0))
        if weight is not None and weights > 0:
            ratio = sum((p * w for p, w in pairs), Fraction(0)) / weights
        else:
            ratio = sum(given, Fraction(0)) / len(given)
        values.append((item.id, round(float(ratio), 4)))
    return FigureTotals(unit, name, len(hand_ins), tuple(values))


def _ancestors(campaign: Campaign) -> dict[str, tuple[str, ...]]:
    """Each unit's units above it, nearest first: its parent (the issuer for a unit without
    one), then that unit's, and so on; a loop (refused when the campaign loads) stops it."""
    out: dict[str, tuple[str, ...]] = {}
    issuer = campaign.campaign.issued_by
    for uid, unit in campaign.units.items():
        chain: list[str] = []
        parent = unit.parent or (issuer if uid != issuer else None)
        while parent is not None and parent in campaign.units and parent not in chain:
            if parent == uid:
                break
            chain.append(parent)
            parent = campaign.units[parent].parent
        out[uid] = tuple(chain)
    return out
