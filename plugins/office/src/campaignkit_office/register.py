"""The register (台账) as an Excel workbook, with XlsxWriter.

Three kinds of sheet, each with its header row frozen and filters on it:

- the register: one row per assignee unit, ordered under its parent unit, and for each
  requirement three columns — standing, hand-in time, reasons — the standing coloured as in
  the HTML report, the time a real Excel date on the campaign's clock; with ``--depth N``,
  a row per branch of the first N levels instead (`campaignkit.branch_tree`), in the tree's
  order, and a fourth column counting what lies below each unit of level N;
- one sheet per requirement: each unit's standing and each file of the hand-in that decides
  it (deliverable, name, size, SHA-256);
- the summary: per parent unit, its units' standings counted and the on-time and hand-in
  rates, the campaign's totals, then each figures deliverable rolled up.

Everything a person reads is in the campaign's language. A unit's name that looks like a
formula (``=…``) is written as text, never as a formula.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zoneinfo
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import xlsxwriter  # type: ignore[import-untyped]

from campaignkit import (
    STANDINGS,
    branch_tree,
    language_of,
    standing_labels,
    translator,
    writing,
)

if TYPE_CHECKING:
    from xlsxwriter.format import Format  # type: ignore[import-untyped]
    from xlsxwriter.worksheet import Worksheet  # type: ignore[import-untyped]

    from campaignkit import AssigneeStatus, FigureRollup, Report, RequirementStatus, Standing

_ = translator("campaignkit_office", Path(__file__).parent / "locale")

# The HTML report's colours, so that a leader reads both the same way: (background, ink).
COLOURS = {
    "on_time": ("#D4E5FB", "#0B4FA8"),
    "late": ("#FFE27A", "#6B4D00"),
    "pending": ("#FFF6CF", "#6B4D00"),
    "rejected": ("#F9CFCB", "#A3150C"),
    "returned": ("#FFE27A", "#A3150C"),
    "missing": ("#D62D20", "#FFFFFF"),
    "exempt": ("#F3F4F6", "#57606A"),
    "none": ("#F3F4F6", "#8C959F"),
}
HEADER = "#E9EEF5"
WHEN = "yyyy-mm-dd hh:mm"
SHEET_NAME = re.compile(r"[\[\]:*?/\\]")
"""What Excel refuses in a sheet's name."""


