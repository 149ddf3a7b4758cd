"""Reading dates and times from the command line, in the campaign's time zone."""

from __future__ import annotations

import datetime as dt

import typer

from ..model import Campaign
from ..timeline import DAY_END, DAY_START, local


def moment(
    value: str | None, campaign: Campaign, *, end_of_day: bool, option: str
) -> dt.datetime | None:
    """A date (start or end of that day, local) or a date-time (local unless it has an offset)."""
    if value is None:
        return None
    text = value.strip()
    try:
        if len(text) == 10:
            day = dt.date.fromisoformat(text)
            return local(campaign, day, DAY_END if end_of_day else DAY_START)
        when = dt.datetime.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(
            f"`{value}` is not a date (2020-06-30) or a date and time (2020-06-30T18:00)",
            param_hint=option,
        ) from None
    return when if when.tzinfo is not None else local(campaign, when.date(), when.time())
