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

from ..model import Contact
from ..notify import Notification
from ..submissions import SubmissionRow
from ..timeline import Event
from .errors import LedgerError, failure, guarded
from .migrations import MIGRATIONS, SCHEMA_VERSION, statements


@attrs.frozen
class OutboxRow:
    """A queued notification and where its delivery stands."""

    id: int
    notification: Notification
    state: str
    """``pending``, ``sending`` (in flight), ``delivered``, ``unreached``, ``skipped`` or
    ``dead``."""
    attempts: int
    last_error: str | None = None
    reason: str | None = None
    """Why it was skipped (``stale: …``)."""
    channels: tuple[str, ...] = ()
    """The channels it reached."""


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _utc(moment: dt.datetime) -> str:
    """A moment as the outbox keeps times it compares: UTC, fixed width, to the millisecond
    (what SQLite's ``strftime('%Y-%m-%dT%H:%M:%fZ', …)`` writes)."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


SEND_TIME_OF_AT = "strftime('%Y-%m-%dT%H:%M:%fZ', at)"
"""SQL for a notification's own send time in the form `_utc` writes."""


def _moment(text: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(text) if text else None


SETTLE_BATCH = 1000
"""Notifications settled without sending, at most, in one transaction."""


@attrs.frozen
class Settled:
    """What becomes of a notification without sending it: a final `state` and its `reason`
    (``skipped``, ``unreached``), or, with `wait_until`, held (``pending``) until then."""

    state: str
    reason: str | None = None
    wait_until: dt.datetime | None = None
    channels: tuple[str, ...] = ()


Settle = Callable[["OutboxRow"], Settled | None]
"""Decides, before a notification is claimed, whether it needs sending now at all."""

OUTBOX_COLUMNS = (
    "id, key, at, kind, to_unit, about, requirement, channel, text, state, attempts,"
    " last_error, expires_at, chases, as_of, keeps_hours, reason, channels"
)

# The two claims, each one search of the index `outbox_due`: no scan, no sort.
IN_FLIGHT = (
    f"SELECT {OUTBOX_COLUMNS} FROM outbox WHERE campaign = ? AND state = 'sending'"
    " ORDER BY next_attempt_at, id LIMIT 1"
)
DUE = (
    f"SELECT {OUTBOX_COLUMNS} FROM outbox WHERE campaign = ? AND state = 'pending'"
    " AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT 1"
)
DELIVERED_CHANNELS = "SELECT channel FROM deliveries WHERE outbox_id = ? AND ok"


class Ledger:
    """A campaign ledger in one SQLite file (WAL mode), or in memory."""

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
                f"{self.path} was written by a newer campaignkit (ledger schema {version}, "
                f"this one knows {SCHEMA_VERSION})"
            )
        return version

    # -- submissions ----------------------------------------------------------------------
    @guarded
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
        with self.transaction():
            self.db.executemany(
                "INSERT INTO submissions (campaign, unit, requirement, at, status, problems,"
                " evidence, contact, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                values,
            )

    @guarded
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

    @guarded
    def contacts(
        self, campaign: str, rows: Iterable[SubmissionRow] | None = None
    ) -> dict[str, Contact]:
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
        processed = _now()
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
                text = sends[at] = _utc(at)
            return text

        with self.transaction():
            self.db.executemany(
                "INSERT OR IGNORE INTO events (campaign, key, at, kind, subject, processed_at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                [(campaign, e.key, e.at.isoformat(), e.kind, e.subject, processed) for e in events],
            )
            self.db.executemany(
                "INSERT OR IGNORE INTO outbox (campaign, key, at, kind, to_unit, about,"
                " requirement, channel, text, next_attempt_at, expires_at, chases, as_of,"
                " keeps_hours) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
                    )
                    for n in notifications
                ],
            )

    @guarded
    def outbox(self, campaign: str, state: str | None = None) -> list[OutboxRow]:
        """Queued notifications in the order they were queued, optionally of one state."""
        if state is None:
            return self._outbox_rows("campaign = ?", (campaign,))
        return self._outbox_rows("campaign = ? AND state = ?", (campaign, state))

    def _outbox_rows(self, where: str, params: tuple[Any, ...]) -> list[OutboxRow]:
        rows = self.db.execute(
            f"SELECT {OUTBOX_COLUMNS} FROM outbox WHERE {where} ORDER BY id", params
        )
        return [_outbox_row(row) for row in rows]

    @guarded
    def claim_next(
        self, campaign: str, now: dt.datetime, settle: Settle | None = None
    ) -> OutboxRow | None:
        """Take the next notification to deliver, marking it in flight, in one transaction.

        That is a notification left in flight by a tick that died (it may be delivered a
        second time: the one repeat a kill can cause), else the pending one whose send or
        retry time came first. Each is one look-up in an index, however long the outbox:
        a catch-up tick of 100,000 notices claims each in constant time.

        `settle` decides, before a notification is claimed, whether it needs sending now at
        all (see `Settled`), or returns None to claim it. What it decides is recorded in the
        same transaction, up to SETTLE_BATCH at a time: nothing is sent for those, so
        nothing can be sent twice.
        """
        while True:
            with self.transaction():
                for _ in range(SETTLE_BATCH):
                    found = self._next(campaign, now)
                    if found is None:
                        return None
                    row = _outbox_row(found)
                    decided = settle(row) if settle is not None else None
                    if decided is None:
                        self.db.execute(
                            "UPDATE outbox SET state = 'sending' WHERE id = ?", (row.id,)
                        )
                        return row
                    self.db.execute(
                        "UPDATE outbox SET state = ?, reason = ?, channels = ?,"
                        " next_attempt_at = coalesce(?, next_attempt_at) WHERE id = ?",
                        (
                            decided.state,
                            decided.reason,
                            _channels(decided.channels),
                            _utc(decided.wait_until) if decided.wait_until else None,
                            row.id,
                        ),
                    )

    def _next(self, campaign: str, now: dt.datetime) -> Any:
        found = self.db.execute(IN_FLIGHT, (campaign,)).fetchone()
        if found is None:
            found = self.db.execute(DUE, (campaign, _utc(now))).fetchone()
        return found

    @guarded
    def delivered_channels(self, outbox_id: int) -> set[str]:
        """The channels a notification already reached: a retry skips them."""
        cursor = self.db.execute(DELIVERED_CHANNELS, (outbox_id,))
        return {channel for (channel,) in cursor}

    @guarded
    def finish(
        self,
        outbox_id: int,
        attempts: Sequence[tuple[str, str | None]],
        *,
        state: str,
        retry_at: dt.datetime | None = None,
        reason: str | None = None,
        channels: Iterable[str] = (),
    ) -> None:
        """Record a notification's delivery attempts — (channel, error or None) — and its new
        state (``delivered``, ``unreached``, ``skipped`` for `reason`, ``pending`` to retry
        at `retry_at`, or ``dead``), with the `channels` it has reached so far, together."""
        now = _now()
        errors = [f"{channel}: {error}" for channel, error in attempts if error is not None]
        with self.transaction():
            if attempts:
                self.db.executemany(
                    "INSERT INTO deliveries (outbox_id, channel, at, ok, error)"
                    " VALUES (?, ?, ?, ?, ?)",
                    [
                        (outbox_id, channel, now, error is None, error)
                        for channel, error in attempts
                    ],
                )
            self.db.execute(
                "UPDATE outbox SET state = ?, attempts = attempts + ?, last_error = ?,"
                " reason = ?, next_attempt_at = coalesce(?, next_attempt_at),"
                " channels = coalesce(?, channels) WHERE id = ?",
                (
                    state,
                    1 if attempts else 0,
                    "; ".join(errors) or None,
                    reason,
                    _utc(retry_at) if retry_at else None,
                    _channels(channels),
                    outbox_id,
                ),
            )

    @guarded
    def revive(self, campaign: str) -> int:
        """Queue the dead notifications again, as new (after the operator fixed the cause)."""
        with self.transaction():
            cursor = self.db.execute(
                "UPDATE outbox SET state = 'pending', attempts = 0,"
                f" next_attempt_at = {SEND_TIME_OF_AT} WHERE campaign = ? AND state = 'dead'",
                (campaign,),
            )
        return cursor.rowcount

    @guarded
    def counts(self, campaign: str) -> dict[str, int]:
        """How many notifications are in each state."""
        cursor = self.db.execute(
            "SELECT state, count(*) FROM outbox WHERE campaign = ? GROUP BY state", (campaign,)
        )
        return dict(cursor.fetchall())

    # -- rehearsals -----------------------------------------------------------------------
    @guarded
    def mark_rehearsal(self, campaign: str, fates: Iterable[tuple[str, str]] = ()) -> None:
        """Record that the ledger holds a rehearsal of `campaign` (`tick` refuses it), and
        what became of each notification as the rehearsal settled it: (key, state)."""
        with self.transaction():
            self.db.execute(
                "INSERT OR REPLACE INTO rehearsals (campaign, recorded_at) VALUES (?, ?)",
                (campaign, _now()),
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
                (campaign, sha256, _now()),
            )
        return found[0] if found and found[0] != sha256 else None

    # -- plumbing -------------------------------------------------------------------------
    def transaction(self) -> _Transaction:
        """BEGIN IMMEDIATE … COMMIT around a block, or ROLLBACK when it raises."""
        return _Transaction(self.db)


class _Transaction:
    """BEGIN IMMEDIATE … COMMIT, or ROLLBACK on any error: never a half-written ledger."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind: object, error: object, tb: object) -> None:
        self.db.execute("ROLLBACK" if kind is not None else "COMMIT")


def _channels(names: Iterable[str]) -> str | None:
    """The channels a notification went out on, as the outbox keeps them."""
    return ",".join(names) or None


def _outbox_row(row: Sequence[Any]) -> OutboxRow:
    (id_, key, at, kind, to, about, req, channel, text, state, attempts, error) = row[:12]
    expires, chases, as_of, keeps_hours, reason, channels = row[12:]
    notification = Notification(
        at=dt.datetime.fromisoformat(at),
        to=to,
        kind=kind,
        requirement=req,
        key=key,
        text=text,
        channel=channel,
        about=about,
        expires=_moment(expires),
        chases=bool(chases),
        as_of=_moment(as_of),
        keeps_hours=bool(keeps_hours),
    )
    went = tuple(channels.split(",")) if channels else ()
    return OutboxRow(id_, notification, state, attempts, error, reason, went)
