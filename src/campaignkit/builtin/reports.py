"""Built-in plugin ``reports``: the ``md``, ``json`` and ``csv`` report formats."""

from __future__ import annotations

import io
import json
from typing import TYPE_CHECKING

from campaignkit import hookimpl
from campaignkit.model import Activity, language_of
from campaignkit.records import ReportFormat

if TYPE_CHECKING:
    from campaignkit.report import Report


def _cell(text: object) -> str:
    return str(text if text is not None else "").replace("|", "\\|").replace("\n", " ")


def _table(header: list[str], rows: list[list[object]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
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
    out = [f"# {info.title}", ""]
    out += [*(f"- **{label}:** {value}" for label, value in facts if value), ""]
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
        out += [f"### {req.requirement.name}", "", f"{due} {counts}", ""]
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


def render_csv(report: Report) -> bytes:
    """One row per (assignee, requirement); UTF-8 with a BOM, so Excel reads Chinese."""
    import csv  # only when a CSV report is written

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
