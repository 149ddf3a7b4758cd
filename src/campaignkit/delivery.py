"""Delivering the outbox: each queued notification to its channels, each attempt recorded."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path

import attrs

from .ledger import Ledger
from .model import Campaign
from .notify import Notification
from .records import DeliveryError, Notifier

DEFAULT_CHANNEL = "console"


@attrs.frozen
class Delivered:
    """How a round of delivery went."""

    delivered: int = 0
    failed: int = 0
    """Attempts that failed this round (the notification is retried later, or dead)."""
    pending: int = 0
    """Notifications still waiting, for a retry or for their time."""


def routes(
    campaign: Campaign,
    notification: Notification,
    notifiers: Mapping[str, Notifier],
    *,
    outbox: Path | None,
    deliver: bool,
) -> list[tuple[str, str | None]]:
    """The (channel, address) pairs a notification goes to.

    ``--outbox PATH`` sends every notification to the outbox file. With delivery on, a
    notification goes to its own channel if it names one, else to each channel of the
    addressee's ``channels`` table that an installed notifier serves, else to the console.
    """
    out: list[tuple[str, str | None]] = []
    if outbox is not None:
        out.append(("outbox", str(outbox)))
    if deliver:
        unit = campaign.units.get(notification.to)
        own = dict(unit.channels) if unit is not None else {}
        if notification.channel:
            out.append((notification.channel, own.get(notification.channel)))
        else:
            served = [(name, address) for name, address in own.items() if name in notifiers]
            out.extend(served or [(DEFAULT_CHANNEL, None)])
    return out


MAX_ATTEMPTS = 5
"""After this many failed attempts a notification is dead: `status` and `report` show it."""


def backoff(attempts: int, retry_after: float | None = None) -> dt.timedelta:
    """How long to wait before attempt `attempts` + 1: 1, 2, 4, 8 … minutes, at most an hour,
    and never sooner than the platform asked."""
    seconds = min(3600.0, 60.0 * 2 ** max(attempts - 1, 0))
    return dt.timedelta(seconds=max(seconds, retry_after or 0.0))


def deliver_outbox(
    ledger: Ledger,
    campaign: Campaign,
    notifiers: Mapping[str, Notifier],
    *,
    now: dt.datetime,
    outbox: Path | None = None,
    deliver: bool = False,
) -> Delivered:
    """Deliver every notification whose time has come, one at a time, recording each attempt.

    A notification is claimed (marked in flight) before it is sent and recorded after, each
    in its own transaction, so a tick killed at any point repeats at most the one in flight.
    A channel that already took a notification is not sent it again on a retry. A failure
    leaves the notification pending with a backoff; a failure that cannot succeed later, or
    the MAX_ATTEMPTS-th, makes it dead.
    """
    cid = campaign.campaign.id
    delivered = failed = 0
    while (row := ledger.claim_next(cid, now)) is not None:
        plan = routes(campaign, row.notification, notifiers, outbox=outbox, deliver=deliver)
        done = ledger.delivered_channels(row.id)
        attempts: list[tuple[str, str | None]] = []
        retryable, wait = True, None
        for channel, address in plan:
            if channel in done:
                continue
            error = _send(notifiers.get(channel), channel, row.notification, address)
            if error is not None:
                retryable = retryable and error.retryable
                wait = max(wait or 0.0, error.retry_after or 0.0) or None
            attempts.append((channel, None if error is None else str(error)))
        if all(error is None for _channel, error in attempts):
            ledger.finish(row.id, attempts, state="delivered")
            delivered += 1
            continue
        failed += 1
        if not retryable or row.attempts + 1 >= MAX_ATTEMPTS:
            ledger.finish(row.id, attempts, state="dead")
        else:
            retry_at = now + backoff(row.attempts + 1, wait)
            ledger.finish(row.id, attempts, state="pending", retry_at=retry_at)
    return Delivered(delivered, failed, ledger.counts(cid).get("pending", 0))


def _send(
    notifier: Notifier | None, channel: str, notification: Notification, address: str | None
) -> DeliveryError | None:
    if notifier is None:
        return DeliveryError(f"no notifier `{channel}` is installed", retryable=False)
    try:
        notifier.deliver(notification, address)
    except DeliveryError as error:
        return error
    except Exception as error:  # a notifier's own failure is recorded and retried, never fatal
        return DeliveryError(f"{type(error).__name__}: {error}")
    return None
