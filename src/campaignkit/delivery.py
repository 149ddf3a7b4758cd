"""Delivering the outbox: each queued notification to its unit's channels, each attempt
recorded, and nothing sent that is no longer true.

A notification is *delivered* only when it reached at least one channel that reaches a unit
— the unit's own, or, forwarded, the nearest unit above it that has one. A notification no
such channel reaches is *unreached*: it is recorded, and counted, but nobody read it. The
console and the ``--outbox`` file are records for the office, not channels to a unit.

Before it is sent, a notification is checked against what is true when it goes out: a
reminder whose deadline has passed, or a notice chasing a unit that has handed in since, is
*skipped* as stale and never sent.
"""

from __future__ import annotations

import bisect
import datetime as dt
import json
import os
from collections import Counter
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import attrs

from .i18n import _, writing
from .ledger import Ledger, OutboxRow, SubmissionRow
from .ledger.outbox import Settled
from .model import Campaign, Contact, language_of
from .notify import Notification
from .org import reach
from .reach import unit_channels
from .records import DeliveryError, Notifier
from .schedule import Schedule

if TYPE_CHECKING:
    pass


@attrs.frozen
class Delivered:
    """How a round of delivery went."""

    delivered: int = 0
    """Notifications that reached a unit's channel."""
    unreached: int = 0
    """Notifications sent to no one: no channel reaches their unit."""
    skipped: int = 0
    """Notifications no longer true when their time came (stale), not sent."""
    failed: int = 0
    """Notifications that failed on a channel this round and will be tried again."""
    gave_up: int = 0
    """Notifications that failed this round for the last time: now dead."""
    held: int = 0
    """Notifications met outside the campaign's sending hours, held until its send time."""
    pending: int = 0
    """Notifications still waiting, for a retry or for their time."""
    errors: Mapping[str, int] = attrs.field(factory=dict)
    """Why attempts failed this round, as ``channel: error``, with how many failed so."""
    unreached_units: tuple[str, ...] = ()
    """The units this round's unreached notifications were addressed to, in order."""


@attrs.frozen
class Route:
    """One way a notification goes out: a channel, an address on it, and the notification
    as sent there (carrying the addressee's contact, or forwarded to a parent unit)."""

    channel: str
    address: str | None
    notification: Notification


def addresses(
    campaign: Campaign,
    unit_id: str,
    notifiers: Mapping[str, Notifier],
    contacts: Mapping[str, Contact],
) -> tuple[dict[str, str | None], Contact | None]:
    """The channels that reach a unit, with their addresses, and its liaison officer.

    The channels are those of the unit's ``channels`` table that an installed notifier
    serves and that reach a unit. An e-mail address comes from the liaison officer the unit
    submitted, which wins; else from the table; else, when the table leaves it empty, from
    the campaign's ``contact``.
    """
    unit = campaign.units.get(unit_id)
    if unit is None:
        return {}, None
    submitted = contacts.get(unit_id)
    contact = submitted or unit.contact
    found: dict[str, str | None] = {
        name: address
        for name, address in unit.channels.items()
        if name in notifiers and notifiers[name].reaches_unit
    }
    if "email" in found:
        if submitted is not None and submitted.email:
            found["email"] = submitted.email
        elif not found["email"] and contact is not None:
            found["email"] = contact.email
    return found, contact


@cache
def _forward_mark(language: str) -> str:
    """The mark of a forwarded notice, in the notice's language whatever the operator reads;
    looked up once: a national tick forwards most of its notices."""
    with writing(language):
        return _("[Forwarded for {unit}] ")


