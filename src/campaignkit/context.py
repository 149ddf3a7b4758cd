"""What a plugin's callable sees of the campaign it works for: the context.

A notifier's ``deliver`` is called with one (``deliver(notification, address, context)``),
so that it finds its own ``[plugins.NAME]`` settings, the clock and the campaign's calendar
there, and keeps nothing about a campaign in a global of its module.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

import attrs

from .model import Campaign, Contact, language_of
from .schedule import Schedule

T = TypeVar("T")


@attrs.frozen(eq=False)
class Context:
    """The campaign a plugin works for, at one moment.

    - ``campaign``: the loaded campaign; ``settings(NAME)`` is its ``[plugins.NAME]`` table,
      structured into the class the plugin declared (`ConfigSection`), or None.
    - ``now``: the clock. On the real clock (``tick``), the time it is; in a rehearsal,
      the virtual time the notice goes out at.
    - ``schedule``: when notices may go out, with the working-day calendar:
      ``schedule.is_workday(day)``, ``schedule.after(day, Delay(1, "wd"))``,
      ``schedule.next_send(moment)``, ``schedule.local(day, time)``.
    - ``live``: True on the real clock, False in a rehearsal.
    - ``contact``: at delivery, the addressee's liaison officer (submitted details win
      over the campaign's), or None.
    - ``resource(key, make)``: one object per round of delivery (an SMTP connection, an
      HTTP client), made on first use and closed when the round ends.
    """

    campaign: Campaign
    now: dt.datetime
    schedule: Schedule
    live: bool = False
    contact: Contact | None = None
    resources: dict[Hashable, Any] = attrs.field(factory=dict, repr=False)
    """Shared by every context of one round (`attrs.evolve` keeps the same dict)."""

    def settings(self, name: str) -> Any | None:
        """The campaign's ``[plugins.NAME]`` table as the plugin's class, or None when the
        campaign has no such table."""
        return self.campaign.plugins.get(name)

    @property
    def language(self) -> str:
        """The campaign's language, for words a plugin writes (``zh``, ``en``)."""
        return language_of(self.campaign)

    def resource(self, key: Hashable, make: Callable[[], T]) -> T:
        """The object kept under `key` for this round, made by `make()` the first time.

        A notifier keeps a connection here rather than in a global: the round closes it (its
        ``close()``, when it has one) once every notification due has been tried.
        """
        if key not in self.resources:
            self.resources[key] = make()
        found: T = self.resources[key]
        return found

    def close(self) -> None:
        """Close what the round kept, newest first (the core calls it when a round ends).

        A failure to close is no failure of the round: everything was sent or recorded.
        """
        kept = list(self.resources.values())
        self.resources.clear()
        for value in reversed(kept):
            close = getattr(value, "close", None)
            if callable(close):
                with contextlib.suppress(Exception):
                    close()
