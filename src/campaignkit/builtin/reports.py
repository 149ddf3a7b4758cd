"""Built-in plugin ``reports``: the ``md``, ``json`` and ``csv`` report formats."""

from __future__ import annotations

import csv
import io
import json

from campaignkit import hookimpl
from campaignkit.records import ReportFormat
from campaignkit.report import STANDINGS, Report, report_json, standing_labels


def _cell(text: object) -> str:
    return str(text if text is not None else "").replace("|", "\\|").replace("\n", " ")


def _table(header: list[str], rows: list[list[object]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return [*lines, ""]


def render_markdown(report: Report) -> str:
    c = report.campaign
    info = c.campaign
    names = standing_labels(report.campaign)
    out = [f"# {info.title}", ""]
    facts = [
        ("Reference", info.reference),
        ("Issued by", c.units[info.issued_by].name if info.issued_by in c.units else None),  # type: ignore[index]
        ("Issued on", info.issued_on.isoformat()),
        ("Theme", info.theme),
        (
            "Standings as of",
            report.as_of.isoformat()
            if report.as_of
            else "end of simulation"
            if report.source == "simulation"
            else None,
        ),
        ("For unit", f"{c.units[report.unit].name} ({report.unit})" if report.unit else None),
    ]
    out += [f"- **{label}:** {value}" for label, value in facts if value] + [""]
    out += ["## Phases", ""]
    out += _table(
        ["Phase", "Start", "End"],
        [[p.name, p.start.isoformat(), p.end.isoformat()] for p in c.phases.values()],
    )
    out += ["## Activities", ""]
    out += _table(
        ["Dates", "Activity", "Mode", "Venue"],
        [
            [
                a.first_day.isoformat()
                if a.first_day == a.last_day and a.first_day
                else f"{a.first_day} – {a.last_day}",
                "\u3000" * item.level + a.name,
                a.mode or "",
                a.venue or "",
            ]
            for item in report.activities
            for a in [item.activity]
        ],
    )
    out += ["## Requirements", ""]
    for req in report.requirements:
        counts = ", ".join(f"{names[s]} {req.count(s)}" for s in STANDINGS if req.count(s))
        out += [
            f"### {req.requirement.name}",
            "",
            f"Due {req.due_at:%Y-%m-%d %H:%M %z}. {counts}.",
            "",
        ]
        out += _table(
            ["Unit", "Status", "Submitted", "Reasons"],
            [
                [
                    row.name,
                    names[row.standing],
                    row.submitted_at.strftime("%Y-%m-%d %H:%M") if row.submitted_at else "",
                    "; ".join(row.reasons),
                ]
                for row in req.rows
            ],
        )
    out += ["## Roll-up by parent unit", ""]
    out += _table(
        ["Unit", "Units below", *[names[s] for s in STANDINGS]],
        [[r.name, r.children, *[r.count(s) for s in STANDINGS]] for r in report.rollups],
    )
    out += ["## Notifications", ""]
    out += _table(
        ["When", "Kind", "To", "Text"],
        [[f"{n.at:%Y-%m-%d %H:%M}", n.kind, n.to, n.text] for n in report.notifications],
    )
    return "\n".join(out)


def render_json(report: Report) -> str:
    return json.dumps(report_json(report), ensure_ascii=False, indent=2) + "\n"


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


def render_csv(report: Report) -> bytes:
    """One row per (assignee, requirement); UTF-8 with a BOM, so Excel reads Chinese."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(CSV_HEADER)
    for req in report.requirements:
        for row in req.rows:
            writer.writerow(
                [
                    req.requirement.id,
                    req.requirement.name,
                    req.due_at.isoformat(),
                    row.unit,
                    row.name,
                    row.parent or "",
                    row.standing,
                    row.submitted_at.isoformat() if row.submitted_at else "",
                    "; ".join(row.reasons),
                ]
            )
    return buffer.getvalue().encode("utf-8-sig")


@hookimpl
def campaignkit_report_formats() -> list[ReportFormat]:
    return [
        ReportFormat("md", ".md", "text/markdown", render_markdown, "Markdown, for people"),
        ReportFormat("json", ".json", "application/json", render_json, "JSON, for machines"),
        ReportFormat("csv", ".csv", "text/csv", render_csv, "one row per unit and requirement"),
    ]
