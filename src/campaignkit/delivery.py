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
import inspect
import json
import os
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from functools import cache
from pathlib import Path

import attrs

from .context import Context
from .extensions import Allowances
from .i18n import _
from .ledger import Ledger, OutboxRow, Verdict
from .ledger.outbox import Settled
from .model import Campaign
from .notify import Notification
from .org import reach
from .reach import unit_channels
from .records import Decline, Defer, DeliveryError, Notifier
from .reviews import reviewed
from .routing import Route, routes
from .schedule import Schedule, schedule_of


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
    deferred: int = 0
    """Notifications a notifier asked to send later (`Defer`), no attempt spent."""
    declined: int = 0
    """Notifications that every channel open to them declined (`Decline`): none sent."""
    pending: int = 0
    """Notifications still waiting, for a retry or for their time."""
    errors: Mapping[str, int] = attrs.field(factory=dict)
    """Why attempts failed this round, as ``channel: error``, with how many failed so."""
    unreached_units: tuple[str, ...] = ()
    """The units this round's unreached notifications were addressed to, in order."""


@attrs.frozen
class HandIns:
    """When units handed in, per (unit, requirement): to tell whether a notice is still true."""

    accepted: Mapping[tuple[str, str], dt.datetime]
    """The first accepted hand-in."""
    times: Mapping[tuple[str, str], list[dt.datetime]]
    """Every hand-in, accepted or not, earliest first."""


def hand_ins(rows: Iterable[Verdict]) -> HandIns:
    """When units handed in, from verdicts as the office's reviews judged them: a hand-in
    the office returned (``returned``) is as if not handed in, so that what chases the unit
    still goes out."""
    accepted: dict[tuple[str, str], dt.datetime] = {}
    times: dict[tuple[str, str], list[dt.datetime]] = {}
    for row in rows:
        key = (row.unit, row.requirement)
        if row.status == "returned":
            continue
        times.setdefault(key, []).append(row.at)
        if row.status != "rejected" and (key not in accepted or row.at < accepted[key]):
            accepted[key] = row.at
    for found in times.values():
        found.sort()
    return HandIns(accepted, times)


LATENESS = ("overdue", "escalation")
"""The notices that say a unit is late as of their moment (`Notification.as_of`)."""


def stale(
    notification: Notification,
    moment: dt.datetime,
    handed: HandIns,
    allowances: Allowances | None = None,
    deadlines: Mapping[tuple[str, str], dt.datetime] | None = None,
) -> str | None:
    """Why `notification` is no longer true at `moment`, or None while it is: its moment
    has passed (`expires`), the unit it chases was exempted since (`allowances`), it is
    a notice of lateness while the unit's deadline (`deadlines`, those an extension moved)
    is later than the moment it speaks of, or the unit has handed in — accepted, or
    anything at all since the moment its words describe (`as_of`)."""
    if notification.expires is not None and moment > notification.expires:
        return "stale: its time has passed"
    if notification.chases and notification.requirement is not None:
        key = (notification.chased, notification.requirement)
        if allowances is not None and allowances.is_exempt(*key):
            return "stale: the unit is exempt"
        deadline = deadlines.get(key) if deadlines else None
        if (
            deadline is not None
            and notification.kind in LATENESS
            and notification.as_of is not None
            and notification.as_of < deadline
        ):
            return "stale: the unit's deadline was moved"
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
    allowances = ledger.allowances(cid)
    deadlines = allowances.deadlines(campaign)
    handed = hand_ins(reviewed(campaign, rows, ledger.reviews(cid), allowances))
    landed = reach(campaign, unit_channels(notifiers))
    counts: Counter[str] = Counter()
    errors: Counter[str] = Counter()
    unreached: dict[str, None] = {}
    record = OutboxFile(outbox)
    context = Context(campaign, now, schedule or schedule_of(campaign), live=not virtual)
    # On the virtual clock, a notice a notifier deferred is judged again at the time it
    # asked for, not at its own: by outbox id, for this round.
    later: dict[int, dt.datetime] = {}

    def moment(row: OutboxRow) -> dt.datetime:
        return later.get(row.id, row.notification.at) if virtual else now

    def settle(row: OutboxRow) -> Settled | None:
        """What becomes of a notification without sending anything now. Decided in the
        claim's transaction, so these cost no round of their own."""
        note = row.notification
        why = stale(note, moment(row), handed, allowances, deadlines)
        if why is not None:
            counts["skipped"] += 1
            return Settled("skipped", why)
        if note.keeps_hours and schedule is not None and not virtual:
            send = schedule.next_send(now)
            if send > now:
                counts["held"] += 1
                return Settled("pending", wait_until=send)
        if not note.channel and landed.get(note.to) is None:
            record.write(note, "unreached", sent_at=moment(row))
            counts["unreached"] += 1
            unreached[note.to] = None
            return Settled("unreached")
        return None

    try:
        while (row := ledger.claim_next(cid, now, settle)) is not None:
            at = moment(row)
            notification = attrs.evolve(row.notification, campaign=cid)
            plan = routes(campaign, notification, notifiers, contacts, landed)
            done = ledger.delivered_channels(row.id) if row.attempts or row.id in later else set()
            tried = _Tried()
            for route in plan:
                if route.channel not in done:
                    here = attrs.evolve(context, now=at, contact=route.notification.contact)
                    tried.add(route.channel, send_once(notifiers.get(route.channel), route, here))
            went = [*done, *tried.went]
            if not tried.failed and tried.until is not None:
                # Asked to wait: no attempt spent. Never due again in this round.
                until = max(tried.until, at + MIN_DEFER, now + MIN_DEFER if not virtual else at)
                later[row.id] = until
                counts["deferred"] += 1
                ledger.finish(
                    row.id,
                    tried.attempts,
                    state="pending",
                    retry_at=until,
                    channels=went,
                    spent=False,
                )
                continue
            if not tried.failed:
                reached = any(notifiers[r].reaches_unit for r in went if r in notifiers)
                state = "delivered" if reached else "declined" if tried.declined else "unreached"
                sent = plan[0].notification if plan else notification
                record.write(sent, state, went, at)
                reason = "; ".join(tried.declined) or None
                ledger.finish(row.id, tried.attempts, state=state, channels=went, reason=reason)
                counts[state] += 1
                if state == "unreached":
                    unreached[notification.to] = None
                continue
            errors.update(f"{channel}: {error}" for channel, error in tried.attempts if error)
            if not tried.retryable or row.attempts + 1 >= MAX_ATTEMPTS:
                counts["gave_up"] += 1
                ledger.finish(row.id, tried.attempts, state="dead", channels=went)
            else:
                counts["failed"] += 1
                retry_at = now + backoff(row.attempts + 1, tried.wait)
                ledger.finish(
                    row.id, tried.attempts, state="pending", retry_at=retry_at, channels=went
                )
    finally:
        record.close()
        context.close()
    return Delivered(
        delivered=counts["delivered"],
        unreached=counts["unreached"],
        skipped=counts["skipped"],
        failed=counts["failed"],
        gave_up=counts["gave_up"],
        held=counts["held"],
        deferred=counts["deferred"],
        declined=counts["declined"],
        pending=ledger.counts(cid).get("pending", 0),
        errors=dict(errors),
        unreached_units=tuple(unreached),
    )


