"""Figures in a hand-in: what a unit types in for a `figures` deliverable, judged and rolled up.

A figure is handed in as text, as the unit wrote it (``"12"``, ``"85%"``, ``"１２"`` typed
with a Chinese input method): the ledger keeps that text, and it is read against its field
here, by one rule for the checks, the portal and the reports.

- ``integer``: a whole number; ``decimal``: a number with a decimal point or without;
  ``percent``: a number of points, with or without ``%`` (``85`` and ``85%`` are both 85);
  ``text``: words, at most `MAX_TEXT` characters; ``date``: ``2020-06-30``.
- A figure that is not of its type, out of its field's ``min``..``max``, a required figure
  left out, and a ``checks`` rule that fails are each a reason to reject the hand-in
  (`figure_problems`), in the language spoken, like a file's reasons. A rule naming a
  figure that was left out (or that is not valid) is not applied.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from collections.abc import Iterator, Mapping
from fractions import Fraction

from .expressions import Number, Rule, holds, parse_rule
from .i18n import _
from .model import Deliverable, FigureField, Requirement
from .problems import Problem, did_you_mean, join_path, listed

NUMERIC = ("integer", "decimal", "percent")
"""The types of figures that are numbers: compared by rules, and rolled up."""
MAX_TEXT = 500
"""The longest text figure, in characters."""
MAX_FIGURE_TEXT = 1_000
"""The longest figure a unit may write, in characters, whatever its type: what is longer
is refused before it is read."""

FigureValue = int | Fraction | str | dt.date
"""A figure as read: a whole number, another number (exact), words, or a day."""

_INTEGER = re.compile(r"[+-]?\d+\Z")
_DECIMAL = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)\Z")


def figure_deliverables(requirement: Requirement) -> tuple[Deliverable, ...]:
    """The requirement's `figures` deliverables, in file order."""
    return tuple(d for d in requirement.deliverables if d.kind == "figures")


def figure_fields(requirement: Requirement) -> dict[str, tuple[Deliverable, FigureField]]:
    """Every figure the requirement asks for, by field id, with its deliverable."""
    return {f.id: (d, f) for d in figure_deliverables(requirement) for f in d.fields}


def read_figure(item: FigureField, text: str) -> FigureValue | None:
    """`text` read as a figure of `item`'s type, or None when it is not one (its range is
    not looked at: see `figure_problems`)."""
    # Full-width digits and signs (a Chinese input method's) as the ASCII ones they are.
    plain = text.strip() if text.isascii() else unicodedata.normalize("NFKC", text).strip()
    if item.type == "text":
        return plain if len(plain) <= MAX_TEXT else None
    if item.type == "date":
        try:
            return dt.date.fromisoformat(plain) if len(plain) == 10 else None
        except ValueError:
            return None
    if item.type == "percent":
        plain = plain.removesuffix("%").rstrip()
    if len(plain) > 40:
        return None
    if _INTEGER.match(plain):
        return int(plain)
    if item.type == "integer" or not _DECIMAL.match(plain):
        return None
    return Fraction(plain)


@functools.lru_cache(maxsize=1_024)  # the same few bounds, for each hand-in of a rehearsal
def exact(bound: float) -> Fraction:
    """A field's ``min`` or ``max`` as written (0.1, not the float nearest it)."""
    return Fraction(repr(bound))


