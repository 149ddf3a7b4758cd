"""campaignkit plugin ``cn-workdays``: China's official working days.

Implements ``campaignkit_workdays``: the calendar behind ``wd`` in date expressions
(``due = "phases.safety-month.end + 5wd"``) and behind ``rest_day`` (a due date on a rest
day is kept or moved to the working day before or after). Statutory holidays are rest days
and the make-up working days (调休) on a Saturday or Sunday are working days, as the State
Council arranges them each year; the data comes from the ``chinesecalendar`` distribution.
A year it does not know is a `LookupError`, never a silent guess.

The calendar answers for campaigns in mainland China's time zones (`CHINA_TIMEZONES`) and
defers (returns None) for any other, so a campaign in New York keeps its own rest days.

This module is what the entry point loads, so it imports nothing heavy: ``chinese_calendar``
is imported on the first look-up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from campaignkit import hookimpl

from .workdays import NAME, ChinaWorkdays

if TYPE_CHECKING:
    from campaignkit import Workdays

__all__ = ["CALENDAR", "CHINA_TIMEZONES", "NAME", "ChinaWorkdays", "campaignkit_workdays"]

CALENDAR = ChinaWorkdays()
"""The one calendar this plugin hands out."""

CHINA_TIMEZONES = frozenset(
    {
        "Asia/Shanghai",  # China Standard Time, Beijing time
        "Asia/Urumqi",  # Xinjiang's local clock; the same national holidays
        # links to Asia/Shanghai or Asia/Urumqi kept by the IANA database
        "Asia/Chongqing",
        "Asia/Chungking",
        "Asia/Harbin",
        "Asia/Kashgar",
        "PRC",
    }
)
"""IANA time zones of mainland China, for which this calendar answers. Hong Kong, Macau
and Taiwan keep public holidays of their own and are not among them."""


@hookimpl
def campaignkit_workdays(timezone: str) -> Workdays | None:
    return CALENDAR if timezone in CHINA_TIMEZONES else None
