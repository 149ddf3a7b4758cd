"""The assessment (考核): each unit's points per requirement, deductions with their reasons,
a total out of the campaign's ``scale`` and a rank — computed from a `Report`.

The rules, from the ``[assessment]`` table (`campaignkit.model.Assessment`):

- on time keeps a requirement's points; late loses ``late_per_day`` a day, up to its points;
  still rejected (or returned) at the close keeps the ``rejected`` share; nothing handed in
  keeps the ``missing`` share; the highest escalation level reached loses its
  ``ladder_penalty``; a requirement still open (``pending``) is not assessed yet;
- a requirement a unit is exempt from is scaled out: its points leave what the unit could
  earn, and every total is ``scale × earned / could earn``, so units assessed on different
  requirements compare;
- a recurring requirement's occurrences (ids ``R@KEY``) share the points of ``R``: split
  evenly with ``per_occurrence``, else the series counts once, by its worst occurrence;
- units rank within their kind (``rank_by = "kind"``) or all together; ties share a rank.

What other parts of the campaign give — exemptions, per-unit deadlines, ladder levels — is
passed in (`assess`'s keyword arguments), so each can come from wherever it is recorded.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Collection, Iterable, Mapping, Sequence

import attrs

from .i18n import _, ngettext, writing
from .model import Assessment, Campaign, language_of, occurrence_key, series_id, series_name
from .problems import Problem
from .records import ReportRefused
from .report import AssigneeStatus, Report, RequirementStatus
from .timeline import due_at

Cause = str
"""Why points were lost: ``late``, ``rejected``, ``returned``, ``missing`` or ``ladder``."""

EXEMPT_STANDINGS = frozenset({"exempt"})
"""Standings that take a unit out of a requirement (set by exemptions)."""

UnitRequirement = tuple[str, str]
"""A (unit id, requirement id) pair; the requirement id may be an occurrence's, ``R@KEY``."""


@attrs.frozen
class Deduction:
    """Points a unit lost on a requirement, and why, in the campaign's language."""

    cause: Cause
    reason: str
    points: float


@attrs.frozen
class RequirementScore:
    """A unit's points on one requirement (or series of occurrences, or occurrence)."""

    requirement: str
    name: str
    full: float
    """The points the requirement is worth to this unit."""
    points: float
    """What the unit kept: `full` less the deductions, never below 0."""
    deductions: tuple[Deduction, ...] = ()

    @property
    def causes(self) -> frozenset[Cause]:
        return frozenset(d.cause for d in self.deductions)


@attrs.frozen
class UnitScore:
    """One unit's assessment: its points per requirement, its total and its rank."""

    unit: str
    name: str
    kind: str
    total: float
    """Out of the campaign's ``scale``: what it kept over what it could have earned."""
    rank: int
    """1 for the best; units with equal totals share a rank (1, 2, 2, 4)."""
    requirements: tuple[RequirementScore, ...]

    @property
    def missed(self) -> tuple[RequirementScore, ...]:
        """The requirements it handed nothing in for."""
        return tuple(r for r in self.requirements if "missing" in r.causes)


@attrs.frozen
class Scores:
    """The whole assessment: every assessed unit, by kind (with ``rank_by = "kind"``) in the
    file's order of kinds, then by rank, ties in the file's order."""

    settings: Assessment
    units: tuple[UnitScore, ...]

    @property
    def scale(self) -> float:
        return self.settings.scale


def assessed_points(campaign: Campaign, settings: Assessment) -> dict[str, float]:
    """Each assessed series' points, by declared id: those of ``points``, or, without it,
    ``scale`` split evenly over every requirement."""
    if settings.points:
        return dict(settings.points)
    declared = list(dict.fromkeys(series_id(r) for r in campaign.requirements))
    return {r: settings.scale / len(declared) for r in declared} if declared else {}


def ladder_levels(report: Report) -> dict[UnitRequirement, int]:
    """The highest escalation level each unit reached on each requirement, as the report's
    rows say (`AssigneeStatus.level`)."""
    return {
        (row.unit, status.requirement.id): row.level
        for status in report.requirements
        for row in status.rows
        if row.level is not None
    }


