"""campaignkit plugin ``html``: the ``html`` report format.

``campaignkit report FILE --format html -o report.html`` writes one self-contained page —
the campaign's header, a Gantt timeline of its phases, activities and deadlines, the
compliance grid of units against requirements, the roll-up per parent unit and the log of
notifications — with its styles inline and nothing fetched from the network, so it can be
mailed, archived or printed as it is.

This module is what the entry point loads, so it imports nothing heavy: Jinja2 is imported
only when a report is rendered.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from campaignkit import ReportFormat, hookimpl

if TYPE_CHECKING:
    from campaignkit import Report

__all__ = ["campaignkit_report_formats", "render_html"]


def render_html(report: Report) -> str:
    """Render `report` as one self-contained HTML page."""
    from .render import render

    return render(report)


@hookimpl
def campaignkit_report_formats() -> list[ReportFormat]:
    return [
        ReportFormat(
            "html",
            ".html",
            "text/html",
            render_html,
            "one self-contained page: Gantt timeline, compliance grid, roll-up, notifications",
        )
    ]
