"""Delivering the outbox: each queued notification to its channels, each attempt recorded."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import attrs

from .ledger import Ledger
from .model import Campaign, Contact, language_of
from .notify import Notification
from .records import DeliveryError, Notifier

if TYPE_CHECKING:
    from .plugins import PluginHost

DEFAULT_CHANNEL = "console"


@attrs.frozen
class Delivered:
    """How a round of delivery went."""

    delivered: int = 0
    failed: int = 0
    """Attempts that failed this round (the notification is retried later, or dead)."""
    pending: int = 0
    """Notifications still waiting, for a retry or for their time."""
    errors: Mapping[str, int] = attrs.field(factory=dict)
    """Why attempts failed this round, as ``channel: error``, with how many failed so."""


@attrs.frozen
class Route:
    """One way a notification goes out: a channel, an address on it, and the notification
    as sent there (carrying the addressee's contact, or forwarded to a parent unit)."""

    channel: str
    address: str | None
    notification: Notification


def installed_notifiers(host: PluginHost) -> dict[str, Notifier]:
    """Every notifier the plugins declare, by name."""
    return {name: c.record for name, c in host.collect("campaignkit_notifiers").items()}


def reach(
    campaign: Campaign,
    unit_id: str,
    notifiers: Mapping[str, Notifier],
    contacts: Mapping[str, Contact],
) -> tuple[dict[str, str | None], Contact | None]:
    """The channels that reach a unit, with their addresses, and its liaison officer.

    The channels are those of the unit's ``channels`` table that an installed notifier
    serves. An e-mail address comes from the liaison officer the unit submitted, which
    wins; else from the table; else, when the table leaves it empty, from the campaign's
    ``contact``.
    """
    unit = campaign.units.get(unit_id)
    if unit is None:
        return {}, None
    submitted = contacts.get(unit_id)
    contact = submitted or unit.contact
    found: dict[str, str | None] = {
        name: address for name, address in unit.channels.items() if name in notifiers
    }
    if "email" in found:
        if submitted is not None and submitted.email:
            found["email"] = submitted.email
        elif not found["email"] and contact is not None:
            found["email"] = contact.email
    return found, contact


def forwarded(campaign: Campaign, notification: Notification, parent: str) -> Notification:
    """A notification for a unit no channel reaches, sent to its parent and marked as such."""
    unit = campaign.units[notification.to]
    mark = (
        f"【转交{unit.name}】" if language_of(campaign) == "zh" else f"[Forwarded for {unit.name}] "
    )
    return attrs.evolve(
        notification,
        to=parent,
        about=notification.about or notification.to,
        text=mark + notification.text,
    )


def routes(
    campaign: Campaign,
    notification: Notification,
    notifiers: Mapping[str, Notifier],
    *,
    outbox: Path | None,
    deliver: bool,
    contacts: Mapping[str, Contact] | None = None,
) -> list[Route]:
    """Where a notification goes.

    ``--outbox PATH`` sends every notification to the outbox file. With delivery on, a
    notification goes to its own channel if it names one; else to every channel that
    reaches the addressee; else, marked as forwarded, to the nearest unit above it that a
    channel reaches; else to the console.
    """
    contacts = contacts or {}
    out: list[Route] = []
    if outbox is not None:
        out.append(Route("outbox", str(outbox), notification))
    if not deliver:
        return out
    if notification.channel:
        found, contact = reach(campaign, notification.to, notifiers, contacts)
        note = attrs.evolve(notification, contact=contact)
        return [*out, Route(notification.channel, found.get(notification.channel), note)]
    note, seen = notification, set()
    while note.to in campaign.units and note.to not in seen:
        found, contact = reach(campaign, note.to, notifiers, contacts)
        if found:
            with_contact = attrs.evolve(note, contact=contact)
            return [*out, *(Route(name, address, with_contact) for name, address in found.items())]
        seen.add(note.to)
        parent = campaign.units[note.to].parent
        if parent is None:
            break
        note = forwarded(campaign, note, parent)
    return [*out, Route(DEFAULT_CHANNEL, None, notification)]


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
    contacts = ledger.contacts(cid)
    delivered = failed = 0
    errors: Counter[str] = Counter()
    while (row := ledger.claim_next(cid, now)) is not None:
        plan = routes(
            campaign,
            attrs.evolve(row.notification, campaign=cid),
            notifiers,
            outbox=outbox,
            deliver=deliver,
            contacts=contacts,
        )
        done = ledger.delivered_channels(row.id)
        attempts: list[tuple[str, str | None]] = []
        retryable, wait = True, None
        for route in plan:
            channel = route.channel
            if channel in done:
                continue
            error = _send(notifiers.get(channel), channel, route.notification, route.address)
            if error is not None:
                retryable = retryable and error.retryable
                wait = max(wait or 0.0, error.retry_after or 0.0) or None
            attempts.append((channel, None if error is None else str(error)))
        if all(error is None for _channel, error in attempts):
            ledger.finish(row.id, attempts, state="delivered")
            delivered += 1
            continue
        failed += 1
        errors.update(f"{channel}: {error}" for channel, error in attempts if error is not None)
        if not retryable or row.attempts + 1 >= MAX_ATTEMPTS:
            ledger.finish(row.id, attempts, state="dead")
        else:
            retry_at = now + backoff(row.attempts + 1, wait)
            ledger.finish(row.id, attempts, state="pending", retry_at=retry_at)
    return Delivered(delivered, failed, ledger.counts(cid).get("pending", 0), dict(errors))


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
