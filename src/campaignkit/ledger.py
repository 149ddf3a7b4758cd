"""The ledger: what has happened in a campaign, in SQLite.

Submissions and their verdicts, the events already processed, the notification outbox and
every delivery attempt. The interface is narrow — record a submission, list submissions,
mark events processed together with their notifications, list the outbox, record a
delivery — so that another backend (PostgreSQL for a ministry with many operators) can
follow. Plugins never see these tables: they see records.

Writes are batched: ``executemany`` inside one transaction is about 100× faster than a
transaction per row.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

import attrs

from .notify import Notification
from .timeline import Event

SubmissionStatus = Literal["on_time", "late", "rejected"]

# Each migration takes the schema from version N to N+1. Never edit one that has shipped:
# add the next.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE submissions (
        id INTEGER PRIMARY KEY,
        campaign TEXT NOT NULL,
        unit TEXT NOT NULL,
        requirement TEXT NOT NULL,
        at TEXT NOT NULL,
        status TEXT NOT NULL,
        problems TEXT NOT NULL DEFAULT '[]',
        evidence TEXT NOT NULL DEFAULT '{}',
        recorded_at TEXT NOT NULL
    );
    CREATE INDEX submissions_by_requirement ON submissions (campaign, requirement, unit);
    CREATE TABLE events (
        campaign TEXT NOT NULL,
        key TEXT NOT NULL,
        at TEXT NOT NULL,
        kind TEXT NOT NULL,
        subject TEXT NOT NULL,
        processed_at TEXT NOT NULL,
        PRIMARY KEY (campaign, key)
    );
    CREATE TABLE outbox (
        id INTEGER PRIMARY KEY,
        campaign TEXT NOT NULL,
        key TEXT NOT NULL,
        at TEXT NOT NULL,
        kind TEXT NOT NULL,
        to_unit TEXT NOT NULL,
        about TEXT,
        requirement TEXT,
        channel TEXT,
        text TEXT NOT NULL,
        state TEXT NOT NULL DEFAULT 'pending',
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        UNIQUE (campaign, key)
    );
    CREATE TABLE deliveries (
        id INTEGER PRIMARY KEY,
        outbox_id INTEGER NOT NULL REFERENCES outbox (id),
        channel TEXT NOT NULL,
        at TEXT NOT NULL,
        ok INTEGER NOT NULL,
        error TEXT
    );
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)


class LedgerError(Exception):
    """The ledger file cannot be used: not a ledger, newer than this campaignkit, unreadable."""


@attrs.frozen
class SubmissionRow:
    """A submission as the ledger holds it."""

    unit: str
    requirement: str
    at: dt.datetime
    status: SubmissionStatus
    problems: tuple[str, ...] = ()
    evidence: Mapping[str, Any] = attrs.field(factory=dict)
    """Per deliverable, what was handed in: each file's name, sha256 and probed facts."""


