"""Events on a campaign's timeline, and their one total order.

Every plugin contributes events through ``campaignkit_timeline``; the core sorts them once:
by the instant, then by a fixed order of kinds (so that a phase starts before its first
reminder of the same instant, and a deadline falls before the phase ends), then by subject.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import attrs

from .schedule import parse_delay

if TYPE_CHECKING:
    from .model import Campaign, Escalation, Requirement
    from .schedule import Schedule

# The standard kinds, in the order they happen when they share an instant. A plugin's own
# kinds sort after the deadlines and before anything ends.
KIND_ORDER = (
    "campaign.open",
    "phase.start",
    "activity.start",
    "submission.rejected",
    "requirement.remind",
    "requirement.due",
    "requirement.escalate",
    # plugins' own kinds go here
    "activity.end",
    "phase.end",
    "campaign.close",
)
_RANK = {kind: rank for rank, kind in enumerate(KIND_ORDER)}
_PLUGIN_RANK = _RANK["requirement.escalate"] + 0.5

DAY_START = dt.time(0, 0)
DAY_END = dt.time(23, 59, 59)


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
    unit: str | None = None
    """For an event about one unit alone, that unit: its hand-in (``submission.rejected``),
    or a ``requirement.*`` event of a unit whose deadline was moved (an extension), which a
    notice plugin answers for that unit only (`Run.owes`), never for `Run.missing`."""
    level: int | None = None
    """For an escalation: its step on the requirement's ladder, from 1."""

    @property
    def key(self) -> str:
        """Stable across runs: what the ledger records as processed."""
        suffix = f":{self.days}" if self.days is not None else ""
        if self.level is not None and self.level > 1:  # the first keeps the key it always had
            suffix += f":L{self.level}"
        if self.unit is not None:
            suffix += f":{self.unit}@{self.at.astimezone(dt.UTC).isoformat()}"
        return f"{self.kind}:{self.subject}{suffix}"


def sort_key(event: Event) -> tuple[dt.datetime, float, str, str, int, int]:
    return (
        event.at,
        _RANK.get(event.kind, _PLUGIN_RANK),
        event.kind,
        event.subject,
        event.days if event.days is not None else -1,
        event.level or 0,
    )


def ordered(events: Iterable[Event]) -> list[Event]:
    """The events in their total order (aware datetimes compare as instants)."""
    return sorted(events, key=sort_key)


def local(campaign: Campaign, day: dt.date, time: dt.time) -> dt.datetime:
    """`time` on `day` in the campaign's time zone, as the wall clock there shows it."""
    return dt.datetime.combine(day, time, tzinfo=zoneinfo.ZoneInfo(campaign.campaign.timezone))


def due_at(campaign: Campaign, day: dt.date) -> dt.datetime:
    """A due date means the end of that day, 23:59:59 local."""
    return local(campaign, day, DAY_END)


def reminders(
    campaign: Campaign, requirement: Requirement, schedule: Schedule
) -> list[tuple[int, dt.datetime]]:
    """The reminders of a requirement that are kept: (days before, instant), earliest first.

    A reminder falls at the campaign's send time (``send_at``, 09:00 by default). One that
    would fall before the campaign's issue date is dropped. With ``send_on_rest_days =
    false``, one that falls on a rest day moves to the next working day; if that is past
    the due date, or the day of another reminder, it is dropped.
    """
    issued = campaign.campaign.issued_on
    kept: dict[dt.date, int] = {}
    for days in sorted(set(requirement.remind)):
        day = requirement.due - dt.timedelta(days=days)
        if day < issued:
            continue
        day = schedule.sending_day(day)
        if day <= requirement.due:
            kept.setdefault(day, days)  # the reminder nearest the deadline keeps the day
    return [(days, schedule.local(day, schedule.send_at)) for day, days in sorted(kept.items())]


def ladder_days(
    requirement: Requirement, schedule: Schedule
) -> list[tuple[int, Escalation, dt.date]]:
    """The steps of a requirement's escalation ladder that are kept: (level, step, day), the
    level counted from 1. A step of no days, or one that is not later than the step before
    it, is left out (``validate`` says why)."""
    steps = []
    last = requirement.due
    for level, step in enumerate(requirement.ladder, start=1):
        delay = parse_delay(step.after)
        if delay is None or delay.count < 1:
            continue
        day = schedule.after(requirement.due, delay)
        if day <= last:
            continue
        steps.append((level, step, day))
        last = day
    return steps


def window(
    events: Sequence[Event], start: dt.datetime | None, end: dt.datetime | None
) -> list[Event]:
    """The events from `start` (inclusive) to `end` (inclusive)."""
    return [e for e in events if (start is None or e.at >= start) and (end is None or e.at <= end)]
