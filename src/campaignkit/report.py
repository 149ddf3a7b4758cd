"""The report: who is late, what happens next, and how it rolls up — as one record.

A `Report` is built once, from a campaign and its ledger (a live one, or a simulation's),
and every format renders the same record: Markdown, JSON and CSV here, HTML and iCalendar
in their plugins. ``--unit ID`` narrows it to what that unit must attend and hand in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import attrs

from .agenda import AgendaItem, agenda
from .extensions import Allowances
from .figure_rollup import FigureRollup, figure_rollups
from .labels import delivery_labels as delivery_labels
from .labels import kind_labels as kind_labels
from .labels import mode_labels as mode_labels
from .labels import standing_labels as standing_labels
from .model import Campaign, Requirement
from .notify import Notification
from .org import expand, resolve_groups
from .reviews import Ack, reviewed
from .status import Standing, standings
from .submissions import NO_FIGURES, Review, Verdict
from .timeline import Event, due_at

STANDINGS: tuple[Standing, ...] = (
    "on_time",
    "late",
    "rejected",
    "returned",
    "missing",
    "pending",
    "exempt",
)


ColumnValue = str | int | float | None
"""What a plugin's column holds in one row: a number, words, or nothing (an empty cell)."""


@attrs.frozen
class AssigneeStatus:
    """Where one assignee stands on one requirement."""

    unit: str
    name: str
    parent: str | None
    standing: Standing
    submitted_at: dt.datetime | None = None
    """The first accepted submission, or the latest rejected one."""
    reasons: tuple[str, ...] = ()
    """Why the latest submission was rejected, or the office's comment when its review
    rejected or returned it."""
    columns: tuple[tuple[str, ColumnValue], ...] = ()
    """This row's value in each column plugins add (`Report.columns`), by the column's name."""
    review: Review | None = None
    """The office's latest review of the hand-in that decides the standing, if any."""
    acks: tuple[Ack, ...] = ()
    """The unit's signatures for its notices about the requirement, oldest first."""
    level: int | None = None
    """The highest step of the requirement's escalation ladder the unit reached: an
    escalation about it was made, and not skipped as stale; None when none was."""
    figures: Mapping[str, str] = NO_FIGURES
    """The figures of the unit's latest accepted hand-in, by field id, as written."""
    evidence: Mapping[str, Any] = NO_FIGURES
    """The files of the hand-in that decides the standing (`submitted_at`), per deliverable
    id: each file's ``name``, ``sha256``, ``size``, ``format``… as the ledger recorded them;
    empty for none, and in a rehearsal, whose hand-ins are invented."""
    extended_until: dt.date | None = None
    """The day the office moved the unit's deadline to (an extension in force), if any:
    its deadline is the end of that day."""

    def column(self, name: str) -> ColumnValue:
        """This row's value in the plugins' column `name`; None when it has none."""
        return dict(self.columns).get(name)


@attrs.frozen
class RequirementStatus:
    """Where every assignee stands on one requirement, with its deadline."""

    requirement: Requirement
    due_at: dt.datetime
    rows: tuple[AssigneeStatus, ...]

    def count(self, standing: Standing) -> int:
        return sum(row.standing == standing for row in self.rows)


@attrs.frozen
class Rollup:
    """One parent unit's children, counted by standing over every requirement."""

    unit: str
    name: str
    counts: tuple[tuple[Standing, int], ...]
    children: int

    def count(self, standing: Standing) -> int:
        return dict(self.counts).get(standing, 0)


