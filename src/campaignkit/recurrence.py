"""Recurring requirements: a weekly report (周报) or a monthly one, as one occurrence per period.

A requirement with ``every = "week"`` (or ``"month"``), ``from`` and ``until`` is handed in
once per ISO week (or calendar month) that the span touches, the first and last periods
cut to the span. Its ``due`` is an expression in the period, ``"period.end + 1d"``.

The loader expands it, on the parsed TOML, into one requirement per period, with the id
``ID@KEY``: ``weekly-progress@2020-W23``, ``monthly-cases@2021-06``. Each is a requirement
like any other, with its own deadline, reminders, ladder, hand-ins and standing, so the
engine, the ledger and every report work on occurrences without knowing they are; its
``series`` is the id the file gave, its ``occurrence`` the period's key. A problem found in
an occurrence is said once, at the recurring requirement's key (`fold`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

import attrs

from .dates import off_rest_day, shift
from .i18n import _
from .model import occurrence_name
from .problems import Problem

if TYPE_CHECKING:
    from .dates import Workdays
    from .model import Campaign

PERIOD = re.compile(
    r"\s*period\.(?P<edge>start|end)"
    r"\s*(?:(?P<sign>[+-])\s*(?P<count>\d+)\s*(?P<unit>wd|d|w))?\s*\Z"
)
MAX_OCCURRENCES = 366
"""The most periods one recurring requirement may have: a daily report for a year."""
EVERY = ("week", "month")


@attrs.frozen
class Period:
    """One period of a recurring requirement: its key, first and last day."""

    key: str
    start: dt.date
    end: dt.date


def periods(every: str, first: dt.date, last: dt.date) -> list[Period]:
    """The ISO weeks (``2020-W23``) or calendar months (``2020-06``) from `first` to
    `last`, in order, the first and last cut to them."""
    found = []
    day = first
    while day <= last:
        if every == "week":
            year, week, weekday = day.isocalendar()
            key = f"{year}-W{week:02d}"
            end = day + dt.timedelta(days=7 - weekday)
        else:
            key = f"{day.year}-{day.month:02d}"
            following = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
            end = following - dt.timedelta(days=1)
        found.append(Period(key, day, min(end, last)))
        if end >= dt.date.max - dt.timedelta(days=1):
            break
        day = end + dt.timedelta(days=1)
    return found


def occurrence_id(series: str, key: str) -> str:
    """The id of one occurrence: ``weekly-progress@2020-W23``."""
    return f"{series}@{key}"


def occurrences_of(campaign: Campaign, series: str) -> list[str]:
    """The ids of a recurring requirement's occurrences, in order; [] for any other id."""
    prefix = f"{series}@"
    return [rid for rid in campaign.requirements if rid.startswith(prefix)]


def needs_occurrence(campaign: Campaign, series: str) -> Problem:
    """The slip of naming a recurring requirement where one of its periods is meant."""
    keys = ", ".join(rid.partition("@")[2] for rid in occurrences_of(campaign, series))
    return Problem(
        "occurrence",
        _("`{requirement}` recurs: name the occurrence").format(requirement=series),
        _("its occurrences: {keys}").format(keys=keys),
        code="no-occurrence",
    )


def hold_rules(raw: dict[str, Any]) -> dict[str, object]:
    """Take the ``due`` of each recurring requirement out of `raw`, by requirement id: it
    speaks of its period, which the campaign's date expressions do not know."""
    held: dict[str, object] = {}
    tables = raw.get("requirements")
    if not isinstance(tables, dict):
        return held
    for rid, table in tables.items():
        if isinstance(table, dict) and "every" in table and "due" in table:
            held[rid] = table["due"]
            tables[rid] = {key: value for key, value in table.items() if key != "due"}
    return held


def expand(
    raw: dict[str, Any],
    held: dict[str, object],
    calendar: Callable[[], Workdays],
    language: str,
) -> list[Problem]:
    """Replace each recurring requirement of `raw` by its occurrences, in place and in
    order; the problems that stop one from expanding, at its keys. A requirement that does
    not expand keeps a due date (its `from`), so that its other keys are still checked."""
    tables = raw.get("requirements")
    if not isinstance(tables, dict) or (not held and not _recurring(tables)):
        return []
    problems: list[Problem] = []
    out: dict[str, Any] = {}
    for rid, table in tables.items():
        if not (isinstance(table, dict) and "every" in table):
            out[rid] = table
            continue
        found, occurrences = _expand(rid, table, held.get(rid), calendar, language)
        problems += found
        if occurrences:
            out.update(occurrences)
        else:  # a due date of its own, so that what else is wrong in it is said too
            start = table.get("from")
            issued = raw.get("campaign", {}).get("issued_on")
            stand_in = start if isinstance(start, dt.date) else issued
            out[rid] = {**table, "due": stand_in} if isinstance(stand_in, dt.date) else table
    raw["requirements"] = out
    return problems


