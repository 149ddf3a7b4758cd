"""The national view: a large campaign read level by level — the provinces, then one
province's cities, then one city's counties — computed in plain Python.

A view shows the campaign's or one branch's own figures, a row for each branch below it
(`Report.depth` levels deep, the first by default) with the counts of its whole subtree and
a bar, the compliance grid of the units it lists, and the notices about them. `Reading`
works out what every view shares once — the branch tree, each unit's rows, the notices by
the unit they are about — so that a folder of thousands of pages costs one pass each.
Nothing here imports Jinja2.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from zoneinfo import ZoneInfo

import attrs

from campaignkit import (
    STANDINGS,
    AssigneeStatus,
    Branch,
    Report,
    branch_tree,
    language_of,
    translator,
)

from .figures_view import FigureTable, figure_tables
from .gantt import Gantt, build_gantt
from .view import (
    Column,
    Fact,
    GridRow,
    NoteRow,
    Segment,
    bar,
    due_text,
    grid_row,
    labels_for,
    note_rows,
    page_facts,
)

_ = translator("campaignkit_html", Path(__file__).parent / "locale")

SINGLE_PAGE_UNITS = 500
"""Up to this many assignee units, and without ``--depth``, a campaign's report is today's
single page with a row per unit; above it, the national view."""

INDEX = "index.html"
"""The top page's name in a folder; each branch's page is ``units/ID.html``."""
UNITS = "units"


def assignee_units(report: Report) -> int:
    """How many units of the report are assignees of some requirement."""
    return len({row.unit for status in report.requirements for row in status.rows})


def is_national(report: Report) -> bool:
    """Whether a single page of `report` is the national view: asked for with
    ``--depth``, or a campaign above `SINGLE_PAGE_UNITS`."""
    return report.depth is not None or assignee_units(report) > SINGLE_PAGE_UNITS


@attrs.frozen
class Crumb:
    name: str
    href: str
    """Where it leads, relative to the page; empty for the page itself."""


@attrs.frozen
class Tally:
    """A row's counts, one per standing shown, their total and the bar of their shares."""

    counts: tuple[int, ...]
    total: int
    segments: tuple[Segment, ...]


@attrs.frozen
class BranchRow:
    unit: str
    name: str
    indent: int
    """0 for the level right below the view's own, 1 for the next…"""
    href: str
    """Its own page, relative to this one; empty when it has none."""
    below: int
    """How many assignee units are below its own."""
    tally: Tally


@attrs.frozen
class RequirementRow:
    id: str
    name: str
    due: str
    tally: Tally


@attrs.frozen
class NationalView:
    lang: str
    labels: Mapping[str, str]
    title: str
    heading: str
    """The branch's name; empty on the top page."""
    crumbs: tuple[Crumb, ...]
    """The way back up, from the top; empty on the top page."""
    facts: tuple[Fact, ...]
    standings: tuple[tuple[str, str], ...]
    totals: tuple[tuple[str, str, int], ...]
    """The branch's own figures (the campaign's on the top page), by standing."""
    gantt: Gantt | None
    requirements: tuple[RequirementRow, ...]
    branches: tuple[BranchRow, ...]
    columns: tuple[Column, ...]
    grid: tuple[GridRow, ...]
    figures: tuple[FigureTable, ...]
    notifications: tuple[NoteRow, ...]
    notifications_heading: str
    elsewhere: str
    """Said when the notices about some units listed are on those units' pages."""


class Reading:
    """What every view of one report shares, worked out once."""

    def __init__(self, report: Report, folder: bool) -> None:
        c = report.campaign
        self.report = report
        self.folder = folder
        self.depth = report.depth or 1
        self.tree = branch_tree(report)
        self.labels = labels_for(c)
        self.tz = ZoneInfo(c.campaign.timezone)
        self.lang = c.campaign.language or "en"
        exempt = self.tree.count("exempt") > 0
        # The exempt are shown only when there are some: most campaigns exempt no one.
        self.shown = tuple(s for s in STANDINGS if s != "exempt" or exempt)
        self.headings = [column.heading(language_of(c)) for column in report.columns]
        self.rows: dict[str, dict[str, AssigneeStatus]] = {}
        for status in report.requirements:
            for row in status.rows:
                self.rows.setdefault(row.unit, {})[status.requirement.id] = row
        # Each notice under the unit it is about (or goes to): a page shows its units' own.
        self.notes: dict[str | None, list[int]] = {}
        for place, note in enumerate(report.notifications):
            subject = note.about or note.to
            self.notes.setdefault(subject if subject in self.tree else None, []).append(place)
        self.columns = tuple(
            Column(r.requirement.id, r.requirement.name, due_text(r, self.tz), ())
            for r in report.requirements
        )

    def has_page(self, unit: str) -> bool:
        """Whether `unit` has a page of its own: in a folder, a branch with branches below."""
        return self.folder and bool(self.tree[unit].children)

    def href(self, here: str | None, there: str | None) -> str:
        """The relative name of `there`'s page (None: the top page) from `here`'s."""
        if there is None:
            return INDEX if here is None else f"../{INDEX}"
        return f"{UNITS}/{there}.html" if here is None else f"{there}.html"

    def tally(self, counts: tuple[int, ...]) -> Tally:
        shown = tuple(counts[STANDINGS.index(s)] for s in self.shown)
        total, segments = bar(self.shown, shown, self.labels)
        return Tally(shown, total, segments)


