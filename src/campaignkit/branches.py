"""The branch tree of a report: each unit with everything below it counted, so that a
national campaign is read level by level — provinces first, then one province's cities,
then one city's counties.

A *branch* is an assignee, or a unit with assignees below it, and everything below it. The
tree's top is the campaign itself; its first level is the highest units that hand in or
have units handing in below them, under the one unit they all share (the committee whose
office issued the campaign): the provinces of a national campaign, the districts and
departments of a city's. Each branch is counted by standing over every requirement, the
rows of its own unit and of every unit below it, so that the counts of a level add up to
the campaign's totals.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from operator import add

import attrs

from .report import STANDINGS, Report
from .status import Standing

Counts = tuple[int, ...]
"""How many rows stand so, one number per standing in the order of `STANDINGS`."""

_PLACE = {standing: place for place, standing in enumerate(STANDINGS)}


def count_of(counts: Counts, standing: Standing) -> int:
    """The number of rows of `counts` that stand as `standing`."""
    return counts[_PLACE[standing]]


@attrs.frozen
class Branch:
    """One unit and everything below it, counted."""

    unit: str
    name: str
    level: int
    """1 for the first level below the campaign, 2 for the level below that…"""
    path: tuple[str, ...]
    """The units of the branches above it, from the first level down to its parent: its
    breadcrumb."""
    children: tuple[str, ...]
    """The units of the branches right below it, in the order of the campaign file."""
    units: int
    """How many assignee units the branch holds, its own unit included if it is one."""
    assignee: bool
    """Whether its own unit is an assignee of some requirement of the report."""
    counts: Counts
    """The branch's rows over every requirement, by standing (`count`)."""
    requirements: tuple[Counts, ...]
    """The branch's rows of each requirement, by standing, in the order of
    `Report.requirements`."""

    def count(self, standing: Standing) -> int:
        """The rows of the whole branch, over every requirement, that stand as `standing`."""
        return count_of(self.counts, standing)

    @property
    def total(self) -> int:
        """Every row of the branch, over every requirement."""
        return sum(self.counts)

    @property
    def below(self) -> int:
        """How many assignee units are below its own unit."""
        return self.units - self.assignee


@attrs.frozen
class BranchTree:
    """Every branch of a report (`branch_tree`), from the top down."""

    top: tuple[str, ...]
    """The units of the first level, in the order of the campaign file."""
    above: tuple[str, ...]
    """The units the whole tree hangs from, from the highest down, none of them an
    assignee: the committee whose office issued the campaign. Not branches."""
    branches: Mapping[str, Branch]
    """Every branch, by its unit's id."""
    counts: Counts
    """Every row of the report, over every requirement, by standing: the sum of the first
    level's counts, and the report's totals."""
    requirements: tuple[Counts, ...]
    """Every row of each requirement, by standing, in the order of `Report.requirements`."""

    def __getitem__(self, unit: str) -> Branch:
        return self.branches[unit]

    def __contains__(self, unit: object) -> bool:
        return unit in self.branches

    def count(self, standing: Standing) -> int:
        """The report's rows over every requirement that stand as `standing`."""
        return count_of(self.counts, standing)

    @property
    def levels(self) -> int:
        """How many levels the tree has: 0 for a report without assignees."""
        return max((branch.level for branch in self.branches.values()), default=0)

    def children(self, unit: str | None) -> tuple[str, ...]:
        """The units right below `unit`'s branch, or the first level for None."""
        return self.top if unit is None else self.branches[unit].children

    def down(self, unit: str | None, depth: int) -> Iterator[Branch]:
        """The branches below `unit` (the top for None), `depth` levels deep at most, each
        followed by those below it, as a tree is read."""
        stack = [(child, 1) for child in reversed(self.children(unit))]
        while stack:
            child, level = stack.pop()
            branch = self.branches[child]
            yield branch
            if level < depth:
                stack.extend((below, level + 1) for below in reversed(branch.children))

    def at(self, unit: str, level: int) -> str:
        """The unit of the branch at `level` that holds `unit`; `unit` itself when it is at
        that level or above it."""
        branch = self.branches[unit]
        return branch.path[level - 1] if branch.level > level else unit


def branch_tree(report: Report) -> BranchTree:
    """The branch tree of `report`: its assignees, the units above them, and each unit's
    rows counted with those of every unit below it. Worked out in one pass over the rows
    and one over the units, for a campaign of any size."""
    units = report.campaign.units
    width = len(STANDINGS)
    size = width * len(report.requirements)
    # Each unit's own rows: one flat list, `width` numbers per requirement.
    own: dict[str, list[int]] = {}
    for place, status in enumerate(report.requirements):
        for row in status.rows:
            tallies = own.get(row.unit)
            if tallies is None:
                tallies = own[row.unit] = [0] * size
            tallies[place * width + _PLACE[row.standing]] += 1

    # The assignees and every unit above them; file order throughout.
    kept: set[str] = set()
    for unit in own:
        while unit not in kept and unit in units:
            kept.add(unit)
            unit = units[unit].parent or ""
    children: dict[str, list[str]] = {}
    roots: list[str] = []
    for unit, record in units.items():
        if unit in kept:
            if record.parent in kept:
                children.setdefault(record.parent, []).append(unit)
            else:
                roots.append(unit)

    # The units every assignee shares, none of them an assignee, are above the tree.
    above: list[str] = []
    while len(roots) == 1 and roots[0] not in own:
        above.append(roots[0])
        roots = children.get(roots[0], [])

    # Most units stand alike: one tuple for each way they do keeps a national tree small.
    cache: dict[Counts, Counts] = {}

    def split(flat: Sequence[int]) -> tuple[Counts, ...]:
        return tuple(
            cache.setdefault(made, made)
            for made in (tuple(flat[at : at + width]) for at in range(0, size, width))
        )

    sums: dict[str, list[int]] = {}
    branches: dict[str, Branch] = {}
    # Depth first, each branch made once those below it are: no recursion, any depth.
    stack: list[tuple[str, tuple[str, ...], bool]] = [(root, (), False) for root in reversed(roots)]
    while stack:
        unit, path, ready = stack.pop()
        below = children.get(unit, ())
        if not ready:
            stack.append((unit, path, True))
            stack.extend((child, (*path, unit), False) for child in reversed(below))
            continue
        mine = own.get(unit)
        flat = mine if mine is not None else [0] * size
        count = int(mine is not None)
        for child in below:
            count += branches[child].units
            flat = list(map(add, flat, sums.pop(child)))
        sums[unit] = flat
        per_requirement = split(flat)
        total = tuple(map(sum, zip(*per_requirement, strict=True))) or (0,) * width
        branches[unit] = Branch(
            unit,
            units[unit].name,
            len(path) + 1,
            path,
            tuple(below),
            count,
            mine is not None,
            cache.setdefault(total, total),
            per_requirement,
        )
    flat = [0] * size
    for root in roots:
        flat = list(map(add, flat, sums[root]))
    per_requirement = split(flat)
    total = tuple(map(sum, zip(*per_requirement, strict=True))) or (0,) * width
    # In file order: the walk made each branch after those below it.
    ordered = {unit: branches[unit] for unit in units if unit in branches}
    return BranchTree(tuple(roots), tuple(above), ordered, total, per_requirement)
