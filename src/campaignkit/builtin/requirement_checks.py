"""The built-in checks of ``[requirements.ID]``: assignees, dates, reminders, escalations
and deliverables. Part of the ``checks`` plugin."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping

from campaignkit.builtin.references import SLUG, bad_slug, missing, ref, targets
from campaignkit.model import Campaign, Deliverable, Requirement
from campaignkit.org import chaser, escalation_target, expand, resolve_groups
from campaignkit.problems import Problem, join_path
from campaignkit.schedule import parse_delay

DIMENSION_KINDS = ("photo", "video")


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
        yield from targets(campaign, join_path(base, "assignees"), req.assignees)
        yield from ref(join_path(base, "submit_to"), req.submit_to, campaign.units, "unit")
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
MAX_REMIND_DAYS = 366
"""The earliest reminder, in days before the due date: a campaign lasts at most a year."""


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
            yield missing(
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
        elif days > MAX_REMIND_DAYS:
            yield Problem(
                path,
                f"a reminder is at most {MAX_REMIND_DAYS} days before the due date; found {days}",
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
            yield bad_slug(join_path(path, "id"), item.id)
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
