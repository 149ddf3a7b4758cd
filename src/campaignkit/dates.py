"""Dates that follow other dates: expressions, working days and rest-day moves.

Any date of a campaign may be written relative to another date of the same campaign, named by
its key path: ``"phases.safety-month.end + 5d"``, ``"campaign.issued_on + 6d"``,
``"requirements.plan.due - 2w"``, ``"activities.fire-day.on - 1d"``, ``"… + 3wd"`` (working
days). Expressions resolve in dependency order; a reference to a date that does not exist,
or a cycle, is a problem at the expression's key path. A requirement's ``rest_day`` then
moves a due date that falls on a rest day to the working day before or after — and an
expression naming that due date sees the moved date.

This works on the parsed TOML, before it is structured: the model only ever holds dates. The
walks over it (`date_paths`, `literal_dates`, `walk`) take any mapping, so they read a tomlkit
document too (`campaignkit new` rewrites one). `RestDays` asks a working-day calendar "is
this a rest day?" for a caller that goes on, with Saturdays and Sundays, for a year the
calendar does not know.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Protocol

import attrs

from .i18n import _
from .problems import Problem, did_you_mean

if TYPE_CHECKING:
    from .model import Campaign

EXPRESSION = re.compile(
    r"\s*(?P<ref>[a-z_][a-z0-9_]*(?:\.[a-z0-9][a-z0-9_-]*)*)"
    r"\s*(?:(?P<sign>[+-])\s*(?P<count>\d+)\s*(?P<unit>wd|d|w))?\s*\Z"
)
UNITS = {"d": "days", "w": "weeks", "wd": "working days"}
DELAY = re.compile(r"\s*(?P<count>\d+)\s*(?P<unit>wd|d)\s*\Z")
"""Days after a date, as `escalate_after` writes them: ``3d``, ``3wd``."""
QUOTED_DATE = re.compile(r"\d{4}-\d{2}-\d{2}([T ].*)?")

# Where dates stand in format v1: table, keys.
DATE_KEYS: dict[str, tuple[str, ...]] = {
    "phases": ("start", "end"),
    "activities": ("on", "start", "end"),
    "requirements": ("due", "from", "until"),
}


class Workdays(Protocol):
    """A working-day calendar, for ``wd`` in date expressions and for ``rest_day``."""

    @property
    def name(self) -> str:
        """The calendar's name, for messages (``cn-workdays``, ``weekends``)."""
        ...

    def is_workday(self, day: dt.date) -> bool:
        """True on a working day; raises `LookupError` for a year the calendar does not know."""
        ...


@attrs.frozen
class Weekends:
    """The calendar used when no plugin provides one: Saturdays and Sundays are rest days."""

    name: str = "weekends"

    def is_workday(self, day: dt.date) -> bool:
        return day.weekday() < 5


class RestDays:
    """Rest days by a working-day calendar, or Saturdays and Sundays (`Weekends`) without one.

    A year the calendar does not know (`LookupError`) falls back to Saturdays and Sundays and
    is remembered in `unknown_years`, so that the caller can say so.
    """

    def __init__(self, calendar: Workdays | None = None) -> None:
        self.calendar = calendar
        self.unknown_years: set[int] = set()

    @property
    def name(self) -> str:
        return str(getattr(self.calendar, "name", "calendar")) if self.calendar else "weekends"

    def __call__(self, day: dt.date) -> bool:
        if self.calendar is not None:
            try:
                return not self.calendar.is_workday(day)
            except LookupError:
                self.unknown_years.add(day.year)
        return not Weekends().is_workday(day)


def date_paths(raw: Mapping[str, Any]) -> Iterator[tuple[str, Any]]:
    """Every (key path, value) where format v1 puts a date."""
    campaign = raw.get("campaign")
    if isinstance(campaign, Mapping) and "issued_on" in campaign:
        yield "campaign.issued_on", campaign["issued_on"]
    for table, keys in DATE_KEYS.items():
        entries = raw.get(table)
        if not isinstance(entries, Mapping):
            continue
        for item_id, item in entries.items():
            if isinstance(item, Mapping):
                for key in keys:
                    if key in item:
                        yield f"{table}.{item_id}.{key}", item[key]


