"""The organisation of a campaign: the unit tree and what groups resolve to."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from .model import Campaign


def find_cycle(edges: Mapping[str, Iterable[str]]) -> list[str] | None:
    """A cycle in a directed graph as a list of nodes (first repeated at the end), or None."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    for root in edges:
        if state.get(root):
            continue
        path: list[str] = []
        stack: list[tuple[str, Iterable[str]]] = [(root, iter(edges.get(root, ())))]
        state[root] = 1
        path.append(root)
        while stack:
            node, children = stack[-1]
            for child in children:
                if state.get(child) == 1:
                    return [*path[path.index(child) :], child]
                if child in edges and not state.get(child):
                    state[child] = 1
                    path.append(child)
                    stack.append((child, iter(edges.get(child, ()))))
                    break
            else:
                stack.pop()
                path.pop()
                state[node] = 2
    return None


def units_by_kind(campaign: Campaign) -> dict[str, list[str]]:
    by_kind: dict[str, list[str]] = {}
    for unit in campaign.units.values():
        by_kind.setdefault(unit.kind, []).append(unit.id)
    return by_kind


def resolve_groups(campaign: Campaign) -> dict[str, tuple[str, ...]]:
    """Every group's member units, in file order of the units.

    Unknown names and cycles are left for the checks to report: an unknown unit is skipped
    and a group in a cycle gets the members reachable without going round it again.
    """
    by_kind = units_by_kind(campaign)
    order = {unit_id: index for index, unit_id in enumerate(campaign.units)}
    resolved: dict[str, tuple[str, ...]] = {}

    def resolve(group_id: str, visiting: frozenset[str]) -> set[str]:
        if group_id in resolved:
            return set(resolved[group_id])
        group = campaign.groups.get(group_id)
        if group is None or group_id in visiting:
            return set()
        members = {u for u in group.units if u in campaign.units}
        for kind in group.kinds:
            members.update(by_kind.get(kind, ()))
        for sub in group.groups:
            members |= resolve(sub, visiting | {group_id})
        return members

    for group_id in campaign.groups:
        resolved[group_id] = tuple(sorted(resolve(group_id, frozenset()), key=order.__getitem__))
    return resolved


def expand(
    campaign: Campaign, names: Iterable[str], groups: Mapping[str, tuple[str, ...]] | None = None
) -> tuple[str, ...]:
    """Unit ids named by a list of unit and group ids, each once, in file order."""
    groups = resolve_groups(campaign) if groups is None else groups
    seen: dict[str, None] = {}
    for name in names:
        if name in campaign.units:
            seen[name] = None
        for unit_id in groups.get(name, ()):
            seen[unit_id] = None
    order = {unit_id: index for index, unit_id in enumerate(campaign.units)}
    return tuple(sorted(seen, key=order.__getitem__))


def children(campaign: Campaign) -> dict[str | None, list[str]]:
    """Each unit's direct children; the key None holds the roots."""
    tree: dict[str | None, list[str]] = {}
    for unit in campaign.units.values():
        parent = unit.parent if unit.parent in campaign.units else None
        tree.setdefault(parent, []).append(unit.id)
    return tree