@attrs.frozen
class Report:
    """Everything a report shows, for one campaign at one moment: what `ReportFormat.render`
    receives."""

    campaign: Campaign
    as_of: dt.datetime | None
    """The moment the standings are taken at: now for a live ledger, None for a whole simulation."""
    source: str
    """``simulation`` or ``ledger``."""
    unit: str | None
    events: tuple[Event, ...]
    activities: tuple[AgendaItem, ...]
    """The activities by date, parts after their whole; for a unit, only its own."""
    requirements: tuple[RequirementStatus, ...]
    notifications: tuple[Notification, ...]
    rollups: tuple[Rollup, ...]
    states: Mapping[str, str] = attrs.field(factory=dict)
    """Each notification's state by key: ``delivered``, ``unreached``, ``skipped``, ``dead``…
    (from the ledger, or as the rehearsal settled it)."""
    errors: Mapping[str, str] = attrs.field(factory=dict)
    """For a ledger: why a notification's last delivery attempt failed, by key."""
    machine: bool = False
    """For programs rather than people (``report --ids``): a format that has two ways, such
    as CSV, writes ids, English headers and ISO times."""
    columns: tuple[ReportColumn, ...] = ()
    """The columns plugins add to each unit's row (``campaignkit_report_columns``), in
    order; each row holds its values (`AssigneeStatus.columns`)."""
    reference: str | None = None
    """The document number (发文字号) a document format prints: ``report --reference``;
    None for the campaign's own (``[campaign].reference``)."""
    figures: tuple[FigureRollup, ...] = ()
    """Each `figures` deliverable's figures rolled up per parent unit and for the campaign,
    from the latest accepted hand-in of each unit (`campaignkit.figure_rollups`)."""
    depth: int | None = None
    """The levels below the issuer a grid shows (``report --depth N``: the branches of the
    first N levels of `campaignkit.branch_tree`, each with the counts of what lies below
    it); None: as the format decides by the campaign's size."""


@attrs.frozen
class ReportColumn:
    """A column a plugin adds to each unit's row of a requirement, in the built-in reports
    (``md``, ``json``, ``csv``, ``html``) and in ``campaignkit status``.

    `value` is called once per row, when the report is built, with the report (without the
    plugins' columns), the requirement's `RequirementStatus` and the unit's `AssigneeStatus`,
    in the campaign's language; it returns a number, words, or None for an empty cell.
    `heading` is called with the language a table is written in (``zh`` or ``en``), inside
    it, so that a plugin's `translator` speaks it too: the campaign's for a report, the
    operator's for ``status``. JSON and ``csv --ids`` use `name`, which stays as it is.
    """

    name: str
    heading: Callable[[str], str]
    value: Callable[[Report, RequirementStatus, AssigneeStatus], ColumnValue]
    description: str = ""


