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
from typing import Any

import attrs

from .model import Contact
from .notify import Notification
from .submissions import SubmissionRow as SubmissionRow
from .submissions import SubmissionStatus as SubmissionStatus
from .timeline import Event

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
    # 2: retries with backoff, notifications left in flight by a tick that died, and the
    # campaign file each tick followed.
    """
    ALTER TABLE outbox ADD COLUMN next_attempt_at TEXT;
    CREATE INDEX outbox_by_state ON outbox (campaign, state, id);
    CREATE TABLE sources (
        campaign TEXT PRIMARY KEY,
        sha256 TEXT NOT NULL,
        seen_at TEXT NOT NULL
    );
    """,
    # 3: the liaison officer a unit names when it hands something in.
    """
    ALTER TABLE submissions ADD COLUMN contact TEXT;
    """,
    # 4: no query reads submissions by requirement, and keeping that index up to date was
    # half the cost of recording a national rehearsal's 80,000 submissions.
    """
    DROP INDEX submissions_by_requirement;
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)


class LedgerError(Exception):
    """The ledger file cannot be used: not a ledger, newer than this campaignkit, unreadable."""


@attrs.frozen
class OutboxRow:
    """A queued notification and where its delivery stands."""

    id: int
    notification: Notification
    state: str
    """``pending``, ``sending`` (in flight), ``delivered`` or ``dead``."""
    attempts: int
    last_error: str | None = None


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


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
        # A rehearsal hands in the same declared evidence for thousands of units: each
        # distinct evidence object is encoded once.
        encoded: dict[int, tuple[object, str]] = {}

        def evidence_json(evidence: Mapping[str, Any]) -> str:
            known = encoded.get(id(evidence))
            if known is None or known[0] is not evidence:
                known = encoded[id(evidence)] = (evidence, _json(evidence))
            return known[1]

        values = [
            (
                campaign,
                row.unit,
                row.requirement,
                row.at.isoformat(),
                row.status,
                _json(list(row.problems)) if row.problems else "[]",
                evidence_json(row.evidence) if row.evidence else "{}",
                _json(attrs.asdict(row.contact)) if row.contact else None,
                recorded,
            )
            for row in rows
        ]
        with self._transaction():
            self.db.executemany(
                "INSERT INTO submissions (campaign, unit, requirement, at, status, problems,"
                " evidence, contact, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                values,
            )

    def submissions(self, campaign: str) -> list[SubmissionRow]:
        """Every submission of the campaign, in the order they were made."""
        cursor = self.db.execute(
            "SELECT unit, requirement, at, status, problems, evidence, contact FROM submissions"
            " WHERE campaign = ? ORDER BY at, id",
            (campaign,),
        )
        return [
            SubmissionRow(
                u,
                r,
                dt.datetime.fromisoformat(a),
                s,
                tuple(json.loads(p)),
                json.loads(e),
                Contact(**json.loads(c)) if c else None,
            )
            for u, r, a, s, p, e, c in cursor
        ]

    def contacts(self, campaign: str) -> dict[str, Contact]:
        """Each unit's liaison officer, from its latest accepted submission that named one."""
        found: dict[str, Contact] = {}
        for row in self.submissions(campaign):
            if row.contact is not None and row.status != "rejected":
                found[row.unit] = row.contact
        return found

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
        moments: dict[dt.datetime, str] = {}  # the notifications of one event share its time

        def moment(at: dt.datetime) -> str:
            text = moments.get(at)
            if text is None:
                text = moments[at] = at.isoformat()
            return text

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
                        moment(n.at),
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
        if state is None:
            return self._outbox_rows("campaign = ?", (campaign,))
        return self._outbox_rows("campaign = ? AND state = ?", (campaign, state))

    def _outbox_rows(self, where: str, params: tuple[Any, ...]) -> list[OutboxRow]:
        rows = self.db.execute(
            "SELECT id, key, at, kind, to_unit, about, requirement, channel, text, state,"
            f" attempts, last_error FROM outbox WHERE {where} ORDER BY id",
            params,
        )
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
                error,
            )
            for id_, key, at, kind, to, about, req, channel, text, st, attempts, error in rows
        ]

    def claim_next(self, campaign: str, now: dt.datetime) -> OutboxRow | None:
        """Take the next notification to deliver, marking it in flight, in one transaction.

        That is a notification left in flight by a tick that died (it may be delivered a
        second time: the one repeat a kill can cause), else the oldest pending one whose
        retry time has come. Only one tick runs at a time (see `TickLock`), so a claim is
        never contended.
        """
        with self._transaction():
            found = self.db.execute(
                "SELECT id FROM outbox WHERE campaign = ? AND (state = 'sending' OR"
                " (state = 'pending' AND (next_attempt_at IS NULL OR next_attempt_at <= ?)))"
                " ORDER BY state = 'sending' DESC, id LIMIT 1",
                (campaign, now.astimezone(dt.UTC).isoformat()),
            ).fetchone()
            if found is None:
                return None
            self.db.execute("UPDATE outbox SET state = 'sending' WHERE id = ?", found)
        [row] = self._outbox_rows("id = ?", (found[0],))
        return row

    def delivered_channels(self, outbox_id: int) -> set[str]:
        """The channels a notification already reached: a retry skips them."""
        cursor = self.db.execute(
            "SELECT channel FROM deliveries WHERE outbox_id = ? AND ok", (outbox_id,)
        )
        return {channel for (channel,) in cursor}

    def finish(
        self,
        outbox_id: int,
        attempts: Sequence[tuple[str, str | None]],
        *,
        state: str,
        retry_at: dt.datetime | None = None,
    ) -> None:
        """Record a notification's delivery attempts — (channel, error or None) — and its new
        state (``delivered``, ``pending`` to retry at `retry_at`, or ``dead``), together."""
        now = _now()
        errors = [f"{channel}: {error}" for channel, error in attempts if error is not None]
        with self._transaction():
            self.db.executemany(
                "INSERT INTO deliveries (outbox_id, channel, at, ok, error) VALUES (?, ?, ?, ?, ?)",
                [(outbox_id, channel, now, error is None, error) for channel, error in attempts],
            )
            self.db.execute(
                "UPDATE outbox SET state = ?, attempts = attempts + 1, last_error = ?,"
                " next_attempt_at = ? WHERE id = ?",
                (
                    state,
                    "; ".join(errors) or None,
                    retry_at.astimezone(dt.UTC).isoformat() if retry_at else None,
                    outbox_id,
                ),
            )

    def revive(self, campaign: str) -> int:
        """Queue the dead notifications again, as new (after the operator fixed the cause)."""
        with self._transaction():
            cursor = self.db.execute(
                "UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_at = NULL"
                " WHERE campaign = ? AND state = 'dead'",
                (campaign,),
            )
        return cursor.rowcount

    def counts(self, campaign: str) -> dict[str, int]:
        """How many notifications are in each state."""
        cursor = self.db.execute(
            "SELECT state, count(*) FROM outbox WHERE campaign = ? GROUP BY state", (campaign,)
        )
        return dict(cursor.fetchall())

    # -- the campaign file each tick follows ----------------------------------------------
    def follow(self, campaign: str, sha256: str) -> str | None:
        """Remember the campaign file's hash; return the previous one if it differed."""
        with self._transaction():
            found = self.db.execute(
                "SELECT sha256 FROM sources WHERE campaign = ?", (campaign,)
            ).fetchone()
            self.db.execute(
                "INSERT INTO sources (campaign, sha256, seen_at) VALUES (?, ?, ?)"
                " ON CONFLICT (campaign) DO UPDATE SET sha256 = excluded.sha256,"
                " seen_at = excluded.seen_at",
                (campaign, sha256, _now()),
            )
        return found[0] if found and found[0] != sha256 else None

    # -- plumbing -------------------------------------------------------------------------
    def _transaction(self) -> _Transaction:
        return _Transaction(self.db)


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
        self.db = sqlite3.connect(self.path, isolation_level=None, timeout=self.wait)
        try:
            self.db.execute("BEGIN EXCLUSIVE")
        except sqlite3.OperationalError as error:
            self.db.close()
            raise LedgerError(f"another tick still holds {self.path} ({error})") from None
        return self

    def __exit__(self, *exc: object) -> None:
        if self.db is not None:
            self.db.execute("ROLLBACK")
            self.db.close()


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
