"""The circular (通报), drafted for an office to edit and send: the facts of the hand-ins,
the units commended and those criticised by the assessment, and the figures handed in.
Part of the built-in plugin ``assessment-reports`` (``report --format circular``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from campaignkit import (
    STANDINGS,
    FigureRollup,
    assess,
    commended,
    criticised,
    facts,
    figure_text,
    language_of,
    listed,
    local_time,
    ngettext,
    rounded,
    series_id,
    writing,
)
from campaignkit import gettext as _
from campaignkit.builtin.figure_reports import heading
from campaignkit.builtin.reports import _table, _text

if TYPE_CHECKING:
    from campaignkit import Report, Scores, UnitScore


def render_circular(report: Report) -> str:
    """The circular in the campaign's language, as Markdown-ish text."""
    scores = assess(report)
    with writing(language_of(report.campaign)):
        return "\n".join(_circular(report, scores)) + "\n"


def _circular(report: Report, scores: Scores) -> Iterator[str]:
    info = report.campaign.campaign
    said = facts(report, scores)
    yield "# " + _text(_("Circular on the assessment of {title}").format(title=info.title))
    yield ""
    yield _("To every unit concerned:")
    yield ""
    opening = _("{title} has been assessed. The hand-ins and the assessment are as follows.")
    yield _text(opening.format(title=info.title))
    yield ""
    yield "## " + _("1. The facts")
    yield ""
    yield _(
        "{units} assessed on {requirements}, {owed} owed: {on_time} on time, {late} late, "
        "{rejected} rejected or returned, {missing} missing. On time: {on_time_rate}; "
        "handed in: {handed_in_rate}."
    ).format(
        units=ngettext("{count} unit", "{count} units", said.units).format(count=said.units),
        requirements=ngettext(
            "{count} requirement", "{count} requirements", said.requirements
        ).format(count=said.requirements),
        owed=ngettext("{count} hand-in", "{count} hand-ins", said.owed).format(count=said.owed),
        on_time=said.on_time,
        late=said.late,
        rejected=said.rejected,
        missing=said.missing,
        on_time_rate=f"{said.on_time_rate:.1%}",
        handed_in_rate=f"{said.handed_in_rate:.1%}",
    )
    yield ""
    yield from _table(
        [_("Requirement"), _("Owed"), _("On time"), _("Late"), _("Rejected"), _("Missing")],
        [
            [
                status.requirement.name,
                sum(status.count(s) for s in STANDINGS if s != "pending"),
                status.count("on_time"),
                status.count("late"),
                status.count("rejected") + status.count("returned"),
                status.count("missing"),
            ]
            for status in report.requirements
            if series_id(status.requirement.id) in _assessed(scores)
        ],
    )
    praised = commended(scores)
    yield "## " + _("2. Commended")
    yield ""
    if praised:
        yield _("These units scored best in the assessment; they are commended:")
        yield ""
        yield from ("- " + _text(_named(unit)) for unit in praised)
    else:
        yield _("No unit is commended.")
    yield ""
    blamed = criticised(scores)
    yield "## " + _("3. Criticised")
    yield ""
    if blamed:
        yield _("These units are criticised:")
        yield ""
        for unit in blamed:
            if unit.missed:
                names = listed(score.name for score in unit.missed)
                why = _("nothing handed in for {requirements}").format(requirements=names)
            else:
                why = _("among the lowest scores")
                reasons = sorted({d.reason for s in unit.requirements for d in s.deductions})
                if reasons:
                    why += _(" ({reasons})").format(reasons=_("; ").join(reasons))
            yield "- " + _text(_("{unit}: {why}").format(unit=_named(unit), why=why))
        yield ""
        yield _(
            "The units criticised are to find the causes, put them right within a set time, "
            "and report in writing how they did."
        )
    else:
        yield _("No unit is criticised.")
    yield ""
    yield "## " + _("4. The figures")
    yield ""
    yield from figures_lines(report)
    yield ""
    issuer = report.campaign.units.get(info.issued_by or "")
    if issuer is not None:
        yield _text(issuer.name)
    if report.as_of is not None:
        yield local_time(report.as_of, info.timezone, "%Y-%m-%d")


def _assessed(scores: Scores) -> set[str]:
    return {series_id(s.requirement) for unit in scores.units for s in unit.requirements}


def _named(unit: UnitScore) -> str:
    return _("{name} ({total} points)").format(name=unit.name, total=rounded(unit.total))


def figures_lines(report: Report) -> list[str]:
    """The figures handed in, for the whole campaign: a table per figures deliverable, a
    row per requirement (per occurrence, for a recurring one); a line saying there are
    none when the campaign asks for none."""
    if not report.figures:
        return [_("This campaign asked for no figures.")]
    names = {req.id: req.name for req in report.campaign.requirements.values()}
    tables: dict[tuple[str, str], list[FigureRollup]] = {}
    for rollup in report.figures:
        key = (series_id(rollup.requirement), rollup.deliverable.id)
        tables.setdefault(key, []).append(rollup)
    out: list[str] = []
    for rollups in tables.values():
        fields = rollups[0].fields
        out += [f"**{_text(rollups[0].deliverable.label)}**", ""]
        out += _table(
            [_("Requirement"), _("Units counted"), *(heading(item) for item in fields)],
            [
                [
                    names.get(rollup.requirement, rollup.requirement),
                    rollup.total.units,
                    *(figure_text(rollup.total.value(item.id)) for item in fields),
                ]
                for rollup in rollups
            ],
        )
    return out
