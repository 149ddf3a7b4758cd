"""One tick at a time on a ledger."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from ..i18n import _
from .errors import LedgerError, failure


class TickLock:
    """Only one tick at a time on a ledger: an exclusive SQLite lock on a file beside it.

    The operating system releases it when the process ends, however it ends, so a tick that
    was killed never leaves the next one locked out. A second tick waits for the first
    (SQLite's own busy handler, up to `wait` seconds) and then finds nothing left to do.
    """

    def __init__(self, ledger: Path, wait: float = 600.0) -> None:
        self.path = ledger.with_name(ledger.name + ".lock")
        self.wait = wait
        self.db: sqlite3.Connection | None = None

    def __enter__(self) -> TickLock:
        try:
            self.db = sqlite3.connect(self.path, isolation_level=None, timeout=self.wait)
        except sqlite3.Error as error:
            raise failure(str(self.path), error) from None
        try:
            self.db.execute("BEGIN EXCLUSIVE")
        except sqlite3.Error as error:
            self.db.close()
            if getattr(error, "sqlite_errorname", "").startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
                message = _("another tick still holds {path} ({error})")
                raise LedgerError(message.format(path=self.path, error=error)) from None
            raise failure(str(self.path), error) from None
        return self

    def __exit__(self, *exc: object) -> None:
        if self.db is not None:
            self.db.execute("ROLLBACK")
            self.db.close()