def figure_text(value: FigureValue | float | None) -> str:
    """A figure as people read it: ``12``, ``0.5``, ``2020-06-30``, and words as they are."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Fraction) and value.denominator == 1:
        return str(value.numerator)
    number = float(value)
    if number.is_integer():
        return str(int(number))
    return f"{number:.2f}".rstrip("0").rstrip(".")


def figure_problems(requirement: Requirement, figures: Mapping[str, str]) -> list[Problem]:
    """Every way `figures` miss the requirement's figures deliverables, in the language
    spoken; each problem's path is ``DELIVERABLE.FIELD`` (``DELIVERABLE.checks[N]`` for a
    rule), and its message names the deliverable and the field by their names."""
    deliverables = figure_deliverables(requirement)
    known = {item.id for d in deliverables for item in d.fields}
    problems = [_unknown(requirement, name) for name in figures if name not in known]
    for deliverable in deliverables:
        values: dict[str, Number] = {}
        for item in deliverable.fields:
            problem, value = _check_field(deliverable, item, figures.get(item.id))
            if problem is not None:
                problems.append(problem)
            elif isinstance(value, int | Fraction):
                values[item.id] = value
        problems.extend(_failed_rules(deliverable, values))
    return problems


def rules_of(deliverable: Deliverable) -> Iterator[tuple[int, Rule]]:
    """The deliverable's readable `checks`, with their index (the checks plugin reports the
    others when the campaign loads)."""
    for index, text in enumerate(deliverable.checks):
        rule = _readable(text)
        if rule is not None:
            yield index, rule


@functools.lru_cache(maxsize=1_024)  # asked for each hand-in of a rehearsal
def _readable(text: str) -> Rule | None:
    rule = parse_rule(text)
    return rule if isinstance(rule, Rule) else None


def _unknown(requirement: Requirement, name: str) -> Problem:
    known = list(figure_fields(requirement))
    return Problem(
        name,
        _("`{requirement}` has no figure `{name}`").format(requirement=requirement.id, name=name),
        did_you_mean(name, known)
        or (_("its figures: {names}").format(names=listed(known)) if known else None),
        code="unknown-figure",
    )


def _check_field(
    deliverable: Deliverable, item: FigureField, text: str | None
) -> tuple[Problem | None, FigureValue | None]:
    """The problem with one figure, if any, and its value when it is valid."""
    if text is None or not text.strip():
        if not item.required:
            return None, None
        message = _("{label}: {field} is required, found nothing")
        return _problem(deliverable, item, message, "figure-missing"), None
    value = read_figure(item, text) if len(text) <= MAX_FIGURE_TEXT else None
    if value is None:
        if item.type == "integer":
            message = _("{label}: {field} should be a whole number, found `{value}`")
        elif item.type == "decimal":
            message = _("{label}: {field} should be a number, found `{value}`")
        elif item.type == "percent":
            message = _("{label}: {field} should be a percentage such as 85%, found `{value}`")
        elif item.type == "date":
            message = _("{label}: {field} should be a date such as 2020-06-30, found `{value}`")
        else:
            message = _("{label}: {field} is longer than {most} characters")
        given = text.strip() if len(text) <= MAX_FIGURE_TEXT else text[:20] + "..."
        return _problem(deliverable, item, message, "figure-type", value=given), None
    if isinstance(value, int | Fraction):
        if item.min is not None and value < exact(item.min):
            message = _("{label}: {field} should be at least {least}, found {value}")
            return _out_of_range(deliverable, item, message, value, item.min), value
        if item.max is not None and value > exact(item.max):
            message = _("{label}: {field} should be at most {most}, found {value}")
            return _out_of_range(deliverable, item, message, value, item.max), value
    return None, value


def _out_of_range(
    deliverable: Deliverable, item: FigureField, message: str, value: Number, bound: float
) -> Problem:
    unit = item.unit or ("%" if item.type == "percent" else "")
    shown = {"value": f"{figure_text(value)}{unit}", "least": f"{bound:g}{unit}"}
    return _problem(deliverable, item, message, "figure-range", most=shown["least"], **shown)


def _problem(
    deliverable: Deliverable, item: FigureField, message: str, code: str, **words: object
) -> Problem:
    """A figure's problem, at ``DELIVERABLE.FIELD``, naming both as people read them."""
    words = {"most": MAX_TEXT, **words}
    said = message.format(label=deliverable.label, field=item.label, **words)
    return Problem(join_path(deliverable.id, item.id), said, code=code)


def _failed_rules(deliverable: Deliverable, values: Mapping[str, Number]) -> Iterator[Problem]:
    for index, rule in rules_of(deliverable):
        if holds(rule, values) is False:
            labels = {item.id: item.label for item in deliverable.fields}
            found = listed(f"{labels.get(n, n)} = {figure_text(values[n])}" for n in rule.names)
            message = _("{label}: the check `{rule}` fails ({values})").format(
                label=deliverable.label, rule=rule.text, values=found
            )
            yield Problem(join_path(deliverable.id, "checks", index), message, code="figure-check")


def figure_heading(item: FigureField) -> str:
    """A field as a column's heading: its name, and what it counts (``排查隐患数（处）``)."""
    unit = item.unit or ("%" if item.type == "percent" else "")
    return _("{name} ({id})").format(name=item.label, id=unit) if unit else item.label
