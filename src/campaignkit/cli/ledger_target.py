"""Which ledger a command works on: ``--db`` (a file, or a ``postgresql://`` URL), else
the environment's ``CAMPAIGNKIT_DB``, else the file beside the campaign."""

from __future__ import annotations

from pathlib import Path

import typer

from ..i18n import _
from ..ledger import ENVIRONMENT, ledger_location
from .exits import EXIT_USAGE
from .output import err, existing_ledger


def ledger_target(db: str | None, beside: Path | None = None) -> str | Path:
    """The ledger a command was given: `db`, else ``CAMPAIGNKIT_DB``, else the file beside
    the campaign `beside` (``campaign.toml`` → ``campaign.db``); with none of them, say so
    and exit 2."""
    found = ledger_location(db, beside)
    if found is None:
        err(_("error: give the ledger with --db, or set {variable}").format(variable=ENVIRONMENT))
        raise typer.Exit(EXIT_USAGE)
    return found


def existing_target(target: str | Path, hint: str = "") -> str | Path:
    """`target`, if a ledger is there: a file must exist (else say so, with `hint`, and exit
    1); a database is asked when it is opened."""
    return target if isinstance(target, str) else existing_ledger(target, hint)