def forwarded(campaign: Campaign, notification: Notification, parent: str) -> Notification:
    """A notification for a unit no channel reaches, sent to its parent and marked as such."""
    unit = campaign.units[notification.to]
    mark = _forward_mark(language_of(campaign)).format(unit=unit.name)
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
    contacts: Mapping[str, Contact] | None = None,
    landed: Mapping[str, str | None] | None = None,
) -> list[Route]:
    """Where a notification goes; empty when no channel reaches its unit.

    A notification goes to its own channel if it names one; else to every channel that
    reaches the addressee; else, marked as forwarded, to the nearest unit above it that a
    channel reaches. `landed` is `org.reach` for these notifiers, when the caller has it.
    """
    contacts = contacts or {}
    if notification.channel:
        found, contact = addresses(campaign, notification.to, notifiers, contacts)
        unit = campaign.units.get(notification.to)
        address = found.get(notification.channel)
        if address is None and unit is not None:
            address = unit.channels.get(notification.channel)
        note = attrs.evolve(notification, contact=contact)
        return [Route(notification.channel, address, note)]
    if landed is None:
        landed = reach(campaign, unit_channels(notifiers))
    target = landed.get(notification.to)
    if target is None:
        return []
    note = notification
    while note.to != target:  # each unit on the way up is named: 【转交…】【转交…】
        parent = campaign.units[note.to].parent
        if parent is None:  # a `landed` map from another campaign: nobody to pass it to
            return []
        note = forwarded(campaign, note, parent)
    found, contact = addresses(campaign, target, notifiers, contacts)
    with_contact = attrs.evolve(note, contact=contact)
    return [Route(name, address, with_contact) for name, address in found.items()]


@attrs.frozen
class HandIns:
    """When units handed in, per (unit, requirement): to tell whether a notice is still true."""

    accepted: Mapping[tuple[str, str], dt.datetime]
    """The first accepted hand-in."""
    times: Mapping[tuple[str, str], list[dt.datetime]]
    """Every hand-in, accepted or not, earliest first."""


def hand_ins(rows: Iterable[SubmissionRow]) -> HandIns:
    accepted: dict[tuple[str, str], dt.datetime] = {}
    times: dict[tuple[str, str], list[dt.datetime]] = {}
    for row in rows:
        key = (row.unit, row.requirement)
        times.setdefault(key, []).append(row.at)
        if row.status != "rejected" and (key not in accepted or row.at < accepted[key]):
            accepted[key] = row.at
    for found in times.values():
        found.sort()
    return HandIns(accepted, times)


def stale(notification: Notification, moment: dt.datetime, handed: HandIns) -> str | None:
    """Why `notification` is no longer true at `moment`, or None while it is: its moment
    has passed (`expires`), or the unit it chases has handed in — accepted, or anything at
    all since the moment its words describe (`as_of`)."""
    if notification.expires is not None and moment > notification.expires:
        return "stale: its time has passed"
    if notification.chases and notification.requirement is not None:
        key = (notification.chased, notification.requirement)
        first = handed.accepted.get(key)
        if first is not None and first <= moment:
            return "stale: the unit has handed in"
        if notification.as_of is not None:
            times = handed.times.get(key, ())
            later = bisect.bisect_right(times, notification.as_of)
            if later < len(times) and times[later] <= moment:
                return "stale: the unit handed in since it was written; a newer notice says why"
    return None


