"""What the built-in checks say of ids and references: a slug's form, a name that is not
there (with a "did you mean"), a name that is both a unit and a group."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping

from campaignkit.model import Campaign
from campaignkit.problems import Problem, did_you_mean, join_path

SLUG = re.compile(r"[a-z0-9][a-z0-9-]*\Z")


def missing(path: str, what: str, name: str, candidates: Iterable[str]) -> Problem:
    candidates = list(candidates)
    hint = did_you_mean(name, candidates)
    if hint is None and candidates and len(candidates) <= 12:
        hint = f"known {plural(what)}: {', '.join(candidates)}"
    return Problem(path, f"unknown {what} `{name}`", hint, code="unknown-reference")


def plural(what: str) -> str:
    """`unit` → `units`, `activity` → `activities`, `unit or group` → `units or groups`."""
    words = what.split(" or ")
    return " or ".join(w[:-1] + "ies" if w.endswith("y") else w + "s" for w in words)


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
                f"`{name}` is both a unit and a group",
                "rename one of them so that the name means one thing",
                code="ambiguous-reference",
            )
        elif not (in_units or in_groups):
            yield missing(item, "unit or group", name, [*campaign.units, *campaign.groups])


def bad_slug(path: str, value: str) -> Problem:
    suggestion = re.sub(r"[^a-z0-9-]+", "-", value.lower()).strip("-")
    hint = "ids use lower-case letters, digits and hyphens and start with a letter or digit"
    if suggestion and SLUG.match(suggestion):
        hint += f", such as `{suggestion}`"
    return Problem(path, f"`{value}` is not a valid id", hint, code="bad-id")