def walk(raw: Mapping[str, Any]) -> Iterator[tuple[Any, Any, str, Any]]:
    """(container, key, key path, value) for every value of `raw`, depth first: a table's
    values by key, an array's by index (``quiet[1]``). The container is the table or array
    holding the value, so that a caller can replace it."""
    return _walk(raw, "")


def _walk(container: Any, path: str) -> Iterator[tuple[Any, Any, str, Any]]:
    if isinstance(container, Mapping):
        for key, value in list(container.items()):
            sub = f"{path}.{key}" if path else str(key)
            yield container, key, sub, value
            yield from _walk(value, sub)
    elif isinstance(container, list):
        for index, value in enumerate(container):
            sub = f"{path}[{index}]"
            yield container, index, sub, value
            yield from _walk(value, sub)


def literal_dates(raw: Mapping[str, Any]) -> Iterator[tuple[Any, Any, str, dt.date]]:
    """(container, key, key path, date) for every literal date and date-time of `raw`,
    wherever it stands: in the keys of `date_paths`, in a plugin's table, in an array."""
    for container, key, path, value in walk(raw):
        if isinstance(value, dt.date):
            yield container, key, path, value


def _set(raw: dict[str, Any], path: str, value: dt.date) -> None:
    parts = path.split(".")
    if parts[0] == "campaign":
        raw["campaign"][parts[1]] = value
    else:
        raw[parts[0]][".".join(parts[1:-1])][parts[-1]] = value


def shift(
    day: dt.date, sign: int, count: int, unit: str, calendar: Callable[[], Workdays]
) -> dt.date:
    """`day` moved by `count` days, weeks or working days (raises LookupError for a year the
    working-day calendar does not know)."""
    if unit == "d":
        return day + dt.timedelta(days=sign * count)
    if unit == "w":
        return day + dt.timedelta(weeks=sign * count)
    workdays = calendar()
    moved = 0
    while moved < count:
        day += dt.timedelta(days=sign)
        if workdays.is_workday(day):
            moved += 1
    return day


def off_rest_day(day: dt.date, direction: str, workdays: Workdays) -> dt.date:
    """The working day on or `direction` ("before" / "after") of `day`."""
    step = dt.timedelta(days=1 if direction == "after" else -1)
    while not workdays.is_workday(day):
        day += step
    return day


