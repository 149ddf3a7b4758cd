"""The ledger: what has happened in a campaign, in SQLite or on a PostgreSQL server.

Submissions and their verdicts, the events already processed, the notification outbox and
every delivery attempt. The interface is narrow — record a submission, list submissions,
mark events processed together with their notifications, list the outbox, record a
delivery — and the same on both backends: an SQLite file (the default) or a PostgreSQL
database, for an office with several machines. Plugins never see these tables: they see
records.

Writes are batched: ``executemany`` inside one transaction is about 100× faster than a
transaction per row.

The package: `Ledger`, and `default_ledger`, where a campaign's is kept unless told
(``sqlite.py``); its schema (``migrations.py``), its errors (``errors.py``), the lock that
keeps one tick at a time (``lock.py``), the portal's staff and tokens (``access.py``),
extensions and exemptions (``extensions.py``), the portal's sign-in rate limit
(``signins.py``), what mends a ledger whose campaign file was edited (``maintenance.py``),
what copies a whole ledger into another (``copying.py``), and ledgers for many short uses,
pooled on PostgreSQL (``pool.py``). `open_ledger` opens a file or
a ``postgresql://`` URL (``target.py``); on PostgreSQL (``postgres.py``) the same SQL runs
through a small adapter (``pgsql.py``), over the connection both speak (``connection.py``).
"""

from __future__ import annotations

from ..submissions import SubmissionStatus, Verdict
from .errors import LedgerError
from .lock import TickLock
from .migrations import SCHEMA_VERSION
from .outbox import OutboxRow
from .pool import LedgerPool
from .postgres import PostgresLedger
from .sqlite import Ledger, default_ledger
from .target import ENVIRONMENT, is_url, ledger_location, open_ledger, tick_lock

__all__ = [
    "ENVIRONMENT",
    "SCHEMA_VERSION",
    "Ledger",
    "LedgerError",
    "LedgerPool",
    "OutboxRow",
    "PostgresLedger",
    "SubmissionStatus",
    "TickLock",
    "Verdict",
    "default_ledger",
    "is_url",
    "ledger_location",
    "open_ledger",
    "tick_lock",
]
