"""The test doubles behind ``campaignkit.testing``'s fixtures: a clock a test moves, and a
notifier that keeps what it is sent. Importable from ``campaignkit.testing``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

import attrs

from . import hookimpl
from .records import Decline, Defer

if TYPE_CHECKING:
    from pathlib import Path

    from .context import Context
    from .ledger import Ledger
    from .live import Ticked
    from .model import Campaign
    from .notify import Notification
    from .plugins import PluginHost
    from .records import Notifier
    from .submissions import Submission


def instant(when: dt.datetime | str) -> dt.datetime:
    moment = dt.datetime.fromisoformat(when) if isinstance(when, str) else when
    if moment.tzinfo is None:
        raise ValueError(f"give the clock a time zone: {when!r} has none")
    return moment


class VirtualClock:
    """A clock a test sets and moves; ``tick`` runs a live tick up to it.

    Each campaign gets its own in-memory ledger, kept from tick to tick, so a second tick
    processes only the events that fell due since the first, exactly as ``campaignkit tick``
    does on the real clock. With `ledger`, a file or a ``postgresql://`` URL, the campaigns'
    ledgers are there instead.
    """

    def __init__(self, host: PluginHost, ledger: str | Path = ":memory:") -> None:
        self.host = host
        self.target = ledger
        self._now: dt.datetime | None = None
        self._ledgers: dict[str, Ledger] = {}

    @property
    def now(self) -> dt.datetime:
        if self._now is None:
            raise RuntimeError("the clock is not set: call virtual_clock.set(...) first")
        return self._now

    def set(self, when: dt.datetime | str) -> dt.datetime:
        """Set the clock to an aware datetime or an ISO string with its offset."""
        self._now = instant(when)
        return self._now

    def advance(self, **delta: float) -> dt.datetime:
        """Move the clock on by ``datetime.timedelta(**delta)``: ``advance(days=7)``."""
        self._now = self.now + dt.timedelta(**delta)
        return self._now

    def ledger(self, campaign: Campaign) -> Ledger:
        """The ledger of `campaign`, for a test that reads what was recorded."""
        from .ledger import open_ledger

        cid = campaign.campaign.id
        if cid not in self._ledgers:
            self._ledgers[cid] = open_ledger(self.target)
        return self._ledgers[cid]

    def tick(self, campaign: Campaign, submissions: Iterable[Submission] = ()) -> Ticked:
        """Process the events due up to now, then deliver what is due through the notifiers."""
        from .live import tick

        return tick(
            campaign, self.host, self.ledger(campaign), now=self.now, submissions=submissions
        )

    def notifications(self, campaign: Campaign) -> list[Notification]:
        """Every notification queued for `campaign` so far, in order."""
        return [row.notification for row in self.ledger(campaign).outbox(campaign.campaign.id)]

    def close(self) -> None:
        for ledger in self._ledgers.values():
            ledger.close()


@attrs.frozen
class Sent:
    """One delivery the recording notifier took."""

    notification: Notification
    address: str | None
    context: Context | None = None
    """What the notifier was given with it: the campaign, the clock, the calendar."""


class RecordingNotifier:
    """A plugin with one notifier, ``recording``, that keeps every notification it is sent.

    A unit is reached on it with ``channels = { recording = "ADDRESS" }``, or a notification
    names it as its channel. ``fail(error, times=1)`` makes the next deliveries raise, to
    test what a plugin does about failures; ``defer(until, times=1)`` and
    ``decline(reason, times=1)`` make them answer `Defer` or `Decline`.
    """

    name = "recording"

    def __init__(self) -> None:
        self.sent: list[Sent] = []
        self._answers: list[BaseException | Defer | Decline] = []

    def fail(self, error: BaseException, times: int = 1) -> None:
        self._answers.extend([error] * times)

    def defer(self, until: dt.datetime, times: int = 1) -> None:
        self._answers.extend([Defer(until)] * times)

    def decline(self, reason: str = "", times: int = 1) -> None:
        self._answers.extend([Decline(reason)] * times)

    def deliver(
        self, notification: Notification, address: str | None, context: Context
    ) -> Defer | Decline | None:
        if self._answers:
            answer = self._answers.pop(0)
            if isinstance(answer, BaseException):
                raise answer
            return answer
        self.sent.append(Sent(notification, address, context))
        return None

    def notifications(self, kind: str | None = None) -> list[Notification]:
        """What was delivered, in order; only the given kind when one is given."""
        return [s.notification for s in self.sent if kind is None or s.notification.kind == kind]

    # The hook, as a method: registering the object registers the notifier.
    @hookimpl
    def campaignkit_notifiers(self) -> list[Notifier]:
        from .records import Notifier

        return [Notifier(self.name, self.deliver, "Keeps notifications, for tests")]
