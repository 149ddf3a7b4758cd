"""The branch tree (`campaignkit.branch_tree`): each unit with everything below it counted.

A hypothesis strategy draws a committee, the office that issues the campaign, and a random
forest of units below the committee, each of one of two kinds; requirements go to one kind
or both. The rehearsal's report is counted twice: by the tree, and here from its rows alone.
"""

from __future__ import annotations

import functools
from collections import Counter

from conftest import MINIMAL, SHENZHEN
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from campaignkit import (
    STANDINGS,
    PluginHost,
    Report,
    branch_tree,
    load_campaign,
    load_plugins,
    loads_campaign,
    rehearsal_report,
)

PROPERTY = settings(
    deadline=None,
    derandomize=True,  # the same examples on every run
    max_examples=30,
    suppress_health_check=[HealthCheck.too_slow],
)


@functools.cache
def host() -> PluginHost:
    return load_plugins()


def rehearsed(text: str, compliance: float = 0.6, seed: int = 1) -> Report:
    loaded = loads_campaign(text, host=host())
    assert not [p for p in loaded.problems if p.severity == "error"], loaded.problems
    return rehearsal_report(loaded.campaign, host(), compliance=compliance, seed=seed)


def campaign_text(parents: list[int], kinds: list[int], requirements: list[int]) -> str:
    """Unit `u{i}` below `u{parents[i]}` when that is an earlier unit, else the committee;
    requirement `r{j}` to kind a (0), kind b (1) or both (2)."""
    lines = [
        MINIMAL.split("[units.office]")[0],
        '[units.committee]\nname = "Committee"\nkind = "committee"\n',
        '[units.office]\nname = "Office"\nkind = "office"\nparent = "committee"\n',
    ]
    for i, (parent, kind) in enumerate(zip(parents, kinds, strict=True)):
        above = f"u{parent}" if parent < i else "committee"
        kind_name = "ab"[kind]
        lines.append(f'[units.u{i}]\nname = "Unit {i}"\nkind = "{kind_name}"\nparent = "{above}"\n')
    lines.append('[groups]\na = { kinds = ["a"] }\nb = { kinds = ["b"] }\n')
    for j, to in enumerate(requirements):
        assignees = (['"a"'], ['"b"'], ['"a"', '"b"'])[to]
        lines.append(
            f'[requirements.r{j}]\nname = "Requirement {j}"\n'
            f"assignees = [{', '.join(assignees)}]\ndue = 2020-06-{10 + j}\n"
        )
    return "\n".join(lines)


@st.composite
def campaigns(draw: st.DrawFn) -> tuple[str, int]:
    size = draw(st.integers(1, 25))
    parents = [draw(st.integers(0, 2 * i + 1)) for i in range(size)]
    kinds = draw(st.lists(st.integers(0, 1), min_size=size, max_size=size))
    requirements = draw(st.lists(st.integers(0, 2), min_size=1, max_size=3))
    return campaign_text(parents, kinds, requirements), draw(st.integers(0, 5))


@PROPERTY
@given(campaigns())
def test_the_counts_add_up_at_every_level(drawn: tuple[str, int]) -> None:
    text, seed = drawn
    report = rehearsed(text, seed=seed)
    tree = branch_tree(report)
    rows = [(place, row) for place, r in enumerate(report.requirements) for row in r.rows]
    assignees = {row.unit for _, row in rows}
    totals = Counter(row.standing for _, row in rows)
    assert tree.counts == tuple(totals[s] for s in STANDINGS)

    # Every level, with the own rows of the units above it, adds up to the report's totals.
    def own(unit: str) -> list[int]:
        branch = tree[unit]
        return [
            n - sum(tree[c].counts[i] for c in branch.children) for i, n in enumerate(branch.counts)
        ]

    for level in range(1, tree.levels + 1):
        shown = list(tree.down(None, level))
        added = [b.counts for b in shown if b.level == level]
        added += [tuple(own(b.unit)) for b in shown if b.level < level]
        assert tuple(map(sum, zip(*added, strict=True))) == tree.counts
    for unit, branch in tree.branches.items():
        own = Counter((place, row.standing) for place, row in rows if row.unit == unit)
        for place, counts in enumerate(branch.requirements):
            below = [tree[child].requirements[place] for child in branch.children]
            assert counts == tuple(
                own[(place, s)] + sum(c[i] for c in below) for i, s in enumerate(STANDINGS)
            )
        assert branch.counts == tuple(map(sum, zip(*branch.requirements, strict=True)))
        assert branch.units == (unit in assignees) + sum(
            tree[child].units for child in branch.children
        )
        assert branch.level == len(branch.path) + 1
        assert all(tree[child].path == (*branch.path, unit) for child in branch.children)
    assert sum(tree[unit].units for unit in tree.top) == len(assignees)
    # Every assignee is in the tree, and reading it whole meets every branch once.
    assert assignees <= set(tree.branches)
    assert sorted(b.unit for b in tree.down(None, tree.levels)) == sorted(tree.branches)
    # No unit above the tree is an assignee.
    assert not set(tree.above) & assignees


def test_a_national_cascade_starts_at_the_provinces() -> None:
    text = campaign_text(
        parents=[99, 99, 0, 0, 1, 2, 2],  # u0, u1 below the committee; then their own
        kinds=[0, 0, 1, 1, 1, 0, 0],
        requirements=[2],
    )
    tree = branch_tree(rehearsed(text))
    assert tree.above == ("committee",)
    assert tree.top == ("u0", "u1")
    assert tree["u0"].children == ("u2", "u3")
    assert tree["u5"].path == ("u0", "u2")
    assert tree["u0"].units == 5
    assert tree["u0"].below == 4
    assert tree.at("u6", 1) == "u0"
    assert tree.at("u6", 2) == "u2"
    assert tree.at("u0", 2) == "u0"
    assert [b.unit for b in tree.down(None, 2)] == ["u0", "u2", "u3", "u1", "u4"]
    assert [b.unit for b in tree.down("u0", 1)] == ["u2", "u3"]


def test_shenzhen_is_one_level_below_its_committee() -> None:
    campaign = load_campaign(SHENZHEN, host=host()).unwrap()
    report = rehearsal_report(campaign, host(), compliance=0.8, seed=1)
    tree = branch_tree(report)
    assert tree.above == ("sz-safety-committee",)
    assert len(tree.top) == 36
    assert tree.levels == 1
    assert tree["futian"].name == "福田区安全生产委员会"
    assert sum(tree[u].total for u in tree.top) == sum(len(r.rows) for r in report.requirements)


def test_one_units_report_is_that_unit_alone() -> None:
    campaign = load_campaign(SHENZHEN, host=host()).unwrap()
    report = rehearsal_report(campaign, host(), compliance=0.8, seed=1, unit="futian")
    tree = branch_tree(report)
    assert tree.top == ("futian",)
    assert tree["futian"].units == 1
    assert tree["futian"].total == len(report.requirements)
