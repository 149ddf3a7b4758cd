"""Built-in plugin ``notifiers``: the ``console`` and ``outbox`` channels.

- ``console`` writes one readable line per notification to standard error;
- ``outbox`` appends each notification as a JSON object, one per line, to the file given as
  its address (``--outbox PATH``), for another system to pick up.
"""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING

from campaignkit import hookimpl
from campaignkit.records import Notifier

if TYPE_CHECKING:
    from campaignkit.notify import Notification


def console(notification: Notification, address: str | None) -> None:
    n = notification
    about = f" (about {n.about})" if n.about else ""
    sys.stderr.write(f"{n.at:%Y-%m-%d %H:%M %z} {n.kind} → {n.to}{about}: {n.text}\n")


def outbox(notification: Notification, address: str | None) -> None:
    if not address:
        raise ValueError("the outbox channel needs a file to write to (--outbox PATH)")
    with open(address, "a", encoding="utf-8") as out:
        out.write(json.dumps(notification.as_json(), ensure_ascii=False) + "\n")


@hookimpl(trylast=True)
def campaignkit_notifiers() -> list[Notifier]:
    return [
        Notifier("console", console, "one readable line per notification on standard error"),
        Notifier("outbox", outbox, "JSON Lines appended to the file given by --outbox PATH"),
    ]
