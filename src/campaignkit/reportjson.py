"""A report as plain JSON data: what ``report --format json`` prints, with the English
keys programs rely on; ``status --format json`` shares its pieces."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterable, Iterator

from .figure_rollup import FigureRollup, FigureTotals
from .model import Requirement
from .report import STANDINGS, AssigneeStatus, Report, RequirementStatus
from .submissions import Review


def escalation_json(requirement: Requirement, level: int | None) -> dict[str, object] | None:
    """A unit's highest ladder step as JSON: its level and what the step is called."""
    if level is None:
        return None
    ladder = requirement.ladder
    label = ladder[level - 1].label if level <= len(ladder) else None
    return {"level": level, "label": label}


def _iso(moment: dt.date | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def review_json(review: Review | None) -> dict[str, object] | None:
    """A review as JSON data, in a report's and ``status``'s rows."""
    if review is None:
        return None
    return {
        "id": review.id,
        "submission": review.submission,
        "state": review.state,
        "comment": review.comment,
        "reviewer": review.reviewer,
        "at": review.at.isoformat(),
        "resubmit_by": review.resubmit_by.isoformat() if review.resubmit_by else None,
    }


def report_json(report: Report, *, lazy: bool = False) -> dict[str, object]:
    """The report as plain JSON data: what ``--format json`` prints.

    With `lazy`, its long lists (each requirement's assignees, the notifications, the
    roll-ups) are iterators, each item made when a writer takes it, so that a national
    report never exists whole as JSON data; the data is the same.
    """
    listed: Callable[[Iterator[object]], Iterable[object]] = iter if lazy else list
    info = report.campaign.campaign
    return {
        "campaign": {
            "id": info.id,
            "title": info.title,
            "reference": info.reference,
            "issued_by": info.issued_by,
            "issued_on": info.issued_on.isoformat(),
            "theme": info.theme,
            "timezone": info.timezone,
            "language": info.language,
            "description": info.description,
        },
        "source": report.source,
        "as_of": _iso(report.as_of),
        "unit": report.unit,
        "phases": [
            {"id": p.id, "name": p.name, "start": p.start.isoformat(), "end": p.end.isoformat()}
            for p in report.campaign.phases.values()
        ],
        "activities": [
            {
                "id": a.id,
                "level": item.level,
                "name": a.name,
                "first_day": a.first_day.isoformat() if a.first_day else None,
                "last_day": a.last_day.isoformat() if a.last_day else None,
                "part_of": a.part_of,
                "mode": a.mode,
                "venue": a.venue,
            }
            for item in report.activities
            for a in [item.activity]
        ],
        "requirements": [
            {
                "id": r.requirement.id,
                "name": r.requirement.name,
                "occurrence": r.requirement.occurrence,
                "due_at": r.due_at.isoformat(),
                "counts": {s: r.count(s) for s in STANDINGS},
                # Bound now: a generator made here would see the loop's last requirement.
                "assignees": listed(map(assignee_json, itertools.repeat(r), r.rows)),
            }
            for r in report.requirements
        ],
        "notifications": listed(
            {**n.as_json(), "state": report.states.get(n.key), "error": report.errors.get(n.key)}
            for n in report.notifications
        ),
        "rollups": listed(
            {"unit": r.unit, "name": r.name, "children": r.children, "counts": dict(r.counts)}
            for r in report.rollups
        ),
        "figures": [figures_json(rollup) for rollup in report.figures],
    }


def assignee_json(status: RequirementStatus, row: AssigneeStatus) -> dict[str, object]:
    """One assignee's row of a requirement as JSON data, in a report's ``assignees``."""
    return {
        "unit": row.unit,
        "name": row.name,
        "status": row.standing,
        "submitted_at": _iso(row.submitted_at),
        "reasons": list(row.reasons),
        "columns": dict(row.columns),
        "review": review_json(row.review),
        "acks": [{"key": a.key, "at": a.at.isoformat()} for a in row.acks],
        "extended_until": _iso(row.extended_until),
        "escalation": escalation_json(status.requirement, row.level),
        "figures": dict(row.figures),
    }


def figures_json(rollup: FigureRollup) -> dict[str, object]:
    """One deliverable's figures roll-up as JSON data, in a report's ``figures``."""

    def totals(found: FigureTotals) -> dict[str, object]:
        return {
            "unit": found.unit,
            "name": found.name,
            "units": found.units,
            "values": dict(found.values),
        }

    return {
        "requirement": rollup.requirement,
        "deliverable": rollup.deliverable.id,
        "name": rollup.deliverable.label,
        "fields": [
            {"id": f.id, "name": f.label, "type": f.type, "unit": f.unit, "weight": f.weight}
            for f in rollup.fields
        ],
        "parents": [totals(found) for found in rollup.parents],
        "total": totals(rollup.total),
    }
