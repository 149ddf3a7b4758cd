"""Built-in plugin ``reminders``: at each of a requirement's reminders
(``requirement.remind``), a reminder to every assignee that has no accepted submission yet.

It says how many days are left, counted from the day it goes out, and expires at the end of
that day (no later than the deadline): a delivery that comes later skips it as stale.
Disable it by name (``--disable reminders``) to send no reminders, or to replace them.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from campaignkit import DAY_END, due_at, hookimpl, local
from campaignkit.builtin.notices import chase

if TYPE_CHECKING:
    from campaignkit import Campaign, Event, Notification, Requirement, Run


@hookimpl
def campaignkit_on_event(event: Event, run: Run) -> list[Notification]:
    return chase(event, run, "reminder", expires=_expiry)


def _expiry(campaign: Campaign, requirement: Requirement, at: dt.datetime) -> dt.datetime:
    """A reminder says how many days are left: true until the end of the day it goes out,
    and no later than the deadline."""
    return min(local(campaign, at.date(), DAY_END), due_at(campaign, requirement.due))
