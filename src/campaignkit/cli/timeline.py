"""``campaignkit timeline FILE``: every event of the campaign, in order."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from ..i18n import _, ngettext
from ..model import Campaign, Escalation
from ..schedule import parse_delay
from ..timeline import Event, window
from .moments import moment
from .output import (
    CampaignFile,
    Format,
    FormatOption,
    console,
    days_words,
    host_from,
    load_or_exit,
    print_json,
)


def event_json(campaign: Campaign, event: Event) -> dict[str, object]:
    """An event as ``--format json`` prints it; an escalation with its ladder step."""
    out: dict[str, object] = {
        "at": event.at.isoformat(),
        "kind": event.kind,
        "subject": event.subject,
        "days": event.days,
    }
    if event.level is not None:
        out.update(level=event.level, label=_step(campaign, event).label)
    return out


def _step(campaign: Campaign, event: Event) -> Escalation:
    """The ladder step an escalation is; a plugin's own step past the ladder has none."""
    requirement = campaign.requirements.get(event.subject)
    ladder = requirement.ladder if requirement is not None else ()
    level = event.level or 1
    return ladder[level - 1] if level <= len(ladder) else Escalation(event.days or 1)


def timeline(
    ctx: typer.Context,
    file: CampaignFile,
    since: Annotated[
        str | None, typer.Option("--from", help="First day (or date-time) to show.")
    ] = None,
    until: Annotated[
        str | None, typer.Option("--until", help="Last day (or date-time) to show.")
    ] = None,
    fmt: FormatOption = Format.table,
) -> None:
    """List the campaign's events in order: phases, activities, reminders, deadlines."""
    host = host_from(ctx)
    campaign = load_or_exit(file, host, fmt)
    events = window(
        host.timeline(campaign),
        moment(since, campaign, end_of_day=False, option="--from"),
        moment(until, campaign, option="--until"),
    )
    if fmt is Format.json:
        print_json([event_json(campaign, e) for e in events])
        return
    title = _("Timeline of {campaign} ({zone})")
    table = Table(
        title=title.format(campaign=campaign.campaign.id, zone=campaign.timezone),
        title_justify="left",
    )
    kinds = _kinds()
    for column in (_("when"), _("event"), _("subject"), _("name")):
        table.add_column(column, overflow="fold")
    for event in events:
        table.add_row(
            event.at.strftime("%Y-%m-%d %H:%M:%S %z"),
            _describe(campaign, event, kinds),
            event.subject,
            Text(_name(campaign, event)),
        )
    console().print(table)


def _kinds() -> dict[str, str]:
    """Each built-in kind of event as people read it; a plugin's kinds are shown as they are."""
    return {
        "campaign.open": _("campaign.open"),
        "phase.start": _("phase.start"),
        "activity.start": _("activity.start"),
        "submission.rejected": _("submission.rejected"),
        "requirement.due": _("requirement.due"),
        "activity.end": _("activity.end"),
        "phase.end": _("phase.end"),
        "campaign.close": _("campaign.close"),
    }


def _describe(campaign: Campaign, event: Event, kinds: dict[str, str]) -> str:
    requirement = campaign.requirements.get(event.subject)
    if requirement is None or event.kind not in ("requirement.remind", "requirement.escalate"):
        return kinds.get(event.kind, event.kind)
    # Counted from the day it falls on: a reminder moved off a rest day is nearer the due
    # date than `remind` says, and "3wd" is as many calendar days as the weekend makes it.
    days = abs((event.at.date() - requirement.due).days)
    if event.kind == "requirement.remind":
        return ngettext(
            "reminder, {count} day before", "reminder, {count} days before", days
        ).format(count=days)
    step = _step(campaign, event)
    delay = parse_delay(step.after)
    if delay is not None and delay.unit == "wd":
        said = ngettext(
            "escalation, {count} day after ({delay})",
            "escalation, {count} days after ({delay})",
            days,
        ).format(count=days, delay=days_words(delay.count, delay.unit))
    else:
        said = ngettext(
            "escalation, {count} day after", "escalation, {count} days after", days
        ).format(count=days)
    return _("{label} ({what})").format(label=step.label, what=said) if step.label else said


def _name(campaign: Campaign, event: Event) -> str:
    table_name = event.kind.split(".")[0]
    tables = {
        "phase": campaign.phases,
        "activity": campaign.activities,
        "requirement": campaign.requirements,
    }
    record = tables.get(table_name, {}).get(event.subject)
    if record is not None:
        return str(getattr(record, "name", ""))
    return campaign.campaign.title if table_name == "campaign" else ""
