"""The built-in checks of ``[assessment]`` (考核): each requirement's points for a
requirement the campaign has, shares from 0 to 1, no negative numbers, and points adding up
to the scale. Part of the ``checks`` plugin."""

from __future__ import annotations

from collections.abc import Iterator

from campaignkit import Campaign, Problem, did_you_mean, join_path, listed, series_id
from campaignkit import gettext as _

BASE = "assessment"


def check_assessment(campaign: Campaign) -> Iterator[Problem]:
    settings = campaign.assessment
    if settings is None:
        return
    if settings.scale <= 0:
        yield _out_of_range("scale", _("the scale is above 0, not {value}"), settings.scale)
    for key in ("late_per_day", "commend", "criticise"):
        value = getattr(settings, key)
        if value < 0:
            yield _out_of_range(key, _("`{key}` is 0 or more, not {value}"), value, key=key)
    for key in ("rejected", "missing"):
        value = getattr(settings, key)
        if not 0 <= value <= 1:
            said = _("`{key}` is a share of the points, from 0 to 1, not {value}")
            yield _out_of_range(key, said, value, key=key)
    yield from _check_points(campaign)
    for level, penalty in settings.ladder_penalty.items():
        path = join_path(BASE, "ladder_penalty", level)
        if not level.isdigit() or int(level) < 1:
            yield Problem(
                path,
                _("`{level}` is not an escalation level").format(level=level),
                _("levels are 1, 2, 3…, as the ladder's steps: `{2 = 5, 3 = 10}`"),
                code="bad-level",
            )
        elif penalty < 0:
            yield Problem(
                path,
                _("a penalty is 0 or more, not {value}").format(value=f"{penalty:g}"),
                code="out-of-range",
            )


def _check_points(campaign: Campaign) -> Iterator[Problem]:
    settings = campaign.assessment
    assert settings is not None
    declared = list(dict.fromkeys(series_id(r) for r in campaign.requirements))
    for requirement, points in settings.points.items():
        path = join_path(BASE, "points", requirement)
        if requirement not in declared:
            hint = did_you_mean(requirement, declared)
            if hint is None and declared and len(declared) <= 12:
                hint = _("known requirements: {names}").format(names=listed(declared))
            yield Problem(
                path,
                _("unknown requirement `{name}`").format(name=requirement),
                hint,
                code="unknown-reference",
            )
        elif points < 0:
            yield Problem(
                path,
                _("points are 0 or more, not {value}").format(value=f"{points:g}"),
                code="out-of-range",
            )
    total = sum(p for r, p in settings.points.items() if p > 0 and r in declared)
    if not settings.points or settings.scale <= 0:
        return
    words = {"total": f"{total:g}", "scale": f"{settings.scale:g}"}
    if total > settings.scale:
        yield Problem(
            join_path(BASE, "points"),
            _("the points add up to {total}, more than the scale ({scale})").format(**words),
            _("lower some points, or raise `scale`"),
            code="over-scale",
        )
    elif total < settings.scale:
        yield Problem(
            join_path(BASE, "points"),
            _("the points add up to {total}, less than the scale ({scale})").format(**words),
            _("every total is still out of {scale}: a unit's points are scaled up").format(**words),
            severity="warning",
            code="under-scale",
        )


def _out_of_range(field: str, message: str, value: float, **words: str) -> Problem:
    return Problem(
        join_path(BASE, field),
        message.format(value=f"{value:g}", **words),
        code="out-of-range",
    )
