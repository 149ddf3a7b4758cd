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

from .delivery import Delivered, deliver_outbox
from .engine import Walked, walk
from .ledger import Ledger, LedgerError
from .ledger.maintenance import Orphan, orphans
from .model import Campaign
from .plugins import PluginHost
from .problems import Problem
from .reach import installed_notifiers
from .submissions import Submission
from .timeline import build_timeline


@attrs.frozen
class Ticked:
    """What one tick did: the events it processed and how delivery went."""

    walked: Walked
    delivered: Delivered
    dead: int
    """Notifications that gave up, in the whole ledger."""


class LedgerMismatch(Exception):
    """The ledger holds hand-ins the campaign file no longer explains; ``problems`` says
    which, and how to go on."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(p.message for p in self.problems))


def orphaned(campaign: Campaign, ledger: Ledger) -> list[Problem]:
    """Why `tick` may not run on this ledger, checked before it processes or sends anything.

    A ledger that holds a rehearsal is a `LedgerError`: its notices were never sent, and a
    tick would send them now. Each requirement or unit that the ledger recorded things under
    but the campaign file no longer has (renamed, or removed) is a problem: ticking on would
    chase units for work they handed in under the old id, and send again what was sent.
    """
    if ledger.is_rehearsal(campaign.campaign.id):
        raise LedgerError(
            f"{ledger.path} holds a rehearsal of `{campaign.campaign.id}` (simulate --db): "
            "nothing in it was sent, and tick would send it now; give tick a ledger of its own"
        )
    found = orphans(ledger, campaign.campaign.id, campaign.requirements, campaign.units)
    return [_orphan_problem(orphan) for orphan in found]


def _orphan_problem(orphan: Orphan) -> Problem:
    kind = "requirement" if orphan.table == "requirements" else "unit"
    held = [
        f"{n} {word}{'' if n == 1 else 's'}"
        for n, word in (
            (orphan.submissions, "hand-in"),
            (orphan.events, "processed event"),
            (orphan.notifications, "notification"),
        )
        if n
    ]
    listed = ", ".join(held[:-1]) + (" and " if len(held) > 1 else "") + held[-1]
    return Problem(
        f"{orphan.table}.{orphan.id}",
        f"the ledger holds {listed} for {kind} `{orphan.id}`, which the campaign file no "
        "longer has",
        "put the id back; or, if it was renamed, move what was recorded: "
        f"`campaignkit ledger rename-{kind} FILE {orphan.id} NEW-ID --db LEDGER`; or, if it "
        f"was dropped on purpose: `campaignkit ledger retire-{kind} FILE {orphan.id} --db "
        "LEDGER`",
        code="orphaned",
    )


def tick(
    campaign: Campaign,
    host: PluginHost,
    ledger: Ledger,
    *,
    now: dt.datetime,
    outbox: Path | None = None,
    submissions: Iterable[Submission] = (),
) -> Ticked:
    """Process every event up to `now` that the ledger has not, and deliver what is due.

    Raises, before anything is processed or sent, `LedgerMismatch` when the ledger holds
    records for requirements or units the campaign no longer has, and `LedgerError` when it
    holds a rehearsal (see `orphaned`).
    """
    problems = orphaned(campaign, ledger)
    if problems:
        raise LedgerMismatch(problems)
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
    sent = deliver_outbox(
        ledger, campaign, notifiers, now=now, outbox=outbox, schedule=host.schedule(campaign)
    )
    return Ticked(walked, sent, ledger.counts(campaign.campaign.id).get("dead", 0))