def assess(
    report: Report,
    settings: Assessment | None = None,
    *,
    exempt: Collection[UnitRequirement] = (),
    deadlines: Mapping[UnitRequirement, dt.datetime] | None = None,
    levels: Mapping[UnitRequirement, int] | None = None,
) -> Scores:
    """Score every assignee of the report's requirements, by `settings` (the campaign's
    ``[assessment]`` table by default: a `ReportRefused` when it has none, or when the
    report is one unit's).

    `exempt` lists the (unit, requirement) pairs scaled out (a row whose standing is
    ``exempt`` is too); `deadlines` moves a unit's deadline on a requirement, from which
    lateness counts (a row's ``extended_until`` does too, when not given here); `levels`
    gives the highest escalation level reached, `ladder_levels(report)` by default. Reasons
    are in the campaign's language.
    """
    settings = settings or report.campaign.assessment
    with writing(language_of(report.campaign)):
        if settings is None:
            raise ReportRefused([_no_table()])
        if report.unit is not None:  # ranks among one unit would say nothing
            raise ReportRefused([_narrowed()])
        return _assess(
            report,
            settings,
            frozenset(exempt),
            deadlines or {},
            ladder_levels(report) if levels is None else levels,
        )


def _no_table() -> Problem:
    return Problem(
        "assessment",
        _("this campaign has no [assessment] table to score its units by"),
        _("add one: `scale`, `points` per requirement, `late_per_day`…"),
        code="no-assessment",
    )


def _narrowed() -> Problem:
    return Problem(
        "",
        _("the assessment ranks every unit, not one"),
        _("leave out `--unit`: a unit finds its row by its name"),
        code="narrowed",
    )


def rounded(value: float) -> int | float:
    """A score as people and JSON write it: 34, not 34.0; at most two decimals."""
    value = round(value, 2)
    return int(value) if value == int(value) else value


def _assess(
    report: Report,
    settings: Assessment,
    exempt: frozenset[UnitRequirement],
    deadlines: Mapping[UnitRequirement, dt.datetime],
    levels: Mapping[UnitRequirement, int],
) -> Scores:
    campaign = report.campaign
    worth = assessed_points(campaign, settings)
    zone = zoneinfo.ZoneInfo(campaign.timezone)  # days late count on the campaign's calendar
    series: dict[str, list[RequirementStatus]] = {}
    for status in report.requirements:
        if series_id(status.requirement.id) in worth:
            series.setdefault(series_id(status.requirement.id), []).append(status)
    # What each unit kept on each series, and what it could have earned.
    scored: dict[str, list[RequirementScore]] = {}
    for declared, statuses in series.items():
        count = sum(1 for r in campaign.requirements if series_id(r) == declared) or 1
        each = worth[declared] / count if settings.per_occurrence else worth[declared]
        mine: dict[str, list[RequirementScore]] = {}
        for status in statuses:
            for row in status.rows:
                key = (row.unit, status.requirement.id)
                if row.standing == "pending" or row.standing in EXEMPT_STANDINGS or key in exempt:
                    continue
                due = deadlines.get(key) or _own_deadline(campaign, row, status)
                score = _score(settings, status, row, each, due, levels.get(key, 0), zone)
                mine.setdefault(row.unit, []).append(score)
        for unit, scores in mine.items():
            if settings.per_occurrence:
                scored.setdefault(unit, []).extend(scores)
            else:
                scored.setdefault(unit, []).append(_worst(declared, scores))
    order = {unit: place for place, unit in enumerate(campaign.units)}
    units = []
    for unit in sorted(scored, key=order.__getitem__):
        rows = scored[unit]
        could = sum(r.full for r in rows)
        kept = sum(r.points for r in rows)
        total = settings.scale * kept / could if could else settings.scale
        record = campaign.units[unit]
        units.append(
            UnitScore(unit, record.name, record.kind, _round(total, settings.scale), 0, tuple(rows))
        )
    return Scores(settings, tuple(_ranked(units, settings.rank_by, order)))


