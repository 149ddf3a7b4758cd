"""The staff's sign-in, rate-limited: after `LIMIT` failures within `WINDOW` for one name
or from one client address, that name or address is refused for `LOCKOUT` (429), whatever
the password. Kept in the process's memory, so each worker counts on its own."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import attrs

LIMIT = 5
WINDOW = dt.timedelta(minutes=15)
LOCKOUT = dt.timedelta(minutes=15)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@attrs.define
class Throttle:
    """Failed sign-ins by key (``name:li.wei``, ``address:10.0.0.7``); `clock` is injected
    by tests, which then need no sleeps."""

    clock: Callable[[], dt.datetime] = _now
    failures: dict[str, list[dt.datetime]] = attrs.field(factory=dict)
    locked_until: dict[str, dt.datetime] = attrs.field(factory=dict)

    def refuses(self, *keys: str) -> bool:
        """Whether any of `keys` is locked out now."""
        now = self.clock()
        return any(self.locked_until.get(key, now) > now for key in keys)

    def failed(self, *keys: str) -> None:
        """Count a failure for each key; the `LIMIT`th within `WINDOW` locks it out."""
        now = self.clock()
        for key in keys:
            recent = [at for at in self.failures.get(key, []) if now - at < WINDOW]
            recent.append(now)
            self.failures[key] = recent
            if len(recent) >= LIMIT:
                self.locked_until[key] = now + LOCKOUT
                self.failures[key] = []

    def succeeded(self, *keys: str) -> None:
        """Forget the failures of `keys` after a sign-in that worked."""
        for key in keys:
            self.failures.pop(key, None)