OPTIONS = {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
"""Each sheet's rows go to a temporary file as they are written, in order, so that a
national register's million cells are never held at once; every sheet writes its rows
top to bottom, and leaves an empty cell unwritten."""


def workbook(report: Report) -> bytes:
    """The workbook's bytes, written in the campaign's language."""
    buffer = io.BytesIO()
    with writing(language_of(report.campaign)):
        book = xlsxwriter.Workbook(buffer, OPTIONS)
        styles = _Styles(book, zoneinfo.ZoneInfo(report.campaign.timezone))
        _register(book.add_worksheet(_("Register")), report, styles)
        _summary(book.add_worksheet(_("Summary")), report, styles)
        taken = {_("Register").casefold(), _("Summary").casefold()}
        for status in report.requirements:
            name = _sheet_name(status.requirement.id, taken)
            _requirement(book.add_worksheet(name), report, status, styles)
        book.close()
    return buffer.getvalue()


class _Styles:
    """The workbook's cell formats, made once, and the campaign's clock."""

    def __init__(self, book: xlsxwriter.Workbook, zone: zoneinfo.ZoneInfo) -> None:
        self.zone = zone
        base = {"font_name": "等线", "font_size": 11, "valign": "top"}
        self.text = book.add_format({**base, "text_wrap": True})
        self.title = book.add_format({**base, "bold": True, "font_size": 14})
        self.header = book.add_format(
            {**base, "bold": True, "bg_color": HEADER, "border": 1, "text_wrap": True}
        )
        self.group = book.add_format(
            {**base, "bold": True, "bg_color": HEADER, "border": 1, "align": "center"}
        )
        self.when = book.add_format({**base, "num_format": WHEN})
        self.number = book.add_format(base)
        self.rate = book.add_format({**base, "num_format": "0.0%"})
        self.bold = book.add_format({**base, "bold": True})
        self.bold_rate = book.add_format({**base, "bold": True, "num_format": "0.0%"})
        self._base = base
        self._book = book
        self._indents: dict[int, Format] = {}
        self.standing = {
            standing: book.add_format(
                {
                    **base,
                    "bg_color": background,
                    "font_color": ink,
                    "italic": standing == "exempt",
                    "border": 1,
                }
            )
            for standing, (background, ink) in COLOURS.items()
        }

    def indented(self, level: int) -> Format:
        """Text indented `level` steps: a unit's place in the branch tree."""
        if level not in self._indents:
            self._indents[level] = self._book.add_format(
                {**self._base, "text_wrap": True, "indent": level}
            )
        return self._indents[level]


def _sheet_name(wanted: str, taken: set[str]) -> str:
    """A name Excel accepts, 31 characters at most, not taken yet (Excel ignores case:
    a requirement called ``summary`` beside the sheet ``Summary`` is ``summary (2)``)."""
    name = SHEET_NAME.sub("-", wanted)[:31]
    number = 2
    while name.casefold() in taken:
        suffix = f" ({number})"
        name = SHEET_NAME.sub("-", wanted)[: 31 - len(suffix)] + suffix
        number += 1
    taken.add(name.casefold())
    return name


def _local(report: Report, moment: dt.datetime) -> dt.datetime:
    """A moment as the campaign's clock shows it, without a zone: what Excel stores."""
    zone = zoneinfo.ZoneInfo(report.campaign.timezone)
    return moment.astimezone(zone).replace(tzinfo=None)


EPOCH = dt.datetime(1899, 12, 31)


def _when(sheet: Worksheet, line: int, column: int, moment: dt.datetime, styles: _Styles) -> None:
    """A moment on the campaign's clock in a date cell: the number XlsxWriter's
    ``write_datetime`` stores (days since its epoch, and Excel's 29 February 1900), worked
    out as it does, at a fraction of its cost: a national register has 150,000 of them."""
    delta = moment.astimezone(styles.zone).replace(tzinfo=None) - EPOCH
    days = delta.days + (float(delta.seconds) + float(delta.microseconds) / 1e6) / (60 * 60 * 24)
    sheet.write_number(line, column, days + 1 if days > 59 else days, styles.when)


def _standing(names: dict[str, str], row: AssigneeStatus) -> str:
    said = names[row.standing]
    if row.extended_until is not None:
        said = _("{standing} (extended to {date})").format(
            standing=said, date=row.extended_until.isoformat()
        )
    return said


def _ordered_units(report: Report) -> list[str]:
    """The assignee units of the report, each parent's together, in the file's order."""
    units = report.campaign.units
    order = {unit: place for place, unit in enumerate(units)}
    assigned = {row.unit for status in report.requirements for row in status.rows}

    def key(unit: str) -> tuple[int, int]:
        parent = units[unit].parent
        return (order.get(parent, -1) if parent else -1, order[unit])

    return sorted(assigned, key=key)


def _register(sheet: Worksheet, report: Report, styles: _Styles) -> None:
    campaign = report.campaign
    names = standing_labels(campaign)
    sheet.write(0, 0, campaign.campaign.title, styles.title)
    if report.as_of is not None:
        said = _("As of {moment}").format(moment=f"{_local(report, report.as_of):%Y-%m-%d %H:%M}")
        sheet.write(1, 0, said, styles.text)
    fixed = [_("Parent unit"), _("Unit"), _("Unit id")]
    # With --depth, the first N levels of the branch tree, and what lies below the last one.
    tree = branch_tree(report) if report.depth is not None else None
    group = [_("Standing"), _("Handed in"), _("Reasons"), *([_("Below")] if tree else [])]
    width = len(group)
    for index, status in enumerate(report.requirements):  # row 2, before row 3
        first = len(fixed) + width * index
        sheet.merge_range(2, first, 2, first + width - 1, status.requirement.name, styles.group)
    for column, heading in enumerate(fixed):
        sheet.write(3, column, heading, styles.header)
    for index in range(len(report.requirements)):
        first = len(fixed) + width * index
        for offset, heading in enumerate(group):
            sheet.write(3, first + offset, heading, styles.header)
    rows = {s.requirement.id: {row.unit: row for row in s.rows} for s in report.requirements}
    units = campaign.units
    shown = (
        [(unit, None) for unit in _ordered_units(report)]
        if tree is None
        else [(branch.unit, branch) for branch in tree.down(None, report.depth or 1)]
    )
    line = 4
    for unit, branch in shown:
        parent = units[unit].parent
        above = units[parent].name if parent is not None and parent in units else ""
        _text(sheet, line, 0, above, styles.text)
        indent = styles.indented(branch.level - 1) if branch is not None else styles.text
        sheet.write_string(line, 1, units[unit].name, indent)
        sheet.write_string(line, 2, unit, styles.text)
        for index, status in enumerate(report.requirements):
            first = len(fixed) + width * index
            row = rows[status.requirement.id].get(unit)
            if branch is not None and branch.level == report.depth:
                below = _below(names, branch.requirements[index], row)
                sheet.write_string(line, first + 3, below, styles.text)
            if row is None:
                sheet.write_string(line, first, "—", styles.standing["none"])
                continue
            sheet.write_string(line, first, _standing(names, row), styles.standing[row.standing])
            if row.submitted_at is not None:
                _when(sheet, line, first + 1, row.submitted_at, styles)
            _text(sheet, line, first + 2, _("; ").join(row.reasons), styles.text)
        line += 1
    last = len(fixed) + width * len(report.requirements) - 1
    sheet.freeze_panes(4, 2)
    sheet.autofilter(3, 0, max(line - 1, 3), last)
    sheet.set_column(0, 1, 22)
    sheet.set_column(2, 2, 14)
    for index in range(len(report.requirements)):
        first = len(fixed) + width * index
        sheet.set_column(first, first, 14)
        sheet.set_column(first + 1, first + 1, 17)
        sheet.set_column(first + 2, first + 2, 30)
        if tree is not None:
            sheet.set_column(first + 3, first + 3, 30)


def _below(names: dict[str, str], counts: Sequence[int], row: AssigneeStatus | None) -> str:
    """What lies below a unit on one requirement, counted by standing: its branch's counts
    (one per standing, in the order of `STANDINGS`) less its own row."""
    below = list(counts)
    if row is not None:
        below[STANDINGS.index(row.standing)] -= 1
    return _(", ").join(f"{names[s]} {n}" for s, n in zip(STANDINGS, below, strict=True) if n)


def _requirement(
    sheet: Worksheet, report: Report, status: RequirementStatus, styles: _Styles
) -> None:
    names = standing_labels(report.campaign)
    labels = {item.id: item.label for item in status.requirement.deliverables}
    due = f"{_local(report, status.due_at):%Y-%m-%d %H:%M}"
    sheet.write(0, 0, status.requirement.name, styles.title)
    sheet.write(1, 0, _("Due {moment}").format(moment=due), styles.text)
    headings = [
        _("Unit"),
        _("Unit id"),
        _("Standing"),
        _("Handed in"),
        _("Deliverable"),
        _("File"),
        _("Size (bytes)"),
        "SHA-256",
    ]
    for column, heading in enumerate(headings):
        sheet.write(3, column, heading, styles.header)
    line = 4
    for row in status.rows:
        files = list(_files(row)) or [("", {})]
        for deliverable, entry in files:
            sheet.write_string(line, 0, row.name, styles.text)
            sheet.write_string(line, 1, row.unit, styles.text)
            sheet.write_string(line, 2, _standing(names, row), styles.standing[row.standing])
            if row.submitted_at is not None:
                _when(sheet, line, 3, row.submitted_at, styles)
            _text(sheet, line, 4, labels.get(deliverable, deliverable), styles.text)
            _text(sheet, line, 5, str(entry.get("name", "")), styles.text)
            if isinstance(entry.get("size"), int):
                sheet.write_number(line, 6, entry["size"], styles.number)
            _text(sheet, line, 7, str(entry.get("sha256", "")), styles.text)
            line += 1
    sheet.freeze_panes(4, 1)
    sheet.autofilter(3, 0, max(line - 1, 3), len(headings) - 1)
    sheet.set_column(0, 0, 22)
    sheet.set_column(1, 4, 16)
    sheet.set_column(5, 5, 28)
    sheet.set_column(6, 6, 12)
    sheet.set_column(7, 7, 66)


def _text(sheet: Worksheet, line: int, column: int, text: str, style: Format) -> None:
    """A cell's text; nothing for none: a national register has a hundred thousand empty
    cells, each costing as much to write as a full one."""
    if text:
        sheet.write_string(line, column, text, style)


def _files(row: AssigneeStatus) -> Iterator[tuple[str, dict[str, Any]]]:
    """Each file of the unit's deciding hand-in, with its deliverable's id."""
    for deliverable, entries in row.evidence.items():
        for entry in entries if isinstance(entries, list | tuple) else ():
            if isinstance(entry, dict):
                yield deliverable, entry


def _summary(sheet: Worksheet, report: Report, styles: _Styles) -> None:
    names = standing_labels(report.campaign)
    headings = [
        _("Parent unit"),
        _("Units below"),
        *(names[s] for s in STANDINGS),
        _("On-time rate"),
        _("Hand-in rate"),
    ]
    sheet.write(0, 0, _("Summary by parent unit"), styles.title)
    for column, heading in enumerate(headings):
        sheet.write(2, column, heading, styles.header)
    line = 3
    for rollup in report.rollups:
        counts = {s: rollup.count(s) for s in STANDINGS}
        sheet.write_string(line, 0, rollup.name, styles.text)
        sheet.write_number(line, 1, rollup.children, styles.number)
        _counts(sheet, line, counts, styles.number, styles.rate)
        line += 1
    totals = {s: sum(status.count(s) for status in report.requirements) for s in STANDINGS}
    sheet.write_string(line, 0, _("Whole campaign"), styles.bold)
    _counts(sheet, line, totals, styles.bold, styles.bold_rate)
    sheet.freeze_panes(3, 1)
    sheet.autofilter(2, 0, line - 1 if line > 3 else 2, len(headings) - 1)
    sheet.set_column(0, 0, 26)
    sheet.set_column(1, len(headings) - 1, 11)
    line += 2
    for figures in report.figures:
        line = _figures(sheet, report, figures, line, styles) + 1


def _counts(
    sheet: Worksheet, line: int, counts: Mapping[Standing, int], number: Format, rate: Format
) -> None:
    """A row's counts by standing, then its rates: on time, and handed in at all, of what
    was due (exempt units and those not yet due are out of both)."""
    for offset, standing in enumerate(STANDINGS):
        sheet.write_number(line, 2 + offset, counts[standing], number)
    due = sum(counts.values()) - counts.get("exempt", 0) - counts.get("pending", 0)
    column = 2 + len(STANDINGS)
    if due:
        sheet.write_number(line, column, counts["on_time"] / due, rate)
        sheet.write_number(line, column + 1, (counts["on_time"] + counts["late"]) / due, rate)


def _figures(
    sheet: Worksheet, report: Report, rollup: FigureRollup, line: int, styles: _Styles
) -> int:
    """One figures deliverable rolled up, from `line`; the line after it."""
    requirement = report.campaign.requirements.get(rollup.requirement)
    title = _("{deliverable} ({requirement})").format(
        deliverable=rollup.deliverable.label,
        requirement=requirement.name if requirement else rollup.requirement,
    )
    sheet.write(line, 0, title, styles.bold)
    headings = [_("Unit"), _("Units counted")]
    for item in rollup.fields:
        unit = item.unit or ("%" if item.type == "percent" else "")
        headings.append(f"{item.label} ({unit})" if unit else item.label)
    for column, heading in enumerate(headings):
        sheet.write(line + 1, column, heading, styles.header)
    line += 2
    for found in [*rollup.parents, rollup.total]:
        is_total = found.unit is None
        sheet.write_string(line, 0, found.name if not is_total else _("Whole campaign"))
        sheet.write_number(line, 1, found.units, styles.bold if is_total else styles.number)
        for offset, item in enumerate(rollup.fields):
            value = found.value(item.id)
            if value is not None:
                sheet.write_number(line, 2 + offset, float(value), styles.number)
        line += 1
    return line
