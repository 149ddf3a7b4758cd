"""``campaignkit submit FILE``: record what a unit hands in, judged by its content."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Annotated, Any

import attrs
import typer
from rich.table import Table
from rich.text import Text

from ..ledger import Ledger, SubmissionRow
from ..model import Campaign, Contact
from ..org import expand, resolve_groups
from ..plugins import PluginHost
from ..problems import did_you_mean
from ..records import EvidenceFacts
from ..store import EvidenceStore, TooLarge, size_cap
from ..submissions import Submission, judge
from .app import EXIT_OK, EXIT_PROBLEMS
from .moments import moment
from .output import (
    CampaignFile,
    Format,
    FormatOption,
    console,
    err,
    host_from,
    load_or_exit,
    print_json,
)


def default_ledger(campaign_file: Path) -> Path:
    """The ledger beside the campaign file: ``shenzhen_2020.toml`` → ``shenzhen_2020.db``."""
    return campaign_file.with_suffix(".db")


def submit(
    ctx: typer.Context,
    file: CampaignFile,
    unit: Annotated[str, typer.Option("--unit", help="The unit handing in.")],
    requirement: Annotated[str, typer.Option("--requirement", help="What it hands in.")],
    deliverable: Annotated[
        list[str],
        typer.Option(
            "--deliverable",
            metavar="ID=PATH",
            help="A file for a deliverable; repeat for several files or deliverables.",
        ),
    ],
    at: Annotated[
        str | None, typer.Option("--at", help="When it was handed in (default: now).")
    ] = None,
    db: Annotated[
        Path | None, typer.Option("--db", help="The ledger (default: beside the campaign file).")
    ] = None,
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

    Exit 0 when accepted, 1 when rejected; a rejected submission is kept, and the unit may
    hand in again.
    """
    host = host_from(ctx)
    campaign = load_or_exit(file, host, fmt)
    req = campaign.requirements.get(requirement)
    if req is None:
        hint = did_you_mean(requirement, campaign.requirements) or (
            f"requirements: {', '.join(campaign.requirements)}"
        )
        raise typer.BadParameter(
            f"no requirement `{requirement}`; {hint}", param_hint="--requirement"
        )
    if unit not in campaign.units:
        hint = did_you_mean(unit, campaign.units) or "`campaignkit show FILE` lists the units"
        raise typer.BadParameter(f"no unit `{unit}`; {hint}", param_hint="--unit")
    files = _parse_deliverables(deliverable)
    when = moment(at, campaign, option="--at") or dt.datetime.now(dt.UTC)
    if unit not in expand(campaign, req.assignees, resolve_groups(campaign)):
        err(f"error: `{unit}` is not an assignee of `{requirement}`")
        raise typer.Exit(EXIT_PROBLEMS)
    ledger_path = db if db is not None else default_ledger(file)
    named = liaison_name or liaison_phone or liaison_email
    contact = Contact(liaison_name, liaison_phone, liaison_email) if named else None
    # The ledger is opened first: files go into its store only when it can record them.
    with Ledger(ledger_path) as ledger:
        store = EvidenceStore.beside(ledger_path)
        evidence: dict[str, tuple[EvidenceFacts, ...]] = {}
        recorded: dict[str, list[dict[str, Any]]] = {}
        largest = {item.id: item.max_size_mb for item in req.deliverables}
        for name, path in files:
            facts, entry = _take(host, store, path, size_cap(largest.get(name)))
            evidence[name] = (*evidence.get(name, ()), facts)
            recorded.setdefault(name, []).append(entry)
        handed_in = when.astimezone(_zone(campaign))
        row = judge(host, campaign, Submission(unit, requirement, handed_in, evidence))
        row = attrs.evolve(row, evidence=recorded, contact=contact)
        ledger.record_submissions(campaign.campaign.id, [row])
    if fmt is Format.json:
        print_json(_outcome_json(row))
    else:
        _print_outcome(campaign, row)
    raise typer.Exit(EXIT_PROBLEMS if row.status == "rejected" else EXIT_OK)


def _zone(campaign: Campaign) -> Any:
    import zoneinfo

    return zoneinfo.ZoneInfo(campaign.campaign.timezone)


