"""The ``csv`` report format: one row per unit and requirement, for people (the campaign's
language and clock) or for programs (``--ids``), written a few thousand rows at a time."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, BinaryIO

from campaignkit import figure_heading, language_of, writing
from campaignkit import gettext as _
from campaignkit.builtin.figure_reports import csv_cells, csv_fields
from campaignkit.builtin.standing_words import extended_words, standing_text

if TYPE_CHECKING:
    from campaignkit import AssigneeStatus, Report

ROWS_PER_WRITE = 2000
"""Rows `write_csv` gathers before each write to its output."""


CSV_HEADER = [
    "requirement",
    "requirement_name",
    "due_at",
    "unit",
    "unit_name",
    "parent",
    "status",
    "submitted_at",
    "reasons",
]
"""The columns of ``--ids``: ids, standings' ids and ISO times, for programs; then
``extended_until`` when a unit's deadline was moved (`has_extensions`)."""


def has_extensions(report: Report) -> bool:
    """True when some unit's deadline in the report was moved: then ``csv --ids`` has a
    column ``extended_until``."""
    return any(row.extended_until is not None for req in report.requirements for row in req.rows)


def csv_words() -> list[str]:
    """The columns people open in a spreadsheet, in the language being written: the parent's
    name beside its id."""
    return [
        _("requirement id"),
        _("requirement name"),
        _("due at"),
        _("unit id"),
        _("unit name"),
        _("parent id"),
        _("parent name"),
        _("status"),
        _("submitted at"),
        _("reasons"),
    ]


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What makes a spreadsheet read a cell as a formula (OWASP, "CSV injection")."""


def spreadsheet_safe(cell: str) -> str:
    """`cell`, read by a spreadsheet as the text it is: one that would start a formula gets
    a leading apostrophe, which spreadsheets take to mean "text"."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


Cell = str | int | float
"""A CSV cell: a number is written as it is, and is never taken for a formula."""


def render_csv(report: Report) -> bytes:
    """One row per (assignee, requirement); UTF-8 with a BOM, so Excel reads Chinese.

    For people (the default): headers and standings in the campaign's language, and times on
    its clock as ``2022-10-24 18:06``, which spreadsheets read as times. With
    ``report.machine``: `CSV_HEADER`, ids and ISO times with their offset.
    """
    buffer = io.BytesIO()
    write_csv(report, buffer)
    return buffer.getvalue()


def write_csv(report: Report, out: BinaryIO) -> None:
    """The bytes of `render_csv`, written to `out` a few thousand rows at a time."""
    import codecs
    import csv  # only when a CSV report is written

    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    out.write(codecs.BOM_UTF8)
    rows = _machine_rows(report) if report.machine else _people_rows(report)
    for number, row in enumerate(rows, start=1):
        writer.writerow([spreadsheet_safe(cell) if isinstance(cell, str) else cell for cell in row])
        if number % ROWS_PER_WRITE == 0:
            out.write(buffer.getvalue().encode())
            buffer.seek(0)
            buffer.truncate()
    out.write(buffer.getvalue().encode())


def _machine_rows(report: Report) -> Iterator[Sequence[Cell]]:
    fields = csv_fields(report)
    extended = ["extended_until"] if has_extensions(report) else []
    yield [
        *CSV_HEADER,
        *extended,
        *(column.name for column in report.columns),
        *(f"figure:{key}" for key, _item in fields),
    ]
    for req in report.requirements:
        for row in req.rows:
            yield [
                req.requirement.id,
                req.requirement.name,
                req.due_at.isoformat(),
                row.unit,
                row.name,
                row.parent or "",
                row.standing,
                row.submitted_at.isoformat() if row.submitted_at else "",
                "; ".join(row.reasons),
                *([_iso_day(row.extended_until)] if extended else []),
                *_cells(report, row),
                *csv_cells(fields, row),
            ]


def _people_rows(report: Report) -> Iterator[Sequence[Cell]]:
    import zoneinfo

    from campaignkit import standing_labels

    c = report.campaign
    names = standing_labels(c)
    zone = zoneinfo.ZoneInfo(c.campaign.timezone)
    # Looked up before the first row: a generator must not hold a language across its yields.
    language = language_of(c)
    with writing(language):
        header, separator, extended = csv_words(), _("; "), extended_words()
        header += [column.heading(language) for column in report.columns]
        fields = csv_fields(report)
        header += [figure_heading(item) for _key, item in fields]

    def clock(moment: dt.datetime | None) -> str:
        return f"{moment.astimezone(zone):%Y-%m-%d %H:%M}" if moment else ""

    yield header
    for req in report.requirements:
        for row in req.rows:
            parent = c.units.get(row.parent) if row.parent else None
            yield [
                req.requirement.id,
                req.requirement.name,
                clock(req.due_at),
                row.unit,
                row.name,
                row.parent or "",
                parent.name if parent else "",
                standing_text(names, row, extended),
                clock(row.submitted_at),
                separator.join(row.reasons),
                *_cells(report, row),
                *csv_cells(fields, row),
            ]


def _iso_day(day: dt.date | None) -> str:
    return day.isoformat() if day is not None else ""


def _cells(report: Report, row: AssigneeStatus) -> list[Cell]:
    """The row's values in the plugins' columns; an empty cell for None."""
    return [
        "" if (value := row.column(column.name)) is None else value for column in report.columns
    ]