class OutboxFile:
    """The ``--outbox`` file: one JSON object per notification sent, with its state.

    Each line is written with a single ``write`` on a file opened for appending, so that
    lines from several processes never interleave.
    """

    def __init__(self, path: Path | None) -> None:
        flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_CLOEXEC", 0)
        self.fd = os.open(path, flags, 0o644) if path is not None else None

    def write(
        self,
        notification: Notification,
        state: str,
        channels: Iterable[str] = (),
        sent_at: dt.datetime | None = None,
    ) -> None:
        """One line: the notification as it was sent (forwarded, if it was), its state, the
        channels it went out on, and when it went out (`at` is when it was due)."""
        if self.fd is None:
            return
        record = {
            **notification.as_json(),
            "state": state,
            "channels": list(channels),
            "sent_at": (sent_at or notification.at).isoformat(),
        }
        line = (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")
        written = os.write(self.fd, line)
        while written < len(line):  # only a full disk or a signal writes less
            written += os.write(self.fd, line[written:])

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


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
    virtual: bool = False,
    schedule: Schedule | None = None,
) -> Delivered:
    """Deliver every notification whose time has come, one at a time, recording each attempt.

    A notification is claimed (marked in flight) before it is sent and recorded after, each
    in its own transaction, so a tick killed at any point repeats at most the one in flight.
    A channel that already took a notification is not sent it again on a retry. A failure
    leaves the notification pending with a backoff; a failure that cannot succeed later, or
    the MAX_ATTEMPTS-th, makes it dead.

    Before it is claimed, a notification is checked against what is true now: a stale one
    is skipped; one that keeps sending hours, met outside them (by a tick at night, or on a
    rest day the campaign does not send on, by its `schedule`), is held until the next send
    time; one that no channel reaches is recorded as reaching no one. On the `virtual`
    clock of a rehearsal, each is judged at its own time, as if sent then.
    """
    cid = campaign.campaign.id
    rows = ledger.submissions(cid)
    contacts = ledger.contacts(cid, rows)
    handed = hand_ins(rows)
    landed = reach(campaign, unit_channels(notifiers))
    counts: Counter[str] = Counter()
    errors: Counter[str] = Counter()
    unreached: dict[str, None] = {}
    record = OutboxFile(outbox)

    def settle(row: OutboxRow) -> Settled | None:
        """What becomes of a notification without sending anything now. Decided in the
        claim's transaction, so these cost no round of their own."""
        note = row.notification
        why = stale(note, note.at if virtual else now, handed)
        if why is not None:
            counts["skipped"] += 1
            return Settled("skipped", why)
        if note.keeps_hours and schedule is not None and not virtual:
            send = schedule.next_send(now)
            if send > now:
                counts["held"] += 1
                return Settled("pending", wait_until=send)
        if not note.channel and landed.get(note.to) is None:
            record.write(note, "unreached", sent_at=note.at if virtual else now)
            counts["unreached"] += 1
            unreached[note.to] = None
            return Settled("unreached")
        return None

    try:
        while (row := ledger.claim_next(cid, now, settle)) is not None:
            notification = attrs.evolve(row.notification, campaign=cid)
            plan = routes(campaign, notification, notifiers, contacts, landed)
            done = ledger.delivered_channels(row.id) if row.attempts else set()
            attempts: list[tuple[str, str | None]] = []
            retryable, wait = True, None
            for route in plan:
                if route.channel in done:
                    continue
                notifier = notifiers.get(route.channel)
                error = _send(notifier, route.channel, route.notification, route.address)
                if error is not None:
                    retryable = retryable and error.retryable
                    wait = max(wait or 0.0, error.retry_after or 0.0) or None
                attempts.append((route.channel, None if error is None else str(error)))
            went = [*done, *(name for name, error in attempts if error is None)]
            if all(error is None for _channel, error in attempts):
                reached = any(notifiers[r].reaches_unit for r in went if r in notifiers)
                state = "delivered" if reached else "unreached"
                sent = plan[0].notification if plan else notification
                record.write(sent, state, went, notification.at if virtual else now)
                ledger.finish(row.id, attempts, state=state, channels=went)
                counts[state] += 1
                if not reached:
                    unreached[notification.to] = None
                continue
            errors.update(f"{channel}: {error}" for channel, error in attempts if error)
            if not retryable or row.attempts + 1 >= MAX_ATTEMPTS:
                counts["gave_up"] += 1
                ledger.finish(row.id, attempts, state="dead", channels=went)
            else:
                counts["failed"] += 1
                retry_at = now + backoff(row.attempts + 1, wait)
                ledger.finish(row.id, attempts, state="pending", retry_at=retry_at, channels=went)
    finally:
        record.close()
    return Delivered(
        delivered=counts["delivered"],
        unreached=counts["unreached"],
        skipped=counts["skipped"],
        failed=counts["failed"],
        gave_up=counts["gave_up"],
        held=counts["held"],
        pending=ledger.counts(cid).get("pending", 0),
        errors=dict(errors),
        unreached_units=tuple(unreached),
    )


def _send(
    notifier: Notifier | None, channel: str, notification: Notification, address: str | None
) -> DeliveryError | None:
    if notifier is None:
        message = _("no notifier `{channel}` is installed").format(channel=channel)
        return DeliveryError(message, retryable=False)
    try:
        notifier.deliver(notification, address)
    except DeliveryError as error:
        return error
    except Exception as error:  # a notifier's own failure is recorded and retried, never fatal
        return DeliveryError(f"{type(error).__name__}: {error}")
    return None
