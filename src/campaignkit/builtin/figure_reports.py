"""The figures of a report, as the built-in formats write them: a Markdown table per figures
deliverable (its roll-up per parent unit and for the campaign), and a CSV column per field."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from campaignkit import FigureField, figure_fields, figure_heading, figure_text
from campaignkit import gettext as _

if TYPE_CHECKING:
    from campaignkit import AssigneeStatus, Report


def markdown_figures(report: Report, table: Callable[..., Iterable[str]]) -> list[str]:
    """The ``## Figures`` section, or nothing when the campaign asks for none; `table` writes
    a Markdown table from a header and rows."""
    if not report.figures:
        return []
    names = {req.id: req.name for req in report.campaign.requirements.values()}
    out = ["## " + _("Figures"), ""]
    for rollup in report.figures:
        title = _("{name} ({id})").format(
            name=rollup.deliverable.label, id=names.get(rollup.requirement, rollup.requirement)
        )
        out += [f"### {title}", ""]
        rows = [*rollup.parents, rollup.total]
        out += table(
            [_("Unit"), _("Units counted"), *(figure_heading(item) for item in rollup.fields)],
            [
                [
                    found.name if found.unit else _("Whole campaign"),
                    found.units,
                    *(figure_text(found.value(item.id)) for item in rollup.fields),
                ]
                for found in rows
            ],
        )
    return out


def csv_fields(report: Report) -> list[tuple[str, FigureField]]:
    """Each figure field of the campaign, by id (fields of one id share a column)."""
    found: dict[str, FigureField] = {}
    for req in report.campaign.requirements.values():
        for key, (_deliverable, item) in figure_fields(req).items():
            found.setdefault(key, item)
    return list(found.items())


def csv_cells(fields: list[tuple[str, FigureField]], row: AssigneeStatus) -> list[str | float]:
    """The row's figures, one cell per field: a number as a number, so that spreadsheets
    add them up; empty where the unit gave none."""
    cells: list[str | float] = []
    for key, _item in fields:
        text = row.figures.get(key)
        if text is None:
            cells.append("")
            continue
        try:
            number = float(text.strip().removesuffix("%"))
        except ValueError:
            cells.append(text)
        else:
            cells.append(int(number) if number.is_integer() else number)
    return cells
