"""The ledger in one SQLite file (WAL mode), or in memory."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from ..i18n import _
from ..model import Contact
from ..notify import Notification
from ..submissions import NO_FIGURES, Verdict
from ..timeline import Event
from .access import Access
from .connection import Connection
from .errors import LedgerError, failure, guarded
from .extensions import ExtensionLog
from .migrations import MIGRATIONS, SCHEMA_VERSION, statements
from .outbox import Outbox
from .reviews import ReviewLog
from .shared import Shared
from .signins import SignIns
from .times import now_text, utc_text

SUBMISSION_COLUMNS = "unit, requirement, at, status, problems, evidence, contact, id, figures"
INSERT_SUBMISSION = (
    "INSERT INTO submissions (campaign, unit, requirement, at, status, problems,"
    " evidence, contact, recorded_at, figures) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def default_ledger(campaign_file: Path) -> Path:
    """Where a campaign's ledger is kept unless told: beside the campaign file,
    ``shenzhen_2020.toml`` → ``shenzhen_2020.db``."""
    return campaign_file.with_suffix(".db")


def _submission_values(
    campaign: str, row: Verdict, recorded: str, evidence_json: Callable[[Any], str]
) -> tuple[object, ...]:
    return (
        campaign,
        row.unit,
        row.requirement,
        row.at.isoformat(),
        row.status,
        _json(list(row.problems)) if row.problems else "[]",
        evidence_json(row.evidence) if row.evidence else "{}",
        _json(attrs.asdict(row.contact)) if row.contact else None,
        recorded,
        _json(dict(row.figures)) if row.figures else None,
    )


def _verdict(row: Sequence[Any], shared: Shared | None = None) -> Verdict:
    u, r, a, s, p, e, c, i, f = row
    same = shared or Shared()
    return Verdict(
        same.once(u),
        same.once(r),
        same.moment(a),
        same.once(s),
        same.document(p, tuple),
        same.document(e),
        Contact(**json.loads(c)) if c else None,
        i,
        figures=json.loads(f) if f else NO_FIGURES,
    )


class Ledger(Outbox, ReviewLog, Access, ExtensionLog, SignIns):
    """A campaign ledger in one SQLite file (WAL mode), or in memory; `open_ledger` opens
    one on PostgreSQL too (`PostgresLedger`, a subclass)."""

    db: Connection

    def __init__(self, path: str | Path = ":memory:") -> None:
        self.path = str(path)
        try:
            # Autocommit mode: every transaction below is explicit.
            self.db = sqlite3.connect(self.path, isolation_level=None, timeout=30)
        except sqlite3.Error as error:
            raise failure(self.path, error) from None
        try:
            self._wal()
            # With WAL, NORMAL syncs at checkpoints, not at every commit: a power cut may
            # undo the last commits (docs/operations.md), never corrupt the file.
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("PRAGMA foreign_keys=ON")
            self._migrate()
        except sqlite3.Error as error:
            self.db.close()
            raise failure(self.path, error) from None

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

    def _wal(self) -> None:
        """Put the ledger in WAL mode. Several commands may open a new ledger at once, and
        switching modes needs the file to themselves: a busy answer is waited out."""
        for attempt in range(200):
            try:
                self.db.execute("PRAGMA journal_mode=WAL")
                return
            except sqlite3.OperationalError as error:
                if not str(error).startswith("database is locked") or attempt == 199:
                    raise
                time.sleep(0.05)

    def _migrate(self) -> None:
        """Bring the schema up to date, in one transaction that re-reads the version once it
        holds the write lock: of several commands opening a new ledger at once, the first
        migrates and the others find it done."""
        version = self._check_version()
        if version == SCHEMA_VERSION:
            return
        with self.transaction():
            for number in range(self._check_version(), SCHEMA_VERSION):
                for statement in statements(MIGRATIONS[number]):
                    self.db.execute(statement)
                self.db.execute(f"PRAGMA user_version = {number + 1}")

    def _check_version(self) -> int:
        version = self.version
        if version > SCHEMA_VERSION:
            raise LedgerError(
                _(
                    "{path} was written by a newer campaignkit (ledger schema {version}, "
                    "this one knows {known})"
                ).format(path=self.path, version=version, known=SCHEMA_VERSION)
            )
        return version

    # -- submissions ----------------------------------------------------------------------
    @guarded
    def record_submissions(self, campaign: str, rows: Iterable[Verdict]) -> None:
        """Record submissions and their verdicts, all in one transaction."""
        recorded = now_text()
        # A rehearsal hands in the same declared evidence for thousands of units: each
        # distinct evidence object is encoded once.
        encoded: dict[int, tuple[object, str]] = {}

        def evidence_json(evidence: Mapping[str, Any]) -> str:
            known = encoded.get(id(evidence))
            if known is None or known[0] is not evidence:
                known = encoded[id(evidence)] = (evidence, _json(evidence))
            return known[1]

        values = [_submission_values(campaign, row, recorded, evidence_json) for row in rows]
        with self.transaction():
            self.db.executemany(INSERT_SUBMISSION, values)

    @guarded
    def record_submission(self, campaign: str, row: Verdict) -> Verdict:
        """Record one submission; return it with its row id (`Verdict.id`)."""
        values = _submission_values(campaign, row, now_text(), _json)
        with self.transaction():
            cursor = self.db.execute(INSERT_SUBMISSION, values)
        return attrs.evolve(row, id=cursor.lastrowid)

    @guarded
    def submissions(self, campaign: str) -> list[Verdict]:
        """Every submission of the campaign, in the order they were made."""
        cursor = self.db.execute(
            f"SELECT {SUBMISSION_COLUMNS} FROM submissions WHERE campaign = ? ORDER BY at, id",
            (campaign,),
        )
        shared = Shared()  # each of the repeated values once
        return [_verdict(row, shared) for row in cursor]

    @guarded
    def submission(self, campaign: str, id: int) -> Verdict | None:
        """The submission with row id `id`, or None when the campaign has none so."""
        found = self.db.execute(
            f"SELECT {SUBMISSION_COLUMNS} FROM submissions WHERE campaign = ? AND id = ?",
            (campaign, id),
        ).fetchone()
        return _verdict(found) if found else None

    @guarded
    def contacts(self, campaign: str, rows: Iterable[Verdict] | None = None) -> dict[str, Contact]:
        """Each unit's liaison officer, from its latest accepted submission that named one
        (among `rows`, when the caller has read the submissions already)."""
        found: dict[str, Contact] = {}
        for row in self.submissions(campaign) if rows is None else rows:
            if row.contact is not None and row.status != "rejected":
                found[row.unit] = row.contact
        return found

    # -- events and the outbox ------------------------------------------------------------
    @guarded
    def processed(self, campaign: str) -> set[str]:
        """The keys of the events already processed."""
        cursor = self.db.execute("SELECT key FROM events WHERE campaign = ?", (campaign,))
        return {key for (key,) in cursor}

    @guarded
    def mark_processed(
        self, campaign: str, events: Sequence[Event], notifications: Sequence[Notification]
    ) -> None:
        """Mark events processed and queue their notifications, in one transaction.

        A notification whose key is already queued is not queued again.
        """
        processed = now_text()
        # The notifications of one event share its time: each is formatted once.
        moments: dict[dt.datetime, str] = {}
        sends: dict[dt.datetime, str] = {}

        def moment(at: dt.datetime) -> str:
            text = moments.get(at)
            if text is None:
                text = moments[at] = at.isoformat()
            return text

        def send_time(at: dt.datetime) -> str:
            text = sends.get(at)
            if text is None:
                text = sends[at] = utc_text(at)
            return text

        with self.transaction():
            self.db.executemany(
                "INSERT OR IGNORE INTO events (campaign, key, at, kind, subject, processed_at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                [(campaign, e.key, e.at.isoformat(), e.kind, e.subject, processed) for e in events],
            )
            self._queue(campaign, notifications, moment, send_time)

    def _queue(
        self,
        campaign: str,
        notifications: Sequence[Notification],
        moment: Callable[[dt.datetime], str] = dt.datetime.isoformat,
        send_time: Callable[[dt.datetime], str] = utc_text,
    ) -> None:
        """Queue notifications inside the caller's transaction; a key already queued is not
        queued again."""
        self.db.executemany(
            "INSERT OR IGNORE INTO outbox (campaign, key, at, kind, to_unit, about,"
            " requirement, channel, text, next_attempt_at, expires_at, chases, as_of,"
            " keeps_hours, level, label) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
                    send_time(n.at),
                    n.expires.isoformat() if n.expires is not None else None,
                    n.chases,
                    moment(n.as_of) if n.as_of is not None else None,
                    n.keeps_hours,
                    n.level,
                    n.label,
                )
                for n in notifications
            ],
        )

    # -- rehearsals -----------------------------------------------------------------------
    @guarded
    def mark_rehearsal(self, campaign: str, fates: Iterable[tuple[str, str]] = ()) -> None:
        """Record that the ledger holds a rehearsal of `campaign` (`tick` refuses it), and
        what became of each notification as the rehearsal settled it: (key, state)."""
        with self.transaction():
            self.db.execute(
                "INSERT INTO rehearsals (campaign, recorded_at) VALUES (?, ?)"
                " ON CONFLICT (campaign) DO UPDATE SET recorded_at = excluded.recorded_at",
                (campaign, now_text()),
            )
            self.db.executemany(
                "UPDATE outbox SET state = ?, reason = 'rehearsal'"
                " WHERE campaign = ? AND key = ? AND state = 'pending'",
                [(state, campaign, key) for key, state in fates if state != "pending"],
            )

    @guarded
    def is_rehearsal(self, campaign: str) -> bool:
        """True when the ledger holds a rehearsal of `campaign`, not a live run."""
        found = self.db.execute("SELECT 1 FROM rehearsals WHERE campaign = ?", (campaign,))
        return found.fetchone() is not None

    # -- the campaign file each tick follows ----------------------------------------------
    @guarded
    def follow(self, campaign: str, sha256: str) -> str | None:
        """Remember the campaign file's hash; return the previous one if it differed."""
        with self.transaction():
            found = self.db.execute(
                "SELECT sha256 FROM sources WHERE campaign = ?", (campaign,)
            ).fetchone()
            self.db.execute(
                "INSERT INTO sources (campaign, sha256, seen_at) VALUES (?, ?, ?)"
                " ON CONFLICT (campaign) DO UPDATE SET sha256 = excluded.sha256,"
                " seen_at = excluded.seen_at",
                (campaign, sha256, now_text()),
            )
        return found[0] if found and found[0] != sha256 else None

    # -- plumbing -------------------------------------------------------------------------
    def transaction(self) -> _Transaction:
        """BEGIN IMMEDIATE … COMMIT around a block, or ROLLBACK when it raises."""
        return _Transaction(self.db)

    def reading(self) -> _Transaction:
        """A read transaction around a block: every statement in it reads the ledger as it
        was at its first (SQLite's WAL gives a snapshot from the first read on)."""
        return _Transaction(self.db, "BEGIN")

    @guarded
    def ids_taken(self) -> None:
        """Rows were written with their ids given (a copy of another ledger): make the next
        row of each table get an id past them. Nothing to do in SQLite, whose next id is
        always past the largest."""


class _Transaction:
    """BEGIN IMMEDIATE … COMMIT, or ROLLBACK on any error: never a half-written ledger."""

    def __init__(self, db: Connection, begin: str = "BEGIN IMMEDIATE") -> None:
        self.db = db
        self.begin = begin

    def __enter__(self) -> None:
        self.db.execute(self.begin)

    def __exit__(self, kind: object, error: object, tb: object) -> None:
        self.db.execute("ROLLBACK" if kind is not None else "COMMIT")
