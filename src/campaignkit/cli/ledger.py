"""``campaignkit ledger …``: mend a ledger after the campaign file was edited; copy it whole,
and check that it is whole.

``rename-requirement FILE OLD NEW`` and ``rename-unit FILE OLD NEW`` move what the ledger
recorded under an id the file renamed — hand-ins, processed events, notifications — so
that the next tick neither chases a unit for work it handed in nor sends a notice again.
``retire-requirement FILE OLD`` and ``retire-unit FILE OLD`` stop following an id the file
dropped on purpose: what was recorded stays, and its notices still waiting are skipped.
``copy SRC DST`` copies every table into a new ledger, checked by counts and checksums;
``check LEDGER`` finds hand-ins whose files are missing from the evidence store, files no
hand-in refers to, and rows that refer to nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, NoReturn

import typer

from ..evidence_stores import StoreRefused, open_store
from ..i18n import _, ngettext
from ..integrity import check_ledger
from ..ledger import Ledger, is_url, open_ledger, tick_lock
from ..ledger.copying import CopyRefused, copy_ledger
from ..mending import Table, rename, retire_id
from ..problems import Problem
from .exits import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE
from .ledger_target import existing_target, ledger_target
from .output import (
    CampaignFile,
    EvidenceOption,
    Format,
    FormatOption,
    err,
    existing_ledger,
    host_from,
    load_or_exit,
    print_json,
    print_problems,
    problem_json,
    say,
)

HELP = "Mend a ledger after its campaign file was edited, copy a ledger whole, check one."

ledger = typer.Typer(
    help=HELP,
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)

Old = Annotated[str, typer.Argument(help="The id the ledger recorded things under.")]
New = Annotated[str, typer.Argument(help="The id the campaign file now gives it.")]
Db = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="The ledger, a file or a postgresql:// URL (default: beside the campaign file).",
    ),
]


@ledger.command("rename-requirement")
def rename_requirement(
    ctx: typer.Context,
    file: CampaignFile,
    old: Old,
    new: New,
    db: Db = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Move the hand-ins, events and notifications of requirement OLD to NEW."""
    _rename(ctx, file, "requirements", old, new, db, fmt)


