"""Built-in plugin ``assessment-reports``: the ``assessment`` report format (考核: each unit's
points, deductions, total and rank, from the campaign's ``[assessment]`` table) and the
``circular`` (通报) drafted from it.

``assessment`` follows the suffix of ``--output``: ``.json``, ``.csv``, ``.html``, and text
for anything else (and on standard output, unless ``--json``). Disable the plugin by name,
``--disable assessment-reports``, to give both format names to a plugin of your own.
"""

from __future__ import annotations

import html
import io
import json
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING

from campaignkit import (
    Report,
    ReportFormat,
    assess,
    hookimpl,
    language_of,
    local_time,
    rounded,
    writing,
)
from campaignkit import gettext as _
from campaignkit.builtin.circular import render_circular
from campaignkit.builtin.csv_report import Cell, spreadsheet_safe
from campaignkit.builtin.reports import _table, _text

if TYPE_CHECKING:
    from campaignkit import Scores, UnitScore


def assessment_json(report: Report) -> dict[str, object]:
    """The assessment as plain JSON data: what ``--format assessment --json`` prints."""
    scores = assess(report)
    return {
        "scale": rounded(scores.scale),
        "units": [
            {
                "unit": unit.unit,
                "name": unit.name,
                "kind": unit.kind,
                "total": rounded(unit.total),
                "rank": unit.rank,
                "requirements": [
                    {
                        "requirement": score.requirement,
                        "points": rounded(score.points),
                        "deductions": [
                            {"reason": d.reason, "points": rounded(d.points)}
                            for d in score.deductions
                        ],
                    }
                    for score in unit.requirements
                ],
            }
            for unit in scores.units
        ],
    }


def render_json(report: Report) -> str:
    return json.dumps(assessment_json(report), ensure_ascii=False, indent=2) + "\n"


def render_text(report: Report) -> str:
    """Markdown-ish text in the campaign's language: a table per kind of unit (or one),
    then every deduction with its reason."""
    scores = assess(report)
    with writing(language_of(report.campaign)):
        return "\n".join(_text_lines(report, scores))


def _text_lines(report: Report, scores: Scores) -> Iterator[str]:
    info = report.campaign.campaign
    yield "# " + _text(_("{title}: assessment").format(title=info.title))
    yield ""
    ranking = _("within each kind of unit") if scores.settings.rank_by == "kind" else _("all units")
    fact = _("**{label}:** {value}")
    yield "- " + fact.format(label=_("Full marks"), value=f"{rounded(scores.scale)}")
    yield "- " + fact.format(label=_("Ranked"), value=ranking)
    if report.as_of is not None:
        at = local_time(report.as_of, info.timezone, "%Y-%m-%d %H:%M:%S")
        yield "- " + fact.format(label=_("Standings as of"), value=at)
    yield ""
    columns = list(dict.fromkeys(s.requirement for u in scores.units for s in u.requirements))
    names = {s.requirement: s.name for u in scores.units for s in u.requirements}
    for kind, units in _by_kind(scores):
        if kind:
            yield "## " + _text(kind)
            yield ""
        rows: list[list[object]] = []
        for unit in units:
            kept = {s.requirement: rounded(s.points) for s in unit.requirements}
            rows.append(
                [unit.rank, unit.name, rounded(unit.total), *(kept.get(c, "—") for c in columns)]
            )
        yield from _table([_("Rank"), _("Unit"), _("Total"), *(names[c] for c in columns)], rows)
    deducted: list[list[object]] = [
        [unit.name, score.name, rounded(d.points), d.reason]
        for unit in scores.units
        for score in unit.requirements
        for d in score.deductions
    ]
    if deducted:
        yield "## " + _("Deductions")
        yield ""
        yield from _table([_("Unit"), _("Requirement"), _("Points lost"), _("Reason")], deducted)


