"""A run: the context the engine hands to plugins as it walks the timeline."""

from __future__ import annotations

import datetime as dt

import attrs

from .model import Campaign


@attrs.frozen
class Run:
    """One walk of a campaign's timeline, on the virtual or the real clock."""

    campaign: Campaign
    now: dt.datetime
    live: bool = False
    """True for `tick` on the real clock, False for `simulate`."""