@attrs.frozen
class OutboxRow:
    """A queued notification and where its delivery stands."""

    id: int
    notification: Notification
    state: str
    attempts: int


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class Ledger:
    """A campaign ledger in one SQLite file (WAL mode), or in memory."""

    def __init__(self, path: str | Path = ":memory:") -> None:
        self.path = str(path)
        try:
            # Autocommit mode: every transaction below is explicit.
            self.db = sqlite3.connect(self.path, isolation_level=None, timeout=30)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA foreign_keys=ON")
            self._migrate()
        except sqlite3.DatabaseError as error:
            raise LedgerError(f"{self.path} is not a usable campaignkit ledger: {error}") from None

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- schema ---------------------------------------------------------------------------
    @property
    def version(self) -> int:
        return int(self.db.execute("PRAGMA user_version").fetchone()[0])

    def _migrate(self) -> None:
        version = self.version
        if version > SCHEMA_VERSION:
            raise LedgerError(
                f"{self.path} was written by a newer campaignkit (ledger schema {version}, "
                f"this one knows {SCHEMA_VERSION})"
            )
        for number in range(version, SCHEMA_VERSION):
            self.db.execute("BEGIN IMMEDIATE")
            try:
                for statement in _statements(MIGRATIONS[number]):
                    self.db.execute(statement)
                self.db.execute(f"PRAGMA user_version = {number + 1}")
                self.db.execute("COMMIT")
            except BaseException:
                self.db.execute("ROLLBACK")
                raise

    # -- submissions ----------------------------------------------------------------------
    def record_submissions(self, campaign: str, rows: Iterable[SubmissionRow]) -> None:
        """Record submissions and their verdicts, all in one transaction."""
        recorded = _now()
        values = [
            (
                campaign,
                row.unit,
                row.requirement,
                row.at.isoformat(),
                row.status,
                json.dumps(list(row.problems), ensure_ascii=False),
                json.dumps(row.evidence, ensure_ascii=False),
                recorded,
            )
            for row in rows
        ]
        with self._transaction():
            self.db.executemany(
                "INSERT INTO submissions (campaign, unit, requirement, at, status, problems,"
                " evidence, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                values,
            )

    def submissions(self, campaign: str) -> list[SubmissionRow]:
        """Every submission of the campaign, in the order they were made."""
        cursor = self.db.execute(
            "SELECT unit, requirement, at, status, problems, evidence FROM submissions"
            " WHERE campaign = ? ORDER BY at, id",
            (campaign,),
        )
        return [
            SubmissionRow(
                u, r, dt.datetime.fromisoformat(a), s, tuple(json.loads(p)), json.loads(e)
            )
            for u, r, a, s, p, e in cursor
        ]

    # -- events and the outbox ------------------------------------------------------------
    def processed(self, campaign: str) -> set[str]:
        """The keys of the events already processed."""
        cursor = self.db.execute("SELECT key FROM events WHERE campaign = ?", (campaign,))
        return {key for (key,) in cursor}

    def mark_processed(
        self, campaign: str, events: Sequence[Event], notifications: Sequence[Notification]
    ) -> None:
        """Mark events processed and queue their notifications, in one transaction.

        A notification whose key is already queued is not queued again.
        """
        processed = _now()
        with self._transaction():
            self.db.executemany(
                "INSERT OR IGNORE INTO events (campaign, key, at, kind, subject, processed_at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                [(campaign, e.key, e.at.isoformat(), e.kind, e.subject, processed) for e in events],
            )
            self.db.executemany(
                "INSERT OR IGNORE INTO outbox (campaign, key, at, kind, to_unit, about,"
                " requirement, channel, text) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        campaign,
                        n.key,
                        n.at.isoformat(),
                        n.kind,
                        n.to,
                        n.about,
                        n.requirement,
                        n.channel,
                        n.text,
                    )
                    for n in notifications
                ],
            )

    def outbox(self, campaign: str, state: str | None = None) -> list[OutboxRow]:
        """Queued notifications in the order they were queued, optionally of one state."""
        query = (
            "SELECT id, key, at, kind, to_unit, about, requirement, channel, text, state,"
            " attempts FROM outbox WHERE campaign = ?"
        )
        params: tuple[Any, ...] = (campaign,)
        if state is not None:
            query += " AND state = ?"
            params += (state,)
        rows = self.db.execute(query + " ORDER BY id", params)
        return [
            OutboxRow(
                id_,
                Notification(
                    at=dt.datetime.fromisoformat(at),
                    to=to,
                    kind=kind,
                    requirement=req,
                    key=key,
                    text=text,
                    channel=channel,
                    about=about,
                ),
                st,
                attempts,
            )
            for id_, key, at, kind, to, about, req, channel, text, st, attempts in rows
        ]

    def record_deliveries(self, results: Iterable[tuple[int, str, str | None]]) -> None:
        """Record delivery attempts: (outbox id, channel, error or None when delivered)."""
        now = _now()
        rows = list(results)
        with self._transaction():
            self.db.executemany(
                "INSERT INTO deliveries (outbox_id, channel, at, ok, error) VALUES (?, ?, ?, ?, ?)",
                [(oid, channel, now, error is None, error) for oid, channel, error in rows],
            )
            self.db.executemany(
                "UPDATE outbox SET attempts = attempts + 1, last_error = ?,"
                " state = CASE WHEN ? THEN 'delivered' ELSE state END WHERE id = ?",
                [(error, error is None, oid) for oid, _channel, error in rows],
            )

    # -- plumbing -------------------------------------------------------------------------
    def _transaction(self) -> _Transaction:
        return _Transaction(self.db)


class _Transaction:
    """BEGIN IMMEDIATE … COMMIT, or ROLLBACK on any error: never a half-written ledger."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind: object, error: object, tb: object) -> None:
        self.db.execute("ROLLBACK" if kind is not None else "COMMIT")


def _statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]
