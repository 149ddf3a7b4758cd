"""One tick of a live run: walk the events due up to a moment, then deliver the outbox.

The ``tick`` command runs it on the real clock, and ``campaignkit.testing``'s virtual clock
runs it on a clock a test moves by hand, so a plugin is tested on the very code path that
runs it in production.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

import attrs

from .delivery import Delivered, deliver_outbox, installed_notifiers
from .engine import Walked, walk
from .ledger import Ledger
from .model import Campaign
from .plugins import PluginHost
from .submissions import Submission
from .timeline import build_timeline


@attrs.frozen
class Ticked:
    """What one tick did: the events it processed and how delivery went."""

    walked: Walked
    delivered: Delivered
    dead: int
    """Notifications that gave up, in the whole ledger."""


def tick(
    campaign: Campaign,
    host: PluginHost,
    ledger: Ledger,
    *,
    now: dt.datetime,
    outbox: Path | None = None,
    submissions: Iterable[Submission] = (),
) -> Ticked:
    """Process every event up to `now` that the ledger has not, and deliver what is due."""
    host.configure(campaign.plugins, campaign)
    walked = walk(
        campaign,
        host,
        ledger,
        build_timeline(campaign, host),
        until=now,
        live=True,
        submissions=submissions,
    )
    notifiers = installed_notifiers(host)
    sent = deliver_outbox(ledger, campaign, notifiers, now=now, outbox=outbox, deliver=True)
    return Ticked(walked, sent, ledger.counts(campaign.campaign.id).get("dead", 0))
