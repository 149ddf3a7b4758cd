"""``campaignkit extend FILE`` and ``campaignkit exempt FILE``: move one unit's deadline on
one requirement, or take the unit out of it, with who and why; ``--revoke`` undoes either."""

from __future__ import annotations

import datetime as dt
import getpass
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, NoReturn, TypeVar

import typer

from .. import extending
from ..admission import OPERATOR
from ..extending import ExtensionRefused, revoke_exemption, revoke_extension
from ..extensions import Exemption, Extension, allowance_json
from ..i18n import _
from ..ledger import Ledger, open_ledger
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
    who = by if by is not None else operator()

    def act(campaign: Campaign, ledger: Ledger, now: dt.datetime) -> Extension:
        if revoke:
            return revoke_extension(
                campaign, ledger, unit, requirement, who, now=now, occurrence=occurrence
            )
        return extending.extend(
            campaign, ledger, unit, requirement, until or "", reason, who,
            now=now, occurrence=occurrence,
        )  # fmt: skip

    campaign, done = _recorded(ctx, file, db, fmt, act)
    if revoke:
        said = _("✓ extension revoked: {unit}, {requirement} (by {by})")
    else:
        said = _("✓ extended: {unit}, {requirement}, due by the end of {until} (by {by})")
    _tell(campaign, done, fmt, said, until=done.until.isoformat())


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
    who = by if by is not None else operator()

    def act(campaign: Campaign, ledger: Ledger, now: dt.datetime) -> Exemption:
        if revoke:
            return revoke_exemption(
                campaign, ledger, unit, requirement, who, now=now, occurrence=occurrence
            )
        return extending.exempt(
            campaign, ledger, unit, requirement, reason, who, now=now, occurrence=occurrence
        )

    campaign, done = _recorded(ctx, file, db, fmt, act)
    if revoke:
        said = _("✓ exemption revoked: {unit}, {requirement} (by {by})")
    else:
        said = _("✓ exempt: {unit}, {requirement} (by {by})")
    _tell(campaign, done, fmt, said)


Granted = TypeVar("Granted", Extension, Exemption)


def _recorded(
    ctx: typer.Context,
    file: Path,
    db: str | None,
    fmt: Format,
    act: Callable[[Campaign, Ledger, dt.datetime], Granted],
) -> tuple[Campaign, Granted]:
    """The campaign, and what `act` recorded in its ledger now; its refusal said, exit 2."""
    campaign = load_or_exit(file, host_from(ctx), fmt)
    with open_ledger(ledger_target(db, file)) as ledger:
        try:
            return campaign, act(campaign, ledger, dt.datetime.now(dt.UTC))
        except ExtensionRefused as refused:
            _refuse(refused, fmt)


def _tell(
    campaign: Campaign, done: Extension | Exemption, fmt: Format, said: str, **more: str
) -> None:
    """What was recorded: its JSON, or `said` in words (with `more` of them)."""
    if fmt is Format.json:
        print_json(allowance_json(done))
        return
    requirement = campaign.requirements[done.requirement]
    words = {
        "unit": campaign.units[done.unit].name,
        "requirement": requirement.name,
        "by": done.revoked_by or done.by,
    }
    say(said.format(**words, **more), "blue")


OPTIONS = {
    "unit": "--unit",
    "requirement": "--requirement",
    "occurrence": "--occurrence",
    "until": "--until",
    "reason": "--reason",
    "by": "--by",
    "revoke": "--revoke",
}


def _refuse(refused: ExtensionRefused, fmt: Format) -> NoReturn:
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
