"""Rehearsals: a run of a campaign on a virtual clock, with simulated submissions.

``run_rehearsal`` is the run itself, on a ledger the caller gives. The use cases a command,
a portal or a script calls are built on it: ``rehearse`` (what ``campaignkit simulate``
does: a fresh ledger, the run, delivery or an outbox file) and ``rehearsal_report`` (the
report of a whole rehearsal, what ``campaignkit report --simulate`` renders).
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path

import attrs

from . import gcpause
from .columns import with_columns
from .delivery import Delivered, OutboxFile, deliver_outbox
from .engine import Progress, RunResult, run
from .i18n import _
from .ledger import Ledger, LedgerError, is_url, open_ledger
from .model import Campaign
from .notify import Notification
from .plugins import PluginHost
from .reach import reach_of
from .report import Report, build_report
from .status import Summary, summarize
from .submissions import Submission
from .synthetic import synthetic_submissions
from .timeline import Event


def run_rehearsal(
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
) -> tuple[list[Event], RunResult]:
    """Walk `campaign` on a virtual clock with the given submissions, or the compliance
    model's; returns the timeline and what the run did.

    The notifications are queued in the ledger's outbox only with `queue_notifications`:
    for a rehearsal that delivers them, or that keeps its ledger in a file. Each is settled
    at its send time as a live run would: delivered, reaching no one, or skipped as stale
    (`RunResult.fates`).
    """
    host.configure(campaign.plugins, campaign)
    events = host.timeline(campaign)
    handed: Iterable[Submission] = submissions if submissions is not None else ()
    if submissions is None:
        with gcpause.paused(freeze=True):
            handed = handed_over(synthetic_submissions(campaign, compliance, seed))
    result = run(
        campaign,
        host,
        ledger,
        events,
        until=until,
        submissions=handed,
        queue_notifications=queue_notifications,
        progress=progress,
        reach=reach_of(campaign, host),
    )
    return events, result


def handed_over(rows: list[Submission]) -> Iterator[Submission]:
    """Each of `rows` once, the list emptied as it goes: the engine then holds each
    submission alone, and lets it go once judged (a national rehearsal's 80,000 would
    otherwise stay to the end)."""
    rows.reverse()
    while rows:
        yield rows.pop()


class LedgerNotFresh(LedgerError):
    """The file given for a rehearsal's ledger already holds a run of the campaign: a
    rehearsal needs a fresh one."""

    def __init__(self, path: Path | str, campaign: str) -> None:
        self.path = path
        self.campaign = campaign
        said = _("{ledger} already holds a run of `{campaign}`; a rehearsal needs a fresh ledger")
        super().__init__(said.format(ledger=path, campaign=campaign))


@contextlib.contextmanager
def rehearsal_ledger(db: Path | str | None, campaign: Campaign) -> Iterator[Ledger]:
    """A fresh ledger for a rehearsal: in memory, or the file (or PostgreSQL URL) `db`.

    Raises `LedgerNotFresh` when `db` already holds a run of `campaign`. A rehearsal that
    fails half-way (a plugin raised) removes the ledger file it created, so no half-written
    rehearsal is left to be mistaken for a whole one.
    """
    if isinstance(db, str) and not is_url(db):
        db = Path(db)
    created = isinstance(db, Path) and not db.exists()
    try:
        with open_ledger(db if db is not None else ":memory:") as ledger:
            if db is not None and ledger.processed(campaign.campaign.id):
                # A URL is said as the ledger says it: without its password.
                said = ledger.path if isinstance(db, str) else db
                raise LedgerNotFresh(said, campaign.campaign.id)
            yield ledger
    except Exception:
        if created and isinstance(db, Path):
            for leftover in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
                leftover.unlink(missing_ok=True)
        raise


@attrs.frozen
class Rehearsal:
    """What a rehearsal did: its run, each requirement's counts, and how delivery went."""

    timeline: Sequence[Event]
    result: RunResult
    """The events, the submissions as judged, the notifications and each one's fate."""
    summary: Mapping[str, Summary]
    """Per requirement: the standings at the end, and the notifications by fate."""
    delivered: Delivered | None = None
    """How delivery went, when the simulation delivered; None otherwise."""
    dead: int = 0
    """Notifications that gave up, when the simulation delivered."""