def _by_kind(scores: Scores) -> list[tuple[str, list[UnitScore]]]:
    """The units by kind, kinds in the order the scores give them; one group without a
    name when units rank all together."""
    groups: dict[str, list[UnitScore]] = {}
    for unit in scores.units:
        groups.setdefault(unit.kind if scores.settings.rank_by == "kind" else "", []).append(unit)
    return list(groups.items())


CSV_HEADER = [
    "unit",
    "unit_name",
    "kind",
    "rank",
    "total",
    "requirement",
    "requirement_name",
    "full",
    "points",
    "reasons",
]
"""The columns of the assessment's CSV with ``--ids``, for programs; one row per unit and
requirement."""


def csv_words() -> list[str]:
    """The same columns for people, in the language being written."""
    return [
        _("unit id"),
        _("unit name"),
        _("unit kind"),
        _("rank"),
        _("total"),
        _("requirement id"),
        _("requirement name"),
        _("full points"),
        _("points"),
        _("reasons for deductions"),
    ]


def render_csv(report: Report) -> bytes:
    """One row per unit and requirement, UTF-8 with a BOM so that Excel reads Chinese."""
    import csv  # only when a CSV is written

    scores = assess(report)
    with writing(language_of(report.campaign)):
        header, separator = (CSV_HEADER, "; ") if report.machine else (csv_words(), _("; "))
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    rows: list[Sequence[Cell]] = [header]
    for unit in scores.units:
        for score in unit.requirements:
            rows.append(
                [
                    unit.unit,
                    unit.name,
                    unit.kind,
                    unit.rank,
                    rounded(unit.total),
                    score.requirement,
                    score.name,
                    rounded(score.full),
                    rounded(score.points),
                    separator.join(d.reason for d in score.deductions),
                ]
            )
    for row in rows:
        writer.writerow([spreadsheet_safe(c) if isinstance(c, str) else c for c in row])
    return buffer.getvalue().encode("utf-8-sig")


def render_html(report: Report) -> str:
    """A page of its own: the units' totals and ranks, each requirement's points and the
    reasons for what was lost. Names from the campaign file are escaped."""
    scores = assess(report)
    language = language_of(report.campaign)
    with writing(language):
        title = _("{title}: assessment").format(title=report.campaign.campaign.title)
        head = [_("Rank"), _("Unit"), _("Kind"), _("Total"), _("Points and deductions")]
    e = html.escape
    rows = []
    for unit in scores.units:
        lines = []
        for score in unit.requirements:
            lost = "".join(
                f"<li>−{rounded(d.points)}: {e(d.reason)}</li>" for d in score.deductions
            )
            kept = f"{e(score.name)}: {rounded(score.points)} / {rounded(score.full)}"
            lines.append(f"<li>{kept}{f'<ul>{lost}</ul>' if lost else ''}</li>")
        rows.append(
            f"<tr><td>{unit.rank}</td><td>{e(unit.name)}</td><td>{e(unit.kind)}</td>"
            f"<td>{rounded(unit.total)}</td><td><ul>{''.join(lines)}</ul></td></tr>"
        )
    cells = "".join(f"<th>{e(h)}</th>" for h in head)
    return (
        f'<!DOCTYPE html>\n<html lang="{e(language)}">\n<head><meta charset="utf-8">'
        f"<title>{e(title)}</title></head>\n<body>\n<h1>{e(title)}</h1>\n"
        f"<table>\n<thead><tr>{cells}</tr></thead>\n<tbody>\n"
        + "\n".join(rows)
        + "\n</tbody>\n</table>\n</body>\n</html>\n"
    )


@hookimpl
def campaignkit_report_formats() -> list[ReportFormat]:
    variants: dict[str, Callable[[Report], bytes | str]] = {
        ".json": render_json,
        ".csv": render_csv,
        ".html": render_html,
    }
    return [
        ReportFormat(
            "assessment",
            ".md",
            "text/markdown",
            render_text,
            "考核: each unit's points, deductions, total and rank ([assessment])",
            variants=variants,
        ),
        ReportFormat(
            "circular", ".md", "text/markdown", render_circular, "通报: the circular, drafted"
        ),
    ]