def resolve_dates(
    raw: dict[str, Any], calendar: Callable[[], Workdays]
) -> tuple[list[Problem], set[str]]:
    """Replace every date expression in `raw` with its date, and move due dates off rest
    days. Returns the problems found, and the key paths left unresolved (their problem, or
    the one they depend on, is said once). `calendar` is called only when it is needed.
    """
    values = dict(date_paths(raw))
    resolved: dict[str, dt.date] = {}
    problems: list[Problem] = []
    failed: set[str] = set()

    def rest_rule(path: str) -> str:
        if not path.startswith("requirements.") or not path.endswith(".due"):
            return "keep"
        requirement = raw["requirements"][path[len("requirements.") : -len(".due")]]
        rule = requirement.get("rest_day", "keep")
        return rule if rule in ("before", "after") else "keep"

    def resolve(path: str, chain: tuple[str, ...]) -> dt.date | None:
        if path in resolved:
            return resolved[path]
        if path in failed:
            return None
        value = values[path]
        day: dt.date | None
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            day = value
        elif isinstance(value, str) and QUOTED_DATE.fullmatch(value.strip()):
            return None  # a date in quotes: the converter says to drop the quotes
        elif isinstance(value, str):
            day = _evaluate(path, value, chain)
        else:
            return None  # not a date: the converter says so, with the right words
        if day is not None and rest_rule(path) != "keep":
            try:
                day = off_rest_day(day, rest_rule(path), calendar())
            except LookupError as error:
                problems.append(Problem(path, str(error), code="unknown-year"))
                day = None
        if day is None:
            failed.add(path)
        else:
            resolved[path] = day
        return day

    def _evaluate(path: str, text: str, chain: tuple[str, ...]) -> dt.date | None:
        match = EXPRESSION.match(text)
        if match is None:
            problems.append(
                Problem(
                    path,
                    _('"{text}" is neither a date nor a date expression').format(text=text),
                    _(
                        "write a date (2020-06-01) or an expression such as "
                        '"phases.safety-month.end + 5d" (units d, w, wd)'
                    ),
                    code="bad-expression",
                )
            )
            return None
        ref = match["ref"]
        if ref not in values:
            hint = did_you_mean(ref, values) or _(
                "it names the key of another date, such as phases.ID.end"
            )
            message = _("`{reference}` is not a date of this campaign").format(reference=ref)
            problems.append(Problem(path, message, hint, code="unknown-reference"))
            return None
        if ref in chain or ref == path:
            members = [*chain[chain.index(ref) :], path] if ref in chain else [path]
            cycle = " → ".join([*members, ref])
            message = _("dates refer to each other in a cycle: {cycle}").format(cycle=cycle)
            problems.append(Problem(ref, message, code="cycle"))
            return None
        base = resolve(ref, (*chain, path))
        if base is None:
            return None
        if match["sign"] is None:
            return base
        try:
            return shift(
                base,
                1 if match["sign"] == "+" else -1,
                int(match["count"]),
                match["unit"],
                calendar,
            )
        except LookupError as error:
            problems.append(Problem(path, str(error), code="unknown-year"))
        except OverflowError:
            message = _('"{text}" goes past the end of the calendar').format(text=text)
            problems.append(Problem(path, message))
        return None

    for path in values:
        day = resolve(path, ())
        if day is not None and day is not values[path]:
            _set(raw, path, day)
    return problems, failed


def calendar_problems(campaign: Campaign, calendar: Callable[[], Workdays]) -> list[Problem]:
    """What the working-day calendar cannot answer for the campaign: an escalation counted
    in working days of a year it does not know (an error, as for a date expression), and,
    when the campaign holds notices on rest days, a year of the campaign it does not know
    (a warning: Saturdays and Sundays are taken as its rest days)."""
    problems: list[Problem] = []
    last = campaign.campaign.issued_on
    for requirement in campaign.requirements.values():
        last = max(last, requirement.due)
        written = requirement.escalate_after
        match = DELAY.match(written) if isinstance(written, str) else None
        count = written if isinstance(written, int) else int(match["count"]) if match else 0
        if match is None or match["unit"] == "d":
            last = max(last, requirement.due + dt.timedelta(days=count))
            continue
        try:
            day = shift(requirement.due, 1, count, "wd", calendar)
        except LookupError as error:
            problems.append(
                Problem(
                    f"requirements.{requirement.id}.escalate_after", str(error), code="unknown-year"
                )
            )
        else:
            last = max(last, day)
    if not campaign.campaign.send_on_rest_days:
        workdays = calendar()
        # Notices go out until a few days after the last deadline or escalation.
        end = last + dt.timedelta(days=3)
        for year in range(campaign.campaign.issued_on.year, end.year + 1):
            try:
                workdays.is_workday(dt.date(year, 1, 1))
            except LookupError as error:
                problems.append(
                    Problem(
                        "campaign.send_on_rest_days",
                        _(
                            "{error}, when notices of this campaign go out; that year they are "
                            "held on Saturdays and Sundays only"
                        ).format(error=error),
                        _(
                            "upgrade the calendar's plugin when the State Council has published "
                            "the year's holidays"
                        ),
                        severity="warning",
                        code="unknown-year",
                    )
                )
                break
    return problems
