"""Submissions: what a unit hands in for a requirement, and the verdict on it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal

import attrs

from .evidence import EvidenceFacts
from .model import Contact

if TYPE_CHECKING:
    from .problems import Problem


SubmissionStatus = Literal["on_time", "late", "rejected", "returned"]
"""The checks give ``on_time``, ``late`` or ``rejected``; ``returned`` is what the office's
review (``has_issues``) makes of a hand-in, never what the ledger records for one."""

NO_FIGURES: Mapping[str, str] = MappingProxyType({})
"""No figures: one shared empty mapping, so that a rehearsal's 80,000 hand-ins without
figures do not each hold a dict of their own."""

ReviewState = Literal["approved", "has_issues", "rejected"]
REVIEW_STATES: tuple[ReviewState, ...] = ("approved", "has_issues", "rejected")
"""What the office may say of a hand-in it reviewed."""


@attrs.frozen(weakref_slot=False)  # a national rehearsal holds 80,000: 8 bytes each
class Submission:
    """A unit's hand-in for one requirement: per deliverable, the facts of each file."""

    unit: str
    requirement: str
    at: dt.datetime
    evidence: Mapping[str, tuple[EvidenceFacts, ...]] = attrs.field(factory=dict)
    figures: Mapping[str, str] = NO_FIGURES
    """The figures handed in, by field id, as the unit wrote them (``"12"``, ``"85%"``):
    the checks judge them against the requirement's `figures` deliverables."""


def verdict(submission: Submission, problems: Sequence[Problem], deadline: dt.datetime) -> Verdict:
    """The verdict on `submission`, given what the checks found: rejected for any error,
    else on time or late by `deadline`."""
    errors = [p for p in problems if p.is_error]
    status: SubmissionStatus
    if errors:
        status = "rejected"
    elif submission.at <= deadline:
        status = "on_time"
    else:
        status = "late"
    return Verdict(
        submission.unit,
        submission.requirement,
        submission.at,
        status,
        tuple(p.message for p in errors),
        figures=submission.figures,
    )


@attrs.frozen(weakref_slot=False)  # as many as the submissions
class Verdict:
    """The verdict on a submission, as the ledger keeps it: who handed in what, when, and
    whether it was on time, late or rejected (with the reasons), with what was handed in."""

    unit: str
    requirement: str
    at: dt.datetime
    status: SubmissionStatus
    problems: tuple[str, ...] = ()
    evidence: Mapping[str, Any] = attrs.field(factory=dict)
    """Per deliverable, what was handed in: each file's name, sha256 and probed facts."""
    contact: Contact | None = None
    """The liaison officer the unit named with this submission, if it named one."""
    id: int | None = None
    """The ledger's row id, once recorded: what a review names, and the receipt's number
    (`receipt_number`)."""
    review: Review | None = None
    """The office's latest review of it, when the standings take reviews into account
    (`campaignkit.reviews.reviewed`); the ledger's rows carry none."""
    figures: Mapping[str, str] = NO_FIGURES
    """The figures handed in, by field id, as the unit wrote them (`Submission.figures`)."""


@attrs.frozen
class Review:
    """The office's review of one hand-in (`submission`, its `Verdict.id`)."""

    submission: int
    state: ReviewState
    comment: str
    reviewer: str
    """Who reviewed it: a member of staff's name or id."""
    at: dt.datetime
    resubmit_by: dt.date | None = None
    """For ``has_issues``: the unit's new deadline, the end of that day in the campaign's
    zone, for its next hand-in of the requirement."""
    id: int | None = None
    """The ledger's row id, once recorded."""


def receipt_number(campaign_id: str, submission_id: int) -> str:
    """The number on a hand-in's receipt: the campaign's id and the ledger's row id,
    ``drill-000042``; unique within a ledger, and the same every time it is asked."""
    return f"{campaign_id}-{submission_id:06d}"


SubmissionRow = Verdict
"""The name of `Verdict` in 0.1, kept so that code written then keeps working."""
