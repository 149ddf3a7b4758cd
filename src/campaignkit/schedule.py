"""When a campaign's notices may go out: its send time, its quiet hours and its rest days.

A deadline falls at 23:59:59, but nobody should be woken by a notice at midnight, nor
chased on a Sunday when the campaign says so. Every built-in notice is queued for a *send
time*: the first moment, at or after the moment that caused it, that lies in the campaign's
sending window — from ``send_at`` (09:00 by default) to 22:00 local — on a day notices go
out. With ``send_on_rest_days = false`` those are the working days of the campaign's
calendar; otherwise every day.

Delays after a due date (``escalate_after``) are counted in days or, written ``"3wd"``, in
working days of the same calendar.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import TYPE_CHECKING

import attrs

from .dates import DELAY, Weekends
from .i18n import ngettext

if TYPE_CHECKING:
    from .dates import Workdays
    from .model import Campaign

QUIET_FROM = dt.time(22, 0)
"""No built-in notice is sent from this time of the evening…"""
QUIET_UNTIL = dt.time(7, 0)
"""…until this time of the morning."""
DEFAULT_SEND_AT = dt.time(9, 0)
WEEKENDS = Weekends()
"""The calendar for a year the campaign's does not know: Saturdays and Sundays are rest."""

DELAY_UNITS = {"d": "days", "wd": "working days"}


@attrs.frozen
class Delay:
    """A number of days (``d``) or working days (``wd``)."""

    count: int
    unit: str = "d"

    def __str__(self) -> str:
        return f"{self.count}{self.unit}"

    def words(self) -> str:
        """``3 working days``, ``1 day``, in the language spoken."""
        if self.unit == "wd":
            words = ngettext("{count} working day", "{count} working days", self.count)
        else:
            words = ngettext("{count} day", "{count} days", self.count)
        return words.format(count=self.count)


def parse_delay(value: int | str) -> Delay | None:
    """``3`` or ``"3d"`` (days), ``"3wd"`` (working days); None when `value` is neither."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Delay(value, "d")
    match = DELAY.match(value)
    return Delay(int(match["count"]), match["unit"]) if match else None


def in_quiet_hours(moment: dt.time) -> bool:
    """True between 22:00 and 07:00."""
    return moment >= QUIET_FROM or moment < QUIET_UNTIL


@attrs.frozen
class Schedule:
    """When a campaign's notices may go out: its send time, quiet hours and rest days.

    ``next_send(moment)`` is the first send time at or after `moment`: between
    ``send_at`` and 22:00 local, on a day notices go out. ``sending_day(day)`` is `day` or
    the next day notices go out; ``is_workday(day)`` asks the calendar;
    ``after(day, Delay(3, "wd"))`` counts days or working days; ``local(day, time)`` is a
    wall-clock time in the campaign's zone. `run.schedule` and the timeline hook's
    ``schedule`` are the campaign's.
    """

    zone: dt.tzinfo
    send_at: dt.time = DEFAULT_SEND_AT
    workdays: Workdays = attrs.field(factory=Weekends)
    send_on_rest_days: bool = True

    def local(self, day: dt.date, time: dt.time) -> dt.datetime:
        """`time` on `day` as the campaign's wall clock shows it."""
        return dt.datetime.combine(day, time, tzinfo=self.zone)

    def is_workday(self, day: dt.date) -> bool:
        """A working day of the calendar; by `Weekends` for a year it does not know."""
        try:
            return self.workdays.is_workday(day)
        except LookupError:
            return WEEKENDS.is_workday(day)

    def sends_on(self, day: dt.date) -> bool:
        """True when notices may go out on `day`."""
        return self.send_on_rest_days or self.is_workday(day)

    def sending_day(self, day: dt.date) -> dt.date:
        """`day`, or the first day after it on which notices go out."""
        for _ in range(366):  # a calendar with no working day in a year is broken, not late
            if self.sends_on(day):
                return day
            day += dt.timedelta(days=1)
        return day

    def next_send(self, moment: dt.datetime) -> dt.datetime:
        """The first moment at or after `moment` in the sending window of a sending day."""
        here = moment.astimezone(self.zone)
        day, time = here.date(), here.time().replace(tzinfo=None)
        if self.sends_on(day) and self.send_at <= time < QUIET_FROM:
            return here
        if not (self.sends_on(day) and time < self.send_at):
            day += dt.timedelta(days=1)
        return self.local(self.sending_day(day), self.send_at)

    def after(self, day: dt.date, delay: Delay) -> dt.date:
        """`day` moved on by `delay`: days, or working days of the calendar."""
        if delay.unit == "d":
            return day + dt.timedelta(days=delay.count)
        moved = 0
        while moved < delay.count:
            day += dt.timedelta(days=1)
            if self.is_workday(day):
                moved += 1
        return day


def schedule_of(campaign: Campaign, workdays: Workdays | None = None) -> Schedule:
    """The campaign's schedule; `workdays` is its calendar (weekends when None)."""
    info = campaign.campaign
    return Schedule(
        zone=zoneinfo.ZoneInfo(info.timezone),
        send_at=info.send_at,
        workdays=workdays if workdays is not None else Weekends(),
        send_on_rest_days=info.send_on_rest_days,
    )
