"""Which ledger a command means: a file (SQLite) or a URL (PostgreSQL), and opening it."""

from __future__ import annotations

import os
from contextlib import AbstractContextManager
from pathlib import Path

from .lock import TickLock
from .postgres import SCHEMES, PostgresLedger, TickGate
from .sqlite import Ledger, default_ledger

ENVIRONMENT = "CAMPAIGNKIT_DB"
"""The environment variable that names the ledger when a command is given no ``--db``: a
URL's password stays out of command lines (and out of ``ps``)."""


def is_url(target: str | Path) -> bool:
    """True when `target` names a PostgreSQL database, not a file."""
    return isinstance(target, str) and target.startswith(SCHEMES)


def ledger_location(db: str | Path | None, campaign_file: Path | None = None) -> str | Path | None:
    """Which ledger a command means: `db` (a path, or a ``postgresql://`` URL), else the
    environment's ``CAMPAIGNKIT_DB``, else the file beside `campaign_file`
    (``campaign.toml`` → ``campaign.db``); None when none of them is given."""
    given = db if db is not None else os.environ.get(ENVIRONMENT) or None
    if given is not None:
        return given if is_url(given) else Path(given)
    return default_ledger(campaign_file) if campaign_file is not None else None


def open_ledger(target: str | Path) -> Ledger:
    """The ledger at `target`: a ``postgresql://…`` URL, or a path to an SQLite file
    (``:memory:`` for one in memory)."""
    if is_url(target):
        return PostgresLedger(str(target))
    return Ledger(target)


def tick_lock(target: str | Path, *, alone: bool = False) -> AbstractContextManager[object]:
    """What a tick holds on `target`, or (`alone`) what mending the ledger holds: on SQLite,
    one tick at a time (`TickLock`), which also keeps ticks out while ids move; on
    PostgreSQL, whose claims lock rows and not a file, any number of ticks at once and
    mending alone (`TickGate`)."""
    if is_url(target):
        return TickGate(str(target), alone=alone)
    return TickLock(Path(target))