def build_report(
    campaign: Campaign,
    events: Sequence[Event],
    submissions: Iterable[Verdict],
    notifications: Iterable[Notification],
    *,
    source: str,
    as_of: dt.datetime | None = None,
    unit: str | None = None,
    states: Mapping[str, str] | None = None,
    errors: Mapping[str, str] | None = None,
    reviews: Iterable[Review] = (),
    acks: Iterable[Ack] = (),
    allowances: Allowances | None = None,
) -> Report:
    """Gather everything a report shows; with `unit`, only that unit's part. The office's
    `reviews` decide standings as `campaignkit.reviews.reviewed` says; `acks` are the
    units' signatures for their notices; `allowances`, the extensions and exemptions in
    force."""
    notifications = list(notifications)
    rows = [s for s in submissions if as_of is None or s.at <= as_of]
    rows = reviewed(
        campaign, rows, [r for r in reviews if as_of is None or r.at <= as_of], allowances
    )
    acks = [ack for ack in acks if as_of is None or ack.at <= as_of]
    about = {n.key: n for n in notifications} if acks else {}
    signed: dict[tuple[str | None, str], list[Ack]] = {}
    for ack in acks:
        note = about.get(ack.key)
        if note is not None and note.to == ack.unit:
            signed.setdefault((note.requirement, ack.unit), []).append(ack)
    groups = resolve_groups(campaign)
    table = standings(campaign, rows, as_of, allowances)
    levels = _levels(notifications, states or {}, as_of)
    first_accepted: dict[tuple[str, str], Verdict] = {}
    last_rejected: dict[tuple[str, str], Verdict] = {}
    figures: dict[tuple[str, str], Mapping[str, str]] = {}
    for row in rows:  # in time order, as `reviewed` gives them
        key = (row.requirement, row.unit)
        if row.status in ("rejected", "returned"):
            last_rejected[key] = row
        else:
            first_accepted.setdefault(key, row)
            if row.figures:
                figures[key] = row.figures

    requirements = []
    for req in campaign.requirements.values():
        statuses = []
        for unit_id, standing in table[req.id].items():
            if unit is not None and unit_id != unit:
                continue
            record = campaign.units[unit_id]
            found = first_accepted.get((req.id, unit_id)) or last_rejected.get((req.id, unit_id))
            statuses.append(
                AssigneeStatus(
                    unit_id,
                    record.name,
                    record.parent,
                    standing,
                    found.at if found else None,
                    _reasons(found, standing),
                    review=found.review if found else None,
                    acks=tuple(signed.get((req.id, unit_id), ())),
                    # None for a unit exempt meanwhile: it owes nothing by any date.
                    extended_until=allowances.until(unit_id, req.id)
                    if allowances and standing != "exempt"
                    else None,
                    level=levels.get((req.id, unit_id)),
                    figures=figures.get((req.id, unit_id), NO_FIGURES),
                    evidence=found.evidence if found else NO_FIGURES,
                )
            )
        if unit is None or statuses:
            requirements.append(RequirementStatus(req, due_at(campaign, req.due), tuple(statuses)))

    notes = [n for n in notifications if as_of is None or n.at <= as_of]
    activities = agenda(campaign)
    kept_events = list(events)
    if unit is not None:
        notes = [n for n in notes if unit in (n.to, n.about)]
        mine = [
            a.id
            for a in campaign.activities.values()
            if a.organizer == unit or unit in expand(campaign, a.participants, groups)
        ]
        activities = agenda(campaign, only=mine)
        ids = set(mine) | {r.requirement.id for r in requirements}
        kept_events = [
            e for e in events if e.subject in ids or e.kind.startswith(("phase.", "campaign."))
        ]
    return Report(
        campaign=campaign,
        as_of=as_of,
        source=source,
        unit=unit,
        events=tuple(kept_events),
        activities=tuple(activities),
        requirements=tuple(requirements),
        notifications=tuple(notes),
        rollups=tuple(_rollups(campaign, requirements)),
        states=dict(states or {}),
        errors=dict(errors or {}),
        figures=figure_rollups(campaign, rows, unit),
    )


def _levels(
    notifications: Iterable[Notification], states: Mapping[str, str], as_of: dt.datetime | None
) -> dict[tuple[str, str], int]:
    """The highest ladder step each unit reached on each requirement, by (requirement,
    unit): its escalations made by `as_of`, less those skipped as no longer true."""
    levels: dict[tuple[str, str], int] = {}
    for note in notifications:
        if note.level is None or note.requirement is None or states.get(note.key) == "skipped":
            continue
        if as_of is not None and note.at > as_of:
            continue
        key = (note.requirement, note.chased)
        levels[key] = max(levels.get(key, 0), note.level)
    return levels


def _reasons(found: Verdict | None, standing: Standing) -> tuple[str, ...]:
    """Why a unit's hand-in was not accepted: the checks' reasons, or the office's comment
    when its review rejected or returned it; every report format shows them."""
    if found is None or standing not in ("rejected", "returned"):
        return ()
    if standing == "returned":
        return (found.review.comment,) if found.review and found.review.comment else ()
    return found.problems


def _rollups(campaign: Campaign, requirements: Sequence[RequirementStatus]) -> list[Rollup]:
    """Per parent unit, its children's standings over every requirement, in file order."""
    counts: dict[str, dict[Standing, int]] = {}
    children: dict[str, set[str]] = {}
    issuer = campaign.campaign.issued_by
    for req in requirements:
        for row in req.rows:
            parent = row.parent or issuer
            if parent is None:
                continue
            per = counts.get(parent)
            if per is None:
                if parent not in campaign.units:
                    continue
                per = counts[parent] = dict.fromkeys(STANDINGS, 0)
                children[parent] = set()
            per[row.standing] += 1
            children[parent].add(row.unit)
    return [
        Rollup(u, unit.name, tuple(counts[u].items()), len(children[u]))
        for u, unit in campaign.units.items()
        if u in counts
    ]
