"""The portal's sign-in rate limit, as the ledger keeps it: failed sign-ins by key and the
keys locked out, so that every portal worker on every machine counts the same failures. A
part of `Ledger` (a mixin), kept in a module of its own."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from .connection import Connection
from .errors import guarded
from .times import utc_text

if TYPE_CHECKING:
    from contextlib import AbstractContextManager


def _marks(keys: Sequence[str]) -> str:
    return ", ".join("?" for _ in keys)


class SignIns:
    """Failed sign-ins and lockouts, by key (``name:li.wei``, ``address:10.0.0.7``)."""

    db: Connection

    if TYPE_CHECKING:

        def transaction(self) -> AbstractContextManager[None]: ...

    @guarded
    def sign_in_locked(self, keys: Sequence[str], now: dt.datetime) -> bool:
        """Whether any of `keys` is locked out at `now`."""
        if not keys:
            return False
        found = self.db.execute(
            f"SELECT 1 FROM sign_in_lockouts WHERE key IN ({_marks(keys)}) AND until > ?",
            (*keys, utc_text(now)),
        ).fetchone()
        return found is not None

    @guarded
    def sign_in_failed(
        self,
        keys: Sequence[str],
        now: dt.datetime,
        *,
        limit: int,
        window: dt.timedelta,
        lockout: dt.timedelta,
    ) -> list[str]:
        """Count a failed sign-in for each key, in one transaction: a key's `limit`-th
        failure within `window` locks it out for `lockout` and forgets its failures. The
        keys locked out by this failure."""
        locked = []
        with self.transaction():
            self.db.executemany(
                "INSERT INTO sign_in_failures (key, at) VALUES (?, ?)",
                [(key, utc_text(now)) for key in keys],
            )
            since = utc_text(now - window)
            for key in keys:
                self.db.execute(
                    "DELETE FROM sign_in_failures WHERE key = ? AND at <= ?", (key, since)
                )
                (count,) = self.db.execute(
                    "SELECT count(*) FROM sign_in_failures WHERE key = ?", (key,)
                ).fetchone()
                if count >= limit:
                    self.db.execute(
                        "INSERT INTO sign_in_lockouts (key, until) VALUES (?, ?)"
                        " ON CONFLICT (key) DO UPDATE SET until = excluded.until",
                        (key, utc_text(now + lockout)),
                    )
                    self.db.execute("DELETE FROM sign_in_failures WHERE key = ?", (key,))
                    locked.append(key)
        return locked

    @guarded
    def sign_in_succeeded(self, keys: Sequence[str]) -> None:
        """Forget the failures of `keys` after a sign-in that worked."""
        if keys:
            with self.transaction():
                self.db.execute(
                    f"DELETE FROM sign_in_failures WHERE key IN ({_marks(keys)})", tuple(keys)
                )
