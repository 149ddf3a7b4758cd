"""The ledger on a PostgreSQL server (psycopg 3, the extra ``campaignkit[postgresql]``).

The same `Ledger`, its SQL run through the adapter of ``pgsql.py``; what differs is here:

- the schema version is kept in a table (``campaignkit_schema``), and migrations run under
  a transaction's advisory lock, so that of several processes starting on a new database
  at once one migrates and the others find it done;
- there is no lock of one tick at a time: any number of ticks on any number of machines
  may run at once (holding `TickGate` shared, which `ledger rename-…` takes alone).
  Events are recorded once (their primary key: a second tick's insert waits for the first
  and then does nothing), notifications are queued once (their key), and each claim takes
  the next notification with ``SELECT … FOR UPDATE SKIP LOCKED`` and holds a session
  advisory lock on it until its delivery is recorded. A notification left in flight
  (``sending``) whose lock nobody holds was claimed by a process that died, since the
  server releases a session's locks when its connection ends: that one is sent again
  (the one repeat a kill can cause); one whose lock is held is being sent by a live tick,
  and is left alone.
"""

from __future__ import annotations

import datetime as dt
import urllib.parse
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from ..i18n import _
from ..notify import Notification
from ..timeline import Event
from .errors import LedgerError, guarded
from .migrations import MIGRATIONS, SCHEMA_VERSION, statements
from .outbox import DUE, OUTBOX_COLUMNS, OutboxRow, Settle
from .pgsql import Contention, PgConnection, id_tables, pg_ddl
from .sqlite import Ledger, _Transaction
from .times import utc_text

if TYPE_CHECKING:
    import psycopg

SCHEMES = ("postgresql://", "postgres://")
MIGRATION_LOCK = 0x63_6B_6C_67_6D  # the advisory lock key that migrations hold
CLAIMS = 0x636B
"""The first key of the advisory locks on notifications in flight (the second: its id)."""
TICKS = 0x63_6B_74_69_63_6B
"""The advisory lock key that ticks hold shared, and mending (`ledger rename-…`) alone."""
ORPHANS_EVERY = 100
RETRIES = 5
"""Runs of a transaction that lost a race to another (`Contention`), at most."""
ID_TABLES = id_tables(MIGRATIONS)
IN_FLIGHT_IDS = (
    "SELECT id FROM outbox WHERE campaign = ? AND state = 'sending' ORDER BY next_attempt_at, id"
)
STILL_IN_FLIGHT = (
    f"SELECT {OUTBOX_COLUMNS} FROM outbox WHERE id = ? AND state = 'sending' FOR UPDATE SKIP LOCKED"
)


def masked(url: str) -> str:
    """`url` as it may be printed: its password, in the address or among its parameters,
    replaced by ``***``."""
    try:
        parts = urllib.parse.urlsplit(url)
        netloc = parts.netloc
        if parts.password is not None:
            user, _at, host = netloc.rpartition("@")
            netloc = f"{user.partition(':')[0]}:***@{host}"
        query = urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
        hidden = [(k, "***" if k == "password" else v) for k, v in query]
        return urllib.parse.urlunsplit(parts._replace(netloc=netloc, query="&".join(
            f"{k}={v}" for k, v in hidden
        )))  # fmt: skip
    except ValueError:
        return url.partition("://")[0] + "://***"


def secrets(url: str) -> list[str]:
    """The passwords in `url` (in the address, or its parameters), to be kept out of what
    is said: libpq quotes the URL it was given in some of its messages."""
    try:
        parts = urllib.parse.urlsplit(url)
        found = [parts.password or ""]
        found += [v for k, v in urllib.parse.parse_qsl(parts.query) if k == "password"]
    except ValueError:  # not even a URL: what follows the user name may be a password
        found = [url.partition("://")[2].partition("@")[0].partition(":")[2]]
    return [s for s in found if s]


def scrubbed(text: str, url: str) -> str:
    """`text` with `url` masked and its passwords left out."""
    text = text.replace(url, masked(url))
    for secret in secrets(url):
        text = text.replace(secret, "***")
    return text


def connect(url: str) -> psycopg.Connection[Any]:
    """A new connection to the ledger's server at `url`, set up as the ledger needs it
    (`prepare`); a `LedgerError` naming the server (its password masked) when it cannot be
    made, or psycopg is not installed."""
    try:
        import psycopg
    except ImportError:
        raise not_installed(url, "psycopg") from None
    try:
        connection = psycopg.connect(
            url, autocommit=True, connect_timeout=10, client_encoding="utf-8"
        )
    except (psycopg.Error, ValueError) as error:
        raise unreachable(url, error) from None
    try:
        prepare(connection, url)
    except psycopg.Error as error:
        connection.close()
        raise unreachable(url, error) from None
    return connection


