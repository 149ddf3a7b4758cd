"""Notifications: what the engine asks notifiers to deliver."""

from __future__ import annotations

import datetime as dt
from typing import Literal

import attrs

from .model import Contact

NotificationKind = Literal["reminder", "overdue", "escalation"]


@attrs.frozen
class Notification:
    """One message to one unit, produced by an event on the clock."""

    at: dt.datetime
    """The moment of the event that produced it."""
    to: str
    """The unit it is addressed to."""
    kind: str
    """``reminder``, ``overdue``, ``escalation``, or a plugin's own kind."""
    requirement: str | None
    key: str
    """Stable across runs for the same notification: the outbox's exactly-once key."""
    text: str
    channel: str | None = None
    """The notifier to use; None means the unit's own channels, or the default."""
    about: str | None = None
    """The unit the notice is about, when that is not the addressee (escalations)."""
    contact: Contact | None = attrs.field(default=None, eq=False)
    """At delivery: the addressee's liaison officer (submitted details win over the
    campaign's), for notifiers that mention a person or need an address."""
    campaign: str | None = attrs.field(default=None, eq=False)
    """At delivery: the id of the campaign it belongs to, for a notifier that keeps
    settings per campaign (from ``campaignkit_configure``)."""

    def as_json(self) -> dict[str, object]:
        """The notification as the outbox file and ``--format json`` write it."""
        return {
            "key": self.key,
            "at": self.at.isoformat(),
            "kind": self.kind,
            "to": self.to,
            "about": self.about,
            "requirement": self.requirement,
            "channel": self.channel,
            "text": self.text,
        }
