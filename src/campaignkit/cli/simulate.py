"""``campaignkit simulate FILE``: rehearse a campaign on a virtual clock."""

from __future__ import annotations

import contextlib
import itertools
import sys
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Annotated, Any

import attrs
import typer
from rich.table import Table
from rich.text import Text

from ..delivery import Delivered
from ..engine import Progress
from ..i18n import _, spoken
from ..ledger import is_url
from ..model import Campaign, occurrence_key
from ..notify import Notification
from ..report import standing_labels
from ..simulation import LedgerNotFresh, rehearse
from .exits import EXIT_PROBLEMS
from .moments import moment
from .output import (
    CampaignFile,
    Format,
    FormatOption,
    appendable,
    console,
    err,
    host_from,
    load_or_exit,
    print_json,
    reached_no_one,
    say,
    scenario_or_exit,
)


def simulate(
    ctx: typer.Context,
    file: CampaignFile,
    until: Annotated[
        str | None, typer.Option("--until", help="Stop after this day (or date-time).")
    ] = None,
    scenario: Annotated[
        Path | None,
        typer.Option("--scenario", help="Submissions from a scenario file (TOML or CSV)."),
    ] = None,
    compliance: Annotated[
        float | None,
        typer.Option(
            "--compliance",
            min=0.0,
            max=1.0,
            help="Share of units that hand in on time with good evidence (default 1).",
        ),
    ] = None,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the compliance model.")] = 0,
    db: Annotated[
        str | None,
        typer.Option(
            "--db", help="Keep the ledger in this file or postgresql:// URL (default: memory)."
        ),
    ] = None,
    outbox: Annotated[
        Path | None,
        typer.Option("--outbox", help="Append every notification to this JSON Lines file."),
    ] = None,
    deliver: Annotated[
        bool, typer.Option("--deliver", help="Really deliver notifications to units' channels.")
    ] = False,
    fmt: FormatOption = Format.table,
) -> None:
    """Rehearse the campaign: run its timeline with simulated submissions.

    Nothing leaves the machine unless --deliver is given.
    """
    if scenario is not None and compliance is not None:
        raise typer.BadParameter(
            "give --scenario or --compliance, not both", param_hint="--scenario"
        )
    host = host_from(ctx)
    outbox = appendable(outbox)
    campaign = load_or_exit(file, host, fmt)
    stop = moment(until, campaign, option="--until")
    submissions = scenario_or_exit(scenario, campaign) if scenario is not None else None
    try:
        with progress_bar(fmt) as progress:
            rehearsal = rehearse(
                campaign,
                host,
                db=None if db is None else db if is_url(db) else Path(db),
                submissions=submissions,
                compliance=1.0 if compliance is None else compliance,
                seed=seed,
                until=stop,
                deliver=deliver,
                outbox=outbox,
                progress=progress,
            )
    except LedgerNotFresh as used:
        said = _(
            "error: {db} already holds a run of `{campaign}`; "
            "a simulation needs a fresh ledger (choose another --db)"
        )
        err(said.format(db=used.path, campaign=used.campaign))
        raise typer.Exit(EXIT_PROBLEMS) from None
    result, summary = rehearsal.result, rehearsal.summary
    if rehearsal.delivered is not None:
        _print_delivery(rehearsal.delivered, rehearsal.dead)
    totals = Counter(result.fates)
    if fmt is Format.json:
        print_json(
            {
                "notifications": _notification_records(result.notifications, result.fates),
                "submissions": (
                    {
                        "unit": s.unit,
                        "requirement": s.requirement,
                        "at": s.at.isoformat(),
                        "status": s.status,
                    }
                    for s in result.submissions
                ),
                "summary": {req: attrs.asdict(s) for req, s in summary.items()},
                "totals": {"notifications": len(result.notifications)}
                | {fate: totals[fate] for fate in FATES},
            }
        )
        return
    title = _(
        "Simulation of {campaign}: {events} events, {submissions} submissions, "
        "{notifications} notifications"
    )
    table = Table(
        title=title.format(
            campaign=campaign.campaign.id,
            events=result.events,
            submissions=len(result.submissions),
            notifications=len(result.notifications),
        ),
        title_justify="left",
    )
    names = standing_labels(campaign, spoken())
    # The exempt (granted on the ledger before the rehearsal) only when there are some.
    exempt = any(s.exempt for s in summary.values())
    table.add_column(_("requirement"), justify="left")
    for column in (
        _("assignees"),
        *(names[standing] for standing in ("on_time", "late", "missing", "rejected")),
        *([names["exempt"]] if exempt else []),
        _("notifications"),
        _("not reached"),
        _("stale"),
    ):
        table.add_column(column, justify="right")
    for req_id, s in summary.items():
        named = _("{name} ({id})").format(name=campaign.requirements[req_id].name, id=req_id)
        table.add_row(
            Text(named),
            str(s.assignees),
            Text(str(s.on_time), style="blue"),
            Text(str(s.late), style="yellow"),
            Text(str(s.missing), style="red"),
            Text(str(s.rejected), style="red"),
            *([str(s.exempt)] if exempt else []),
            str(s.notifications),
            Text(str(s.unreached), style="red" if s.unreached else ""),
            str(s.skipped),
        )
    console().print(table)
    if totals["unreached"]:
        say(unreached_line(campaign, result.notifications, result.fates), "red")


FATES = ("delivered", "unreached", "skipped", "pending")


def _print_delivery(sent: Delivered, dead: int) -> None:
    """How delivery went, on stderr: the counts, then each error with how many failed so."""
    said = _(
        "delivery: {delivered} delivered, {unreached} reached no one, "
        "{skipped} skipped as stale, {failed} failed, "
        "{pending} waiting for a retry, {dead} dead"
    )
    err(
        said.format(
            delivered=sent.delivered,
            unreached=sent.unreached,
            skipped=sent.skipped,
            failed=sent.failed,
            pending=sent.pending,
            dead=dead,
        )
    )
    for error, times in sent.errors.items():
        err(_("  failed {times}×: {error}").format(times=times, error=error))


def unreached_line(
    campaign: Campaign, notifications: Sequence[Notification], fates: Sequence[str]
) -> str:
    """How many notices reach no one, and whom: the first few units by name."""
    pairs = zip(notifications, fates, strict=True)
    units = list(dict.fromkeys(n.to for n, fate in pairs if fate == "unreached"))
    return reached_no_one(campaign, sum(f == "unreached" for f in fates), units)


def _notification_records(
    notifications: Iterable[Notification], fates: Sequence[str]
) -> Iterator[dict[str, Any]]:
    """Each notification as JSON writes it, one at a time."""
    at, when = None, ""
    states = itertools.chain(fates, itertools.repeat(None))  # none on the real clock
    for n, state in zip(notifications, states, strict=False):  # states never end
        if n.at is not at:  # an event's notifications share its moment: format it once
            at, when = n.at, n.at.isoformat()
        yield {
            "at": when,
            "kind": n.kind,
            "to": n.to,
            "about": n.about,
            "requirement": n.requirement,
            "key": n.key,
            "state": state,
            **({"level": n.level, "label": n.label} if n.level is not None else {}),
            **({"occurrence": period} if (period := occurrence_key(n.requirement or "")) else {}),
        }


@contextlib.contextmanager
def progress_bar(fmt: Format) -> Iterator[Progress | None]:
    """A progress bar on a terminal, for people; nothing for machines and pipes."""
    if fmt is Format.json or not sys.stdout.isatty():
        yield None
        return
    from rich.progress import Progress as Bar

    with Bar(console=console(), transient=True) as bar:
        task = bar.add_task(_("simulating"), total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total)
