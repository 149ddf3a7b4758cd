"""Built-in plugin ``notifiers``: the ``console`` channel.

``console`` writes one readable line per notification to standard error, for a
notification that names it as its channel. It is a record for the office, not a channel to
a unit: a notice that only reached the console reached no one. (The ``--outbox`` file is
the office's other record; the core writes it, with each notification's state.)
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from campaignkit import Notifier, hookimpl

if TYPE_CHECKING:
    from campaignkit import Notification


def console(notification: Notification, address: str | None) -> None:
    n = notification
    about = f" (about {n.about})" if n.about else ""
    sys.stderr.write(f"{n.at:%Y-%m-%d %H:%M %z} {n.kind} → {n.to}{about}: {n.text}\n")


@hookimpl(trylast=True)
def campaignkit_notifiers() -> list[Notifier]:
    return [
        Notifier(
            "console",
            console,
            "one readable line per notification on standard error (a record, reaches no unit)",
            reaches_unit=False,
        ),
    ]