def _recurring(tables: dict[str, Any]) -> bool:
    return any(isinstance(t, dict) and "every" in t for t in tables.values())


def _expand(
    rid: str,
    table: dict[str, Any],
    rule: object,
    calendar: Callable[[], Workdays],
    language: str,
) -> tuple[list[Problem], dict[str, Any]]:
    base = f"requirements.{rid}"
    every, first, last = table.get("every"), table.get("from"), table.get("until")
    if every not in EVERY:
        return [], {}  # the converter says what `every` may be
    problems = [
        Problem(
            f"{base}.{key}",
            _(
                "a recurring requirement needs `{key}`: the first day of its first period, or "
                "the last day of its last"
            ).format(key=key),
            _("write {key} = 2020-06-01").format(key=key),
            code="missing-key",
        )
        for key, value in (("from", first), ("until", last))
        if value is None
    ]
    match = PERIOD.match(rule) if isinstance(rule, str) else None
    if rule is None:
        problems.append(_needs_rule(f"{base}.due", _("a recurring requirement needs `due`")))
    elif match is None:
        problems.append(
            _needs_rule(
                f"{base}.due",
                _("a recurring requirement is due relative to its period; found {found}").format(
                    found=rule if isinstance(rule, str) else repr(rule)
                ),
            )
        )
    if problems or not isinstance(first, dt.date) or not isinstance(last, dt.date):
        return problems, {}
    assert match is not None
    if first > last:
        message = _("`from` ({first}) is after `until` ({last})").format(first=first, last=last)
        return [Problem(f"{base}.until", message, code="date-order")], {}
    spans = periods(str(every), first, last)
    if len(spans) > MAX_OCCURRENCES:
        message = _("{count} periods from {first} to {last}; at most {most} are allowed")
        return [
            Problem(
                f"{base}.until",
                message.format(count=len(spans), first=first, last=last, most=MAX_OCCURRENCES),
                _("shorten the span, or report every month rather than every week"),
                code="too-many",
            )
        ], {}
    name = table.get("name")
    rest = table.get("rest_day")
    occurrences = {}
    for span in spans:
        try:
            day = _due(span, match, calendar, rest if rest in ("before", "after") else None)
        except (LookupError, OverflowError) as error:
            return [Problem(f"{base}.due", str(error), code="unknown-year")], {}
        named = occurrence_name(name, span.key, language) if isinstance(name, str) else name
        occurrences[occurrence_id(rid, span.key)] = {**table, "name": named, "due": day}
    return [], occurrences


def _needs_rule(path: str, message: str) -> Problem:
    return Problem(
        path,
        message,
        _('write it in `period.start` or `period.end`, such as "period.end + 1d" (units d, w, wd)'),
        code="bad-expression",
    )


def _due(
    span: Period, match: re.Match[str], calendar: Callable[[], Workdays], rest: str | None
) -> dt.date:
    day = span.start if match["edge"] == "start" else span.end
    if match["sign"] is not None:
        sign = 1 if match["sign"] == "+" else -1
        day = shift(day, sign, int(match["count"]), match["unit"], calendar)
    return off_rest_day(day, rest, calendar()) if rest is not None else day


def fold(problems: Iterable[Problem]) -> list[Problem]:
    """The problems with each occurrence's key paths (``requirements.weekly@2020-W23.x``)
    turned into its recurring requirement's (``requirements.weekly.x``), where the file
    wrote them; a problem every occurrence has is said once."""
    seen: set[tuple[str | None, str | None, str]] = set()
    out = []
    for problem in problems:
        path = problem.path
        if path and path.startswith("requirements.") and "@" in path:
            head, _at, tail = path.partition("@")
            rest = tail.split(".", 1)
            path = head + ("." + rest[1] if len(rest) > 1 else "")
            problem = attrs.evolve(problem, path=path)
            marker = (path, problem.code, problem.severity)
            if marker in seen:
                continue
            seen.add(marker)
        out.append(problem)
    return out
