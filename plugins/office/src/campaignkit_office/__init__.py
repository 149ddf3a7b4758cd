"""campaignkit plugin ``office``: the documents an office files and sends.

``campaignkit report FILE --format xlsx -o 台账.xlsx`` writes one workbook: the register of
every unit against every requirement, a sheet per requirement with the files handed in, and
a summary by parent unit with rates and the figures' roll-up. ``--format docx -o 通报.docx``
writes the circular (情况通报) in the layout of GB/T 9704-2012, for a campaign with an
``[assessment]`` table.

``campaignkit notice FILE --unit ID --requirement ID --kind escalation -f docx`` writes one
notice as a document (a 督办单), or one per unit with ``--all``.

This module is what the entry point loads, so it imports nothing heavy: XlsxWriter and
python-docx are imported only when a document is written.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from campaignkit import CliCommand, ReportFormat, hookimpl

if TYPE_CHECKING:
    from campaignkit import Report

__all__ = ["campaignkit_cli_commands", "campaignkit_report_formats", "render_docx", "render_xlsx"]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def render_xlsx(report: Report) -> bytes:
    """The register of `report` as an Excel workbook's bytes."""
    from .register import workbook

    return workbook(report)


def render_docx(report: Report) -> bytes:
    """The circular (情况通报) of `report` as a Word document in the official layout."""
    from .official import circular_docx

    return circular_docx(report)


@hookimpl
def campaignkit_report_formats() -> list[ReportFormat]:
    return [
        ReportFormat(
            "docx",
            ".docx",
            DOCX,
            render_docx,
            "the circular (情况通报) as a Word document in the layout of GB/T 9704-2012",
        ),
        ReportFormat(
            "xlsx",
            ".xlsx",
            XLSX,
            render_xlsx,
            "the register (台账) as an Excel workbook: units by requirement, files, summary",
        ),
    ]


def _notice() -> Any:
    from .notice import notice

    return notice


@hookimpl
def campaignkit_cli_commands() -> list[CliCommand]:
    return [
        CliCommand(
            "notice", _notice, "Write one notice as a document: text, Word (a 督办单) or PDF."
        )
    ]