@ledger.command("rename-unit")
def rename_unit(
    ctx: typer.Context,
    file: CampaignFile,
    old: Old,
    new: New,
    db: Db = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Move the hand-ins, events and notifications of unit OLD to NEW."""
    _rename(ctx, file, "units", old, new, db, fmt)


@ledger.command("retire-requirement")
def retire_requirement(
    ctx: typer.Context,
    file: CampaignFile,
    old: Old,
    db: Db = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Stop following requirement OLD, dropped from the file: keep its records, skip its notices."""
    _retire(ctx, file, "requirements", old, db, fmt)


@ledger.command("retire-unit")
def retire_unit(
    ctx: typer.Context,
    file: CampaignFile,
    old: Old,
    db: Db = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Stop following unit OLD, dropped from the file: keep its records, skip its notices."""
    _retire(ctx, file, "units", old, db, fmt)


def _retire(
    ctx: typer.Context, file: Path, table: Table, old: str, db: str | None, fmt: Format
) -> None:
    campaign = load_or_exit(file, host_from(ctx), fmt)
    path = existing_target(ledger_target(db, file))
    with tick_lock(path, alone=True), open_ledger(path) as opened:
        skipped = retire_id(campaign, opened, table, old)
    if isinstance(skipped, list):
        _refuse(skipped, file, fmt)
    if fmt is Format.json:
        print_json({"retired": old, "skipped": skipped})
    else:
        said = ngettext(
            "retired `{id}`: its records stay; {count} notification still waiting skipped",
            "retired `{id}`: its records stay; {count} notifications still waiting skipped",
            skipped,
        )
        say(said.format(id=old, count=skipped))


def _refuse(problems: list[Problem], file: Path, fmt: Format) -> NoReturn:
    if fmt is Format.json:
        print_json([problem_json(p) for p in problems])
    else:
        print_problems(problems, str(file), stderr=True)
    raise typer.Exit(EXIT_PROBLEMS)


def _rename(
    ctx: typer.Context,
    file: Path,
    table: Table,
    old: str,
    new: str,
    db: str | None,
    fmt: Format,
) -> None:
    campaign = load_or_exit(file, host_from(ctx), fmt)
    path = existing_target(ledger_target(db, file))
    # No tick runs while the ids move: it waits, and this waits for those running.
    with tick_lock(path, alone=True), open_ledger(path) as opened:
        moved = rename(campaign, opened, table, old, new)
    if isinstance(moved, list):
        _refuse(moved, file, fmt)
    if fmt is Format.json:
        print_json(
            {
                "from": old,
                "to": new,
                "submissions": moved.submissions,
                "events": moved.events,
                "notifications": moved.notifications,
            }
        )
        return
    said = _(
        "moved from `{old}` to `{new}`: {submissions} hand-in(s), "
        "{events} processed event(s), {notifications} notification(s)"
    )
    say(
        said.format(
            old=old,
            new=new,
            submissions=moved.submissions,
            events=moved.events,
            notifications=moved.notifications,
        )
    )
    if not (moved.submissions or moved.events or moved.notifications):
        say(_("note: the ledger holds nothing under `{id}`").format(id=old), "yellow")


Location = Annotated[
    str, typer.Argument(help="A ledger: a SQLite file, or a database URL.", show_default=False)
]


def _open(location: str, *, existing: bool) -> Ledger:
    """The ledger at a path or a URL; a path must hold a ledger already when `existing`."""
    if not is_url(location) and existing:
        existing_ledger(Path(location))
    return open_ledger(location if is_url(location) else Path(location))


@ledger.command("copy")
def copy(
    src: Location,
    dst: Location,
    fmt: FormatOption = Format.table,
) -> None:
    """Copy every table of ledger SRC into DST, a new or empty ledger (SQLite or PostgreSQL).

    Each table's rows are counted and checksummed in both, and the copy is committed only
    when they agree; a DST that holds data already is refused. Exit 0 when copied, 1 when
    refused: then DST is as it was.
    """
    with _open(src, existing=True) as source, _open(dst, existing=False) as target:
        try:
            copied = copy_ledger(source, target)
        except CopyRefused as refused:
            err(_("error: {message}").format(message=refused))
            raise typer.Exit(EXIT_PROBLEMS) from None
    # As the ledgers say themselves: a URL without its password.
    src, dst = source.path, target.path
    if fmt is Format.json:
        print_json(
            {
                "from": src,
                "to": dst,
                "rows": copied.rows,
                "tables": [
                    {"table": t.table, "rows": t.rows, "checksum": t.checksum}
                    for t in copied.tables
                ],
            }
        )
        return
    width = max(len(t.table) for t in copied.tables)
    for t in copied.tables:
        say(f"{t.table:<{width}}  {t.rows:>9}  {t.checksum[:16]}")
    said = _(
        "copied {rows} row(s) of {tables} tables from {src} to {dst}: counts and checksums agree"
    )
    say(said.format(rows=copied.rows, tables=len(copied.tables), src=src, dst=dst), "green")


@ledger.command("check")
def check(
    ctx: typer.Context,
    location: Location,
    evidence: EvidenceOption = None,
    read_files: Annotated[
        bool,
        typer.Option("--read-files", help="Also read every stored file and check its sha256."),
    ] = False,
    fmt: FormatOption = Format.table,
) -> None:
    """Check that a ledger is whole: each hand-in's files in the evidence store, no file that
    no hand-in refers to, no row that refers to nothing.

    Exit 0 when nothing is wrong (files no hand-in refers to are only warnings), 1 when
    something is.
    """
    try:
        store = open_store(host_from(ctx), location, evidence)
    except StoreRefused as refused:
        err(_("error: {message}").format(message=refused))
        raise typer.Exit(EXIT_USAGE) from None
    with _open(location, existing=True) as opened:
        found = check_ledger(opened, store, read_files=read_files)
    location = opened.path  # a URL without its password
    code = EXIT_PROBLEMS if found.errors else EXIT_OK
    if fmt is Format.json:
        print_json(
            {
                "ok": not found.errors,
                "ledger": location,
                "evidence": store.describe(),
                "hand_ins": found.hand_ins,
                "files": found.files,
                "errors": found.errors,
                "warnings": found.warnings,
                "findings": [f.as_json() for f in found.findings],
            }
        )
        raise typer.Exit(code)
    for finding in found.findings:
        label = _("error") if finding.severity == "error" else _("warning")
        say(f"{label}: {finding.message}", "red" if finding.severity == "error" else "yellow")
    said = _(
        "checked {hand_ins} hand-in(s) and {files} stored file(s) in {store}: "
        "{errors} error(s), {warnings} warning(s)"
    )
    say(
        said.format(
            hand_ins=found.hand_ins,
            files=found.files,
            store=store.describe(),
            errors=found.errors,
            warnings=found.warnings,
        ),
        "red" if found.errors else "green",
    )
    raise typer.Exit(code)
