"""The organisation of a campaign: the unit tree and what groups resolve to."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping

from .i18n import _, ngettext
from .model import Campaign, Escalation, Requirement, Role
from .problems import Problem, listed


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
    """The unit ids of each kind (``district``, ``township``…), in file order."""
    by_kind: dict[str, list[str]] = {}
    for unit in campaign.units.values():
        by_kind.setdefault(unit.kind, []).append(unit.id)
    return by_kind


# The last campaign's groups: checks, the run and the rehearsal of one campaign all ask,
# and for a national one each answer costs passes over 40,000 units. Records are frozen,
# so an answer for the same object stays true.
_last_groups: list[tuple[Campaign, dict[str, tuple[str, ...]]]] = []


def unit_order(campaign: Campaign) -> dict[str, int]:
    """Each unit's position in the file."""
    return {unit_id: index for index, unit_id in enumerate(campaign.units)}


def resolve_groups(campaign: Campaign) -> dict[str, tuple[str, ...]]:
    """Every group's member units, in file order of the units.

    Unknown names and cycles are left for the checks to report: an unknown unit is skipped
    and a group in a cycle gets the members reachable without going round it again.
    """
    if _last_groups and _last_groups[0][0] is campaign:
        return _last_groups[0][1]
    resolved = _resolve_groups(campaign)
    _last_groups[:] = [(campaign, resolved)]
    return resolved


def _resolve_groups(campaign: Campaign) -> dict[str, tuple[str, ...]]:
    by_kind = units_by_kind(campaign)
    order = unit_order(campaign)
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
    names = tuple(names)
    if len(names) == 1 and names[0] not in campaign.units:
        return tuple(groups.get(names[0], ()))  # one group: already in file order
    seen: dict[str, None] = {}
    for name in names:
        if name in campaign.units:
            seen[name] = None
        for unit_id in groups.get(name, ()):
            seen[unit_id] = None
    return tuple(sorted(seen, key=unit_order(campaign).__getitem__))


def children(campaign: Campaign) -> dict[str | None, list[str]]:
    """Each unit's direct children; the key None holds the roots."""
    tree: dict[str | None, list[str]] = {}
    for unit in campaign.units.values():
        parent = unit.parent if unit.parent in campaign.units else None
        tree.setdefault(parent, []).append(unit.id)
    return tree


def chaser(campaign: Campaign, requirement: Requirement) -> str | None:
    """The office that receives a requirement and chases it: `submit_to`, else `issued_by`."""
    return requirement.submit_to or campaign.campaign.issued_by


def escalation_target(campaign: Campaign, requirement: Requirement, unit: str) -> str | None:
    """The unit an escalation about `unit` goes to: one level above the office chasing it.

    That is the unit's parent, unless the parent is the chaser itself (or the unit has
    none): then the requirement's `escalate_to` (a unit, or the unit of a role), else the
    chaser's own parent. Never the chaser, nor the unit itself: None when that leaves
    nobody.
    """
    route = escalation_route(campaign, requirement, unit)
    return route[0] if route is not None else None


def escalation_route(
    campaign: Campaign, requirement: Requirement, unit: str
) -> tuple[str, Role | None] | None:
    """`escalation_target`, with the role the escalation is addressed to when it goes to
    the requirement's `escalate_to` and that names a role."""
    units = campaign.units
    office = chaser(campaign, requirement)
    parent = units[unit].parent if unit in units else None
    role = None
    if parent is not None and parent != office:
        target: str | None = parent
    elif requirement.escalate_to is not None:
        named = requirement.escalate_to
        role = campaign.roles.get(named) if named not in units else None
        target = role.unit if role is not None else named
    else:
        target = units[office].parent if office is not None and office in units else None
    if target is None or target not in units or target in (unit, office):
        return None
    return target, role


