"""A tick: a run of the events due up to a moment, on the real clock, then delivery.

The ``tick`` command runs it on the real clock, and ``campaignkit.testing``'s virtual clock
runs it on a clock a test moves by hand, so a plugin is tested on the very code path that
runs it in production.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

import attrs

from . import gcpause
from .columns import with_columns
from .delivery import Delivered, deliver_outbox
from .engine import RunResult, run, unit_events
from .i18n import _, ngettext
from .ledger import Ledger, LedgerError
from .ledger.maintenance import Orphan, orphans
from .model import Campaign
from .plugins import PluginHost
from .problems import Problem
from .report import Report, build_report
from .submissions import Submission
from .timeline import ordered


@attrs.frozen
class Ticked:
    """What one tick did: the events it processed and how delivery went."""

    result: RunResult
    """What the run did: the events up to the moment, those it processed, what it made."""
    delivered: Delivered
    dead: int
    """Notifications that gave up, in the whole ledger."""
    followed: bool = False
    """The campaign file changed since the last tick: events not yet processed follow it."""
    revived: int = 0
    """Dead notifications queued again (`retry_dead`)."""

    @property
    def walked(self) -> RunResult:
        """The name of `result` in 0.1, kept for the plugins' tests written then."""
        return self.result


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
            _(
                "{ledger} holds a rehearsal of `{campaign}` (simulate --db): nothing in it was "
                "sent, and tick would send it now; give tick a ledger of its own"
            ).format(ledger=ledger.path, campaign=campaign.campaign.id)
        )
    found = orphans(ledger, campaign.campaign.id, campaign.requirements, campaign.units)
    return [_orphan_problem(orphan) for orphan in found]


def _orphan_problem(orphan: Orphan) -> Problem:
    kind = "requirement" if orphan.table == "requirements" else "unit"
    held = [
        text.format(count=n)
        for n, text in (
            (
                orphan.submissions,
                ngettext("{count} hand-in", "{count} hand-ins", orphan.submissions),
            ),
            (
                orphan.events,
                ngettext("{count} processed event", "{count} processed events", orphan.events),
            ),
            (
                orphan.notifications,
                ngettext("{count} notification", "{count} notifications", orphan.notifications),
            ),
        )
        if n
    ]
    listed = held[-1]
    if len(held) > 1:
        listed = _("{items} and {last}").format(items=_(", ").join(held[:-1]), last=held[-1])
    if kind == "requirement":
        message = _(
            "the ledger holds {listed} for requirement `{id}`, which the campaign file no "
            "longer has"
        )
    else:
        message = _(
            "the ledger holds {listed} for unit `{id}`, which the campaign file no longer has"
        )
    return Problem(
        f"{orphan.table}.{orphan.id}",
        message.format(listed=listed, id=orphan.id),
        _(
            "put the id back; or, if it was renamed, move what was recorded: "
            "`campaignkit ledger rename-{kind} FILE {id} NEW-ID --db LEDGER`; or, if it "
            "was dropped on purpose: `campaignkit ledger retire-{kind} FILE {id} --db LEDGER`"
        ).format(kind=kind, id=orphan.id),
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
    source: str | None = None,
    retry_dead: bool = False,
) -> Ticked:
    """Process every event up to `now` that the ledger has not, and deliver what is due.

    `source` is the campaign file's SHA-256: the ledger follows the file it was given last
    (`Ticked.followed` says it changed). `retry_dead` queues the dead notifications again
    first. Raises, before anything is followed, processed or sent, `LedgerMismatch` when
    the ledger holds records for requirements or units the campaign no longer has, and
    `LedgerError` when it holds a rehearsal (see `orphaned`).
    """
    problems = orphaned(campaign, ledger)
    if problems:
        raise LedgerMismatch(problems)
    cid = campaign.campaign.id
    followed = source is not None and ledger.follow(cid, source) is not None
    revived = ledger.revive(cid) if retry_dead else 0
    host.configure(campaign.plugins, campaign)
    result = run(
        campaign,
        host,
        ledger,
        host.timeline(campaign),
        until=now,
        live=True,
        submissions=submissions,
    )
    notifiers = host.notifiers()
    sent = deliver_outbox(
        ledger, campaign, notifiers, now=now, outbox=outbox, schedule=host.schedule(campaign)
    )
    dead = ledger.counts(cid).get("dead", 0)
    return Ticked(result, sent, dead, followed, revived)


def ledger_report(
    campaign: Campaign,
    host: PluginHost,
    ledger: Ledger,
    *,
    as_of: dt.datetime,
    unit: str | None = None,
) -> Report:
    """The report of a live ledger at `as_of`: its submissions as the office's reviews
    judged them, its extensions and exemptions, its notifications, how each one's delivery
    stands and who signed for it, with the plugins' columns. With `unit`, the events of its
    own too (`Event.unit`), when its deadline was moved."""
    host.configure(campaign.plugins, campaign)
    cid = campaign.campaign.id
    rows = ledger.outbox(cid)
    allowances = ledger.allowances(cid)
    events = host.timeline(campaign)
    if unit is not None and any(u == unit for u, _ in allowances.extended):
        mine = [e for e in unit_events(campaign, host, allowances) if e.unit == unit]
        events = ordered([*events, *mine])
    with gcpause.paused(freeze=True):  # a row per unit and requirement, and no cycles
        report = build_report(
            campaign,
            events,
            ledger.submissions(cid),
            [row.notification for row in rows],
            source="ledger",
            as_of=as_of,
            unit=unit,
            states={row.notification.key: row.state for row in rows},
            errors={row.notification.key: row.last_error for row in rows if row.last_error},
            reviews=ledger.reviews(cid),
            acks=ledger.acks(cid),
            allowances=allowances,
        )
        return with_columns(report, host)
