"""Ledgers for a process that opens one for every short piece of work: a portal worker,
one per request.

On SQLite a connection costs a file open, so each use opens the file and closes it. On
PostgreSQL a connection costs a round trip for the handshake and three more to set it up,
so the uses share a pool of them (psycopg-pool): the schema is brought up to date once,
when the pool opens, and each use borrows a connection and gives it back. A connection
given back in the middle of a transaction (a use that failed) is rolled back by the pool,
and one the server dropped is noticed and replaced before it is lent again.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from ..i18n import _
from .errors import LedgerError
from .postgres import PostgresLedger, masked, not_installed, prepare, unreachable
from .sqlite import Ledger
from .target import is_url

if TYPE_CHECKING:
    from psycopg_pool import ConnectionPool

POOL_SIZE = 8
"""Connections one process holds at most: a portal worker's requests beyond these wait."""
WAIT = 30.0
"""Seconds a use waits for a connection before it is told the ledger is busy."""


class LedgerPool:
    """Ledgers on `target` (a file, or a ``postgresql://`` URL) for many short uses:

        pool = LedgerPool(url)
        with pool.ledger() as ledger:
            ...
        pool.close()

    Safe to use from several threads at once. The pool opens at its first use, which
    raises `LedgerError` when the server cannot be reached."""

    def __init__(self, target: str | Path, size: int = POOL_SIZE) -> None:
        self.target = target
        self.size = size
        self._pool: ConnectionPool | None = None
        self._opening = threading.Lock()

    @contextlib.contextmanager
    def ledger(self) -> Iterator[Ledger]:
        """A ledger for one use, closed (or its connection given back) afterwards."""
        if not is_url(self.target):
            with Ledger(self.target) as ledger:
                yield ledger
            return
        url = str(self.target)
        pool = self._open(url)
        from psycopg_pool import PoolTimeout

        try:
            connection = pool.getconn(timeout=WAIT)
        except PoolTimeout:
            said = _("the ledger {path} is busy: no connection free after {seconds} s; try again")
            raise LedgerError(said.format(path=masked(url), seconds=int(WAIT))) from None
        try:
            yield PostgresLedger(url, connection)
        finally:
            pool.putconn(connection)

    def _open(self, url: str) -> ConnectionPool:
        with self._opening:
            if self._pool is None:
                PostgresLedger(url).close()  # the schema, brought up to date once
                try:
                    from psycopg_pool import ConnectionPool, PoolTimeout
                except ImportError:
                    raise not_installed(url, "psycopg-pool") from None
                pool = ConnectionPool(
                    url,
                    min_size=1,
                    max_size=self.size,
                    kwargs={"autocommit": True, "connect_timeout": 10, "client_encoding": "utf-8"},
                    configure=lambda connection: prepare(connection, url),
                    check=ConnectionPool.check_connection,
                    name="campaignkit-ledger",
                    open=False,
                )
                try:
                    pool.open(wait=True, timeout=WAIT)
                except PoolTimeout as error:
                    pool.close()
                    raise unreachable(url, error) from None
                self._pool = pool
            return self._pool

    def close(self) -> None:
        """Close the pool's connections (nothing to do for a file)."""
        with self._opening:
            if self._pool is not None:
                self._pool.close()
                self._pool = None

    def __enter__(self) -> LedgerPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
