"""What can go wrong with a ledger file, said so that a person can act on it."""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from ..i18n import _

P = ParamSpec("P")
R = TypeVar("R")


class LedgerError(Exception):
    """The ledger file cannot be used: not a ledger, newer than this campaignkit, damaged,
    or in a place it cannot be written."""


def failure(path: str, error: sqlite3.Error) -> LedgerError:
    """SQLite's error as a `LedgerError` that names the file and says what it means."""
    name = getattr(error, "sqlite_errorname", "") or ""
    if name.startswith("SQLITE_CORRUPT") or "malformed" in str(error):
        message = _("the ledger {path} is damaged: {error}")
    elif name.startswith(("SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_PERM", "SQLITE_IOERR")):
        message = _(
            "the ledger {path} cannot be opened for writing: {error} "
            "(the file and its folder must be writable: SQLite keeps files beside it)"
        )
    elif name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        message = _("the ledger {path} is busy: {error}; try again")
    else:  # SQLITE_NOTADB, and anything else
        message = _("{path} is not a usable campaignkit ledger: {error}")
    return LedgerError(message.format(path=path, error=error))


def guarded(method: Callable[P, R]) -> Callable[P, R]:
    """A ledger method whose SQLite errors become `LedgerError`s naming the file."""

    @functools.wraps(method)
    def call(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return method(*args, **kwargs)
        except sqlite3.Error as error:
            raise failure(getattr(args[0], "path", "?"), error) from None

    return call
