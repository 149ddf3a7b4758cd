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

from typing import TYPE_CHECKING

from campaignkit import escalation_route, hookimpl, resolve_groups
from campaignkit.builtin.notices import chase
from campaignkit.builtin.requirement_checks import stranded

if TYPE_CHECKING:
    from campaignkit import Campaign, Event, Notification, Problem, Run


@hookimpl
def campaignkit_check_campaign(campaign: Campaign) -> list[Problem]:
    groups = resolve_groups(campaign)
    return [p for req in campaign.requirements.values() for p in stranded(campaign, req, groups)]


@hookimpl
def campaignkit_on_event(event: Event, run: Run) -> list[Notification]:
    return chase(event, run, "escalation", route=escalation_route)
