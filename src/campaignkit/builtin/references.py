"""What the built-in checks say of ids and references: a slug's form, a name that is not
there (with a "did you mean"), a name that is both a unit and a group."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping

from campaignkit import Campaign, Problem, did_you_mean, join_path, listed
from campaignkit import gettext as _

SLUG = re.compile(r"[a-z0-9][a-z0-9-]*\Z")


def missing(path: str, what: str, name: str, candidates: Iterable[str]) -> Problem:
    """No `what` (``unit``, ``group``, ``phase``, ``activity``, ``unit kind``, ``unit or
    group``, ``unit or role``) is called `name`; the hint names the closest candidate, or
    lists a few."""
    candidates = list(candidates)
    message, known = _unknown(what)
    hint = did_you_mean(name, candidates)
    if hint is None and candidates and len(candidates) <= 12:
        hint = known.format(names=listed(candidates))
    return Problem(path, message.format(name=name), hint, code="unknown-reference")


def _unknown(what: str) -> tuple[str, str]:
    """The message of an unknown `what` (with `{name}`), and the hint listing the known ones
    (with `{names}`)."""
    if what == "unit":
        return _("unknown unit `{name}`"), _("known units: {names}")
    if what == "group":
        return _("unknown group `{name}`"), _("known groups: {names}")
    if what == "phase":
        return _("unknown phase `{name}`"), _("known phases: {names}")
    if what == "activity":
        return _("unknown activity `{name}`"), _("known activities: {names}")
    if what == "unit kind":
        return _("unknown unit kind `{name}`"), _("known unit kinds: {names}")
    if what == "unit or group":
        return _("unknown unit or group `{name}`"), _("known units or groups: {names}")
    if what == "unit or role":
        return _("unknown unit or role `{name}`"), _("known units or roles: {names}")
    raise ValueError(f"no message for an unknown {what}")


def ref(path: str, name: str | None, table: Mapping[str, object], what: str) -> Iterator[Problem]:
    if name is not None and name not in table:
        yield missing(path, what, name, table)


def targets(campaign: Campaign, path: str, names: Iterable[str]) -> Iterator[Problem]:
    """Each name must be a unit or a group, and not both."""
    for index, name in enumerate(names):
        item = join_path(path, index)
        in_units, in_groups = name in campaign.units, name in campaign.groups
        if in_units and in_groups:
            yield Problem(
                item,
                _("`{name}` is both a unit and a group").format(name=name),
                _("rename one of them so that the name means one thing"),
                code="ambiguous-reference",
            )
        elif not (in_units or in_groups):
            yield missing(item, "unit or group", name, [*campaign.units, *campaign.groups])


def bad_slug(path: str, value: str) -> Problem:
    suggestion = re.sub(r"[^a-z0-9-]+", "-", value.lower()).strip("-")
    if suggestion and SLUG.match(suggestion):
        hint = _(
            "ids use lower-case letters, digits and hyphens and start with a letter or digit, "
            "such as `{suggestion}`"
        ).format(suggestion=suggestion)
    else:
        hint = _("ids use lower-case letters, digits and hyphens and start with a letter or digit")
    return Problem(path, _("`{value}` is not a valid id").format(value=value), hint, code="bad-id")
