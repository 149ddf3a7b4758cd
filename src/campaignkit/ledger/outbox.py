"""The outbox: queued notifications, claimed one at a time through an index, and what
became of each. A part of `Ledger` (a mixin), kept in a module of its own."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from ..notify import Notification
from .connection import Connection
from .errors import guarded
from .shared import Shared
from .times import now_text, utc_text

if TYPE_CHECKING:
    from contextlib import AbstractContextManager


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


SEND_TIME_OF_AT = "strftime('%Y-%m-%dT%H:%M:%fZ', at)"
"""SQL for a notification's own send time in the form `utc_text` writes."""


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
    " last_error, expires_at, chases, as_of, keeps_hours, reason, channels, level, label"
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
DELIVERED_CHANNELS = "SELECT channel FROM deliveries WHERE outbox_id = ? AND ok = 1"


class Outbox:
    """The outbox's operations; `Ledger` gives them its connection and transactions."""

    path: str
    db: Connection

    def transaction(self) -> AbstractContextManager[None]:
        raise NotImplementedError

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
        shared = Shared()  # each of the repeated values once
        return [_outbox_row(row, shared) for row in rows]

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
                        self._claimed(row.id)
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
                            utc_text(decided.wait_until) if decided.wait_until else None,
                            row.id,
                        ),
                    )

    def _claimed(self, outbox_id: int) -> None:
        """The notification `outbox_id` is being claimed: nothing to do where one tick runs
        at a time (PostgreSQL's ledger takes a lock here)."""

    def _next(self, campaign: str, now: dt.datetime) -> Any:
        found = self.db.execute(IN_FLIGHT, (campaign,)).fetchone()
        if found is None:
            found = self.db.execute(DUE, (campaign, utc_text(now))).fetchone()
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
        spent: bool = True,
    ) -> None:
        """Record a notification's delivery attempts — (channel, error or None) — and its new
        state (``delivered``, ``unreached``, ``declined``, ``skipped`` for `reason`,
        ``pending`` to retry at `retry_at`, or ``dead``), with the `channels` it has reached
        so far, together. A round that a notifier deferred is no attempt (`spent`)."""
        now = now_text()
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
                    1 if attempts and spent else 0,
                    "; ".join(errors) or None,
                    reason,
                    utc_text(retry_at) if retry_at else None,
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


def _channels(names: Iterable[str]) -> str | None:
    """The channels a notification went out on, as the outbox keeps them."""
    return ",".join(names) or None


def _outbox_row(row: Sequence[Any], shared: Shared | None = None) -> OutboxRow:
    (id_, key, at, kind, to, about, req, channel, text, state, attempts, error) = row[:12]
    expires, chases, as_of, keeps_hours, reason, channels, level, label = row[12:]
    same = shared or Shared()
    notification = Notification(
        at=same.moment(at),
        to=same.once(to),
        kind=same.once(kind),
        requirement=same.once(req),
        key=key,
        text=text,
        channel=same.once(channel),
        about=same.once(about),
        expires=same.moment(expires) if expires else None,
        chases=bool(chases),
        as_of=same.moment(as_of) if as_of else None,
        keeps_hours=bool(keeps_hours),
        level=level,
        label=same.once(label),
    )
    went = tuple(channels.split(",")) if channels else ()
    return OutboxRow(id_, notification, same.once(state), attempts, error, reason, went)
