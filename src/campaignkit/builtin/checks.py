"""Built-in plugin ``checks``: the semantic rules of format v1.

Structure (types, required and unknown keys) is checked while loading; these rules look
across the campaign: references resolve, trees have no cycles, dates are in order.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterator, Mapping

from campaignkit import (
    LANGUAGES,
    QUIET_FROM,
    QUIET_UNTIL,
    Campaign,
    Problem,
    did_you_mean,
    find_cycle,
    hookimpl,
    join_path,
    language_tag,
    listed,
    resolve_groups,
    units_by_kind,
)
from campaignkit import gettext as _
from campaignkit.builtin.assessment_checks import check_assessment
from campaignkit.builtin.notice_checks import check_notices
from campaignkit.builtin.references import SLUG, bad_slug, missing, ref, targets
from campaignkit.builtin.requirement_checks import check_requirements
from campaignkit.builtin.text_checks import check_text


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
        check_text,
        check_assessment,
        check_notices,
    )
    return [problem for check in checks for problem in check(campaign)]


def check_slugs(campaign: Campaign) -> Iterator[Problem]:
    if not SLUG.match(campaign.campaign.id):
        yield bad_slug("campaign.id", campaign.campaign.id)
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
            # An occurrence of a recurring requirement is `ID@PERIOD`: the file wrote `ID`.
            written = key.partition("@")[0] if table_name == "requirements" else key
            if not SLUG.match(written):
                yield bad_slug(join_path(table_name, written), written)


def check_header(campaign: Campaign) -> Iterator[Problem]:
    info = campaign.campaign
    yield from ref("campaign.issued_by", info.issued_by, campaign.units, "unit")
    try:
        zoneinfo.ZoneInfo(info.timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        hint = did_you_mean(info.timezone, sorted(zoneinfo.available_timezones()))
        yield Problem(
            "campaign.timezone",
            _("unknown time zone `{zone}`").format(zone=info.timezone),
            hint or _("use an IANA name such as `Asia/Shanghai` or `UTC`"),
            code="bad-timezone",
        )
    chosen, nearest = language_tag(info.language)
    if info.language is not None and chosen is None:
        yield Problem(
            "campaign.language",
            _("no notice texts for language `{language}`; English is used").format(
                language=info.language
            ),
            _("known languages: {languages} (and their regions, such as zh-CN)").format(
                languages=listed(LANGUAGES)
            ),
            severity="warning",
            code="unknown-language",
        )
    elif nearest:
        yield Problem(
            "campaign.language",
            _("no texts in traditional Chinese yet: `{language}` gets the simplified ones").format(
                language=info.language
            ),
            severity="warning",
            code="nearest-language",
        )
    if not QUIET_UNTIL <= info.send_at < QUIET_FROM:
        quiet_from, quiet_until = f"{QUIET_FROM:%H:%M}", f"{QUIET_UNTIL:%H:%M}"
        yield Problem(
            "campaign.send_at",
            _(
                "send_at {send_at} falls in the quiet hours, {quiet_from} to {quiet_until}, "
                "when no notice goes out"
            ).format(
                send_at=f"{info.send_at:%H:%M}", quiet_from=quiet_from, quiet_until=quiet_until
            ),
            _('choose a time from {quiet_until} to before {quiet_from}, such as "09:00"').format(
                quiet_from=quiet_from, quiet_until=quiet_until
            ),
            code="quiet-hours",
        )


def check_units(campaign: Campaign) -> Iterator[Problem]:
    for unit in campaign.units.values():
        if unit.parent == unit.id:
            yield Problem(
                f"units.{unit.id}.parent",
                _("unit `{unit}` is its own parent").format(unit=unit.id),
                code="cycle",
            )
        else:
            yield from ref(f"units.{unit.id}.parent", unit.parent, campaign.units, "unit")
    edges = {
        u.id: [u.parent]
        for u in campaign.units.values()
        if u.parent and u.parent in campaign.units and u.parent != u.id
    }
    cycle = find_cycle(edges)
    if cycle:
        yield Problem(
            f"units.{cycle[0]}.parent",
            _("units' parents form a cycle: {cycle}").format(cycle=" → ".join(cycle)),
            _("parents must form a tree: one of these units needs another parent"),
            code="cycle",
        )


def check_groups(campaign: Campaign) -> Iterator[Problem]:
    kinds = units_by_kind(campaign)
    for group in campaign.groups.values():
        base = f"groups.{group.id}"
        for index, unit in enumerate(group.units):
            yield from ref(join_path(base, "units", index), unit, campaign.units, "unit")
        for index, sub in enumerate(group.groups):
            yield from ref(join_path(base, "groups", index), sub, campaign.groups, "group")
        for index, kind in enumerate(group.kinds):
            if kind not in kinds:
                problem = missing(join_path(base, "kinds", index), "unit kind", kind, kinds)
                yield Problem(
                    problem.path,
                    _("no unit has kind `{kind}`").format(kind=kind),
                    problem.hint,
                    severity="warning",
                    code="unused-kind",
                )
    cycle = find_cycle({g.id: list(g.groups) for g in campaign.groups.values()})
    if cycle:
        yield Problem(
            f"groups.{cycle[0]}.groups",
            _("groups include each other in a cycle: {cycle}").format(cycle=" → ".join(cycle)),
            code="cycle",
        )
        return
    for group_id, members in resolve_groups(campaign).items():
        if not members:
            yield Problem(
                f"groups.{group_id}",
                _("group `{group}` has no units").format(group=group_id),
                severity="warning",
                code="empty-group",
            )


def check_roles(campaign: Campaign) -> Iterator[Problem]:
    for role in campaign.roles.values():
        yield from ref(f"roles.{role.id}.unit", role.unit, campaign.units, "unit")


def _span(path: str, start: dt.date, end: dt.date, message: str, **names: str) -> Iterator[Problem]:
    """`message`, with `{start}`, `{end}` and `names` filled in, when a span ends before it
    starts."""
    if start > end:
        yield Problem(
            join_path(path, "end"),
            message.format(start=start, end=end, **names),
            code="date-order",
        )


def check_phases(campaign: Campaign) -> Iterator[Problem]:
    for phase in campaign.phases.values():
        message = _("phase `{phase}` ends ({end}) before it starts ({start})")
        yield from _span(f"phases.{phase.id}", phase.start, phase.end, message, phase=phase.id)
    if not campaign.phases:
        yield Problem("phases", _("a campaign needs at least one phase"), code="missing-key")


def check_activities(campaign: Campaign) -> Iterator[Problem]:
    activities = campaign.activities
    for act in activities.values():
        base = f"activities.{act.id}"
        if act.on is not None and (act.start is not None or act.end is not None):
            yield Problem(
                join_path(base, "on"),
                _("an activity has either `on` or `start` and `end`, not both"),
                code="conflicting-keys",
            )
        elif act.on is None and (act.start is None or act.end is None):
            missing = "end" if act.start is not None else "start"
            half = act.start or act.end
            yield Problem(
                join_path(base, missing if half else ""),
                (
                    _("activity `{activity}` has no `{key}`")
                    if half
                    else _("activity `{activity}` has no date")
                ).format(activity=act.id, key=missing),
                _("write `on = DATE` for one day, or `start` and `end` for a span"),
                code="missing-key",
            )
        elif act.start is not None and act.end is not None:
            message = _("activity `{activity}` ends ({end}) before it starts ({start})")
            yield from _span(base, act.start, act.end, message, activity=act.id)
        yield from ref(join_path(base, "phase"), act.phase, campaign.phases, "phase")
        yield from ref(join_path(base, "organizer"), act.organizer, campaign.units, "unit")
        yield from targets(campaign, join_path(base, "participants"), act.participants)
        if act.part_of == act.id:
            yield Problem(
                join_path(base, "part_of"),
                _("an activity cannot be part of itself"),
                code="cycle",
            )
        else:
            yield from ref(join_path(base, "part_of"), act.part_of, activities, "activity")
        if act.expected_attendance is not None and act.expected_attendance < 0:
            yield Problem(
                join_path(base, "expected_attendance"),
                _("expected attendance cannot be negative"),
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
                _(
                    "activity `{activity}` ({days}) falls outside phase `{phase}` ({phase_days})"
                ).format(
                    activity=act.id,
                    days=_days(first, last),
                    phase=phase.id,
                    phase_days=_days(phase.start, phase.end),
                ),
                code="outside-phase",
            )
        parent = activities.get(act.part_of or "")
        if parent is not None and parent.id != act.id:
            p_first, p_last = parent.first_day, parent.last_day
            if p_first and p_last and not (p_first <= first and last <= p_last):
                yield Problem(
                    join_path(base, "on" if act.on else "start"),
                    _(
                        "activity `{activity}` ({days}) falls outside `{parent}` "
                        "({parent_days}), which it is part of"
                    ).format(
                        activity=act.id,
                        days=_days(first, last),
                        parent=parent.id,
                        parent_days=_days(p_first, p_last),
                    ),
                    code="outside-parent",
                )
    part_of = {a.id: [a.part_of] for a in activities.values() if a.part_of is not None}
    cycle = find_cycle(part_of)
    if cycle and len(cycle) > 2:
        yield Problem(
            f"activities.{cycle[0]}.part_of",
            _("activities are part of each other in a cycle: {cycle}").format(
                cycle=" → ".join(cycle)
            ),
            code="cycle",
        )


def _days(first: dt.date, last: dt.date) -> str:
    if first == last:
        return str(first)
    return _("{first} to {last}").format(first=first, last=last)
