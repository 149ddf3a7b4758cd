"""The built-in checks of ``[requirements.ID]``: assignees, dates, reminders, escalations
and deliverables. Part of the ``checks`` plugin."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping

from campaignkit import (
    ESCALATION_TARGETS,
    Campaign,
    Deliverable,
    Problem,
    Requirement,
    join_path,
    parse_delay,
    resolve_groups,
    schedule_of,
)
from campaignkit import gettext as _
from campaignkit.builtin.figure_checks import check_figures
from campaignkit.builtin.references import SLUG, bad_slug, missing, ref, targets

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
                _("requirement `{requirement}` has no assignees").format(requirement=req.id),
                _("name the units or groups that must hand it in"),
            )
        yield from targets(campaign, join_path(base, "assignees"), req.assignees)
        yield from ref(join_path(base, "submit_to"), req.submit_to, campaign.units, "unit")
        if req.submit_to is None and campaign.campaign.issued_by is None:
            yield Problem(
                join_path(base, "submit_to"),
                _("nobody receives `{requirement}`").format(requirement=req.id),
                _("set `submit_to`, or `issued_by` in [campaign]"),
                severity="warning",
                code="no-recipient",
            )
        if req.due < issued and not (req.from_ is not None and req.from_ < issued):
            yield Problem(
                join_path(base, "due"),
                _("due {due}, before the campaign is issued ({issued})").format(
                    due=req.due, issued=issued
                ),
                code="date-order",
            )
        elif last_day is not None and req.due > last_day:
            yield Problem(
                join_path(base, "due"),
                _("due {due}, after the campaign's last phase ends ({last_day})").format(
                    due=req.due, last_day=last_day
                ),
                severity="warning",
                code="after-campaign",
            )
        yield from _check_span(req, base, issued, last_day)
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
    named = req.escalate_to
    if named is not None:
        yield from _target(campaign, join_path(base, "escalate_to"), named)
    if req.escalation and req.escalate_after is not None:
        yield Problem(
            join_path(base, "escalate_after"),
            _("`{requirement}` has both `escalate_after` and an `escalation` ladder").format(
                requirement=req.id
            ),
            _("keep the ladder: its first step says what escalate_after said"),
        )
    if not req.escalation:
        if req.escalate_after is not None:
            yield from _check_delay(req, req.escalate_after, join_path(base, "escalate_after"))
        return
    schedule = schedule_of(campaign)
    last = req.due
    for index, step in enumerate(req.escalation):
        at = join_path(base, "escalation", index)
        if step.to not in ESCALATION_TARGETS:
            yield from _target(campaign, join_path(at, "to"), step.to, ESCALATION_TARGETS)
        problems = list(_check_delay(req, step.after, join_path(at, "after")))
        yield from problems
        delay = parse_delay(step.after)
        if problems or delay is None:
            continue
        day = schedule.after(req.due, delay)
        if day <= last:
            yield Problem(
                join_path(at, "after"),
                _("step {step} of the ladder comes on {day}, not after the step before it").format(
                    step=index + 1, day=day
                ),
                _("each step's `after` must be later than the one before it"),
                code="date-order",
            )
        last = max(last, day)


def _check_span(
    req: Requirement, base: str, issued: dt.date, last_day: dt.date | None
) -> Iterator[Problem]:
    """A recurring requirement's span lies inside the campaign: it starts no earlier than
    the plan is issued, and (a warning) ends no later than its last phase."""
    if req.from_ is not None and req.from_ < issued:
        yield Problem(
            join_path(base, "from"),
            _("`from` is {day}, before the campaign is issued ({issued})").format(
                day=req.from_, issued=issued
            ),
            code="date-order",
        )
    if req.until is not None and last_day is not None and req.until > last_day:
        yield Problem(
            join_path(base, "until"),
            _("`until` is {day}, after the campaign's last phase ends ({last_day})").format(
                day=req.until, last_day=last_day
            ),
            severity="warning",
            code="after-campaign",
        )
    if (req.from_ is not None or req.until is not None) and req.every is None:
        yield Problem(
            join_path(base, "every"),
            _("`from` and `until` are for a recurring requirement, which needs `every`"),
            _('write every = "week" or every = "month", or leave out from and until'),
        )


def _target(
    campaign: Campaign, path: str, named: str, words: Iterable[str] = ()
) -> Iterator[Problem]:
    """A unit or role an escalation goes to: it must exist, and be only one of them;
    `words` are what a ladder may say instead (``parent``), for the did-you-mean."""
    in_units, in_roles = named in campaign.units, named in campaign.roles
    if in_units and in_roles:
        yield Problem(
            path,
            _("`{name}` is both a unit and a role").format(name=named),
            _("rename one of them so that the name means one thing"),
            code="ambiguous-reference",
        )
    elif not (in_units or in_roles):
        yield missing(path, "unit or role", named, [*words, *campaign.units, *campaign.roles])


def _check_delay(req: Requirement, written: int | str, path: str) -> Iterator[Problem]:
    """A delay after the deadline (``escalate_after``, or a ladder step's ``after``), its
    key named as written."""
    key = path.rpartition(".")[2]
    delay = parse_delay(written)
    if delay is None:
        return  # the converter refused it already
    if delay.count < 1:
        yield Problem(
            path,
            _("`{key}` must be at least 1 day, found {found}").format(key=key, found=written),
        )
        return
    if delay.count > (dt.date.max - req.due).days:
        yield Problem(
            path,
            _("`{key}` of {delay} goes past the end of the calendar").format(
                key=key, delay=delay.words()
            ),
        )
        return
    if delay.unit == "wd" and delay.count > MAX_WORKING_DAYS:
        yield Problem(
            path,
            _("`{key}` of {delay} is more than a year").format(key=key, delay=delay.words()),
            _("write at most {most}wd").format(most=MAX_WORKING_DAYS),
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
                _("reminders are days before the due date; found {days}").format(days=days),
                _("use escalate_after for days after it"),
            )
        elif days > MAX_REMIND_DAYS:
            yield Problem(
                path,
                _("a reminder is at most {most} days before the due date; found {days}").format(
                    most=MAX_REMIND_DAYS, days=days
                ),
            )
        elif days in seen:
            yield Problem(
                path,
                _("reminder {days} days before is listed twice").format(days=days),
                code="duplicate",
            )
        elif days > (due - issued).days:  # compared in days: `due - days` may overflow
            yield Problem(
                path,
                _(
                    "the reminder {days} days before {due} would fall before the campaign is "
                    "issued ({issued}) and is dropped"
                ).format(days=days, due=due, issued=issued),
                severity="warning",
                code="reminder-before-issue",
            )
        seen.add(days)


def _check_deliverables(deliverables: Iterable[Deliverable], base: str) -> Iterator[Problem]:
    seen: set[str] = set()
    fields: set[str] = set()
    for index, item in enumerate(deliverables):
        path = join_path(base, "deliverables", index)
        yield from check_figures(item, path, fields)
        if not SLUG.match(item.id):
            yield bad_slug(join_path(path, "id"), item.id)
        if item.id in seen:
            yield Problem(
                join_path(path, "id"),
                _("deliverable `{deliverable}` is listed twice").format(deliverable=item.id),
                code="duplicate",
            )
        seen.add(item.id)
        if item.min_count < 0:
            yield Problem(join_path(path, "min_count"), _("min_count cannot be negative"))
        if item.max_count is not None and item.max_count < max(item.min_count, 1):
            yield Problem(
                join_path(path, "max_count"),
                _("max_count ({most}) is less than min_count ({least})").format(
                    most=item.max_count, least=item.min_count
                )
                if item.max_count < item.min_count
                else _("max_count must be at least 1"),
            )
        for key in ("min_width", "min_height", "min_duration_s", "max_size_mb"):
            value = getattr(item, key)
            if value is not None and not value > 0:  # `not >` also refuses nan
                yield Problem(
                    join_path(path, key),
                    _("{key} must be positive, found {value}").format(key=key, value=value),
                )
        if item.kind not in DIMENSION_KINDS:
            for key in ("min_width", "min_height"):
                if getattr(item, key) is not None:
                    yield Problem(
                        join_path(path, key),
                        _("{key} only applies to photos and videos, not a {kind}").format(
                            key=key, kind=item.kind
                        ),
                        severity="warning",
                        code="unused-constraint",
                    )
        if item.kind != "video" and item.min_duration_s is not None:
            yield Problem(
                join_path(path, "min_duration_s"),
                _("min_duration_s only applies to videos, not a {kind}").format(kind=item.kind),
                severity="warning",
                code="unused-constraint",
            )
        for f_index, fmt in enumerate(item.formats):
            plain = fmt.strip().lower().lstrip(".")
            if not plain:
                yield Problem(
                    join_path(path, "formats", f_index),
                    _("a format cannot be empty"),
                    _("write a file format such as `mp4`, `jpg` or `docx`"),
                )
            elif fmt != plain:
                yield Problem(
                    join_path(path, "formats", f_index),
                    _("format `{format}` should be written in lower case without a dot").format(
                        format=fmt
                    ),
                    _("write `{plain}`").format(plain=plain),
                )
