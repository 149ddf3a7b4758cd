"""Built-in plugin ``checks``: the semantic rules of format v1.

Structure (types, required and unknown keys) is checked while loading; these rules look
across the campaign: references resolve, trees have no cycles, dates are in order.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from collections.abc import Iterable, Iterator, Mapping

from campaignkit import hookimpl
from campaignkit.model import Campaign, Deliverable, Requirement
from campaignkit.org import (
    chaser,
    escalation_target,
    expand,
    find_cycle,
    resolve_groups,
    units_by_kind,
)
from campaignkit.problems import Problem, did_you_mean, join_path
from campaignkit.schedule import QUIET_FROM, QUIET_UNTIL, parse_delay

SLUG = re.compile(r"[a-z0-9][a-z0-9-]*\Z")
KNOWN_LANGUAGES = ("zh", "en")
DIMENSION_KINDS = ("photo", "video")


@hookimpl
def campaignkit_check_campaign(campaign: Campaign) -> list[Problem]:
    checks = (
        check_slugs,
        check_header,
        check_units,
        check_groups,
        check_roles,
        check_phases,
        check_activities,
        check_requirements,
    )
    return [problem for check in checks for problem in check(campaign)]


def _missing(path: str, what: str, name: str, candidates: Iterable[str]) -> Problem:
    candidates = list(candidates)
    hint = did_you_mean(name, candidates)
    if hint is None and candidates and len(candidates) <= 12:
        hint = f"known {_plural(what)}: {', '.join(candidates)}"
    return Problem(path, f"unknown {what} `{name}`", hint, code="unknown-reference")


def _plural(what: str) -> str:
    """`unit` → `units`, `activity` → `activities`, `unit or group` → `units or groups`."""
    words = what.split(" or ")
    return " or ".join(w[:-1] + "ies" if w.endswith("y") else w + "s" for w in words)


def _ref(path: str, name: str | None, table: Mapping[str, object], what: str) -> Iterator[Problem]:
    if name is not None and name not in table:
        yield _missing(path, what, name, table)


def _targets(campaign: Campaign, path: str, names: Iterable[str]) -> Iterator[Problem]:
    """Each name must be a unit or a group, and not both."""
    for index, name in enumerate(names):
        item = join_path(path, index)
        in_units, in_groups = name in campaign.units, name in campaign.groups
        if in_units and in_groups:
            yield Problem(
                item,
                f"`{name}` is both a unit and a group",
                "rename one of them so that the name means one thing",
                code="ambiguous-reference",
            )
        elif not (in_units or in_groups):
            yield _missing(item, "unit or group", name, [*campaign.units, *campaign.groups])


def check_slugs(campaign: Campaign) -> Iterator[Problem]:
    if not SLUG.match(campaign.campaign.id):
        yield _bad_slug("campaign.id", campaign.campaign.id)
    tables: Mapping[str, Mapping[str, object]] = {
        "phases": campaign.phases,
        "units": campaign.units,
        "groups": campaign.groups,
        "roles": campaign.roles,
        "activities": campaign.activities,
        "requirements": campaign.requirements,
    }
    for table_name, table in tables.items():
        for key in table:
            if not SLUG.match(key):
                yield _bad_slug(join_path(table_name, key), key)


def _bad_slug(path: str, value: str) -> Problem:
    suggestion = re.sub(r"[^a-z0-9-]+", "-", value.lower()).strip("-")
    hint = "ids use lower-case letters, digits and hyphens and start with a letter or digit"
    if suggestion and SLUG.match(suggestion):
        hint += f", such as `{suggestion}`"
    return Problem(path, f"`{value}` is not a valid id", hint, code="bad-id")


def check_header(campaign: Campaign) -> Iterator[Problem]:
    info = campaign.campaign
    yield from _ref("campaign.issued_by", info.issued_by, campaign.units, "unit")
    try:
        zoneinfo.ZoneInfo(info.timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        hint = did_you_mean(info.timezone, sorted(zoneinfo.available_timezones()))
        yield Problem(
            "campaign.timezone",
            f"unknown time zone `{info.timezone}`",
            hint or "use an IANA name such as `Asia/Shanghai` or `UTC`",
            code="bad-timezone",
        )
    if info.language is not None and info.language not in KNOWN_LANGUAGES:
        yield Problem(
            "campaign.language",
            f"no notice texts for language `{info.language}`; English is used",
            f"known languages: {', '.join(KNOWN_LANGUAGES)}",
            severity="warning",
            code="unknown-language",
        )
    if not QUIET_UNTIL <= info.send_at < QUIET_FROM:
        yield Problem(
            "campaign.send_at",
            f"send_at {info.send_at:%H:%M} falls in the quiet hours, "
            f"{QUIET_FROM:%H:%M} to {QUIET_UNTIL:%H:%M}, when no notice goes out",
            f'choose a time from {QUIET_UNTIL:%H:%M} to before {QUIET_FROM:%H:%M}, such as "09:00"',
            code="quiet-hours",
        )


def check_units(campaign: Campaign) -> Iterator[Problem]:
    for unit in campaign.units.values():
        if unit.parent == unit.id:
            yield Problem(
                f"units.{unit.id}.parent", f"unit `{unit.id}` is its own parent", code="cycle"
            )
        else:
            yield from _ref(f"units.{unit.id}.parent", unit.parent, campaign.units, "unit")
    edges = {
        u.id: [u.parent]
        for u in campaign.units.values()
        if u.parent and u.parent in campaign.units and u.parent != u.id
    }
    cycle = find_cycle(edges)
    if cycle:
        yield Problem(
            f"units.{cycle[0]}.parent",
            f"units' parents form a cycle: {' → '.join(cycle)}",
            "parents must form a tree: one of these units needs another parent",
            code="cycle",
        )


def check_groups(campaign: Campaign) -> Iterator[Problem]:
    kinds = units_by_kind(campaign)
    for group in campaign.groups.values():
        base = f"groups.{group.id}"
        for index, unit in enumerate(group.units):
            yield from _ref(join_path(base, "units", index), unit, campaign.units, "unit")
        for index, sub in enumerate(group.groups):
            yield from _ref(join_path(base, "groups", index), sub, campaign.groups, "group")
        for index, kind in enumerate(group.kinds):
            if kind not in kinds:
                problem = _missing(join_path(base, "kinds", index), "unit kind", kind, kinds)
                yield Problem(
                    problem.path,
                    f"no unit has kind `{kind}`",
                    problem.hint,
                    severity="warning",
                    code="unused-kind",
                )
    cycle = find_cycle({g.id: list(g.groups) for g in campaign.groups.values()})
    if cycle:
        yield Problem(
            f"groups.{cycle[0]}.groups",
            f"groups include each other in a cycle: {' → '.join(cycle)}",
            code="cycle",
        )
        return
    for group_id, members in resolve_groups(campaign).items():
        if not members:
            yield Problem(
                f"groups.{group_id}",
                f"group `{group_id}` has no units",
                severity="warning",
                code="empty-group",
            )


def check_roles(campaign: Campaign) -> Iterator[Problem]:
    for role in campaign.roles.values():
        yield from _ref(f"roles.{role.id}.unit", role.unit, campaign.units, "unit")


def _span(path: str, start: dt.date, end: dt.date, what: str) -> Iterator[Problem]:
    if start > end:
        yield Problem(
            join_path(path, "end"),
            f"{what} ends ({end}) before it starts ({start})",
            code="date-order",
        )


def check_phases(campaign: Campaign) -> Iterator[Problem]:
    for phase in campaign.phases.values():
        yield from _span(f"phases.{phase.id}", phase.start, phase.end, f"phase `{phase.id}`")
    if not campaign.phases:
        yield Problem("phases", "a campaign needs at least one phase", code="missing-key")


def check_activities(campaign: Campaign) -> Iterator[Problem]:
    activities = campaign.activities
    for act in activities.values():
        base = f"activities.{act.id}"
        if act.on is not None and (act.start is not None or act.end is not None):
            yield Problem(
                join_path(base, "on"),
                "an activity has either `on` or `start` and `end`, not both",
                code="conflicting-keys",
            )
        elif act.on is None and (act.start is None or act.end is None):
            missing = "end" if act.start is not None else "start"
            hint = "write `on = DATE` for one day, or `start` and `end` for a span"
            yield Problem(
                join_path(base, missing if act.start or act.end else ""),
                f"activity `{act.id}` has no "
                + (f"`{missing}`" if act.start or act.end else "date"),
                hint,
                code="missing-key",
            )
        elif act.start is not None and act.end is not None:
            yield from _span(base, act.start, act.end, f"activity `{act.id}`")
        yield from _ref(join_path(base, "phase"), act.phase, campaign.phases, "phase")
        yield from _ref(join_path(base, "organizer"), act.organizer, campaign.units, "unit")
        yield from _targets(campaign, join_path(base, "participants"), act.participants)
        if act.part_of == act.id:
            yield Problem(
                join_path(base, "part_of"), "an activity cannot be part of itself", code="cycle"
            )
        else:
            yield from _ref(join_path(base, "part_of"), act.part_of, activities, "activity")
        if act.expected_attendance is not None and act.expected_attendance < 0:
            yield Problem(
                join_path(base, "expected_attendance"), "expected attendance cannot be negative"
            )
        first, last = act.first_day, act.last_day
        if first is None or last is None or first > last:
            continue
        phase = campaign.phases.get(act.phase or "")
        # A phase whose own dates are reversed is reported once, at the phase.
        in_order = phase is not None and phase.start <= phase.end
        if phase is not None and in_order and not (phase.start <= first and last <= phase.end):
            yield Problem(
                join_path(base, "on" if act.on else "start"),
                f"activity `{act.id}` ({_days(first, last)}) falls outside phase "
                f"`{phase.id}` ({_days(phase.start, phase.end)})",
                code="outside-phase",
            )
        parent = activities.get(act.part_of or "")
        if parent is not None and parent.id != act.id:
            p_first, p_last = parent.first_day, parent.last_day
            if p_first and p_last and not (p_first <= first and last <= p_last):
                yield Problem(
                    join_path(base, "on" if act.on else "start"),
                    f"activity `{act.id}` ({_days(first, last)}) falls outside `{parent.id}` "
                    f"({_days(p_first, p_last)}), which it is part of",
                    code="outside-parent",
                )
    part_of = {a.id: [a.part_of] for a in activities.values() if a.part_of is not None}
    cycle = find_cycle(part_of)
    if cycle and len(cycle) > 2:
        yield Problem(
            f"activities.{cycle[0]}.part_of",
            f"activities are part of each other in a cycle: {' → '.join(cycle)}",
            code="cycle",
        )


def _days(first: dt.date, last: dt.date) -> str:
    return str(first) if first == last else f"{first} to {last}"


def check_requirements(campaign: Campaign) -> Iterator[Problem]:
    issued = campaign.campaign.issued_on
    last_day = max((p.end for p in campaign.phases.values()), default=None)
    groups = resolve_groups(campaign)
    for req in campaign.requirements.values():
        base = f"requirements.{req.id}"
        if not req.assignees:
            yield Problem(
                join_path(base, "assignees"),
                f"requirement `{req.id}` has no assignees",
                "name the units or groups that must hand it in",
            )
        yield from _targets(campaign, join_path(base, "assignees"), req.assignees)
        yield from _ref(join_path(base, "submit_to"), req.submit_to, campaign.units, "unit")
        if req.submit_to is None and campaign.campaign.issued_by is None:
            yield Problem(
                join_path(base, "submit_to"),
                f"nobody receives `{req.id}`",
                "set `submit_to`, or `issued_by` in [campaign]",
                severity="warning",
                code="no-recipient",
            )
        if req.due < issued:
            yield Problem(
                join_path(base, "due"),
                f"due {req.due}, before the campaign is issued ({issued})",
                code="date-order",
            )
        elif last_day is not None and req.due > last_day:
            yield Problem(
                join_path(base, "due"),
                f"due {req.due}, after the campaign's last phase ends ({last_day})",
                severity="warning",
                code="after-campaign",
            )
        yield from _check_remind(req.remind, req.due, issued, base)
        yield from _check_escalation(campaign, req, base, groups)
        yield from _check_deliverables(req.deliverables, base)


MAX_WORKING_DAYS = 366
"""The longest working-day delay: each working day is looked up in the calendar."""


def _check_escalation(
    campaign: Campaign, req: Requirement, base: str, groups: Mapping[str, tuple[str, ...]]
) -> Iterator[Problem]:
    path = join_path(base, "escalate_after")
    named = req.escalate_to
    if named is not None:
        in_units, in_roles = named in campaign.units, named in campaign.roles
        if in_units and in_roles:
            yield Problem(
                join_path(base, "escalate_to"),
                f"`{named}` is both a unit and a role",
                "rename one of them so that the name means one thing",
                code="ambiguous-reference",
            )
        elif not (in_units or in_roles):
            yield _missing(
                join_path(base, "escalate_to"),
                "unit or role",
                named,
                [*campaign.units, *campaign.roles],
            )
    if req.escalate_after is None:
        return
    delay = parse_delay(req.escalate_after)
    if delay is None:
        return  # the converter refused it already
    if delay.count < 1:
        yield Problem(path, f"escalate_after must be at least 1 day, found {req.escalate_after}")
        return
    if delay.count > (dt.date.max - req.due).days:
        yield Problem(path, f"escalate_after of {delay.words()} goes past the end of the calendar")
        return
    if delay.unit == "wd" and delay.count > MAX_WORKING_DAYS:
        yield Problem(
            path,
            f"escalate_after of {delay.words()} is more than a year",
            f"write at most {MAX_WORKING_DAYS}wd",
        )
        return
    stranded = tuple(
        unit
        for unit in expand(campaign, req.assignees, groups)
        if escalation_target(campaign, req, unit) is None
    )
    if stranded:
        office = chaser(campaign, req)
        yield Problem(
            path,
            f"nobody receives escalations about {len(stranded)} assignee(s) of `{req.id}` "
            f"({', '.join(stranded[:5])}{' …' if len(stranded) > 5 else ''}): an escalation "
            f"goes one level above the office chasing them (`{office or 'nobody'}`), "
            "and there is none",
            "set `escalate_to` to a unit or role above that office, or give the office a parent",
            severity="warning",
            code="no-escalation-target",
            subjects=stranded,
        )


def _check_remind(
    remind: tuple[int, ...], due: dt.date, issued: dt.date, base: str
) -> Iterator[Problem]:
    seen: set[int] = set()
    for index, days in enumerate(remind):
        path = join_path(base, "remind", index)
        if days < 0:
            yield Problem(
                path,
                f"reminders are days before the due date; found {days}",
                "use escalate_after for days after it",
            )
        elif days in seen:
            yield Problem(path, f"reminder {days} days before is listed twice", code="duplicate")
        elif days > (due - issued).days:  # compared in days: `due - days` may overflow
            yield Problem(
                path,
                f"the reminder {days} days before {due} would fall before the campaign is "
                f"issued ({issued}) and is dropped",
                severity="warning",
                code="reminder-before-issue",
            )
        seen.add(days)


def _check_deliverables(deliverables: Iterable[Deliverable], base: str) -> Iterator[Problem]:
    seen: set[str] = set()
    for index, item in enumerate(deliverables):
        path = join_path(base, "deliverables", index)
        if not SLUG.match(item.id):
            yield _bad_slug(join_path(path, "id"), item.id)
        if item.id in seen:
            yield Problem(
                join_path(path, "id"), f"deliverable `{item.id}` is listed twice", code="duplicate"
            )
        seen.add(item.id)
        if item.min_count < 0:
            yield Problem(join_path(path, "min_count"), "min_count cannot be negative")
        if item.max_count is not None and item.max_count < max(item.min_count, 1):
            yield Problem(
                join_path(path, "max_count"),
                f"max_count ({item.max_count}) is less than min_count ({item.min_count})"
                if item.max_count < item.min_count
                else "max_count must be at least 1",
            )
        for key in ("min_width", "min_height", "min_duration_s", "max_size_mb"):
            value = getattr(item, key)
            if value is not None and not value > 0:  # `not >` also refuses nan
                yield Problem(join_path(path, key), f"{key} must be positive, found {value}")
        if item.kind not in DIMENSION_KINDS:
            for key in ("min_width", "min_height"):
                if getattr(item, key) is not None:
                    yield Problem(
                        join_path(path, key),
                        f"{key} only applies to photos and videos, not a {item.kind}",
                        severity="warning",
                        code="unused-constraint",
                    )
        if item.kind != "video" and item.min_duration_s is not None:
            yield Problem(
                join_path(path, "min_duration_s"),
                f"min_duration_s only applies to videos, not a {item.kind}",
                severity="warning",
                code="unused-constraint",
            )
        for f_index, fmt in enumerate(item.formats):
            plain = fmt.strip().lower().lstrip(".")
            if not plain:
                yield Problem(
                    join_path(path, "formats", f_index),
                    "a format cannot be empty",
                    "write a file format such as `mp4`, `jpg` or `docx`",
                )
            elif fmt != plain:
                yield Problem(
                    join_path(path, "formats", f_index),
                    f"format `{fmt}` should be written in lower case without a dot",
                    f"write `{plain}`",
                )