def ladder_route(
    campaign: Campaign, requirement: Requirement, unit: str, to: str
) -> tuple[str, Role | None] | None:
    """Who one step of an escalation ladder about `unit` goes to (`Escalation.to`), with the
    role it is addressed to: ``unit`` the unit itself, ``parent`` the level above the office
    chasing it (`escalation_route`), ``issuer-parent`` the level above the issuing unit, or
    the unit or role named. None when that leaves nobody."""
    units = campaign.units
    if to == "unit":
        return (unit, None) if unit in units else None
    if to == "parent":
        return escalation_route(campaign, requirement, unit)
    if to == "issuer-parent":
        issuer = units.get(campaign.campaign.issued_by or "")
        target = issuer.parent if issuer is not None else None
        if target is None or target not in units or target == unit:
            return None
        return target, None
    role = campaign.roles.get(to) if to not in units else None
    target = role.unit if role is not None else to
    return (target, role) if target in units else None


def ladder_paths(requirement: Requirement) -> list[tuple[str, Escalation]]:
    """Each step of a requirement's ladder with the key a problem about it names: the
    step's ``to`` in ``escalation``, or ``escalate_after`` for its one step."""
    base = f"requirements.{requirement.id}"
    if requirement.escalation:
        return [
            (f"{base}.escalation[{index}].to", step)
            for index, step in enumerate(requirement.escalation)
        ]
    return [(f"{base}.escalate_after", step) for step in requirement.ladder]


def reach(campaign: Campaign, channels: Collection[str]) -> dict[str, str | None]:
    """Where a notice addressed to each unit lands, given the notifiers installed.

    A unit with a channel among `channels` is reached itself; one without is reached
    through its nearest ancestor that has one (the notice is forwarded). A unit nothing
    reaches is not in the map: ask with ``.get``.
    """
    units = campaign.units
    if not any(name in channels for unit in units.values() for name in unit.channels):
        return {}  # the usual rehearsal of a plan copied from a notice: nobody is reached
    landed: dict[str, str | None] = {}
    for start in units:
        path: list[str] = []
        node: str | None = start
        found: str | None = None
        while node is not None and node in units and node not in landed:
            if any(name in channels for name in units[node].channels):
                found = node
                break
            if node in path:  # a cycle of parents: `validate` reports it
                break
            path.append(node)
            node = units[node].parent
        else:
            if node is not None and node in landed:
                found = landed[node]
        for passed in path:
            landed[passed] = found
        landed.setdefault(start, found)
    # Kept small: a national campaign whose units mostly have no channel.
    return {unit: found for unit, found in landed.items() if found is not None}


def unreachable(campaign: Campaign, channels: Collection[str]) -> list[Problem]:
    """A warning for each requirement with assignees that no installed notifier reaches:
    no channel of their own among `channels`, and none on any unit above them."""
    landed = reach(campaign, channels)
    groups = resolve_groups(campaign)
    if channels:
        hint = _(
            "give them, or a unit above them, `channels` on an installed notifier "
            "({notifiers}); `--format json` lists every unit"
        ).format(notifiers=listed(sorted(channels)))
    else:
        hint = _(
            "no installed notifier reaches units: install one (campaignkit-webhook, "
            "campaignkit-email) and give units `channels`"
        )
    problems = []
    for requirement in campaign.requirements.values():
        base = f"requirements.{requirement.id}"
        units = expand(campaign, requirement.assignees, groups)
        lost = tuple(unit for unit in units if landed.get(unit) is None)
        if lost:
            problems.append(
                Problem(
                    f"{base}.assignees",
                    ngettext(
                        "{count} of {total} assignee of `{requirement}` cannot be reached: "
                        "their notices will reach no one",
                        "{count} of {total} assignees of `{requirement}` cannot be reached: "
                        "their notices will reach no one",
                        len(units),
                    ).format(count=len(lost), total=len(units), requirement=requirement.id),
                    hint,
                    severity="warning",
                    code="unreachable",
                    subjects=lost,
                )
            )
        for path, step in ladder_paths(requirement):
            routes = (ladder_route(campaign, requirement, unit, step.to) for unit in units)
            targets = {route[0] for route in routes if route is not None}
            above = tuple(u for u in campaign.units if u in targets and landed.get(u) is None)
            if above:
                problems.append(
                    Problem(
                        path,
                        _(
                            "the escalations of `{requirement}` go to {units}, which no "
                            "channel reaches"
                        ).format(
                            requirement=requirement.id,
                            units=listed(campaign.units[u].name for u in above[:5])
                            + (" …" if len(above) > 5 else ""),
                        ),
                        hint,
                        severity="warning",
                        code="unreachable",
                        subjects=above,
                    )
                )
    return problems
