"""The office's review of hand-ins, and what it does to where a unit stands; the units'
signatures for their notices; the audit log's entries.

A review is kept beside the hand-in it judges, never instead of it: the ledger keeps the
checks' verdict, and `reviewed` gives the verdicts as the office's reviews make them, for
the standings, the report and the engine to read. The latest hand-in's latest review
decides:

- ``has_issues``: the hand-in is *returned*; a unit is chased as one that has not handed
  in, and its next hand-in is judged against the review's ``resubmit_by`` (the end of that
  day), when it gave one, instead of the due date;
- ``rejected``: the hand-in is rejected, with the review's comment as its reason;
- ``approved``: the hand-in is accepted, on time or late against the unit's deadline, even
  when the checks had refused it.

A hand-in nobody reviewed keeps the checks' verdict, and the rule without reviews holds: the
first accepted hand-in decides.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs

from .extensions import Allowances
from .model import Campaign
from .submissions import Review, SubmissionStatus, Verdict
from .timeline import DAY_END, due_at, local


@attrs.frozen
class Ack:
    """A unit's signature (签收) for a notice addressed to it: the notice's key."""

    key: str
    unit: str
    at: dt.datetime


@attrs.frozen
class AuditEntry:
    """One line of the ledger's audit log: who did what to which record, and when."""

    at: dt.datetime
    actor: str
    """A member of staff, or the unit that signed."""
    action: str
    """``review`` or ``sign``."""
    subject: str
    """What it was done to: ``submission:42``, a notice's key."""
    detail: Mapping[str, Any] = attrs.field(factory=dict)
    """What was said, as JSON data (a review's state, comment and date)."""
    id: int | None = None


def latest_reviews(reviews: Iterable[Review]) -> dict[int, Review]:
    """Each reviewed hand-in's latest review, by the hand-in's id (`reviews` in the order
    they were made, as the ledger lists them)."""
    return {review.submission: review for review in reviews}


def resubmit_deadline(campaign: Campaign, day: dt.date) -> dt.datetime:
    """A ``resubmit_by`` date as a deadline: the end of that day in the campaign's zone."""
    return local(campaign, day, DAY_END)


def reviewed(
    campaign: Campaign,
    rows: Iterable[Verdict],
    reviews: Iterable[Review],
    allowances: Allowances | None = None,
) -> list[Verdict]:
    """The verdicts as the office's reviews make them (see the module), in time order.

    A unit whose latest hand-in was reviewed is represented by that hand-in alone: the
    review decides where it stands. A unit granted an extension (`allowances`, revoked
    ones too) has its accepted hand-ins judged on time or late against its deadline in
    force. Without any review or extension, `rows` come back as they are.
    """
    latest = latest_reviews(reviews)
    moved = allowances.deadlines(campaign) if allowances else {}
    ordered = sorted(rows, key=lambda r: (r.at, r.id or 0))
    if not latest and not moved:
        return ordered
    groups: dict[tuple[str, str], list[Verdict]] = {}
    for row in ordered:
        groups.setdefault((row.unit, row.requirement), []).append(row)
    out: list[Verdict] = []
    for (unit, requirement), group in groups.items():
        judged = _judged(campaign, requirement, group, latest, moved.get((unit, requirement)))
        if judged[-1].review is not None:
            judged = judged[-1:]
        out.extend(judged)
    out.sort(key=lambda r: (r.at, r.id or 0))
    return out


def deadline_for(
    campaign: Campaign,
    unit: str,
    requirement: str,
    rows: Iterable[Verdict],
    reviews: Iterable[Review],
    allowances: Allowances | None = None,
) -> dt.datetime:
    """The deadline `unit`'s next hand-in of `requirement` is judged against: the due date,
    or the end of the day of its extension in force (`allowances`), or the ``resubmit_by``
    of the review that returned one of its hand-ins since."""
    latest = latest_reviews(reviews)
    until = allowances.until(unit, requirement) if allowances else None
    deadline = due_at(campaign, until or campaign.requirements[requirement].due)
    mine = [r for r in rows if r.unit == unit and r.requirement == requirement]
    for row in sorted(mine, key=lambda r: (r.at, r.id or 0)):
        deadline = _after(campaign, latest.get(row.id) if row.id else None, deadline)
    return deadline


def _after(campaign: Campaign, review: Review | None, deadline: dt.datetime) -> dt.datetime:
    if review is not None and review.state == "has_issues" and review.resubmit_by is not None:
        return resubmit_deadline(campaign, review.resubmit_by)
    return deadline


def _judged(
    campaign: Campaign,
    requirement: str,
    group: Sequence[Verdict],
    latest: Mapping[int, Review],
    moved: dt.datetime | None = None,
) -> list[Verdict]:
    """The group's verdicts as reviews make them; `moved` is the unit's deadline when an
    extension was ever granted for it (then every accepted hand-in is judged again)."""
    due = due_at(campaign, campaign.requirements[requirement].due)
    deadline = moved or due
    out = []
    for row in group:
        review = latest.get(row.id) if row.id is not None else None
        timely: SubmissionStatus = "on_time" if row.at <= deadline else "late"
        if review is None:
            if row.status != "rejected" and (deadline != due or moved is not None):
                row = attrs.evolve(row, status=timely)
        elif review.state == "approved":
            row = attrs.evolve(row, status=timely, problems=(), review=review)
        elif review.state == "has_issues":
            row = attrs.evolve(row, status="returned", review=review)
        else:
            reasons = (review.comment,) if review.comment else row.problems
            row = attrs.evolve(row, status="rejected", problems=reasons, review=review)
        out.append(row)
        deadline = _after(campaign, review, deadline)
    return out
