"""Figures the compliance model invents for a rehearsal, so that its report shows a roll-up.

Each unit that hands in a requirement with `figures` deliverables gets plausible figures:
within each field's ``min`` and ``max`` (0 to 100 by default, a percentage 60 to 100), and
keeping every ``checks`` rule (drawn again until they hold, a few times at most; the last
draw is kept, and the rehearsal rejects it as the figure rules would a unit's). A required
text gets the field's name, a date the requirement's due date.

The draws come from a generator of their own per requirement, seeded by the seed and the
requirement's id: the same seed gives the same figures, and a campaign's submissions, times
and outcomes are the same with figures as without.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Mapping
from fractions import Fraction

import attrs

from .expressions import Number, Rule, holds
from .figures import NUMERIC, exact, figure_deliverables, rules_of
from .model import Campaign, FigureField, Requirement
from .submissions import Submission

TRIES = 20
"""How many times a unit's figures are drawn again to keep the rules."""


def figure_maker(requirement: Requirement, seed: int) -> Callable[[], Mapping[str, str]] | None:
    """A function that invents one unit's figures for `requirement` at each call, or None
    when it asks for none (then nothing is drawn, and a rehearsal costs what it did)."""
    deliverables = figure_deliverables(requirement)
    if not deliverables:
        return None
    rng = random.Random(f"{seed}/figures/{requirement.id}")
    fields = [item for d in deliverables for item in d.fields]
    # Each number's draw, worked out once: a rehearsal draws for tens of thousands of units.
    draws = [(item.id, _drawer(item, rng)) for item in fields if item.type in NUMERIC]
    rules: list[Rule] = [rule for d in deliverables for _index, rule in rules_of(d)]
    fixed = {
        item.id: item.label if item.type == "text" else requirement.due.isoformat()
        for item in fields
        if item.required and item.type in ("text", "date")
    }

    def make() -> Mapping[str, str]:
        values: dict[str, Number] = {}
        for _try in range(TRIES):
            values = {key: draw() for key, draw in draws}
            if all(holds(rule, values) is not False for rule in rules):
                break
        return {**{key: _text(value) for key, value in values.items()}, **fixed}

    return make


def _drawer(item: FigureField, rng: random.Random) -> Callable[[], Number]:
    """A function drawing one value of `item`, uniformly within its bounds."""
    least = exact(item.min) if item.min is not None else Fraction(0)
    most = exact(item.max) if item.max is not None else least + 100
    if item.type == "percent" and item.min is None:
        least = min(Fraction(60), most)  # most units report a good rate
    most = max(most, least)  # refused when the campaign loads; still never a crash here
    if item.type == "integer":
        low, high = math.ceil(least), math.floor(most)
        return (lambda: rng.randint(low, high)) if low <= high else (lambda: low)
    # Tenths, within the bounds.
    low, high = math.ceil(least * 10), math.floor(most * 10)
    if low > high:
        return lambda: least
    return lambda: Fraction(rng.randint(low, high), 10)


def _text(value: Number) -> str:
    if isinstance(value, int) or value.denominator == 1:
        return str(int(value))
    return f"{float(value):.1f}"


def with_figures(campaign: Campaign, submissions: list[Submission], seed: int) -> list[Submission]:
    """`submissions`, each with figures invented for its requirement's figures deliverables;
    the list itself when the campaign asks for none."""
    makers = {req.id: figure_maker(req, seed) for req in campaign.requirements.values()}
    if not any(makers.values()):
        return submissions
    out = []
    for submission in submissions:
        make = makers[submission.requirement]
        out.append(attrs.evolve(submission, figures=make()) if make else submission)
    return out
