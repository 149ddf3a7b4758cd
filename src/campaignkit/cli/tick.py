"""``campaignkit tick FILE --db PATH``: run the campaign on the real clock, from cron.

Each tick processes the events that have come due since the last one and delivers what is
queued. It sends each notification once: the events and their notifications are recorded
together, each delivery is claimed before it is sent and recorded after, and only one tick
runs at a time on a ledger.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from ..i18n import _, ngettext
from ..ledger import open_ledger, tick_lock
from ..live import LedgerMismatch
from ..live import tick as tick_once
from .exits import EXIT_PROBLEMS
from .ledger_target import ledger_target
from .moments import moment
from .output import (
    CampaignFile,
    Format,
    FormatOption,
    appendable,
    at_time,
    console,
    err,
    host_from,
    load_or_exit,
    print_json,
    print_problems,
    problem_json,
    reached_no_one,
    say,
)


def tick(
    ctx: typer.Context,
    file: CampaignFile,
    db: Annotated[
        str | None,
        typer.Option("--db", help="The campaign's ledger, a file or a postgresql:// URL."),
    ] = None,
    now: Annotated[
        str | None, typer.Option("--now", help="Run up to this moment instead of now.")
    ] = None,
    outbox: Annotated[
        Path | None, typer.Option("--outbox", help="Also append every notification to this file.")
    ] = None,
    retry_dead: Annotated[
        bool,
        typer.Option(
            "--retry-dead", help="Queue dead notifications again (once the cause is fixed)."
        ),
    ] = False,
    fmt: FormatOption = Format.table,
) -> None:
    """Process the events due since the last tick and deliver what is queued."""
    target = ledger_target(db)
    host = host_from(ctx)
    outbox = appendable(outbox)
    campaign = load_or_exit(file, host, fmt)
    clock = moment(now, campaign, option="--now") or dt.datetime.now(dt.UTC)
    source = hashlib.sha256(file.read_bytes()).hexdigest()
    with tick_lock(target), open_ledger(target) as ledger:
        try:
            ticked = tick_once(
                campaign,
                host,
                ledger,
                now=clock,
                outbox=outbox,
                source=source,
                retry_dead=retry_dead,
            )
        except LedgerMismatch as mismatch:
            if fmt is Format.json:
                print_json([problem_json(p) for p in mismatch.problems])
            else:
                print_problems(mismatch.problems, ledger.path, stderr=True)
            err(
                _("error: the ledger and the campaign file disagree; nothing was processed or sent")
            )
            raise typer.Exit(EXIT_PROBLEMS) from None
    if ticked.followed:
        said = _(
            "note: {file} changed since the last tick; events not yet processed follow the new file"
        )
        err(said.format(file=file))
    if retry_dead:
        err(_("note: {count} dead notifications queued again").format(count=ticked.revived))
    ran, sent, dead = ticked.result, ticked.delivered, ticked.dead
    result = {
        "processed_events": ran.processed,
        "delivered": sent.delivered,
        "unreached": sent.unreached,
        "skipped": sent.skipped,
        "held": sent.held,
        "deferred": sent.deferred,
        "declined": sent.declined,
        "failed": sent.failed,
        "gave_up": sent.gave_up,
        "pending": sent.pending,
        "dead": dead,
        "errors": sent.errors,
    }
    if fmt is Format.json:
        print_json(result)
        return
    said = _(
        "{moment}: {processed} events processed, {delivered} notifications delivered, "
        "{failed} failed (to be retried), {gave_up} given up, {pending} waiting; "
        "{dead} dead in all"
    )
    console().print(
        Text(
            said.format(
                moment=at_time(clock, campaign),
                processed=ran.processed,
                delivered=sent.delivered,
                failed=sent.failed,
                gave_up=sent.gave_up,
                pending=sent.pending,
                dead=dead,
            )
        )
    )
    if sent.unreached:
        say(reached_no_one(campaign, sent.unreached, sent.unreached_units), "red")
    if sent.skipped:
        said = ngettext(
            "{count} notice skipped as stale: no longer true when sent",
            "{count} notices skipped as stale: no longer true when sent",
            sent.skipped,
        )
        say(said.format(count=sent.skipped))
    if sent.held:
        at = host.schedule(campaign).next_send(clock)
        said = ngettext(
            "{count} notice held until {moment}: outside the campaign's sending hours",
            "{count} notices held until {moment}: outside the campaign's sending hours",
            sent.held,
        )
        say(said.format(count=sent.held, moment=f"{at:%Y-%m-%d %H:%M}"))
    if sent.deferred:
        said = ngettext(
            "{count} notice deferred by its notifier, to be sent later",
            "{count} notices deferred by their notifiers, to be sent later",
            sent.deferred,
        )
        say(said.format(count=sent.deferred))
    if sent.declined:
        said = ngettext(
            "{count} notice declined by every channel open to it: not sent",
            "{count} notices declined by every channel open to them: not sent",
            sent.declined,
        )
        say(said.format(count=sent.declined), "red")
    if dead:
        say(_("dead notifications: fix the cause, then `campaignkit tick … --retry-dead`"))
    for error, times in sent.errors.items():
        say(_("  failed {times}×: {error}").format(times=times, error=error), "red")
