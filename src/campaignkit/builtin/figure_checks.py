"""The built-in checks of a `figures` deliverable: its fields and its ``checks`` rules. Part
of the ``checks`` plugin."""

from __future__ import annotations

import math
import re
from collections.abc import Iterator

from campaignkit import (
    Deliverable,
    FigureField,
    Problem,
    Rule,
    did_you_mean,
    join_path,
    listed,
    parse_rule,
)
from campaignkit import gettext as _

# A field id starts with a letter, so that a rule tells `2` from an id, and has no dash at
# either end nor two together, so that `a - b` and `a-b` are never confused.
FIELD_ID = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*\Z")
NUMERIC = ("integer", "decimal", "percent")
# What only files have: none of it applies to figures.
FILE_KEYS = ("formats", "max_count", "min_width", "min_height", "min_duration_s", "max_size_mb")


def check_figures(item: Deliverable, path: str, seen: set[str]) -> Iterator[Problem]:
    """The problems of one deliverable's `fields` and `checks`; `seen` holds the field ids
    of the requirement's deliverables before it (a field id is unique in its requirement)."""
    if item.kind != "figures":
        for key in ("fields", "checks"):
            if getattr(item, key):
                yield Problem(
                    join_path(path, key),
                    _("`{key}` only applies to a figures deliverable, not a {kind}").format(
                        key=key, kind=item.kind
                    ),
                    _('write `kind = "figures"`, or remove `{key}`').format(key=key),
                    code="unused-constraint",
                )
        return
    for key in FILE_KEYS:
        if getattr(item, key):
            yield _not_for_figures(path, key)
    if item.min_count != 1:
        yield _not_for_figures(path, "min_count")
    if not item.fields:
        yield Problem(
            join_path(path, "fields"),
            _("a figures deliverable needs at least one field"),
            _('list them: fields = [{ id = "hazards-found", type = "integer" }]'),
            code="no-fields",
        )
    fields = {field.id: field for field in item.fields}
    for index, field in enumerate(item.fields):
        where = join_path(path, "fields", index)
        if not FIELD_ID.match(field.id):
            yield Problem(
                join_path(where, "id"),
                _("`{id}` cannot be a field's id").format(id=field.id),
                _("start with a letter, then letters, digits and single dashes: hazards-found"),
                code="bad-id",
            )
        if field.id in seen:
            yield Problem(
                join_path(where, "id"),
                _("field `{id}` is listed twice in the requirement").format(id=field.id),
                code="duplicate",
            )
        seen.add(field.id)
        yield from _bounds(field.type, field.min, field.max, where)
        yield from _weight(field.type, field.weight, fields, where)
    for index, text in enumerate(item.checks):
        yield from _rule(text, fields, join_path(path, "checks", index))


def _not_for_figures(path: str, key: str) -> Problem:
    return Problem(
        join_path(path, key),
        _("`{key}` does not apply to figures: they are typed in, not files").format(key=key),
        _("remove `{key}`, or hand the files in as a deliverable of their own").format(key=key),
        code="unused-constraint",
    )


def _bounds(kind: str, least: float | None, most: float | None, where: str) -> Iterator[Problem]:
    for key, value in (("min", least), ("max", most)):
        if value is None:
            continue
        if kind not in NUMERIC:
            yield Problem(
                join_path(where, key),
                _("`{key}` only applies to numbers, not to a {type} field").format(
                    key=key, type=kind
                ),
                code="unused-constraint",
            )
        elif not math.isfinite(value):
            yield Problem(
                join_path(where, key),
                _("`{key}` must be a finite number, found {value}").format(key=key, value=value),
            )
    if (
        kind in NUMERIC
        and least is not None
        and most is not None
        and math.isfinite(least)
        and math.isfinite(most)
        and least > most
    ):
        yield Problem(
            join_path(where, "max"),
            _("max ({most}) is less than min ({least})").format(
                most=f"{most:g}", least=f"{least:g}"
            ),
            code="bad-range",
        )


def _weight(
    kind: str, weight: str | None, fields: dict[str, FigureField], where: str
) -> Iterator[Problem]:
    if weight is None:
        return
    path = join_path(where, "weight")
    if kind != "percent":
        yield Problem(
            path,
            _("`weight` only applies to a percent field, not to a {type} field").format(type=kind),
            code="unused-constraint",
        )
    elif weight not in fields:
        yield Problem(
            path,
            _("unknown field `{name}`").format(name=weight),
            did_you_mean(weight, fields) or _("its fields: {names}").format(names=listed(fields)),
            code="unknown-reference",
        )
    elif fields[weight].type not in ("integer", "decimal"):
        yield Problem(
            path,
            _("`{name}` is a {type} field; a weight is an integer or decimal field").format(
                name=weight, type=fields[weight].type
            ),
        )


def _rule(text: str, fields: dict[str, FigureField], path: str) -> Iterator[Problem]:
    rule = parse_rule(text, path)
    if not isinstance(rule, Rule):
        yield rule
        return
    for name in rule.names:
        if name not in fields:
            yield Problem(
                path,
                _("the rule `{rule}` names an unknown field `{name}`").format(rule=text, name=name),
                did_you_mean(name, fields) or _("its fields: {names}").format(names=listed(fields)),
                code="unknown-reference",
            )
        elif fields[name].type not in NUMERIC:
            yield Problem(
                path,
                _(
                    "the rule `{rule}` compares `{name}`, a {type} field; rules compare numbers"
                ).format(rule=text, name=name, type=fields[name].type),
            )
