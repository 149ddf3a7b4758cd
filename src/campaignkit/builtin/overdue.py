"""Built-in plugin ``overdue``: at a requirement's deadline (``requirement.due``), an
overdue notice to every assignee still missing.

A unit whose last hand-in was rejected is told that what it handed in did not pass review,
and why, never that it did not hand in. Disable it by name (``--disable overdue``) to send
no overdue notices, or to replace them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from campaignkit import hookimpl
from campaignkit.builtin.notices import chase

if TYPE_CHECKING:
    from campaignkit import Event, Notification, Run


@hookimpl
def campaignkit_on_event(event: Event, run: Run) -> list[Notification]:
    return chase(event, run, "overdue")
