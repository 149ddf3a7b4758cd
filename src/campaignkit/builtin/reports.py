"""Built-in plugin ``reports``: the ``md``, ``json`` and ``csv`` report formats."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, BinaryIO

from campaignkit import (
    Activity,
    ReportFormat,
    hookimpl,
    language_of,
    local_time,
    writing,
)
from campaignkit import gettext as _
from campaignkit.builtin.csv_report import render_csv, write_csv
from campaignkit.builtin.figure_reports import markdown_figures
from campaignkit.builtin.indented_json import write_indented
from campaignkit.builtin.markdown_branches import markdown_by_branch, notification_table
from campaignkit.builtin.standing_words import extended_words, standing_text

if TYPE_CHECKING:
    from campaignkit import Report


# Names come from campaign files and evidence from units: escaped, so that whatever they hold
# is shown as text and never runs as HTML or becomes markup. Entities for what HTML reads, a
# backslash for what Markdown reads; Chinese punctuation is not markup and stays as it is.
_ESCAPES = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", **{c: "\\" + c for c in "\\`*_[]|~#"}}
)


# What `_text` changes: the characters above, and what str.splitlines breaks a line at.
_MARKUP = re.compile(r"[&<>\\`*_\[\]|~#\n\r\v\f\x1c-\x1e\x85\u2028\u2029]")


def _text(value: object) -> str:
    """`value` as inline Markdown text: on one line, every special character escaped."""
    text = "" if value is None else str(value)
    if _MARKUP.search(text) is None:  # most names and notices: a national report has 300,000
        return text
    return " ".join(text.splitlines()).translate(_ESCAPES)


LINES_PER_WRITE = 2000
"""Lines `write_markdown` gathers before each write to its output."""


def _table(header: list[str], rows: Iterable[list[object]]) -> Iterator[str]:
    """A Markdown table's lines, each row's made as it is taken, and the empty line after."""
    yield "| " + " | ".join([_text(c) for c in header]) + " |"
    yield "|" + "---|" * len(header)
    for row in rows:
        yield "| " + " | ".join([_text(c) for c in row]) + " |"
    yield ""


def render_markdown(report: Report) -> str:
    """The report for people, in the campaign's language whatever the operator reads."""
    with writing(language_of(report.campaign)):
        return "\n".join(_markdown(report))


def write_markdown(report: Report, out: BinaryIO) -> None:
    """The text of `render_markdown`, written to `out` a few thousand lines at a time: a
    national report's tables never exist whole."""
    separator, batch = "", []
    with writing(language_of(report.campaign)):
        for line in _markdown(report):
            batch.append(line)
            if len(batch) == LINES_PER_WRITE:
                out.write((separator + "\n".join(batch)).encode())
                separator, batch = "\n", []
    if batch:
        out.write((separator + "\n".join(batch)).encode())


