"""Notifications: what the engine asks notifiers to deliver."""

from __future__ import annotations

import datetime as dt
from typing import Literal

import attrs

from .model import Contact, occurrence_key

NotificationKind = Literal["reminder", "overdue", "escalation", "rejected"]
"""The kinds of the built-in notices; a plugin's notices may have kinds of their own."""
NOTIFICATION_KINDS: tuple[NotificationKind, ...] = ("reminder", "overdue", "escalation", "rejected")
"""The built-in notices' kinds, in the order a unit meets them. The built-in event kinds are
`KIND_ORDER`."""

DeliveryState = Literal[
    "pending", "sending", "delivered", "unreached", "declined", "skipped", "dead"
]
"""Where a queued notification stands: waiting, in flight, delivered to a unit's channel,
sent but reaching no unit (none has a channel), declined by every channel open to it,
skipped as no longer true, or given up."""


@attrs.frozen(weakref_slot=False)  # a national rehearsal holds 120,000: 8 bytes each
class Notification:
    """One message to one unit, produced by an event on the clock."""

    at: dt.datetime
    """When it is to be sent. The built-in notices are queued for the campaign's next send
    time after the event that caused them (``send_at``, never at night); a plugin's own
    notices go out at the time the plugin gives."""
    to: str
    """The unit it is addressed to."""
    kind: str
    """``reminder``, ``overdue``, ``escalation``, ``rejected``, or a plugin's own kind."""
    requirement: str | None
    """The requirement it is about, if any."""
    key: str
    """Stable across runs for the same notification: the outbox's exactly-once key. Start
    it with the campaign's id, then the notice and the unit (``drill/2020-06-01/east``)."""
    text: str
    """What the unit reads, in the campaign's language; it may hold several lines."""
    channel: str | None = None
    """The notifier to use; None means the unit's own channels, or the default."""
    about: str | None = None
    """The unit the notice is about, when that is not the addressee (escalations)."""
    expires: dt.datetime | None = None
    """When it stops being true: a delivery that comes later skips it as stale (a reminder
    saying "1 day left", after that day)."""
    chases: bool = False
    """True for a notice that asks a unit (`about`, else `to`) to hand in `requirement`: a
    delivery skips it as stale once that unit has an accepted hand-in for it, or has handed
    in anything since `as_of` (its words no longer describe the unit)."""
    as_of: dt.datetime | None = None
    """The moment its words describe: the event that made it."""
    keeps_hours: bool = False
    """True for a notice that goes out only in the campaign's sending hours (``send_at`` to
    22:00, on sending days): a tick outside them, late at night, holds it until the next
    send time. The built-in notices keep them; a plugin's go out when the plugin says."""
    level: int | None = None
    """For an escalation: its step on the requirement's ladder, from 1."""
    label: str | None = None
    """For an escalation: what its step is called, such as 黄牌预警, when the ladder says."""
    contact: Contact | None = attrs.field(default=None, eq=False)
    """At delivery: the addressee's liaison officer. Deprecated since 0.2: a notifier reads
    ``context.contact``."""
    campaign: str | None = attrs.field(default=None, eq=False)
    """At delivery: the id of the campaign it belongs to. Deprecated since 0.2: a notifier
    reads ``context.campaign``."""

    def as_json(self) -> dict[str, object]:
        """The notification as the outbox file and ``--format json`` write it; ``level``
        and ``label`` only for an escalation, ``occurrence`` only about an occurrence of a
        recurring requirement."""
        steps = {"level": self.level, "label": self.label} if self.level is not None else {}
        period = occurrence_key(self.requirement or "")
        if period is not None:
            steps["occurrence"] = period
        return {
            "key": self.key,
            "at": self.at.isoformat(),
            "kind": self.kind,
            "to": self.to,
            "about": self.about,
            "requirement": self.requirement,
            "channel": self.channel,
            "text": self.text,
            **steps,
        }

    @property
    def chased(self) -> str:
        """The unit whose hand-in the notice is about."""
        return self.about or self.to