def _parse_deliverables(values: list[str]) -> list[tuple[str, Path]]:
    out = []
    for value in values:
        name, sep, path = value.partition("=")
        if not sep or not name or not path:
            raise typer.BadParameter(
                f"`{value}` should be ID=PATH, such as video=summary.mp4",
                param_hint="--deliverable",
            )
        out.append((name.strip(), Path(path)))
    return out


def _take(
    host: PluginHost, store: EvidenceStore, path: Path, cap: int
) -> tuple[EvidenceFacts, dict[str, Any]]:
    """Store one file and probe the stored copy; a file that cannot be read, or is larger
    than `cap` bytes, is a problem."""
    entry: dict[str, Any] = {"name": path.name}
    trouble = None
    if not path.exists():
        trouble = "the file does not exist"
    elif path.is_dir():
        trouble = "this is a directory, not a file"
    elif not path.is_file():
        trouble = "this is not a regular file"  # a pipe or a device would block the read
    elif not os.access(path, os.R_OK):
        trouble = "the file cannot be read (permission denied)"
    if trouble is None:
        try:
            stored = store.put(path, cap)
        except TooLarge as error:
            trouble = str(error)
        except OSError as error:
            trouble = f"the file cannot be read: {error.strerror or error}"
    if trouble is not None:
        entry["problems"] = [trouble]
        return EvidenceFacts(path=path, problems=(trouble,)), entry
    facts = host.call("campaignkit_probe_evidence", path=stored.path)
    if facts is None:  # every prober declined: the built-in one never does
        facts = EvidenceFacts(path=stored.path, size_bytes=stored.size)
    facts = attrs.evolve(facts, path=path)  # problems name the file the unit handed in
    entry.update(
        sha256=stored.sha256,
        size=stored.size,
        kind=facts.kind,
        format=facts.format,
        width=facts.width,
        height=facts.height,
        duration_s=facts.duration_s,
        codec=facts.codec,
        rotation=facts.rotation,
        problems=list(facts.problems),
    )
    return facts, entry


def _outcome_json(row: SubmissionRow) -> dict[str, Any]:
    return {
        "unit": row.unit,
        "requirement": row.requirement,
        "at": row.at.isoformat(),
        "status": row.status,
        "accepted": row.status != "rejected",
        "problems": list(row.problems),
        "files": dict(row.evidence),
    }


def _size(size: int) -> str:
    for unit, scale in (("MB", 1_000_000), ("KB", 1_000)):
        if size >= scale:
            return f"{size / scale:.1f} {unit}"
    return f"{size} B"


def _print_outcome(campaign: Campaign, row: SubmissionRow) -> None:
    out = console()
    table = Table(title="Evidence", title_justify="left")
    for column in (
        "deliverable",
        "file",
        "kind",
        "format",
        "size",
        "picture",
        "duration",
        "sha256",
    ):
        table.add_column(column, overflow="fold")
    deliverables = {d.id: d.label for d in campaign.requirements[row.requirement].deliverables}
    for name, entries in row.evidence.items():
        for entry in entries:
            picture = f"{entry['width']}×{entry['height']}" if entry.get("width") else ""
            duration = f"{entry['duration_s']:.1f} s" if entry.get("duration_s") else ""
            size = _size(entry["size"]) if entry.get("size") is not None else ""
            table.add_row(
                Text(deliverables.get(name, name)),
                Text(entry["name"]),
                entry.get("kind") or "",
                entry.get("format") or "unknown",
                size,
                picture,
                duration,
                (entry.get("sha256") or "")[:12],
            )
    out.print(table)
    who = campaign.units[row.unit].name
    if row.status == "rejected":
        out.print(Text(f"✗ rejected: {who}, {row.requirement}", style="bold red"))
        for problem in row.problems:
            out.print(Text(f"  - {problem}", style="red"))
        out.print(Text("The submission is kept; hand in again once the files are fixed."))
    else:
        label = "on time" if row.status == "on_time" else "late"
        out.print(Text(f"✓ accepted ({label}): {who}, {row.requirement}", style="bold blue"))