def rehearse(
    campaign: Campaign,
    host: PluginHost,
    *,
    db: Path | str | None = None,
    submissions: Sequence[Submission] | None = None,
    compliance: float = 1.0,
    seed: int = 0,
    until: dt.datetime | None = None,
    deliver: bool = False,
    outbox: Path | None = None,
    progress: Progress | None = None,
) -> Rehearsal:
    """Rehearse `campaign` on a fresh ledger (in memory, or the new file `db`), with the
    given submissions or the compliance model's, up to `until` (the end by default).

    The extensions and exemptions granted on the ledger file `db` before it (`campaignkit
    extend`, `exempt`) are followed. Nothing leaves the machine unless `deliver`: then each
    notification goes to its unit's channels at its time on the virtual clock, and also to
    the `outbox` file. Without it, `outbox` gets each notification a live run would send,
    with the state it would have. A ledger file is marked as a rehearsal, which `tick`
    refuses. Raises `LedgerNotFresh` when `db` already holds a run of the campaign.
    """
    cid = campaign.campaign.id
    delivered, dead = None, 0
    with rehearsal_ledger(db, campaign) as ledger:
        allowances = ledger.allowances(cid)  # granted on the ledger file before the rehearsal
        timeline, result = run_rehearsal(
            campaign,
            host,
            ledger,
            submissions=submissions,
            compliance=compliance,
            seed=seed,
            until=until,
            queue_notifications=db is not None or outbox is not None or deliver,
            progress=progress,
        )
        if db is not None:
            # A rehearsal's ledger says so (tick refuses it) and what became of each notice.
            keys = (n.key for n in result.notifications)
            ledger.mark_rehearsal(cid, () if deliver else zip(keys, result.fates, strict=True))
        if deliver:
            now = max((n.at for n in result.notifications), default=dt.datetime.now(dt.UTC))
            delivered = deliver_outbox(
                ledger,
                campaign,
                host.notifiers(),
                now=now,
                outbox=outbox,
                virtual=True,
                schedule=host.schedule(campaign),  # the calendar a notifier's context holds
            )
            dead = ledger.counts(cid).get("dead", 0)
        elif outbox is not None:
            write_outbox(outbox, result.notifications, result.fates)
    summary = summarize(
        campaign, result.submissions, result.notifications, result.fates, allowances
    )
    return Rehearsal(timeline, result, summary, delivered, dead)


def write_outbox(path: Path, notifications: Sequence[Notification], fates: Sequence[str]) -> None:
    """The outbox file of a rehearsal that delivers nothing: each notice a live run would
    send, with the state it would have."""
    record = OutboxFile(path)
    try:
        for note, fate in zip(notifications, fates, strict=True):
            if fate in ("delivered", "unreached"):
                record.write(note, fate)
    finally:
        record.close()


def rehearsal_report(
    campaign: Campaign,
    host: PluginHost,
    *,
    submissions: Sequence[Submission] | None = None,
    compliance: float = 1.0,
    seed: int = 0,
    as_of: dt.datetime | None = None,
    unit: str | None = None,
) -> Report:
    """The report of a whole rehearsal in memory, with the given submissions or the
    compliance model's: the standings at `as_of` (the end by default), and each
    notification with its fate, with the plugins' columns; with `unit`, only that unit's
    part."""
    with rehearsal_ledger(None, campaign) as ledger:
        timeline, result = run_rehearsal(
            campaign, host, ledger, submissions=submissions, compliance=compliance, seed=seed
        )
    # The ledger is let go first: the report holds all it needs, and no format reads it.
    with gcpause.paused(freeze=True):  # a row per unit and requirement, and no cycles
        report = build_report(
            campaign,
            timeline,
            result.submissions,
            result.notifications,
            source="simulation",
            as_of=as_of,
            unit=unit,
            states=dict(zip((n.key for n in result.notifications), result.fates, strict=True)),
        )
        return with_columns(report, host)
