"""The report's figures on the page: per figures deliverable, a table of its roll-up (each
parent unit, then the whole campaign) and a bar chart of each field across the parents,
drawn with CSS bars (no script)."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

import attrs

from campaignkit import FigureRollup, Report, figure_text, translator

_ = translator("campaignkit_html", Path(__file__).parent / "locale")


@attrs.frozen
class Bar:
    name: str
    value: str
    percent: float
    """Its length, as a share of the longest bar of its field."""


@attrs.frozen
class Chart:
    heading: str
    bars: tuple[Bar, ...]


@attrs.frozen
class FigureTable:
    title: str
    headings: tuple[str, ...]
    """The fields, each with what it counts."""
    rows: tuple[tuple[str, int, tuple[str, ...]], ...]
    """Each parent unit, then the campaign: its name, how many units count, each value."""
    charts: tuple[Chart, ...]


def figure_tables(
    report: Report, only: Collection[str] | None = None, whole: bool = True
) -> tuple[FigureTable, ...]:
    """The page's figures, in the language being written: with `only`, the rows of those
    parent units alone; with `whole`, the campaign's row after them."""
    names = {rid: req.name for rid, req in report.campaign.requirements.items()}
    return tuple(
        _table(rollup, names.get(rollup.requirement, ""), only, whole) for rollup in report.figures
    )


def _table(
    rollup: FigureRollup, requirement: str, only: Collection[str] | None, whole: bool
) -> FigureTable:
    parents = [p for p in rollup.parents if only is None or p.unit in only]
    headings = tuple(
        _("{name} ({unit})").format(name=item.label, unit=unit)
        if (unit := item.unit or ("%" if item.type == "percent" else ""))
        else item.label
        for item in rollup.fields
    )
    rows = tuple(
        (
            found.name if found.unit else _("Whole campaign"),
            found.units,
            tuple(figure_text(found.value(item.id)) for item in rollup.fields),
        )
        for found in (*parents, *([rollup.total] if whole else []))
    )
    charts = []
    for item, heading in zip(rollup.fields, headings, strict=True):
        values = [(found.name, found.value(item.id)) for found in parents]
        longest = max((abs(v) for _n, v in values if v is not None), default=0)
        charts.append(
            Chart(
                heading,
                tuple(
                    Bar(
                        name,
                        figure_text(value),
                        round(100 * abs(value) / longest, 2) if longest else 0.0,
                    )
                    for name, value in values
                    if value is not None
                ),
            )
        )
    title = _("{name} ({requirement})").format(
        name=rollup.deliverable.label, requirement=requirement
    )
    return FigureTable(title, headings, rows, tuple(charts))
