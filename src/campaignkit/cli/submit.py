"""``campaignkit submit FILE``: record what a unit hands in, judged by its content."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from ..evidence_stores import StoreRefused, open_store
from ..figure_files import read_figures
from ..figures import figure_fields
from ..handin import HandIn, check_hand_in, hand_in
from ..i18n import _
from ..ledger import Verdict, open_ledger
from ..model import Campaign, Contact
from ..problems import Problem
from .exits import EXIT_FAILURE, EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE
from .ledger_target import ledger_target
from .moments import moment
from .output import (
    CampaignFile,
    EvidenceOption,
    Format,
    FormatOption,
    console,
    deliverable_kinds,
    err,
    host_from,
    load_or_exit,
    print_json,
    problem_json,
)


def submit(
    ctx: typer.Context,
    file: CampaignFile,
    unit: Annotated[str, typer.Option("--unit", help="The unit handing in.")],
    requirement: Annotated[str, typer.Option("--requirement", help="What it hands in.")],
    deliverable: Annotated[
        list[str] | None,
        typer.Option(
            "--deliverable",
            metavar="ID=PATH",
            help="A file for a deliverable; repeat for several files or deliverables.",
        ),
    ] = None,
    figure: Annotated[
        list[str] | None,
        typer.Option(
            "--figure",
            metavar="ID=VALUE",
            help="A figure for a figures deliverable, such as hazards-found=12; repeat.",
        ),
    ] = None,
    figures_file: Annotated[
        Path | None,
        typer.Option(
            "--figures",
            metavar="FILE",
            help="Figures from a CSV (field,value rows) or JSON ({field: value}) file.",
        ),
    ] = None,
    occurrence: Annotated[
        str | None,
        typer.Option(
            "--occurrence",
            metavar="KEY",
            help="For a recurring requirement, the period: 2020-W23, 2020-06 (default: the "
            "earliest the unit has not handed in).",
        ),
    ] = None,
    at: Annotated[
        str | None, typer.Option("--at", help="When it was handed in (default: now).")
    ] = None,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="The ledger, a file or a postgresql:// URL (default: beside the campaign file).",
        ),
    ] = None,
    evidence: EvidenceOption = None,
    liaison_name: Annotated[
        str | None, typer.Option("--liaison-name", help="The unit's liaison officer.")
    ] = None,
    liaison_phone: Annotated[
        str | None, typer.Option("--liaison-phone", help="The officer's mobile number.")
    ] = None,
    liaison_email: Annotated[
        str | None, typer.Option("--liaison-email", help="The officer's e-mail address.")
    ] = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Record a submission: store each file, probe it, and judge it against the requirement.

    --unit, each deliverable and each figure may be named by id or by exact name. Exit 0
    when accepted, 1 when rejected (the submission is kept, and the unit may hand in again),
    2 for a slip such as an unknown unit, a missing file or a figure the requirement does
    not ask for: then nothing is stored or recorded.
    """
    host = host_from(ctx)
    campaign = load_or_exit(file, host, fmt)
    files = _parse_deliverables(deliverable or [])
    figures = _parse_figures(figures_file, figure or [], fmt)
    if not files and not figures:
        err(_("error: give a file with --deliverable ID=PATH, or figures with --figure ID=VALUE"))
        raise typer.Exit(EXIT_USAGE)
    when = moment(at, campaign, option="--at") or dt.datetime.now(dt.UTC)
    named = liaison_name or liaison_phone or liaison_email
    contact = Contact(liaison_name, liaison_phone, liaison_email) if named else None
    asked = HandIn(
        unit, requirement, tuple(files), when, contact, occurrence=occurrence, figures=figures
    )
    _stop_at_slips(check_hand_in(campaign, asked)[1], fmt)
    target = ledger_target(db, file)
    try:
        store = open_store(host, target, evidence)
    except StoreRefused as refused:
        err(_("error: {message}").format(message=refused))
        raise typer.Exit(EXIT_USAGE) from None
    # The ledger is opened first: files go into its store only when it can record them.
    with open_ledger(target) as ledger:
        try:
            row = hand_in(host, campaign, ledger, store, asked)
        except OSError as error:
            where = f" {error.filename}" if error.filename else ""
            err(
                _(
                    "error: a file could not be stored{where}: {reason}; nothing was recorded"
                ).format(where=where, reason=error.strerror or error)
            )
            raise typer.Exit(EXIT_FAILURE) from None
    if isinstance(row, list):  # a file went away since it was checked
        _stop_at_slips(row, fmt)
        return
    if fmt is Format.json:
        print_json(_outcome_json(campaign, row))
    else:
        _print_outcome(campaign, row)
    raise typer.Exit(EXIT_PROBLEMS if row.status == "rejected" else EXIT_OK)


OPTIONS = {
    "unit": "--unit",
    "requirement": "--requirement",
    "occurrence": "--occurrence",
    "figure": "--figure",
    "figures": "--figures",
}


