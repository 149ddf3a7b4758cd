"""campaignkit plugin ``html``: the ``html`` report format.

``campaignkit report FILE --format html -o report.html`` writes one self-contained page —
the campaign's header, a Gantt timeline of its phases, activities and deadlines, the
compliance grid of units against requirements, the roll-up per parent unit and the log of
notifications — with its styles inline and nothing fetched from the network, so it can be
mailed, archived or printed as it is.

A campaign of more than 500 units, or any with ``--depth N``, gets the national view
instead: the campaign's own figures and a row per branch of the first N levels below the
issuer, each with the counts of its whole subtree and a bar. ``-o DIR/`` writes it as a
folder: ``index.html`` and a page per branch (``units/ID.html``), linked to each other,
each with a breadcrumb back up.

This module is what the entry point loads, so it imports nothing heavy: Jinja2 is imported
only when a report is rendered.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from campaignkit import ReportFormat, hookimpl

if TYPE_CHECKING:
    from campaignkit import Report

__all__ = ["campaignkit_report_formats", "render_html", "render_html_pages"]


def render_html(report: Report) -> str:
    """Render `report` as one self-contained HTML page."""
    from .render import render

    return render(report)


def render_html_pages(report: Report) -> Iterator[tuple[str, bytes]]:
    """Render `report`'s national view as pages: (relative name, bytes), the top page first."""
    from .render import render_pages

    return render_pages(report)


@hookimpl
def campaignkit_report_formats() -> list[ReportFormat]:
    return [
        ReportFormat(
            "html",
            ".html",
            "text/html",
            render_html,
            "one self-contained page: Gantt timeline, compliance grid, roll-up, notifications",
            pages=render_html_pages,
        )
    ]
