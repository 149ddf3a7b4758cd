"""campaignkit plugin ``office``: the ``xlsx`` report format, the office's register (台账).

``campaignkit report FILE --format xlsx -o 台账.xlsx`` writes one workbook: the register of
every unit against every requirement, a sheet per requirement with the files handed in, and
a summary by parent unit with rates and the figures' roll-up.

This module is what the entry point loads, so it imports nothing heavy: XlsxWriter is
imported only when a workbook is written.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from campaignkit import ReportFormat, hookimpl

if TYPE_CHECKING:
    from campaignkit import Report

__all__ = ["campaignkit_report_formats", "render_xlsx"]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def render_xlsx(report: Report) -> bytes:
    """The register of `report` as an Excel workbook's bytes."""
    from .register import workbook

    return workbook(report)


@hookimpl
def campaignkit_report_formats() -> list[ReportFormat]:
    return [
        ReportFormat(
            "xlsx",
            ".xlsx",
            XLSX,
            render_xlsx,
            "the register (台账) as an Excel workbook: units by requirement, files, summary",
        )
    ]
