"""Built-in plugin ``escalations``: at each step of a requirement's escalation ladder
(``requirement.escalate``, one per step of ``[[requirements.ID.escalation]]``, or the one
step of ``escalate_after``), a notice about every assignee still missing, to whom the step
says (`campaignkit.ladder_route`), headed by the step's ``label`` and carrying its ``level``.

The one step of ``escalate_after`` goes to the level above the office that chases the unit:
its parent, or, when the parent is the chasing office, the requirement's ``escalate_to`` (a
unit, or a role), else that office's own parent; never the office that is chasing
(`campaignkit.escalation_route`). With nobody there, no escalation, and ``validate`` warns
(this plugin's check: disabled, it warns no more). Disable it by name (``--disable
escalations``) to replace it with a plugin of your own (docs/plugins/escalation-ladder.md).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

from campaignkit import (
    AssigneeStatus,
    Campaign,
    Escalation,
    Problem,
    Report,
    ReportColumn,
    Requirement,
    RequirementStatus,
    chaser,
    expand,
    hookimpl,
    ladder_paths,
    ladder_route,
    listed,
    ngettext,
    resolve_groups,
)
from campaignkit import gettext as _
from campaignkit.builtin.notices import chase

if TYPE_CHECKING:
    from campaignkit import Event, Notification, Role, Run

    Route = tuple[str, Role | None] | None


@hookimpl
def campaignkit_check_campaign(campaign: Campaign) -> list[Problem]:
    groups = resolve_groups(campaign)
    return [p for req in campaign.requirements.values() for p in stranded(campaign, req, groups)]


@hookimpl
def campaignkit_report_columns(campaign: Campaign) -> list[ReportColumn]:
    """The highest step of its ladder each unit reached, for campaigns with ladders."""
    if not any(req.escalation for req in campaign.requirements.values()):
        return []
    return [
        ReportColumn(
            "escalation",
            lambda language: _("Escalation"),
            _reached,
            "The highest step of the escalation ladder the unit reached: its label.",
        )
    ]


def _reached(report: Report, status: RequirementStatus, row: AssigneeStatus) -> str | None:
    if row.level is None:
        return None
    ladder = status.requirement.ladder
    label = ladder[row.level - 1].label if row.level <= len(ladder) else None
    return label or _("level {level}").format(level=row.level)


@hookimpl
def campaignkit_on_event(event: Event, run: Run) -> list[Notification]:
    if event.kind != "requirement.escalate":
        return []
    ladder = run.campaign.requirements[event.subject].ladder
    level = event.level or 1
    if level > len(ladder):
        return []  # a step of a timeline plugin's own: not this ladder's
    step = ladder[level - 1]

    def route(campaign: Campaign, requirement: Requirement, unit: str) -> Route:
        return ladder_route(campaign, requirement, unit, step.to)

    return chase(event, run, "escalation", route=route, label=step.label)


def stranded(
    campaign: Campaign, req: Requirement, groups: Mapping[str, tuple[str, ...]]
) -> Iterator[Problem]:
    """A warning when a step of `req`'s escalation would reach nobody for some of its
    assignees: this plugin's own check, since a plugin that replaces it has its own idea
    of where escalations go."""
    if not req.ladder:
        return
    units = expand(campaign, req.assignees, groups)
    for path, step in ladder_paths(req):
        if step.to not in ("parent", "issuer-parent"):
            continue  # a unit or role named: the checks say when it does not exist
        lost = tuple(u for u in units if ladder_route(campaign, req, u, step.to) is None)
        if lost:
            yield _stranded(campaign, req, path, step, lost)


def _stranded(
    campaign: Campaign, req: Requirement, path: str, step: Escalation, lost: tuple[str, ...]
) -> Problem:
    units = listed(lost[:5]) + (" …" if len(lost) > 5 else "")
    office = chaser(campaign, req)
    if step.to != "parent":
        return Problem(
            path,
            ngettext(
                "nobody receives the escalation `{to}` about {count} assignee of "
                "`{requirement}` ({units})",
                "nobody receives the escalation `{to}` about {count} assignees of "
                "`{requirement}` ({units})",
                len(lost),
            ).format(to=step.to, count=len(lost), requirement=req.id, units=units),
            _("`issuer-parent` needs the issuing unit to have a parent; name a unit or role"),
            severity="warning",
            code="no-escalation-target",
            subjects=lost,
        )
    return Problem(
        path,
        (
            ngettext(
                "nobody receives escalations about {count} assignee of `{requirement}` "
                "({units}): an escalation goes one level above the office chasing them "
                "(`{office}`), and there is none",
                "nobody receives escalations about {count} assignees of `{requirement}` "
                "({units}): an escalation goes one level above the office chasing them "
                "(`{office}`), and there is none",
                len(lost),
            )
            if office
            else ngettext(
                "nobody receives escalations about {count} assignee of `{requirement}` "
                "({units}): nobody receives `{requirement}` to chase them",
                "nobody receives escalations about {count} assignees of `{requirement}` "
                "({units}): nobody receives `{requirement}` to chase them",
                len(lost),
            )
        ).format(count=len(lost), requirement=req.id, units=units, office=office),
        # `escalate_after`'s one step goes where `escalate_to` says; a ladder's step, its `to`.
        _("set `{key}` to a unit or role above that office, or give the office a parent").format(
            key="escalate_to" if path.endswith("escalate_after") else "to"
        ),
        severity="warning",
        code="no-escalation-target",
        subjects=lost,
    )