def _own_deadline(
    campaign: Campaign, row: AssigneeStatus, status: RequirementStatus
) -> dt.datetime:
    """The row's deadline: the end of the day an extension moved it to, else the
    requirement's."""
    return due_at(campaign, row.extended_until) if row.extended_until else status.due_at


def _score(
    settings: Assessment,
    status: RequirementStatus,
    row: AssigneeStatus,
    full: float,
    due: dt.datetime,
    level: int,
    zone: dt.tzinfo,
) -> RequirementScore:
    """One unit's points on one requirement or occurrence worth `full` points."""
    deductions: list[Deduction] = []
    if row.standing == "late" and row.submitted_at is not None:
        days = _days_late(row.submitted_at, due, zone)
        reason = ngettext("late by {days} day", "late by {days} days", days).format(days=days)
        deductions.append(Deduction("late", reason, min(full, days * settings.late_per_day)))
    elif row.standing == "rejected":
        reason = _("rejected and not handed in again")
        deductions.append(Deduction("rejected", reason, full * (1 - settings.rejected)))
    elif row.standing == "returned":
        reason = _("returned for changes and not handed in again")
        deductions.append(Deduction("returned", reason, full * (1 - settings.rejected)))
    elif row.standing == "missing":
        deductions.append(
            Deduction("missing", _("nothing handed in"), full * (1 - settings.missing))
        )
    penalty = _penalty(settings.ladder_penalty, level)
    left = full - sum(d.points for d in deductions)
    if penalty and left > 0:
        reason = _("escalated to level {level}").format(level=level)
        deductions.append(Deduction("ladder", reason, min(left, penalty)))
    deductions = [d for d in deductions if d.points > 0]
    points = max(0.0, full - sum(d.points for d in deductions))
    req = status.requirement
    return RequirementScore(req.id, req.name, full, points, tuple(deductions))


def _days_late(submitted: dt.datetime, due: dt.datetime, zone: dt.tzinfo) -> int:
    """Calendar days from the due day to the hand-in's day, on the campaign's calendar; a
    late hand-in is at least 1 day late."""
    return max(1, (submitted.astimezone(zone).date() - due.astimezone(zone).date()).days)


def _penalty(table: Mapping[str, float], level: int) -> float:
    """The penalty of the highest level in `table` that `level` reached; 0 below them all."""
    reached = [int(key) for key in table if key.isdigit() and 0 < int(key) <= level]
    return table[str(max(reached))] if reached else 0.0


def _worst(declared: str, scores: Sequence[RequirementScore]) -> RequirementScore:
    """A series counted once: its worst occurrence's points, named by the series, its
    deductions saying which occurrence."""
    worst = min(scores, key=lambda s: s.points)
    if len(scores) == 1 and occurrence_key(worst.requirement) is None:
        return worst
    key = occurrence_key(worst.requirement)
    said = _("{occurrence}: {reason}")
    deductions = tuple(
        attrs.evolve(d, reason=said.format(occurrence=key, reason=d.reason)) if key else d
        for d in worst.deductions
    )
    name = series_name(worst.name, key)
    return attrs.evolve(worst, requirement=declared, name=name, deductions=deductions)


def _round(total: float, scale: float) -> float:
    """A total to two decimals, inside 0..scale whatever floating point made of it."""
    return min(scale, max(0.0, round(total, 2)))


def _ranked(units: Iterable[UnitScore], rank_by: str, order: Mapping[str, int]) -> list[UnitScore]:
    """Units with their ranks: by kind (kinds in the file's order) or all together, best
    first, ties sharing a rank and keeping the file's order."""
    groups: dict[str, list[UnitScore]] = {}
    for unit in units:
        groups.setdefault(unit.kind if rank_by == "kind" else "", []).append(unit)
    out: list[UnitScore] = []
    for members in groups.values():
        ranked: list[UnitScore] = []
        best_first = sorted(members, key=lambda u: (-u.total, order[u.unit]))
        for place, unit in enumerate(best_first, start=1):
            tied = ranked and ranked[-1].total == unit.total
            ranked.append(attrs.evolve(unit, rank=ranked[-1].rank if tied else place))
        out += ranked
    return out
