"""The staff's sign-in, rate-limited: after `LIMIT` failures within `WINDOW` for one name
or from one client address, that name or address is refused for `LOCKOUT` (429), whatever
the password. Kept in the ledger, so that every worker, on every machine, counts the same
failures."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

import attrs

from campaignkit import Ledger

LIMIT = 5
WINDOW = dt.timedelta(minutes=15)
LOCKOUT = dt.timedelta(minutes=15)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@attrs.frozen
class Throttle:
    """Failed sign-ins by key (``name:li.wei``, ``address:10.0.0.7``), in the ledger;
    `clock` is injected by tests, which then need no sleeps."""

    clock: Callable[[], dt.datetime] = _now

    def refuses(self, ledger: Ledger, keys: Sequence[str]) -> bool:
        """Whether any of `keys` is locked out now."""
        return ledger.sign_in_locked(keys, self.clock())

    def failed(self, ledger: Ledger, keys: Sequence[str]) -> None:
        """Count a failure for each key; the `LIMIT`th within `WINDOW` locks it out."""
        ledger.sign_in_failed(keys, self.clock(), limit=LIMIT, window=WINDOW, lockout=LOCKOUT)

    def succeeded(self, ledger: Ledger, keys: Sequence[str]) -> None:
        """Forget the failures of `keys` after a sign-in that worked."""
        ledger.sign_in_succeeded(keys)
