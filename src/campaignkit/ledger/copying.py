"""Copying a whole ledger into a new, empty one (``campaignkit ledger copy``), every table,
checked by counts and checksums; and the counts and checksums themselves.

Written against the ledger's connection and plain SQL with ``?`` placeholders, which both
backends take, so that a ledger moves between SQLite and PostgreSQL. A table's checksum
does not depend on the order its rows come in, nor on how a backend spells a value (a
boolean is 1 or 0): the same rows give the same checksum on either backend.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import attrs

from ..i18n import _
from .errors import LedgerError, failure

if TYPE_CHECKING:
    from .sqlite import Ledger

TABLES: tuple[str, ...] = (
    "submissions",
    "reviews",
    "events",
    "outbox",
    "deliveries",
    "acks",
    "audit",
    "staff",
    "tokens",
    "extensions",
    "exemptions",
    "sources",
    "rehearsals",
    "retired",
    "sign_in_failures",
    "sign_in_lockouts",
)
"""Every table of the ledger, a table before those that refer to it (a review to its
hand-in, a delivery to its notice). A test keeps it equal to the schema's tables."""

BATCH = 5_000
MODULUS = 1 << 256


@attrs.frozen
class TableSum:
    """One table's rows: how many, and a checksum of their content."""

    table: str
    rows: int
    checksum: str
    """The sum of each row's sha256, modulo 2²⁵⁶, in hex: the same rows in any order give
    the same checksum."""


@attrs.frozen
class Copied:
    """A finished copy: each table's count and checksum, equal in both ledgers."""

    tables: tuple[TableSum, ...]

    @property
    def rows(self) -> int:
        return sum(table.rows for table in self.tables)


class CopyRefused(LedgerError):
    """The copy was not made, or was undone: the target holds data already, or what it
    received differs from the source. The target is left as it was."""


def table_sums(ledger: Ledger) -> tuple[TableSum, ...]:
    """Each table's count and checksum, read in one transaction."""
    try:
        with ledger.reading():
            return tuple(_sum(table, *_rows(ledger, table)) for table in TABLES)
    except sqlite3.Error as error:
        raise failure(ledger.path, error) from None


def copy_ledger(source: Ledger, target: Ledger) -> Copied:
    """Copy every row of every table from `source` into `target`, which must hold none, in
    one transaction of the target that is committed only when each table's count and
    checksum, read back from the target, equal the source's. Raises `CopyRefused`."""
    try:
        taken = _occupied(target)
        if taken:
            raise CopyRefused(
                _("the ledger {path} holds data already ({tables}): copy into a new one").format(
                    path=target.path, tables=", ".join(taken)
                )
            )
        sums = []
        with source.reading(), target.transaction():
            for table in TABLES:
                columns, rows = _rows(source, table)
                given = _Summing(table, columns)
                insert = (
                    f"INSERT INTO {table} ({', '.join(columns)})"
                    f" VALUES ({', '.join('?' for _ in columns)})"
                )
                for batch in _batches(given.through(rows)):
                    target.db.executemany(insert, batch)
                copied = _sum(table, *_rows(target, table))
                if copied != given.result():
                    raise CopyRefused(
                        _(
                            "the copy of table {table} differs from the source "
                            "({rows} rows, checksum {checksum}; copied: {copied_rows} rows, "
                            "checksum {copied_checksum}); nothing was copied"
                        ).format(
                            table=table,
                            rows=given.rows,
                            checksum=given.result().checksum,
                            copied_rows=copied.rows,
                            copied_checksum=copied.checksum,
                        )
                    )
                sums.append(copied)
            # Ids are copied as they are: a server backend moves its id sequences past them,
            # before the commit, so that the next row gets an id of its own.
            target.ids_taken()
        return Copied(tuple(sums))
    except sqlite3.Error as error:
        raise failure(f"{source.path} → {target.path}", error) from None


def _occupied(ledger: Ledger) -> list[str]:
    return [
        table
        for table in TABLES
        if ledger.db.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone() is not None
    ]


def _rows(ledger: Ledger, table: str) -> tuple[list[str], Iterator[tuple[Any, ...]]]:
    """A table's columns (in the ledger's order) and its rows."""
    cursor = ledger.db.execute(f"SELECT * FROM {table}")
    columns = [column[0] for column in cursor.description]

    def rows() -> Iterator[tuple[Any, ...]]:
        while batch := cursor.fetchmany(BATCH):
            yield from batch

    return columns, rows()


def _batches(rows: Iterator[tuple[Any, ...]]) -> Iterator[list[tuple[Any, ...]]]:
    batch: list[tuple[Any, ...]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _value(value: Any) -> Any:
    """A column's value as every backend spells it."""
    if isinstance(value, bool):
        return int(value)
    if value is None or isinstance(value, int | float | str):
        return value
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).hex()
    return str(value)


class _Summing:
    """A table's count and checksum, summed as its rows pass through; each row by its
    columns' names, so that two backends may order the columns differently."""

    def __init__(self, table: str, columns: list[str]) -> None:
        self.table = table
        self.order = sorted(range(len(columns)), key=columns.__getitem__)
        self.names = [columns[i] for i in self.order]
        self.rows = 0
        self.total = 0

    def through(self, rows: Iterator[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
        for row in rows:
            named = [[self.names[n], _value(row[i])] for n, i in enumerate(self.order)]
            line = json.dumps(named, ensure_ascii=False, separators=(",", ":"))
            self.total += int.from_bytes(hashlib.sha256(line.encode()).digest(), "big")
            self.rows += 1
            yield row

    def result(self) -> TableSum:
        return TableSum(self.table, self.rows, f"{self.total % MODULUS:064x}")


def _sum(table: str, columns: list[str], rows: Iterator[tuple[Any, ...]]) -> TableSum:
    summing = _Summing(table, columns)
    for _row in summing.through(rows):
        pass
    return summing.result()
