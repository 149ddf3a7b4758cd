"""``campaignkit extend FILE`` and ``campaignkit exempt FILE``: move one unit's deadline on
one requirement, or take the unit out of it, with who and why; ``--revoke`` undoes either."""

from __future__ import annotations

import datetime as dt
import getpass
from typing import Annotated

import typer

from .. import extending
from ..admission import OPERATOR
from ..extending import ExtensionRefused, revoke_exemption, revoke_extension
from ..extensions import Exemption, Extension, allowance_json
from ..i18n import _
from ..ledger import open_ledger
from ..model import Campaign
from .exits import EXIT_USAGE
from .ledger_target import ledger_target
from .output import (
    CampaignFile,
    Format,
    FormatOption,
    err,
    host_from,
    load_or_exit,
    print_json,
    problem_json,
    say,
)


def operator() -> str:
    """Who the ledger says granted it when `--by` is not given: the operating system's user
    name, or ``command line`` when it has none."""
    try:
        return getpass.getuser() or OPERATOR
    except (OSError, KeyError):  # no user name in the environment nor the password file
        return OPERATOR


Db = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="The ledger, a file or a postgresql:// URL (default: beside the campaign file).",
    ),
]
UnitOption = Annotated[str, typer.Option("--unit", help="The unit, by id or exact name.")]
RequirementOption = Annotated[str, typer.Option("--requirement", help="The requirement's id.")]
Occurrence = Annotated[
    str | None,
    typer.Option("--occurrence", help="One occurrence of a recurring requirement (2020-W23)."),
]
Reason = Annotated[str, typer.Option("--reason", help="Why; required unless --revoke.")]
By = Annotated[str | None, typer.Option("--by", help="Who grants it (default: your user name).")]


def extend(
    ctx: typer.Context,
    file: CampaignFile,
    unit: UnitOption,
    requirement: RequirementOption,
    until: Annotated[
        str | None, typer.Option("--until", help="The new due date, YYYY-MM-DD.")
    ] = None,
    reason: Reason = "",
    occurrence: Occurrence = None,
    revoke: Annotated[
        bool, typer.Option("--revoke", help="Revoke the unit's extension in force.")
    ] = False,
    by: By = None,
    db: Db = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Move one unit's deadline on a requirement to the end of a later day, for a reason.

    Reminders, the overdue notice and escalations follow the new date; a hand-in before it
    is on time. Exit 0 when recorded, 2 when refused (nothing is recorded).
    """
    campaign = load_or_exit(file, host_from(ctx), fmt)
    who = by if by is not None else operator()
    now = dt.datetime.now(dt.UTC)
    with open_ledger(ledger_target(db, file)) as ledger:
        try:
            if revoke:
                done: Extension = revoke_extension(
                    campaign, ledger, unit, requirement, who, now=now, occurrence=occurrence
                )
            else:
                done = extending.extend(
                    campaign, ledger, unit, requirement, until or "", reason, who,
                    now=now, occurrence=occurrence,
                )  # fmt: skip
        except ExtensionRefused as refused:
            _refuse(refused, fmt)
    if fmt is Format.json:
        print_json(allowance_json(done))
        return
    words = _words(campaign, done)
    if revoke:
        say(_("✓ extension revoked: {unit}, {requirement} (by {by})").format(**words), "blue")
    else:
        said = _("✓ extended: {unit}, {requirement}, due by the end of {until} (by {by})")
        say(said.format(**words, until=done.until.isoformat()), "blue")


def exempt(
    ctx: typer.Context,
    file: CampaignFile,
    unit: UnitOption,
    requirement: RequirementOption,
    reason: Reason = "",
    occurrence: Occurrence = None,
    revoke: Annotated[bool, typer.Option("--revoke", help="Revoke the unit's exemption.")] = False,
    by: By = None,
    db: Db = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Take one unit out of a requirement, for a reason: no notices, not counted in rates.

    Exit 0 when recorded, 2 when refused (nothing is recorded).
    """
    campaign = load_or_exit(file, host_from(ctx), fmt)
    who = by if by is not None else operator()
    now = dt.datetime.now(dt.UTC)
    with open_ledger(ledger_target(db, file)) as ledger:
        try:
            if revoke:
                done: Exemption = revoke_exemption(
                    campaign, ledger, unit, requirement, who, now=now, occurrence=occurrence
                )
            else:
                done = extending.exempt(
                    campaign, ledger, unit, requirement, reason, who,
                    now=now, occurrence=occurrence,
                )  # fmt: skip
        except ExtensionRefused as refused:
            _refuse(refused, fmt)
    if fmt is Format.json:
        print_json(allowance_json(done))
        return
    words = _words(campaign, done)
    if revoke:
        say(_("✓ exemption revoked: {unit}, {requirement} (by {by})").format(**words), "blue")
    else:
        say(_("✓ exempt: {unit}, {requirement} (by {by})").format(**words), "blue")


OPTIONS = {
    "unit": "--unit",
    "requirement": "--requirement",
    "occurrence": "--occurrence",
    "until": "--until",
    "reason": "--reason",
    "by": "--by",
    "revoke": "--revoke",
}


def _refuse(refused: ExtensionRefused, fmt: Format) -> None:
    """Say each problem, naming its option, and exit 2: nothing was recorded."""
    if fmt is Format.json:
        print_json([problem_json(p) for p in refused.problems])
    for problem in refused.problems:
        option = OPTIONS.get(problem.path, problem.path)
        err(_("error: {option}: {message}").format(option=option, message=problem.message))
        if problem.hint:
            err(f"  {problem.hint}")
    err(_("Nothing was recorded."))
    raise typer.Exit(EXIT_USAGE)


def _words(campaign: Campaign, done: Extension | Exemption) -> dict[str, str]:
    requirement = campaign.requirements[done.requirement]
    return {
        "unit": campaign.units[done.unit].name,
        "requirement": requirement.name,
        "by": done.revoked_by or done.by,
    }
