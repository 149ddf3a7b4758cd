"""Submissions: what a unit hands in for a requirement, and the verdict on it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Literal

import attrs

from .evidence import EvidenceFacts
from .i18n import spoken, writing
from .model import Contact, language_of
from .timeline import due_at

if TYPE_CHECKING:
    from .model import Campaign
    from .plugins import PluginHost


SubmissionStatus = Literal["on_time", "late", "rejected"]


@attrs.frozen
class Submission:
    """A unit's hand-in for one requirement: per deliverable, the facts of each file."""

    unit: str
    requirement: str
    at: dt.datetime
    evidence: Mapping[str, tuple[EvidenceFacts, ...]] = attrs.field(factory=dict)


def judge(
    host: PluginHost,
    campaign: Campaign,
    submission: Submission,
    *,
    deadline: dt.datetime | None = None,
    check: Callable[..., list[Any]] | None = None,
) -> SubmissionRow:
    """Check a submission through ``campaignkit_check_submission``; on time, late or rejected.

    `deadline` is the requirement's, and `check` the hook (``PluginHost.caller``), when the
    caller has them already: the engine judges thousands of submissions.

    The reasons of a rejection are written in the campaign's language, whatever the
    operator reads: the ledger keeps them, and the notice to the unit quotes them.
    """
    requirement = campaign.requirements[submission.requirement]
    check = check or host.caller("campaignkit_check_submission")
    language = language_of(campaign)
    if spoken() == language:  # already so, as in a rehearsal: no context to switch
        found = check(submission=submission, requirement=requirement)
    else:
        with writing(language):
            found = check(submission=submission, requirement=requirement)
    errors = [p for problems in found for p in problems if p.is_error]
    status: SubmissionStatus
    if errors:
        status = "rejected"
    elif submission.at <= (deadline or due_at(campaign, requirement.due)):
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


@attrs.frozen
class SubmissionRow:
    """A submission as the ledger holds it."""

    unit: str
    requirement: str
    at: dt.datetime
    status: SubmissionStatus
    problems: tuple[str, ...] = ()
    evidence: Mapping[str, Any] = attrs.field(factory=dict)
    """Per deliverable, what was handed in: each file's name, sha256 and probed facts."""
    contact: Contact | None = None
    """The liaison officer the unit named with this submission, if it named one."""
