"""The Markdown report with ``--depth N``: a national campaign read by its first N levels.

Each requirement's table lists the units of the first N levels below the issuer (the
branch tree's, `campaignkit.branch_tree`), those of level N with the counts of what lies
below them; the roll-up is by branch, each with its whole subtree counted; and the units
that are late, had their hand-in rejected or returned, or handed nothing in are listed
all, grouped by their branch of level N. The notifications are those about the units
shown (and about no unit of the tree); how many others were left out is said.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from campaignkit import (
    STANDINGS,
    branch_tree,
    delivery_labels,
    kind_labels,
    language_of,
    ngettext,
    standing_labels,
)
from campaignkit import gettext as _
from campaignkit.builtin.figure_reports import markdown_figures

if TYPE_CHECKING:
    from campaignkit import AssigneeStatus, Branch, BranchTree, Notification, Report

Table = Callable[[list[str], Iterable[list[object]]], Iterable[str]]
"""Writes a Markdown table from a header and rows."""
Text = Callable[[object], str]
"""Inline Markdown text, every special character escaped."""
Words = Callable[["AssigneeStatus"], str]
"""A unit's standing in words, with its moved deadline if any."""

CHASED = ("late", "rejected", "returned", "missing")
"""The standings the lists by branch give in full: what an office chases."""


def markdown_by_branch(report: Report, table: Table, text: Text, words: Words) -> list[str]:
    """The report's sections after its activities, for `report.depth` levels: the
    requirements, the roll-up by branch, the chased units by branch, the figures and the
    notifications. `table` writes a table, `text` escapes inline text, `words` says a
    unit's standing."""
    depth = report.depth or 1
    tree = branch_tree(report)
    names = standing_labels(report.campaign)
    shown = list(tree.down(None, depth))
    out = _requirements(report, tree, shown, depth, table, text, words)
    out += _rollup(tree, shown, table, names)
    out += _chased(report, tree, depth, table, text, words)
    out += markdown_figures(report, table)
    out += ["## " + _("Notifications"), ""]
    within = {branch.unit for branch in shown}
    notes = [n for n in report.notifications if _about(n, tree) in within | {None}]
    left = len(report.notifications) - len(notes)
    if left:
        said = ngettext(
            "{count} notice about units below level {depth} is not listed here; the report"
            " without --depth lists every notice.",
            "{count} notices about units below level {depth} are not listed here; the report"
            " without --depth lists every notice.",
            left,
        )
        out += [text(said.format(count=left, depth=depth)), ""]
    out += notification_table(report, notes, table)
    return out


def _requirements(
    report: Report,
    tree: BranchTree,
    shown: list[Branch],
    depth: int,
    table: Table,
    text: Text,
    words: Words,
) -> list[str]:
    """A table per requirement: each unit shown that owes it or has units below that do,
    and for those of the last level shown, what lies below them, counted."""
    names = standing_labels(report.campaign)
    comma = _(", ")
    headings = [column.heading(language_of(report.campaign)) for column in report.columns]
    out = ["## " + _("Requirements"), ""]
    for place, req in enumerate(report.requirements):
        counts = comma.join(f"{names[s]} {req.count(s)}" for s in STANDINGS if req.count(s))
        due = _("Due {at}. {counts}").format(at=f"{req.due_at:%Y-%m-%d %H:%M %z}", counts=counts)
        out += [f"### {text(req.requirement.name)}", "", text(due.strip()), ""]
        rows = {row.unit: row for row in req.rows}
        lines: list[list[object]] = []
        for branch in shown:
            row = rows.get(branch.unit)
            below = list(branch.requirements[place])
            if row is not None:
                below[STANDINGS.index(row.standing)] -= 1
            if row is None and not any(below):
                continue  # neither it nor any unit below it owes this requirement
            said = ""
            if branch.level == depth:  # what lies below is not shown: counted
                said = comma.join(
                    f"{names[s]} {n}" for s, n in zip(STANDINGS, below, strict=True) if n
                )
            lines.append(
                [
                    "\u3000" * (branch.level - 1) + branch.name,
                    words(row) if row is not None else "—",
                    row.submitted_at.strftime("%Y-%m-%d %H:%M") if row and row.submitted_at else "",
                    _("; ").join(row.reasons) if row is not None else "",
                    *((row.column(c.name) if row is not None else "") for c in report.columns),
                    said,
                ]
            )
        out += table(
            [_("Unit"), _("Status"), _("Submitted"), _("Reasons"), *headings, _("Below")], lines
        )
    return out


def notification_table(
    report: Report, notes: Iterable[Notification], table: Table
) -> Iterable[str]:
    """The notifications' table, with or without ``--depth``, each row made as it is taken."""
    units = report.campaign.units
    kinds = kind_labels(report.campaign)
    delivery = delivery_labels(report.campaign)

    def unit_name(unit: str | None) -> str:
        record = units.get(unit or "")
        return record.name if record is not None else (unit or "")

    return table(
        [_("When"), _("Notice"), _("To"), _("About"), _("Text"), _("Delivery")],
        (
            [
                f"{n.at:%Y-%m-%d %H:%M}",
                kinds.get(n.kind, n.kind),
                unit_name(n.to),
                unit_name(n.about),
                n.text,
                delivery.get(report.states.get(n.key, ""), ""),
            ]
            for n in notes
        ),
    )


def _about(note: Notification, tree: BranchTree) -> str | None:
    """The unit of the tree a notice is about (or goes to); None for none."""
    subject = note.about or note.to
    return subject if subject in tree else None


def _rollup(
    tree: BranchTree, shown: list[Branch], table: Table, names: dict[str, str]
) -> list[str]:
    # The exempt are shown only when there are some: most campaigns exempt no one.
    standings = [s for s in STANDINGS if s != "exempt" or tree.count(s)]
    out = ["## " + _("Roll-up by branch"), ""]
    out += table(
        [_("Unit"), _("Units below"), *[names[s] for s in standings]],
        [
            ["\u3000" * (b.level - 1) + b.name, b.below, *[b.count(s) for s in standings]]
            for b in shown
        ],
    )
    return out


def _chased(
    report: Report, tree: BranchTree, depth: int, table: Table, text: Text, words: Words
) -> list[str]:
    """Every unit late, rejected, returned or missing on some requirement, by its branch of
    level `depth` (a unit of that level or above: its own), the branches in tree order."""
    groups: dict[str, list[tuple[str, AssigneeStatus]]] = {}
    for req in report.requirements:
        for row in req.rows:
            if row.standing in CHASED:
                groups.setdefault(tree.at(row.unit, depth), []).append((req.requirement.name, row))
    out = ["## " + _("Late, rejected, returned and missing units by branch"), ""]
    if not groups:
        return [*out, _("none"), ""]
    order = {unit: place for place, unit in enumerate(report.campaign.units)}
    for branch in tree.down(None, depth):
        found = groups.get(branch.unit)
        if not found:
            continue
        path = _(" › ").join([*(tree[up].name for up in branch.path), branch.name])
        out += [f"### {text(path)}", ""]
        found.sort(key=lambda pair: order[pair[1].unit])  # stable: requirements in order
        out += table(
            [_("Unit"), _("Requirement"), _("Status"), _("Submitted"), _("Reasons")],
            [
                [
                    row.name,
                    requirement,
                    words(row),
                    row.submitted_at.strftime("%Y-%m-%d %H:%M") if row.submitted_at else "",
                    _("; ").join(row.reasons),
                ]
                for requirement, row in found
            ],
        )
    return out
