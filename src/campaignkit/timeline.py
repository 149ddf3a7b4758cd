"""Events on a campaign's timeline."""

from __future__ import annotations

import datetime as dt

import attrs


@attrs.frozen
class Event:
    """Something that happens at a moment of the campaign: a phase starts, a reminder is due."""

    at: dt.datetime
    """Timezone-aware, in the campaign's time zone."""
    kind: str
    """``campaign.open``, ``phase.start``, ``requirement.remind``, or a plugin's own kind."""
    subject: str
    """The id of the phase, activity or requirement the event is about."""
    days: int | None = None
    """For reminders and escalations: the days before or after the due date."""
