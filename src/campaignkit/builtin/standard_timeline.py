"""Built-in plugin ``standard-timeline``: the events every campaign has.

- the campaign opens at 00:00 on its issue date and closes after its last event;
- phases and activities start at 00:00 on their first day and end at 23:59:59 on their last;
- a requirement is due at 23:59:59 on its due date; each entry of ``remind`` is a reminder at
  the send time (``send_at``, 09:00 by default) that many days before — dropped if that
  falls before the issue date, moved to the next working day when the campaign does not
  send on rest days; each step of its escalation ladder (``escalation``, or the one step
  of ``escalate_after``) follows at 23:59:59 that many days (or working days) after the due
  date, as an escalation with its ``level``, and its notices go out at the next send time.
"""

from __future__ import annotations

from campaignkit import (
    DAY_END,
    DAY_START,
    Campaign,
    Event,
    Schedule,
    due_at,
    hookimpl,
    ladder_days,
    local,
    reminders,
)


@hookimpl
def campaignkit_timeline(campaign: Campaign, schedule: Schedule) -> list[Event]:
    issued = campaign.campaign.issued_on
    events: list[Event] = []
    for phase in campaign.phases.values():
        events.append(Event(local(campaign, phase.start, DAY_START), "phase.start", phase.id))
        events.append(Event(local(campaign, phase.end, DAY_END), "phase.end", phase.id))
    for act in campaign.activities.values():
        first, last = act.first_day, act.last_day
        if first is not None and last is not None:
            events.append(Event(local(campaign, first, DAY_START), "activity.start", act.id))
            events.append(Event(local(campaign, last, DAY_END), "activity.end", act.id))
    for req in campaign.requirements.values():
        deadline = due_at(campaign, req.due)
        events.append(Event(deadline, "requirement.due", req.id))
        for days, at in reminders(campaign, req, schedule):
            events.append(Event(at, "requirement.remind", req.id, days))
        for level, _step, day in ladder_days(req, schedule):
            # In calendar days, working days or not: the notice says how many days late.
            days = (day - req.due).days
            at = local(campaign, day, DAY_END)
            events.append(Event(at, "requirement.escalate", req.id, days, level=level))
    opened = local(campaign, issued, DAY_START)
    closed = max([e.at for e in events], default=opened)
    events.append(Event(opened, "campaign.open", campaign.campaign.id))
    events.append(Event(max(closed, opened), "campaign.close", campaign.campaign.id))
    return events
