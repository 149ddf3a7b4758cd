"""``campaignkit show FILE``: a readable overview of a campaign, or all of it as JSON."""

from __future__ import annotations

import datetime as dt
from typing import Any

import typer
from rich.console import Console, Group
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from ..agenda import agenda
from ..convert import converter
from ..model import Campaign, Deliverable
from ..org import children, expand, resolve_groups
from ..schedule import parse_delay
from .output import CampaignFile, Format, FormatOption, console, host_from, load_or_exit, print_json


def show(
    ctx: typer.Context,
    file: CampaignFile,
    fmt: FormatOption = Format.table,
) -> None:
    """Show a campaign: header, phases, organisation, groups, activities, requirements."""
    campaign = load_or_exit(file, host_from(ctx), fmt)
    if fmt is Format.json:
        print_json(campaign_json(campaign))
    else:
        render(campaign, console())


def campaign_json(campaign: Campaign) -> dict[str, Any]:
    """The campaign as plain JSON data, ISO dates, with each group's resolved members."""
    data: dict[str, Any] = converter().unstructure(campaign)
    for group_id, members in resolve_groups(campaign).items():
        data["groups"][group_id]["members"] = list(members)
    return data


def _name(campaign: Campaign, unit_id: str | None) -> str:
    unit = campaign.units.get(unit_id or "")
    return f"{unit.name} ({unit.id})" if unit else (unit_id or "")


def _days(first: dt.date | None, last: dt.date | None) -> str:
    if first is None or last is None:
        return ""
    return first.isoformat() if first == last else f"{first} → {last}"


def render(campaign: Campaign, out: Console) -> None:
    info = campaign.campaign
    header = Table.grid(padding=(0, 2))
    header.add_column(style="bold")
    header.add_column()
    for label, value in (
        ("campaign", info.id),
        ("title", info.title),
        ("reference", info.reference),
        ("issued by", _name(campaign, info.issued_by) if info.issued_by else None),
        ("issued on", info.issued_on.isoformat()),
        ("theme", info.theme),
        ("time zone", info.timezone),
        (
            "notices",
            f"sent from {info.send_at:%H:%M} to 22:00"
            + ("" if info.send_on_rest_days else ", on working days"),
        ),
    ):
        if value:
            header.add_row(label, Text(value))
    out.print(header)
    out.print(_phases(campaign))
    out.print(_organisation(campaign))
    out.print(_groups(campaign))
    out.print(_activities(campaign))
    out.print(_requirements(campaign))


def _phases(campaign: Campaign) -> Table:
    table = Table(title="Phases", title_justify="left")
    for column in ("phase", "name", "dates", "days"):
        table.add_column(column)
    for phase in campaign.phases.values():
        days = (phase.end - phase.start).days + 1
        table.add_row(phase.id, Text(phase.name), _days(phase.start, phase.end), str(days))
    return table


def _organisation(campaign: Campaign) -> Group:
    tree_of = children(campaign)
    roles_of: dict[str, list[str]] = {}
    for role in campaign.roles.values():
        holder = " ".join(
            filter(None, [role.holder, f"({role.position})" if role.position else None])
        )
        roles_of.setdefault(role.unit, []).append(f"{role.title}: {holder or '—'}")
    tree = Tree(Text("Organisation", style="bold"))

    def add(node: Tree, unit_id: str) -> None:
        unit = campaign.units[unit_id]
        branch = node.add(Text(f"{unit.name} ({unit.id}, {unit.kind})"))
        for role in roles_of.get(unit_id, ()):
            branch.add(Text(role, style="cyan"))
        for child in tree_of.get(unit_id, ()):
            add(branch, child)

    for root in tree_of.get(None, ()):
        add(tree, root)
    return Group(tree)


def _groups(campaign: Campaign) -> Table:
    table = Table(title="Groups", title_justify="left")
    for column in ("group", "made of", "units"):
        table.add_column(column, overflow="fold")
    for group_id, members in resolve_groups(campaign).items():
        group = campaign.groups[group_id]
        made_of = "; ".join(
            f"{label}: {', '.join(items)}"
            for label, items in (
                ("kinds", group.kinds),
                ("units", group.units),
                ("groups", group.groups),
            )
            if items
        )
        names = ", ".join(campaign.units[u].name for u in members)
        table.add_row(group_id, Text(made_of), Text(f"{len(members)}: {names}"))
    return table


def _activities(campaign: Campaign) -> Table:
    table = Table(title="Activities by date", title_justify="left")
    for column in ("dates", "activity", "mode", "where", "organizer"):
        table.add_column(column, overflow="fold")

    for item in agenda(campaign):
        act, level = item.activity, item.level
        where = "; ".join(filter(None, [act.venue, ", ".join(act.channels)]))
        if act.expected_attendance:
            where += f" (~{act.expected_attendance} people)"
        table.add_row(
            _days(act.first_day, act.last_day),
            Text("  " * level + f"{act.name} ({act.id})"),
            act.mode or "",
            Text(where),
            Text(_name(campaign, act.organizer)),
        )
    return table


def _deliverable(item: Deliverable) -> str:
    parts = [f"{item.name} ({item.id}): {item.kind}" if item.name else f"{item.id}: {item.kind}"]
    if item.formats:
        parts.append("/".join(item.formats).upper())
    if item.min_width or item.min_height:
        parts.append(f"≥{item.min_width or '?'}×{item.min_height or '?'}")
    if item.min_duration_s:
        parts.append(f"≥{item.min_duration_s:g} s")
    if item.max_size_mb:
        parts.append(f"≤{item.max_size_mb:g} MB")
    if item.max_count is None:
        count = f"×{item.min_count}+"
    elif item.max_count == item.min_count:
        count = f"×{item.min_count}"
    else:
        count = f"×{item.min_count}–{item.max_count}"
    parts.append(count)
    return " ".join(parts)


def _requirements(campaign: Campaign) -> Table:
    table = Table(title="Requirements", title_justify="left")
    for column in ("due", "requirement", "assignees", "submit to", "timing", "deliverables"):
        table.add_column(column, overflow="fold")
    groups = resolve_groups(campaign)
    for req in sorted(campaign.requirements.values(), key=lambda r: r.due):
        units = expand(campaign, req.assignees, groups)
        timing = (
            "remind " + ", ".join(f"{d}d" for d in req.remind) if req.remind else "no reminders"
        )
        delay = parse_delay(req.escalate_after) if req.escalate_after is not None else None
        if delay is not None and delay.count:
            role = campaign.roles.get(req.escalate_to or "")
            named = role.title if role is not None else _name(campaign, req.escalate_to)
            target = f" to {named}" if req.escalate_to else ""
            timing += f"; escalate{target} after {delay.words()}"
        if req.rest_day != "keep":
            timing += f"; on a rest day: move {req.rest_day}"
        table.add_row(
            req.due.isoformat(),
            Text(f"{req.name} ({req.id})"),
            Text(f"{', '.join(req.assignees)} ({len(units)} units)"),
            Text(_name(campaign, req.submit_to or campaign.campaign.issued_by)),
            timing,
            Text("\n".join(_deliverable(d) for d in req.deliverables)),
        )
    return table