def national_view(reading: Reading, unit: str | None) -> NationalView:
    """The view of `unit`'s branch (None: the campaign), in the language being written."""
    report, tree, labels = reading.report, reading.tree, reading.labels
    branch: Branch | None = tree[unit] if unit is not None else None
    counts = branch.counts if branch is not None else tree.counts
    per_requirement = branch.requirements if branch is not None else tree.requirements
    listed = list(tree.down(unit, reading.depth))
    base = branch.level if branch is not None else 0
    rows = tuple(
        BranchRow(
            b.unit,
            b.name,
            b.level - base - 1,
            reading.href(unit, b.unit) if reading.has_page(b.unit) else "",
            b.below,
            reading.tally(b.counts),
        )
        for b in listed
    )
    requirements = tuple(
        RequirementRow(
            status.requirement.id,
            status.requirement.name,
            due_text(status, reading.tz),
            reading.tally(tally),
        )
        for status, tally in zip(report.requirements, per_requirement, strict=True)
    )
    # The grid: the branch's own unit, then each unit listed, that hands something in.
    gridded = [b.unit for b in ([branch] if branch is not None else []) + listed if b.assignee]
    grid = tuple(
        grid_row(report, u, reading.rows[u], labels, reading.tz, reading.headings) for u in gridded
    )
    # The notices about the units shown; those about a unit with a page are on it.
    subjects: list[str | None] = [unit]  # None: those about no unit of the tree
    subjects += [b.unit for b in listed if not reading.has_page(b.unit)]
    places = sorted(place for s in subjects for place in reading.notes.get(s, ()))
    notes = note_rows(report, (report.notifications[p] for p in places), reading.tz)
    elsewhere = ""
    if any(reading.has_page(b.unit) for b in listed):
        elsewhere = _("The notices about a unit with a page of its own are on its page.")
    crumbs: tuple[Crumb, ...] = ()
    if branch is not None:
        crumbs = (
            Crumb(_("Whole campaign"), reading.href(unit, None)),
            *(Crumb(tree[up].name, reading.href(unit, up)) for up in branch.path),
            Crumb(branch.name, ""),
        )
    parents = {*gridded, *(b.unit for b in listed)} | (set(tree.above) if unit is None else set())
    return NationalView(
        lang=reading.lang,
        labels=labels,
        title=report.campaign.campaign.title,
        heading=branch.name if branch is not None else "",
        crumbs=crumbs,
        facts=tuple(page_facts(report, labels, reading.tz)),
        standings=tuple((s, labels[s]) for s in reading.shown),
        totals=tuple(
            (s, labels[s], n)
            for s, n in zip(reading.shown, reading.tally(counts).counts, strict=True)
        ),
        gantt=build_gantt(report, labels, reading.tz) if branch is None else None,
        requirements=requirements,
        branches=rows,
        columns=reading.columns,
        grid=grid,
        figures=figure_tables(report, parents, whole=branch is None),
        notifications=notes,
        notifications_heading=_("Notifications ({count})").format(count=len(notes)),
        elsewhere=elsewhere,
    )


def paged(reading: Reading) -> Iterator[str | None]:
    """The units whose views make a folder's pages, the top (None) first, then each
    branch with branches below it, in the order of the campaign file."""
    yield None
    yield from (unit for unit, branch in reading.tree.branches.items() if branch.children)


def page_name(unit: str | None) -> str:
    """The page's name inside the folder."""
    return INDEX if unit is None else f"{UNITS}/{unit}.html"