def _stop_at_slips(slips: list[Problem], fmt: Format) -> None:
    """Say each slip, naming its option, and exit 2; nothing when there are none."""
    if not slips:
        return
    if fmt is Format.json:
        print_json([problem_json(p) for p in slips])
    for slip in slips:
        option = OPTIONS.get(slip.path, "--deliverable")
        err(_("error: {option}: {message}").format(option=option, message=slip.message))
        if slip.hint:
            err(f"  {slip.hint}")
    err(_("Nothing was stored or recorded."))
    raise typer.Exit(EXIT_USAGE)


def _parse_deliverables(values: list[str]) -> list[tuple[str, Path]]:
    out = []
    for value in values:
        name, sep, path = value.partition("=")
        if not sep or not name.strip() or not path:
            message = _("error: --deliverable: `{value}` should be ID=PATH, such as {example}")
            err(message.format(value=value, example="video=summary.mp4"))
            raise typer.Exit(EXIT_USAGE)
        out.append((name.strip(), Path(path)))
    return out


def _parse_figures(
    path: Path | None, values: list[str], fmt: Format
) -> tuple[tuple[str, str], ...]:
    """The figures of `--figures FILE`, then of each `--figure ID=VALUE`."""
    read: tuple[tuple[str, str], ...] = ()
    if path is not None:
        read, problems = read_figures(path)
        _stop_at_slips(problems, fmt)
    out = list(read)
    for value in values:
        name, sep, given = value.partition("=")
        if not sep or not name.strip():
            message = _("error: --figure: `{value}` should be ID=VALUE, such as {example}")
            err(message.format(value=value, example="hazards-found=12"))
            raise typer.Exit(EXIT_USAGE)
        out.append((name.strip(), given))
    return tuple(out)


def _outcome_json(campaign: Campaign, row: Verdict) -> dict[str, Any]:
    return {
        "unit": row.unit,
        "requirement": row.requirement,
        "occurrence": campaign.requirements[row.requirement].occurrence,
        "at": row.at.isoformat(),
        "status": row.status,
        "accepted": row.status != "rejected",
        "problems": list(row.problems),
        "files": dict(row.evidence),
        "figures": dict(row.figures),
    }


def _size(size: int) -> str:
    for unit, scale in (("MB", 1_000_000), ("KB", 1_000)):
        if size >= scale:
            return f"{size / scale:.1f} {unit}"
    return f"{size} B"


def _print_outcome(campaign: Campaign, row: Verdict) -> None:
    out = console()
    table = Table(title=_("Evidence"), title_justify="left")
    for column in (
        _("deliverable"),
        _("file"),
        _("kind"),
        _("format"),
        _("size"),
        _("picture"),
        _("duration"),
        "sha256",
    ):
        table.add_column(column, overflow="fold")
    deliverables = {d.id: d.label for d in campaign.requirements[row.requirement].deliverables}
    kinds = deliverable_kinds()
    for name, entries in row.evidence.items():
        for entry in entries:
            picture = f"{entry['width']}×{entry['height']}" if entry.get("width") else ""
            seconds = entry.get("duration_s")
            duration = _("{seconds} s").format(seconds=f"{seconds:.1f}") if seconds else ""
            size = _size(entry["size"]) if entry.get("size") is not None else ""
            table.add_row(
                Text(deliverables.get(name, name)),
                Text(entry["name"]),
                kinds.get(entry.get("kind") or "", entry.get("kind") or ""),
                entry.get("format") or _("unknown"),
                size,
                picture,
                duration,
                (entry.get("sha256") or "")[:12],
            )
    if row.evidence:
        out.print(table)
    _print_figures(campaign, row)
    words = {
        "who": campaign.units[row.unit].name,
        "requirement": campaign.requirements[row.requirement].name,
    }
    if row.status == "rejected":
        out.print(Text(_("✗ rejected: {who}, {requirement}").format(**words), style="bold red"))
        for problem in row.problems:
            out.print(Text(f"  - {problem}", style="red"))
        out.print(
            Text(
                _("The submission is kept; hand in again once the figures are fixed.")
                if row.figures and not row.evidence
                else _("The submission is kept; hand in again once the files are fixed.")
            )
        )
    else:
        said = (
            _("✓ accepted, on time: {who}, {requirement}")
            if row.status == "on_time"
            else _("✓ accepted, late: {who}, {requirement}")
        )
        out.print(Text(said.format(**words), style="bold blue"))


def _print_figures(campaign: Campaign, row: Verdict) -> None:
    if not row.figures:
        return
    fields = figure_fields(campaign.requirements[row.requirement])
    table = Table(title=_("Figures"), title_justify="left")
    for column in (_("figure"), _("value"), _("unit")):
        table.add_column(column, overflow="fold")
    for key, value in row.figures.items():
        item = fields[key][1] if key in fields else None
        table.add_row(
            Text(item.label if item else key), Text(value), Text(item.unit or "" if item else "")
        )
    console().print(table)