def not_installed(url: str, package: str) -> LedgerError:
    said = _(
        "{path} is a PostgreSQL ledger, and {package} is not installed: "
        "pip install 'campaignkit[postgresql]'"
    )
    return LedgerError(said.format(path=masked(url), package=package))


def unreachable(url: str, error: BaseException) -> LedgerError:
    said = _("the ledger server {path} cannot be reached: {error}")
    reason = str(error).strip().splitlines()[0] if str(error).strip() else repr(error)
    return LedgerError(said.format(path=masked(url), error=scrubbed(reason, url)))


def prepare(connection: psycopg.Connection[Any], url: str) -> None:
    """Set up a new connection (in autocommit mode) as the ledger's SQL expects it."""
    from psycopg.types.numeric import Int8Dumper

    connection.adapters.register_dumper(bool, Int8Dumper)  # booleans as SQLite keeps them
    # Moments the server writes (the outbox's send times) are in UTC, as SQLite's.
    connection.execute("SET TIME ZONE 'UTC'")
    if "synchronous_commit" not in url:
        # As SQLite's ledger (synchronous=NORMAL): a commit does not wait for the disk; a
        # crash of the server may undo the last commits, never corrupt.
        connection.execute("SET synchronous_commit = off")


class PostgresLedger(Ledger):
    """A campaign ledger in a PostgreSQL database, given by its URL. With `connection`
    (one `prepare`d, from a pool: ``pool.py``) it works on that one and leaves it open
    when closed, and leaves the schema to whoever made the pool."""

    db: PgConnection

    def __init__(self, url: str, connection: psycopg.Connection[Any] | None = None) -> None:
        self.path = masked(url)
        self.held: set[int] = set()
        self.claims = 0
        self.borrowed = connection is not None
        self.db = PgConnection(connection or connect(url), self.path, ID_TABLES, secrets(url))
        if not self.borrowed:
            try:
                self._migrate()
            except BaseException:
                self.db.close()
                raise

    def close(self) -> None:
        if not self.borrowed:
            self.db.close()

    # -- schema ---------------------------------------------------------------------------
    @property
    def version(self) -> int:
        if self.db.execute("SELECT to_regclass('campaignkit_schema')").fetchone()[0] is None:
            return 0
        found = self.db.execute("SELECT max(version) FROM campaignkit_schema").fetchone()
        return int(found[0] or 0)

    def _migrate(self) -> None:
        """Bring the schema up to date under an advisory lock: of several processes opening
        a new database at once, the first migrates, the others wait and find it done."""
        if self._check_version() == SCHEMA_VERSION:
            return
        with self.transaction():
            self.db.execute("SELECT pg_advisory_xact_lock(?)", (MIGRATION_LOCK,))
            self.db.execute("CREATE TABLE IF NOT EXISTS campaignkit_schema (version BIGINT)")
            start = self._check_version()
            for number in range(start, SCHEMA_VERSION):
                for statement in statements(MIGRATIONS[number]):
                    self.db.execute(pg_ddl(statement))
            self.db.execute("DELETE FROM campaignkit_schema")
            self.db.execute("INSERT INTO campaignkit_schema VALUES (?)", (SCHEMA_VERSION,))

    # -- plumbing -------------------------------------------------------------------------
    def reading(self) -> _Transaction:
        """A read transaction around a block, every statement reading the ledger as it was
        at the first (REPEATABLE READ: a snapshot, as SQLite's WAL gives)."""
        return _Transaction(self.db, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")

    @guarded
    def ids_taken(self) -> None:
        """Rows were written with their ids given (a copy of another ledger): move each
        table's id sequence past the largest, so that the next row gets an id of its own."""
        for table in sorted(ID_TABLES):
            self.db.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                f" coalesce(max(id), 0) + 1, false) FROM {table}"
            )

    # -- what ticks at once may race for -------------------------------------------------
    @guarded
    def mark_processed(
        self, campaign: str, events: Sequence[Event], notifications: Sequence[Notification]
    ) -> None:
        """As on SQLite (see `Ledger.mark_processed`). Two ticks recording the same events at
        once: the second waits for the first and records nothing new; should they ever
        deadlock, the one the server rolls back runs its transaction again."""
        for attempt in range(RETRIES):
            try:
                return super().mark_processed(campaign, events, notifications)
            except Contention:
                if attempt == RETRIES - 1:
                    raise

    # -- claims ---------------------------------------------------------------------------
    @guarded
    def claim_next(
        self, campaign: str, now: dt.datetime, settle: Settle | None = None
    ) -> OutboxRow | None:
        """As on SQLite (see `Outbox.claim_next`); the claimed notification's advisory lock
        is kept until `finish` records its delivery, and any other taken while claiming
        (a notification settled without sending) is let go."""
        with self.db.pipelined():
            row = super().claim_next(campaign, now, settle)
            for other in self.held - ({row.id} if row is not None else set()):
                self._release(other)
        return row

    def _next(self, campaign: str, now: dt.datetime) -> Any:
        # Notifications left in flight by a dead tick are looked for first, then every
        # ORPHANS_EVERY claims, and whenever nothing else is due: a look costs a round trip.
        self.claims += 1
        if self.claims % ORPHANS_EVERY == 1 and (found := self._orphan(campaign)) is not None:
            return found
        found = self.db.execute(
            DUE + " FOR UPDATE SKIP LOCKED", (campaign, utc_text(now))
        ).fetchone()
        return found if found is not None else self._orphan(campaign)

    def _orphan(self, campaign: str) -> Any:
        """A notification left in flight by a tick that died (its lock now held here)."""
        for (id_,) in self.db.execute(IN_FLIGHT_IDS, (campaign,)).fetchall():
            if id_ in self.held or not self._lock(id_):
                continue  # being sent by a live tick (or by this one)
            # Re-read once the lock is ours: the tick that held it may have just finished.
            found = self.db.execute(STILL_IN_FLIGHT, (id_,)).fetchone()
            if found is not None:
                return found
            self._release(id_)
        return None

    def _claimed(self, outbox_id: int) -> None:
        if outbox_id not in self.held:
            # Nobody else can claim it (its row is locked by this transaction): the lock is
            # free but for the moment a tick that just recorded it takes to let it go.
            self.db.execute("SELECT pg_advisory_lock(?, ?)", (CLAIMS, outbox_id))
            self.held.add(outbox_id)

    def _lock(self, id_: int) -> bool:
        got = bool(
            self.db.execute("SELECT pg_try_advisory_lock(?, ?)", (CLAIMS, id_)).fetchone()[0]
        )
        if got:
            self.held.add(id_)
        return got

    def _release(self, id_: int) -> None:
        self.db.execute("SELECT pg_advisory_unlock(?, ?)", (CLAIMS, id_))
        self.held.discard(id_)

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
        spent: bool = True,
    ) -> None:
        """As on SQLite (see `Outbox.finish`); then the notification's lock is let go. One
        round trip to the server: nothing in it is read back."""
        with self.db.pipelined():
            super().finish(
                outbox_id,
                attempts,
                state=state,
                retry_at=retry_at,
                reason=reason,
                channels=channels,
                spent=spent,
            )
            if outbox_id in self.held:
                self._release(outbox_id)


