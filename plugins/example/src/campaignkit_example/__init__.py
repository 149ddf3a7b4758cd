"""campaignkit plugin ``weekly-digest``: once a week, tell each parent unit which of its
children are late.

This is the code of the plugin tutorial (``docs/plugins/tutorial.md``). It shows the hooks
most plugins need:

- ``campaignkit_config_sections`` declares the ``[plugins.weekly-digest]`` table;
- ``campaignkit_check_campaign`` says, with a key path, what is wrong in that table;
- ``campaignkit_timeline`` adds one ``digest.weekly`` event per week;
- ``campaignkit_on_event`` turns each such event into ``digest`` notifications.

The plugin is active only for a campaign that has a ``[plugins.weekly-digest]`` table (an
empty table means the defaults: Mondays at 09:00). Without the table it adds nothing. It
reads the table from the campaign each hook is given, and keeps nothing in the module.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import attrs

from campaignkit import (
    Campaign,
    ConfigSection,
    Event,
    Notification,
    Problem,
    Run,
    due_at,
    hookimpl,
    local,
    translator,
)

_ = translator("campaignkit_example", Path(__file__).parent / "locale")
"""The plugin's messages in the campaign's language, from its own catalog in ``locale``."""

__all__ = [
    "KIND",
    "SECTION",
    "WeeklyDigest",
    "campaignkit_check_campaign",
    "campaignkit_config_sections",
    "campaignkit_on_event",
    "campaignkit_timeline",
]

SECTION = "weekly-digest"
"""The name of the plugin's table: ``[plugins.weekly-digest]``."""
KIND = "digest.weekly"
"""The kind of event this plugin adds to the timeline."""
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


# ── the configuration section ─────────────────────────────────────────────────────────


@attrs.frozen
class WeeklyDigest:
    """When the weekly digest goes out, in the campaign's time zone."""

    weekday: int = attrs.field(default=0, metadata={"doc": "0 = Monday … 6 = Sunday."})
    hour: int = attrs.field(default=9, metadata={"doc": "The hour of the day, 0 to 23."})


@hookimpl
def campaignkit_config_sections() -> list[ConfigSection]:
    return [ConfigSection(SECTION, WeeklyDigest, "Weekly digest of late units, per parent")]


@hookimpl
def campaignkit_check_campaign(campaign: Campaign) -> list[Problem]:
    settings = campaign.plugins.get(SECTION)
    if not isinstance(settings, WeeklyDigest):
        return []
    problems = []
    if not 0 <= settings.weekday <= 6:
        problems.append(
            Problem(
                f"plugins.{SECTION}.weekday",
                _("weekday must be from 0 (Monday) to 6 (Sunday), not {weekday}").format(
                    weekday=settings.weekday
                ),
                code="out-of-range",
            )
        )
    if not 0 <= settings.hour <= 23:
        problems.append(
            Problem(
                f"plugins.{SECTION}.hour",
                _("hour must be from 0 to 23, not {hour}").format(hour=settings.hour),
                code="out-of-range",
            )
        )
    return problems


# ── the timeline: one event a week ────────────────────────────────────────────────────


@hookimpl
def campaignkit_timeline(campaign: Campaign) -> list[Event]:
    settings = campaign.plugins.get(SECTION)
    if not isinstance(settings, WeeklyDigest):
        return []  # no [plugins.weekly-digest] table: the campaign is left alone
    if not campaign.phases or not campaign.requirements:
        return []
    first = min(phase.start for phase in campaign.phases.values())
    last = max(requirement.due for requirement in campaign.requirements.values())
    day = first + dt.timedelta(days=(settings.weekday - first.weekday()) % 7)
    events = []
    while day <= last:
        # The subject is the day, so that each week's event has its own stable key.
        events.append(Event(local(campaign, day, dt.time(settings.hour)), KIND, day.isoformat()))
        day += dt.timedelta(weeks=1)
    return events


# ── the notifications: one digest per parent unit ─────────────────────────────────────


@hookimpl
def campaignkit_on_event(event: Event, run: Run) -> list[Notification]:
    if event.kind != KIND:
        return []
    campaign = run.campaign
    # parent unit → late child unit → the requirements it has not handed in
    late: dict[str, dict[str, list[str]]] = {}
    for requirement in campaign.requirements.values():
        if due_at(campaign, requirement.due) >= event.at:
            continue  # not due yet
        for unit in run.missing(requirement.id):
            parent = campaign.units[unit].parent
            if parent is not None and parent in campaign.units:
                late.setdefault(parent, {}).setdefault(unit, []).append(requirement.name)
    return [
        Notification(
            at=event.at,
            to=parent,
            kind="digest",
            requirement=None,
            key=f"{campaign.campaign.id}/digest-{event.subject}/{parent}",
            text=digest_text(campaign, event, parent, children),
        )
        for parent, children in late.items()
    ]


def digest_text(
    campaign: Campaign, event: Event, parent: str, children: dict[str, list[str]]
) -> str:
    """The digest for `parent`: one line per late child, naming what it has not handed in."""
    count = f"{len(children)} unit{'s' * (len(children) != 1)}"
    lines = [f"Weekly digest for {campaign.units[parent].name}, {event.subject}: {count} late."]
    for unit, requirements in children.items():
        lines.append(f"- {campaign.units[unit].name}: {', '.join(requirements)}")
    return "\n".join(lines)
