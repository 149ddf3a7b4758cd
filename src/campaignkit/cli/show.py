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
from ..i18n import _, ngettext, spoken
from ..model import Campaign, Deliverable, Requirement
from ..org import children, expand, resolve_groups
from ..problems import listed
from ..report import mode_labels
from ..schedule import parse_delay
from .output import (
    CampaignFile,
    Format,
    FormatOption,
    console,
    days_words,
    deliverable_kinds,
    host_from,
    load_or_exit,
    print_json,
)


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
    return _("{name} ({id})").format(name=unit.name, id=unit.id) if unit else (unit_id or "")


def _days(first: dt.date | None, last: dt.date | None) -> str:
    if first is None or last is None:
        return ""
    return first.isoformat() if first == last else f"{first} → {last}"


def render(campaign: Campaign, out: Console) -> None:
    info = campaign.campaign
    header = Table.grid(padding=(0, 2))
    header.add_column(style="bold")
    header.add_column()
    if info.send_on_rest_days:
        sending = _("sent from {start} to 22:00")
    else:
        sending = _("sent from {start} to 22:00, on working days")
    for label, value in (
        (_("campaign"), info.id),
        (_("title"), info.title),
        (_("reference"), info.reference),
        (_("issued by"), _name(campaign, info.issued_by) if info.issued_by else None),
        (_("issued on"), info.issued_on.isoformat()),
        (_("theme"), info.theme),
        (_("time zone"), info.timezone),
        (_("notices"), sending.format(start=f"{info.send_at:%H:%M}")),
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
    table = Table(title=_("Phases"), title_justify="left")
    for column in (_("phase"), _("name"), _("dates"), _("days")):
        table.add_column(column)
    for phase in campaign.phases.values():
        days = (phase.end - phase.start).days + 1
        table.add_row(phase.id, Text(phase.name), _days(phase.start, phase.end), str(days))
    return table


def _holder(holder: str | None, position: str | None) -> str:
    """Who holds a role, and in what post: ``刘庆生（市委常委）``."""
    if holder and position:
        return _("{holder} ({position})").format(holder=holder, position=position)
    if position:
        return _("({position})").format(position=position)
    return holder or "—"


def _organisation(campaign: Campaign) -> Group:
    tree_of = children(campaign)
    roles_of: dict[str, list[str]] = {}
    for role in campaign.roles.values():
        holder = _holder(role.holder, role.position)
        said = _("{title}: {holder}").format(title=role.title, holder=holder)
        roles_of.setdefault(role.unit, []).append(said)
    tree = Tree(Text(_("Organisation"), style="bold"))

    def add(node: Tree, unit_id: str) -> None:
        unit = campaign.units[unit_id]
        said = _("{name} ({id}, {kind})").format(name=unit.name, id=unit.id, kind=unit.kind)
        branch = node.add(Text(said))
        for role in roles_of.get(unit_id, ()):
            branch.add(Text(role, style="cyan"))
        for child in tree_of.get(unit_id, ()):
            add(branch, child)

    for root in tree_of.get(None, ()):
        add(tree, root)
    return Group(tree)


def _groups(campaign: Campaign) -> Table:
    table = Table(title=_("Groups"), title_justify="left")
    for column in (_("group"), _("made of"), _("units")):
        table.add_column(column, overflow="fold")
    for group_id, members in resolve_groups(campaign).items():
        group = campaign.groups[group_id]
        made_of = _("; ").join(
            _("{label}: {items}").format(label=label, items=listed(items))
            for label, items in (
                (_("kinds"), group.kinds),
                (_("units"), group.units),
                (_("groups"), group.groups),
            )
            if items
        )
        names = listed(campaign.units[u].name for u in members)
        units = _("{count}: {names}").format(count=len(members), names=names)
        table.add_row(group_id, Text(made_of), Text(units))
    return table


def _activities(campaign: Campaign) -> Table:
    table = Table(title=_("Activities by date"), title_justify="left")
    for column in (_("dates"), _("activity"), _("mode"), _("where"), _("organizer")):
        table.add_column(column, overflow="fold")
    modes = mode_labels(campaign, spoken())
    for item in agenda(campaign):
        act, level = item.activity, item.level
        where = _("; ").join(filter(None, [act.venue, listed(act.channels)]))
        if act.expected_attendance:
            about = _("{where} (~{count} people)")
            where = about.format(where=where, count=act.expected_attendance)
        named = _("{name} ({id})").format(name=act.name, id=act.id)
        table.add_row(
            _days(act.first_day, act.last_day),
            Text("  " * level + named),
            modes.get(act.mode, act.mode) if act.mode else "",
            Text(where),
            Text(_name(campaign, act.organizer)),
        )
    return table


def _deliverable(item: Deliverable) -> str:
    kind = deliverable_kinds().get(item.kind, item.kind)
    if item.name:
        parts = [_("{name} ({id}): {kind}").format(name=item.name, id=item.id, kind=kind)]
    else:
        parts = [_("{id}: {kind}").format(id=item.id, kind=kind)]
    if item.formats:
        parts.append("/".join(item.formats).upper())
    if item.min_width or item.min_height:
        parts.append(f"≥{item.min_width or '?'}×{item.min_height or '?'}")
    if item.min_duration_s:
        parts.append("≥" + _("{seconds} s").format(seconds=f"{item.min_duration_s:g}"))
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


def _timing(campaign: Campaign, req: Requirement) -> str:
    """When a requirement's units are reminded and escalated, and what a rest day does."""
    if req.remind:
        days = listed(_("{count}d").format(count=d) for d in req.remind)
        parts = [_("remind {days}").format(days=days)]
    else:
        parts = [_("no reminders")]
    delay = parse_delay(req.escalate_after) if req.escalate_after is not None else None
    if req.escalation:
        parts.append(_ladder(campaign, req))
    elif delay is not None and delay.count:
        after = days_words(delay.count, delay.unit)
        if req.escalate_to:
            role = campaign.roles.get(req.escalate_to)
            named = role.title if role is not None else _name(campaign, req.escalate_to)
            said = _("escalate to {target} after {delay}")
            parts.append(said.format(target=named, delay=after))
        else:
            parts.append(_("escalate after {delay}").format(delay=after))
    if req.rest_day == "before":
        parts.append(_("on a rest day: move before"))
    elif req.rest_day == "after":
        parts.append(_("on a rest day: move after"))
    return _("; ").join(parts)


def _ladder(campaign: Campaign, req: Requirement) -> str:
    """A ladder in a few words: 黄牌预警 after 1 working day to the unit, …"""
    steps = []
    for level, step in enumerate(req.escalation, start=1):
        delay = parse_delay(step.after)
        after = days_words(delay.count, delay.unit) if delay is not None else str(step.after)
        role = campaign.roles.get(step.to)
        target = {
            "unit": _("the unit"),
            "parent": _("the level above"),
            "issuer-parent": _("the level above the issuer"),
        }.get(step.to)
        named = target or (role.title if role is not None else _name(campaign, step.to))
        said = _("{step} after {delay} to {target}")
        steps.append(said.format(step=step.label or level, delay=after, target=named))
    return _("escalation ladder: {steps}").format(steps=listed(steps))


def _requirements(campaign: Campaign) -> Table:
    table = Table(title=_("Requirements"), title_justify="left")
    for column in (
        _("due"),
        _("requirement"),
        _("assignees"),
        _("submit to"),
        _("timing"),
        _("deliverables"),
    ):
        table.add_column(column, overflow="fold")
    groups = resolve_groups(campaign)
    for req in sorted(campaign.requirements.values(), key=lambda r: r.due):
        units = len(expand(campaign, req.assignees, groups))
        assignees = ngettext("{assignees} ({count} unit)", "{assignees} ({count} units)", units)
        table.add_row(
            req.due.isoformat(),
            Text(_("{name} ({id})").format(name=req.name, id=req.id)),
            Text(assignees.format(assignees=listed(req.assignees), count=units)),
            Text(_name(campaign, req.submit_to or campaign.campaign.issued_by)),
            _timing(campaign, req),
            Text("\n".join(_deliverable(d) for d in req.deliverables)),
        )
    return table