class TickGate:
    """What keeps ticks and the mending of a PostgreSQL ledger apart: any number of ticks
    hold its advisory lock shared, at once; `ledger rename-…` and `retire-…` hold it alone,
    so that no tick runs while ids move. Held on a connection of its own for the command's
    life: the server lets it go when the command ends, however it ends. Waiting longer than
    `wait` seconds is a `LedgerError`."""

    def __init__(self, url: str, *, alone: bool, wait: float = 600.0) -> None:
        self.url = url
        self.alone = alone
        self.wait = wait
        self.db: PgConnection | None = None

    def __enter__(self) -> TickGate:
        self.db = PgConnection(connect(self.url), masked(self.url), ID_TABLES, secrets(self.url))
        take = "pg_advisory_lock" if self.alone else "pg_advisory_lock_shared"
        try:
            self.db.execute(f"SET lock_timeout = {int(self.wait * 1000)}")
            self.db.execute(f"SELECT {take}(?)", (TICKS,))
        except LedgerError:
            self.db.close()
            said = (
                _("ticks still hold {path} after {seconds} s; stop them, then try again")
                if self.alone
                else _("{path} is being mended (ledger rename or retire) after {seconds} s")
            )
            raise LedgerError(said.format(path=masked(self.url), seconds=int(self.wait))) from None
        return self

    def __exit__(self, *exc: object) -> None:
        if self.db is not None:
            self.db.close()