MIN_DEFER = dt.timedelta(minutes=1)
"""The least a deferred notification waits: a notifier that defers to a moment already
past is asked again later, not at once."""


class _Tried:
    """What one notification's channels answered in this round."""

    def __init__(self) -> None:
        self.attempts: list[tuple[str, str | None]] = []
        self.went: list[str] = []
        self.declined: list[str] = []
        self.until: dt.datetime | None = None
        self.retryable = True
        self.wait: float | None = None

    @property
    def failed(self) -> bool:
        return any(error is not None for _channel, error in self.attempts)

    def add(self, channel: str, answer: Defer | Decline | DeliveryError | None) -> None:
        if isinstance(answer, Defer):
            self.until = answer.until if self.until is None else min(self.until, answer.until)
        elif isinstance(answer, Decline):
            self.declined.append(f"{channel}: {answer.reason or 'declined'}")
        elif isinstance(answer, DeliveryError):
            self.retryable = self.retryable and answer.retryable
            self.wait = max(self.wait or 0.0, answer.retry_after or 0.0) or None
            self.attempts.append((channel, str(answer)))
        else:
            self.attempts.append((channel, None))
            self.went.append(channel)


def send_once(
    notifier: Notifier | None, route: Route, context: Context
) -> Defer | Decline | DeliveryError | None:
    """Hand `route`'s notification to its notifier: what it answered, or how it failed."""
    if notifier is None:
        message = _("no notifier `{channel}` is installed").format(channel=route.channel)
        return DeliveryError(message, retryable=False)
    try:
        if _takes_context(notifier.deliver):
            answer = notifier.deliver(route.notification, route.address, context)
        else:  # a notifier written for 0.1
            answer = notifier.deliver(route.notification, route.address)
    except DeliveryError as error:
        return error
    except Exception as error:  # a notifier's own failure is recorded and retried, never fatal
        return DeliveryError(f"{type(error).__name__}: {error}")
    return answer if isinstance(answer, Defer | Decline) else None


@cache
def _takes_context(deliver: Callable[..., object]) -> bool:
    """True for a ``deliver`` that takes the context as its third argument."""
    try:
        parameters = list(inspect.signature(deliver).parameters.values())
    except (TypeError, ValueError):  # a builtin without a signature: 0.1's two arguments
        return False
    kinds = {p.kind for p in parameters}
    positional = [p for p in parameters if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    return len(positional) >= 3 or inspect.Parameter.VAR_POSITIONAL in kinds
