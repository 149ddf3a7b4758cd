"""Reading dates and times from the command line, in the campaign's time zone."""

from __future__ import annotations

import datetime as dt
import re

import typer

from ..i18n import _
from ..model import Campaign
from ..syntax import half_width
from ..timeline import DAY_END, DAY_START, local
from .output import at_time

# 2022-11-14, 2022/11/14, 2022-11-14T10:00, 2022-11-14 10:00, 2022/11/14 10:00:30, and an
# offset if there is one (+08:00, Z).
WRITTEN = re.compile(
    r"(?P<y>\d{4})[-/](?P<m>\d{1,2})[-/](?P<d>\d{1,2})"
    r"(?:[T ](?P<time>\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(?P<zone>Z|[+-]\d{2}:?\d{2})?)?\Z"
)


def moment(
    value: str | None, campaign: Campaign, *, end_of_day: bool = True, option: str
) -> dt.datetime | None:
    """A date or a date and time, local unless it has an offset.

    A bare day means the end of that day, 23:59:59 local — what people mean by "as of 6
    December" — in every command, and the command says so; only the start of a range
    (`end_of_day` False: ``timeline --from``) means its beginning.
    """
    if value is None:
        return None
    text = half_width(value).strip()
    found = WRITTEN.match(text)
    try:
        if found is None:
            raise ValueError(text)
        day = dt.date(int(found["y"]), int(found["m"]), int(found["d"]))
        if found["time"] is None:
            when = local(campaign, day, DAY_END if end_of_day else DAY_START)
            if end_of_day:
                said = _("note: {option} {value} means the end of that day, {moment}")
                at = at_time(when, campaign, "%Y-%m-%d %H:%M:%S")
                typer.echo(said.format(option=option, value=value, moment=at), err=True)
            return when
        hour, rest = found["time"].split(":", 1)
        clock = dt.time.fromisoformat(f"{int(hour):02d}:{rest}")
        if found["zone"] is None:
            return local(campaign, day, clock)
        zone = dt.datetime.fromisoformat(f"2000-01-01T00:00{_offset(found['zone'])}").tzinfo
        # Said back in the campaign's own time, like every other moment it shows.
        here = local(campaign, day, clock).tzinfo
        return dt.datetime.combine(day, clock, tzinfo=zone).astimezone(here)
    except ValueError:
        said = _(
            "`{value}` is not a date (2022-11-14) or a date and time (2022-11-14 10:00, "
            "2022/11/14 10:00, or with an offset: 2022-11-14T10:00+08:00)"
        )
        raise typer.BadParameter(said.format(value=value), param_hint=option) from None


def _offset(zone: str) -> str:
    if zone == "Z":
        return "+00:00"
    return zone if ":" in zone else f"{zone[:3]}:{zone[3:]}"
