"""``campaignkit ledger …``: mend a ledger after the campaign file was edited.

``rename-requirement FILE OLD NEW`` and ``rename-unit FILE OLD NEW`` move what the ledger
recorded under an id the file renamed — hand-ins, processed events, notifications — so
that the next tick neither chases a unit for work it handed in nor sends a notice again.
``retire-requirement FILE OLD`` and ``retire-unit FILE OLD`` stop following an id the file
dropped on purpose: what was recorded stays, and its notices still waiting are skipped.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, NoReturn

import typer

from ..i18n import _, ngettext
from ..ledger import open_ledger, tick_lock
from ..mending import Table, rename, retire_id
from ..problems import Problem
from .exits import EXIT_PROBLEMS
from .ledger_target import existing_target, ledger_target
from .output import (
    CampaignFile,
    Format,
    FormatOption,
    host_from,
    load_or_exit,
    print_json,
    print_problems,
    problem_json,
    say,
)

HELP = "Mend a ledger after its campaign file was edited: move what a renamed id recorded."

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
    with tick_lock(path), open_ledger(path) as opened:
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
    # No tick runs while the ids move (on PostgreSQL, stop them first: docs/operations.md).
    with tick_lock(path), open_ledger(path) as opened:
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
