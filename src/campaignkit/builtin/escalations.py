"""Built-in plugin ``escalations``: at a requirement's escalation
(``requirement.escalate``, ``escalate_after`` days or working days after the deadline), a
notice about every assignee still missing to the level above the office that chases it.

That is the unit's parent, or, when the parent is the chasing office, the requirement's
``escalate_to`` (a unit, or a role), else that office's own parent: never the office that
is chasing (`campaignkit.escalation_route`). With nobody there, no escalation, and
``validate`` warns (this plugin's check: disabled, it warns no more). Disable it by name
(``--disable escalations``) to replace it with a plugin of your own, a ladder of yellow
and red cards for instance (docs/plugins/escalation-ladder.md).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

from campaignkit import (
    Campaign,
    Problem,
    Requirement,
    chaser,
    escalation_route,
    escalation_target,
    expand,
    hookimpl,
    join_path,
    listed,
    ngettext,
    resolve_groups,
)
from campaignkit import gettext as _
from campaignkit.builtin.notices import chase

if TYPE_CHECKING:
    from campaignkit import Event, Notification, Run


@hookimpl
def campaignkit_check_campaign(campaign: Campaign) -> list[Problem]:
    groups = resolve_groups(campaign)
    return [p for req in campaign.requirements.values() for p in stranded(campaign, req, groups)]


@hookimpl
def campaignkit_on_event(event: Event, run: Run) -> list[Notification]:
    return chase(event, run, "escalation", route=escalation_route)


def stranded(
    campaign: Campaign, req: Requirement, groups: Mapping[str, tuple[str, ...]]
) -> Iterator[Problem]:
    """A warning when an escalation of `req` would reach nobody for some of its assignees:
    this plugin's own check, since a plugin that replaces it has its own idea of where
    escalations go."""
    if req.escalate_after is None:
        return
    path = join_path(f"requirements.{req.id}", "escalate_after")
    stranded = tuple(
        unit
        for unit in expand(campaign, req.assignees, groups)
        if escalation_target(campaign, req, unit) is None
    )
    if stranded:
        office = chaser(campaign, req)
        yield Problem(
            path,
            (
                ngettext(
                    "nobody receives escalations about {count} assignee of `{requirement}` "
                    "({units}): an escalation goes one level above the office chasing them "
                    "(`{office}`), and there is none",
                    "nobody receives escalations about {count} assignees of `{requirement}` "
                    "({units}): an escalation goes one level above the office chasing them "
                    "(`{office}`), and there is none",
                    len(stranded),
                )
                if office
                else ngettext(
                    "nobody receives escalations about {count} assignee of `{requirement}` "
                    "({units}): nobody receives `{requirement}` to chase them",
                    "nobody receives escalations about {count} assignees of `{requirement}` "
                    "({units}): nobody receives `{requirement}` to chase them",
                    len(stranded),
                )
            ).format(
                count=len(stranded),
                requirement=req.id,
                units=listed(stranded[:5]) + (" …" if len(stranded) > 5 else ""),
                office=office,
            ),
            _("set `escalate_to` to a unit or role above that office, or give the office a parent"),
            severity="warning",
            code="no-escalation-target",
            subjects=stranded,
        )
