"""Submissions: what a unit hands in for a requirement, and the verdict on it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

import attrs

from .evidence import EvidenceFacts
from .model import Contact

if TYPE_CHECKING:
    from .problems import Problem


SubmissionStatus = Literal["on_time", "late", "rejected"]


@attrs.frozen
class Submission:
    """A unit's hand-in for one requirement: per deliverable, the facts of each file."""

    unit: str
    requirement: str
    at: dt.datetime
    evidence: Mapping[str, tuple[EvidenceFacts, ...]] = attrs.field(factory=dict)


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
    )


@attrs.frozen
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


SubmissionRow = Verdict
"""The name of `Verdict` in 0.1, kept so that code written then keeps working."""
