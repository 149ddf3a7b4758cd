"""Built-in plugin ``reports``: the ``md``, ``json`` and ``csv`` report formats."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Iterator
from typing import TYPE_CHECKING

from campaignkit import hookimpl
from campaignkit.model import Activity, language_of
from campaignkit.records import ReportFormat

if TYPE_CHECKING:
    from campaignkit.report import Report


# Names come from campaign files and evidence from units: escaped, so that whatever they hold
# is shown as text and never runs as HTML or becomes markup. Entities for what HTML reads, a
# backslash for what Markdown reads; Chinese punctuation is not markup and stays as it is.
_ESCAPES = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", **{c: "\\" + c for c in "\\`*_[]|~#"}}
)


def _text(value: object) -> str:
    """`value` as inline Markdown text: on one line, every special character escaped."""
    text = "" if value is None else str(value)
    return " ".join(text.splitlines()).translate(_ESCAPES)


def _table(header: list[str], rows: list[list[object]]) -> list[str]:
    lines = ["| " + " | ".join(_text(c) for c in header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_text(c) for c in row) + " |" for row in rows]
    return [*lines, ""]


# The Markdown report's words, in the languages notices are written in.
WORDS = {
    "en": {
        "reference": "Reference",
        "issued_by": "Issued by",
        "issued_on": "Issued on",
        "theme": "Theme",
        "as_of": "Standings as of",
        "end": "the end of the simulation",
        "unit_of": "For unit",
        "phases": "Phases",
        "phase": "Phase",
        "start": "Start",
        "end_day": "End",
        "activities": "Activities",
        "dates": "Dates",
        "activity": "Activity",
        "mode": "Mode",
        "venue": "Venue",
        "requirements": "Requirements",
        "due": "Due {at}.",
        "unit": "Unit",
        "status": "Status",
        "submitted": "Submitted",
        "reasons": "Reasons",
        "rollup": "Roll-up by parent unit",
        "below": "Units below",
        "notifications": "Notifications",
        "when": "When",
        "kind": "Kind",
        "to": "To",
        "text": "Text",
        "state": "Delivery",
    },
    "zh": {
        "reference": "文号",
        "issued_by": "印发单位",
        "issued_on": "印发日期",
        "theme": "主题",
        "as_of": "统计时点",
        "end": "模拟结束时",
        "unit_of": "单位",
        "phases": "活动阶段",
        "phase": "阶段",
        "start": "开始",
        "end_day": "结束",
        "activities": "活动安排",
        "dates": "日期",
        "activity": "活动",
        "mode": "方式",
        "venue": "地点",
        "requirements": "报送要求",
        "due": "截止时间 {at}。",
        "unit": "单位",
        "status": "状态",
        "submitted": "报送时间",
        "reasons": "退回原因",
        "rollup": "按上级单位汇总",
        "below": "下属单位数",
        "notifications": "通知记录",
        "when": "时间",
        "kind": "类型",
        "to": "发送至",
        "text": "内容",
        "state": "送达情况",
    },
}


def render_markdown(report: Report) -> str:
    c = report.campaign
    info = c.campaign
    from campaignkit.report import STANDINGS, delivery_labels, standing_labels

    names = standing_labels(c)
    w = WORDS[language_of(c)]
    issuer = c.units.get(info.issued_by or "")
    as_of = report.as_of.isoformat() if report.as_of else None
    facts = [
        (w["reference"], info.reference),
        (w["issued_by"], issuer.name if issuer else None),
        (w["issued_on"], info.issued_on.isoformat()),
        (w["theme"], info.theme),
        (w["as_of"], as_of or (w["end"] if report.source == "simulation" else None)),
        (w["unit_of"], f"{c.units[report.unit].name} ({report.unit})" if report.unit else None),
    ]
    out = [f"# {_text(info.title)}", ""]
    out += [*(f"- **{label}:** {_text(value)}" for label, value in facts if value), ""]
    out += [f"## {w['phases']}", ""]
    out += _table(
        [w["phase"], w["start"], w["end_day"]],
        [[p.name, p.start.isoformat(), p.end.isoformat()] for p in c.phases.values()],
    )
    out += [f"## {w['activities']}", ""]
    out += _table(
        [w["dates"], w["activity"], w["mode"], w["venue"]],
        [
            [
                _days(item.activity),
                "\u3000" * item.level + item.activity.name,
                item.activity.mode or "",
                item.activity.venue or "",
            ]
            for item in report.activities
        ],
    )
    out += [f"## {w['requirements']}", ""]
    for req in report.requirements:
        counts = ", ".join(f"{names[s]} {req.count(s)}" for s in STANDINGS if req.count(s))
        due = w["due"].format(at=f"{req.due_at:%Y-%m-%d %H:%M %z}")
        out += [f"### {_text(req.requirement.name)}", "", _text(f"{due} {counts}"), ""]
        out += _table(
            [w["unit"], w["status"], w["submitted"], w["reasons"]],
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
    out += [f"## {w['rollup']}", ""]
    out += _table(
        [w["unit"], w["below"], *[names[s] for s in STANDINGS]],
        [[r.name, r.children, *[r.count(s) for s in STANDINGS]] for r in report.rollups],
    )
    out += [f"## {w['notifications']}", ""]
    delivery = delivery_labels(c)
    out += _table(
        [w["when"], w["kind"], w["to"], w["text"], w["state"]],
        [
            [
                f"{n.at:%Y-%m-%d %H:%M}",
                n.kind,
                n.to,
                n.text,
                delivery.get(report.states.get(n.key, ""), ""),
            ]
            for n in report.notifications
        ],
    )
    return "\n".join(out)


def _days(activity: Activity) -> str:
    first, last = activity.first_day, activity.last_day
    return str(first) if first == last else f"{first} – {last}"


def render_json(report: Report) -> str:
    from campaignkit.report import report_json

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
"""The columns of ``--ids``: ids, standings' ids and ISO times, for programs."""

