"""campaignkit plugin ``ics``: the ``ics`` report format, an iCalendar (RFC 5545) feed.

``campaignkit report FILE --format ics`` writes one calendar of the campaign: every phase and
activity as an all-day event, every requirement's deadline as an all-day event with one
alarm per reminder. With ``--unit ID`` it is that unit's own calendar. Subscribe to the file
in any calendar program; a later export updates the same events, because their UIDs are
stable.

This module is what the entry point loads, so it imports nothing heavy: ``icalendar`` is
imported only when a calendar is rendered.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from campaignkit import ReportFormat, hookimpl

if TYPE_CHECKING:
    from campaignkit import Report

__all__ = ["campaignkit_report_formats", "render"]


def render(report: Report) -> bytes:
    """The report as one iCalendar ``VCALENDAR`` (UTF-8, CRLF line endings)."""
    from .feed import render_calendar

    return render_calendar(report)


@hookimpl
def campaignkit_report_formats() -> list[ReportFormat]:
    return [
        ReportFormat(
            "ics",
            ".ics",
            "text/calendar",
            render,
            "iCalendar feed: phases, activities and deadlines with reminder alarms",
        )
    ]
