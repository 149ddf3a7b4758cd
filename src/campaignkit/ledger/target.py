"""Which ledger a command means: a file (SQLite) or a URL (PostgreSQL), and opening it."""

from __future__ import annotations

import contextlib
from contextlib import AbstractContextManager
from pathlib import Path

from .lock import TickLock
from .postgres import SCHEMES, PostgresLedger
from .sqlite import Ledger

ENVIRONMENT = "CAMPAIGNKIT_DB"
"""The environment variable that names the ledger when a command is given no ``--db``: a
URL's password stays out of command lines (and out of ``ps``)."""


def is_url(target: str | Path) -> bool:
    """True when `target` names a PostgreSQL database, not a file."""
    return isinstance(target, str) and target.startswith(SCHEMES)


def open_ledger(target: str | Path) -> Ledger:
    """The ledger at `target`: a ``postgresql://…`` URL, or a path to an SQLite file
    (``:memory:`` for one in memory)."""
    if is_url(target):
        return PostgresLedger(str(target))
    return Ledger(target)


def tick_lock(target: str | Path) -> AbstractContextManager[object]:
    """What keeps ticks on `target` from sending a notification twice beyond their claims:
    on SQLite, one tick at a time (`TickLock`); on PostgreSQL nothing, since its claims
    lock rows and not a file (``postgres.py``)."""
    if is_url(target):
        return contextlib.nullcontext()
    return TickLock(Path(target))