# The columns people open in a spreadsheet: the parent's name beside its id.
CSV_WORDS = {
    "en": [
        "requirement id",
        "requirement",
        "due",
        "unit id",
        "unit",
        "parent id",
        "parent",
        "status",
        "submitted",
        "reasons",
    ],
    "zh": [
        "报送要求编号",
        "报送要求",
        "截止时间",
        "单位编号",
        "单位",
        "上级单位编号",
        "上级单位",
        "状态",
        "报送时间",
        "退回原因",
    ],
}

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What makes a spreadsheet read a cell as a formula (OWASP, "CSV injection")."""


def spreadsheet_safe(cell: str) -> str:
    """`cell`, read by a spreadsheet as the text it is: one that would start a formula gets
    a leading apostrophe, which spreadsheets take to mean "text"."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def render_csv(report: Report) -> bytes:
    """One row per (assignee, requirement); UTF-8 with a BOM, so Excel reads Chinese.

    For people (the default): headers and standings in the campaign's language, and times on
    its clock as ``2022-10-24 18:06``, which spreadsheets read as times. With
    ``report.machine``: `CSV_HEADER`, ids and ISO times with their offset.
    """
    import csv  # only when a CSV report is written

    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    rows = _machine_rows(report) if report.machine else _people_rows(report)
    for row in rows:
        writer.writerow([spreadsheet_safe(cell) for cell in row])
    return buffer.getvalue().encode("utf-8-sig")


def _machine_rows(report: Report) -> Iterator[list[str]]:
    yield CSV_HEADER
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
            ]


def _people_rows(report: Report) -> Iterator[list[str]]:
    import zoneinfo

    from campaignkit.report import standing_labels

    c = report.campaign
    names = standing_labels(c)
    zone = zoneinfo.ZoneInfo(c.campaign.timezone)

    def clock(moment: dt.datetime | None) -> str:
        return f"{moment.astimezone(zone):%Y-%m-%d %H:%M}" if moment else ""

    yield CSV_WORDS[language_of(c)]
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
                names[row.standing],
                clock(row.submitted_at),
                "; ".join(row.reasons),
            ]


@hookimpl
def campaignkit_report_formats() -> list[ReportFormat]:
    return [
        ReportFormat("md", ".md", "text/markdown", render_markdown, "Markdown, for people"),
        ReportFormat("json", ".json", "application/json", render_json, "JSON, for machines"),
        ReportFormat("csv", ".csv", "text/csv", render_csv, "one row per unit and requirement"),
    ]