def _markdown(report: Report) -> Iterator[str]:
    """The report's lines, each section's made as it is taken."""
    from campaignkit import STANDINGS, mode_labels, standing_labels

    c = report.campaign
    info = c.campaign
    names = standing_labels(c)
    modes = mode_labels(c)
    issuer = c.units.get(info.issued_by or "")
    as_of = local_time(report.as_of, info.timezone, "%Y-%m-%d %H:%M:%S") if report.as_of else None
    end = _("the end of the simulation") if report.source == "simulation" else None
    unit = c.units[report.unit].name if report.unit else None
    facts = [
        (_("Reference"), info.reference),
        (_("Issued by"), issuer.name if issuer else None),
        (_("Issued on"), info.issued_on.isoformat()),
        (_("Theme"), info.theme),
        (_("Standings as of"), as_of or end),
        (_("For unit"), _("{name} ({id})").format(name=unit, id=report.unit) if unit else None),
    ]
    # The colon outside the bold in Chinese: "**文号：**深" would not be bold in CommonMark.
    fact = _("**{label}:** {value}")
    yield from [f"# {_text(info.title)}", ""]
    yield from [
        *("- " + fact.format(label=label, value=_text(value)) for label, value in facts if value),
        "",
    ]
    yield from ["## " + _("Phases"), ""]
    yield from _table(
        [_("Phase"), _("Start"), _("End")],
        [[p.name, p.start.isoformat(), p.end.isoformat()] for p in c.phases.values()],
    )
    yield from ["## " + _("Activities"), ""]
    yield from _table(
        [_("Dates"), _("Activity"), _("Mode"), _("Venue")],
        [
            [
                _days(item.activity),
                "\u3000" * item.level + item.activity.name,
                modes.get(item.activity.mode or "", item.activity.mode or ""),
                item.activity.venue or "",
            ]
            for item in report.activities
        ],
    )
    if report.depth is not None:
        # The first N levels of a national campaign, and its lists by branch: a module of its own.
        words = extended_words()
        yield from markdown_by_branch(
            report, _table, _text, lambda r: standing_text(names, r, words)
        )
        return
    yield from ["## " + _("Requirements"), ""]
    headings = [column.heading(language_of(c)) for column in report.columns]
    comma = _(", ")
    extended = extended_words()
    for req in report.requirements:
        counts = comma.join(f"{names[s]} {req.count(s)}" for s in STANDINGS if req.count(s))
        due = _("Due {at}. {counts}").format(at=f"{req.due_at:%Y-%m-%d %H:%M %z}", counts=counts)
        yield from [f"### {_text(req.requirement.name)}", "", _text(due.strip()), ""]
        yield from _table(
            [_("Unit"), _("Status"), _("Submitted"), _("Reasons"), *headings],
            (
                [
                    row.name,
                    standing_text(names, row, extended),
                    row.submitted_at.strftime("%Y-%m-%d %H:%M") if row.submitted_at else "",
                    _("; ").join(row.reasons),
                    *(row.column(column.name) for column in report.columns),
                ]
                for row in req.rows
            ),
        )
    yield from ["## " + _("Roll-up by parent unit"), ""]
    # The exempt are shown only when there are some: most campaigns exempt no one.
    shown = [s for s in STANDINGS if s != "exempt" or any(r.count(s) for r in report.rollups)]
    yield from _table(
        [_("Unit"), _("Units below"), *[names[s] for s in shown]],
        ([r.name, r.children, *[r.count(s) for s in shown]] for r in report.rollups),
    )
    yield from markdown_figures(report, _table)
    yield from ["## " + _("Notifications"), ""]
    yield from notification_table(report, report.notifications, _table)


def _days(activity: Activity) -> str:
    first, last = activity.first_day, activity.last_day
    return str(first) if first == last else f"{first} – {last}"


def render_json(report: Report) -> str:
    """The report as JSON, indented: what `write_json` writes, as one text."""
    from campaignkit import report_json

    pieces: list[str] = []
    write_indented(report_json(report, lazy=True), pieces.append)
    return "".join([*pieces, "\n"])


def write_json(report: Report, out: BinaryIO) -> None:
    """The text of `render_json`, written to `out` as it is made: each assignee's and each
    notification's data exists only while it is written."""
    from campaignkit import report_json

    write_indented(report_json(report, lazy=True), lambda text: out.write(text.encode()))
    out.write(b"\n")


@hookimpl
def campaignkit_report_formats() -> list[ReportFormat]:
    return [
        ReportFormat(
            "md",
            ".md",
            "text/markdown",
            render_markdown,
            "Markdown, for people",
            write=write_markdown,
        ),
        ReportFormat(
            "json", ".json", "application/json", render_json, "JSON, for machines", write=write_json
        ),
        ReportFormat(
            "csv",
            ".csv",
            "text/csv",
            render_csv,
            "one row per unit and requirement",
            write=write_csv,
        ),
    ]
