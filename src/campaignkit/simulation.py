"""A rehearsal in one call: timeline, simulated submissions, a walk on the virtual clock."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from . import gcpause
from .engine import Progress, Walked, walk
from .ledger import Ledger
from .model import Campaign
from .plugins import PluginHost
from .reach import reach_of
from .submissions import Submission
from .synthetic import synthetic_submissions
from .timeline import Event


def rehearse(
    campaign: Campaign,
    host: PluginHost,
    ledger: Ledger,
    *,
    submissions: Sequence[Submission] | None = None,
    compliance: float = 1.0,
    seed: int = 0,
    until: dt.datetime | None = None,
    queue_notifications: bool = False,
    progress: Progress | None = None,
) -> tuple[list[Event], Walked]:
    """Walk `campaign` on a virtual clock with the given submissions, or the compliance
    model's; returns the timeline and what the walk did.

    The notifications are queued in the ledger's outbox only with `queue_notifications`:
    for a rehearsal that delivers them, or that keeps its ledger in a file. Each is settled
    at its send time as a live run would: delivered, reaching no one, or skipped as stale
    (`Walked.fates`).
    """
    host.configure(campaign.plugins, campaign)
    events = host.timeline(campaign)
    if submissions is None:
        with gcpause.paused(freeze=True):
            submissions = synthetic_submissions(campaign, compliance, seed)
    walked = walk(
        campaign,
        host,
        ledger,
        events,
        until=until,
        submissions=submissions,
        queue_notifications=queue_notifications,
        progress=progress,
        reach=reach_of(campaign, host),
    )
    return events, walked
