"""Submissions: what a unit hands in for a requirement, and the verdict on it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING

import attrs

from .records import EvidenceFacts

if TYPE_CHECKING:
    from .ledger import SubmissionRow
    from .model import Campaign
    from .plugins import PluginHost


@attrs.frozen
class Submission:
    """A unit's hand-in for one requirement: per deliverable, the facts of each file."""

    unit: str
    requirement: str
    at: dt.datetime
    evidence: Mapping[str, tuple[EvidenceFacts, ...]] = attrs.field(factory=dict)


def judge(host: PluginHost, campaign: Campaign, submission: Submission) -> SubmissionRow:
    """Check a submission through ``campaignkit_check_submission``; on time, late or rejected."""
    from .ledger import SubmissionRow, SubmissionStatus
    from .timeline import due_at

    requirement = campaign.requirements[submission.requirement]
    found = host.call(
        "campaignkit_check_submission", submission=submission, requirement=requirement
    )
    errors = [p for problems in found for p in problems if p.is_error]
    status: SubmissionStatus
    if errors:
        status = "rejected"
    elif submission.at <= due_at(campaign, requirement.due):
        status = "on_time"
    else:
        status = "late"
    return SubmissionRow(
        submission.unit,
        submission.requirement,
        submission.at,
        status,
        tuple(p.message for p in errors),
    )
