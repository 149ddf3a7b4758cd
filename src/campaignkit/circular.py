"""What a circular (通报) states, from the assessment: the facts of the hand-ins, the units
it commends and those it criticises, and the figures handed in — as words, in blocks
(`circular_blocks`) that each document format lays out its own way: Markdown for
``report --format circular``, the official layout of a Word document for ``docx``."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable, Iterator, Sequence
from typing import Literal

import attrs

from .assessment import Scores, UnitScore, assess, assessed_points, rounded
from .figure_rollup import FigureRollup
from .figures import figure_heading, figure_text
from .i18n import _, ngettext, writing
from .model import language_of, series_id
from .problems import listed
from .report import STANDINGS, Report

BlockKind = Literal[
    "title", "salutation", "paragraph", "heading", "caption", "item", "table", "signature", "date"
]


@attrs.frozen
class Block:
    """One piece of a document's text: a title, a paragraph, a numbered heading, a table's
    caption, an item of a list, a table (`rows`, the first its header), the issuer's name
    and the date at the end."""

    kind: BlockKind
    text: str = ""
    rows: tuple[tuple[str, ...], ...] = ()


@attrs.frozen
class Facts:
    """What the circular states first: how many hand-ins were owed, and how they came."""

    units: int
    """Units assessed."""
    requirements: int
    """Requirements (occurrences each) that have fallen due."""
    owed: int
    """Hand-ins owed: one per assignee of a requirement fallen due, the exempt left out."""
    on_time: int
    late: int
    rejected: int
    """Still rejected, or returned for changes, at the close."""
    missing: int

    @property
    def on_time_rate(self) -> float:
        return self.on_time / self.owed if self.owed else 1.0

    @property
    def handed_in_rate(self) -> float:
        return (self.on_time + self.late) / self.owed if self.owed else 1.0


def facts(report: Report, scores: Scores) -> Facts:
    """The counts over every assessed requirement the report shows fallen due."""
    counts = dict.fromkeys(("on_time", "late", "rejected", "returned", "missing"), 0)
    fallen = 0
    worth = assessed_points(report.campaign, scores.settings)
    for status in report.requirements:
        if series_id(status.requirement.id) not in worth:
            continue
        rows = [r for r in status.rows if r.standing in counts]
        fallen += bool(rows)
        for row in rows:
            counts[row.standing] += 1
    return Facts(
        units=len(scores.units),
        requirements=fallen,
        owed=sum(counts.values()),
        on_time=counts["on_time"],
        late=counts["late"],
        rejected=counts["rejected"] + counts["returned"],
        missing=counts["missing"],
    )


def commended(scores: Scores, count: int | None = None) -> list[UnitScore]:
    """The units a circular commends: every one with full marks, or, when fewer than
    `count` (``commend``) have them, the best `count` by total, ties at the last place
    included. Never a unit that handed nothing in for a requirement, nor one with 0."""
    count = scores.settings.commend if count is None else count
    eligible = [u for u in scores.units if not u.missed and u.total > 0]
    full = [u for u in eligible if u.total >= scores.scale]
    if count <= 0 or len(full) >= count:
        return full
    return _best(eligible, count, lambda u: -u.total)


def criticised(scores: Scores, count: int | None = None) -> list[UnitScore]:
    """The units a circular criticises: every one that handed nothing in for a requirement,
    and besides them the lowest `count` (``criticise``) by total below full marks, ties
    included; never one it commends. In the order of `Scores.units`."""
    count = scores.settings.criticise if count is None else count
    praised = {u.unit for u in commended(scores)}
    others = [u for u in scores.units if u.unit not in praised and u.total < scores.scale]
    rest = [u for u in others if not u.missed]
    lowest = {u.unit for u in _best(rest, count, lambda u: u.total)} if count > 0 else set()
    return [u for u in others if u.missed or u.unit in lowest]


def _best(
    units: Sequence[UnitScore], count: int, key: Callable[[UnitScore], float]
) -> list[UnitScore]:
    """The first `count` of `units` by `key`, and those tied with the last of them."""
    ordered = sorted(units, key=key)
    if len(ordered) <= count:
        return ordered
    last = key(ordered[count - 1])
    return [u for u in ordered if key(u) <= last]


def circular_blocks(report: Report) -> list[Block]:
    """The circular of `report`'s campaign, in the campaign's language: its title, the
    facts, the units commended and criticised, the figures. Raises `ReportRefused` for a
    campaign without ``[assessment]``."""
    scores = assess(report)
    with writing(language_of(report.campaign)):
        return list(_blocks(report, scores))


def _blocks(report: Report, scores: Scores) -> Iterator[Block]:
    info = report.campaign.campaign
    said = facts(report, scores)
    title = _("Circular on the assessment of {title}").format(title=info.title)
    yield Block("title", title)
    yield Block("salutation", _("To every unit concerned:"))
    opening = _("{title} has been assessed. The hand-ins and the assessment are as follows.")
    yield Block("paragraph", opening.format(title=info.title))
    yield Block("heading", _("1. The facts"))
    yield Block("paragraph", _facts(said))
    assessed = {series_id(s.requirement) for unit in scores.units for s in unit.requirements}
    header = (_("Requirement"), _("Owed"), _("On time"), _("Late"), _("Rejected"), _("Missing"))
    rows = [
        (
            status.requirement.name,
            str(sum(status.count(s) for s in STANDINGS if s not in ("pending", "exempt"))),
            str(status.count("on_time")),
            str(status.count("late")),
            str(status.count("rejected") + status.count("returned")),
            str(status.count("missing")),
        )
        for status in report.requirements
        if series_id(status.requirement.id) in assessed
    ]
    yield Block("table", rows=(header, *rows))
    yield Block("heading", _("2. Commended"))
    praised = commended(scores)
    if praised:
        yield Block(
            "paragraph", _("These units scored best in the assessment; they are commended:")
        )
        yield from (Block("item", _named(unit)) for unit in praised)
    else:
        yield Block("paragraph", _("No unit is commended."))
    yield Block("heading", _("3. Criticised"))
    yield from _criticised(criticised(scores))
    yield Block("heading", _("4. The figures"))
    yield from _figures(report)
    issuer = report.campaign.units.get(info.issued_by or "")
    if issuer is not None:
        yield Block("signature", issuer.name)
    if report.as_of is not None:  # the day on the campaign's calendar, ISO: each format words it
        day = report.as_of.astimezone(zoneinfo.ZoneInfo(info.timezone)).date()
        yield Block("date", day.isoformat())


def _facts(said: Facts) -> str:
    return _(
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


def _criticised(blamed: list[UnitScore]) -> Iterator[Block]:
    if not blamed:
        yield Block("paragraph", _("No unit is criticised."))
        return
    yield Block("paragraph", _("These units are criticised:"))
    for unit in blamed:
        if unit.missed:
            names = listed(score.name for score in unit.missed)
            why = _("nothing handed in for {requirements}").format(requirements=names)
        else:
            why = _("among the lowest scores")
            reasons = sorted({d.reason for s in unit.requirements for d in s.deductions})
            if reasons:
                why += _(" ({reasons})").format(reasons=_("; ").join(reasons))
        yield Block("item", _("{unit}: {why}").format(unit=_named(unit), why=why))
    yield Block(
        "paragraph",
        _(
            "The units criticised are to find the causes, put them right within a set time, "
            "and report in writing how they did."
        ),
    )


def _named(unit: UnitScore) -> str:
    return _("{name} ({total} points)").format(name=unit.name, total=rounded(unit.total))


def _figures(report: Report) -> Iterator[Block]:
    """The figures handed in, for the whole campaign: a table per figures deliverable, a
    row per requirement (per occurrence, for a recurring one)."""
    if not report.figures:
        yield Block("paragraph", _("This campaign asked for no figures."))
        return
    names = {req.id: req.name for req in report.campaign.requirements.values()}
    tables: dict[tuple[str, str], list[FigureRollup]] = {}
    for rollup in report.figures:
        tables.setdefault((series_id(rollup.requirement), rollup.deliverable.id), []).append(rollup)
    for rollups in tables.values():
        fields = rollups[0].fields
        yield Block("caption", rollups[0].deliverable.label)
        header = (_("Requirement"), _("Units counted"), *(figure_heading(f) for f in fields))
        rows = [
            (
                names.get(rollup.requirement, rollup.requirement),
                str(rollup.total.units),
                *(figure_text(rollup.total.value(item.id)) for item in fields),
            )
            for rollup in rollups
        ]
        yield Block("table", rows=(header, *rows))
