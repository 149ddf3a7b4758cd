"""Notifications: what the engine asks notifiers to deliver."""

from __future__ import annotations

import datetime as dt
from typing import Literal

import attrs

NotificationKind = Literal["reminder", "overdue", "escalation"]


@attrs.frozen
class Notification:
    """One message to one unit, produced by an event on the clock."""

    at: dt.datetime
    to: str
    """The unit id it is addressed to."""
    kind: str
    requirement: str | None
    key: str
    """Stable across runs for the same notification: the outbox's exactly-once key."""
    text: str
    channel: str | None = None
    """The notifier to use; None means the unit's or the campaign's default."""
