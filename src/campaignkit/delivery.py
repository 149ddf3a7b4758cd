"""Delivering the outbox: each queued notification to its channels, each attempt recorded."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import attrs

from .ledger import Ledger
from .model import Campaign
from .notify import Notification
from .records import Notifier

DEFAULT_CHANNEL = "console"


@attrs.frozen
class Delivered:
    """How a round of delivery went."""

    delivered: int = 0
    failed: int = 0
    pending: int = 0


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


def deliver_outbox(
    ledger: Ledger,
    campaign: Campaign,
    notifiers: Mapping[str, Notifier],
    *,
    outbox: Path | None = None,
    deliver: bool = False,
) -> Delivered:
    """Deliver every pending notification and record each attempt."""
    cid = campaign.campaign.id
    results: list[tuple[int, str, str | None]] = []
    delivered = failed = 0
    for row in ledger.outbox(cid, state="pending"):
        plan = routes(campaign, row.notification, notifiers, outbox=outbox, deliver=deliver)
        ok = bool(plan)
        for channel, address in plan:
            notifier = notifiers.get(channel)
            error: str | None = None
            if notifier is None:
                error = f"no notifier `{channel}` is installed"
            else:
                try:
                    notifier.deliver(row.notification, address)
                except Exception as exc:  # a failed channel is recorded, never fatal
                    error = f"{type(exc).__name__}: {exc}"
            ok = ok and error is None
            results.append((row.id, channel, error))
        if plan:
            delivered += ok
            failed += not ok
    ledger.record_deliveries(results)
    return Delivered(delivered, failed, len(ledger.outbox(cid, state="pending")))
