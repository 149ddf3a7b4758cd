"""``extends``: a campaign that starts from another.

The rule is simple: tables merge key by key, at every depth; any other value — a string,
a date, an array — in the child replaces the parent's. A district's plan extends the city's
and adds its own units, activities and requirements, or changes a due date. Chains are
allowed, up to `MAX_CHAIN` files; a cycle is an error naming its files; a path is relative
to the file that names it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs

from .i18n import _
from .locate import key_lines
from .problems import Problem

MAX_CHAIN = 32
"""The most files in one chain, the first included: a real chain has two or three, and a
longer one is most likely made to exhaust the machine."""

Parse = Callable[[Path], tuple[dict[str, Any], str, Problem | None]]
"""Reads and parses a parent file: its dict, its text and its problem, if any."""


@attrs.frozen
class Layer:
    """One file of an `extends` chain: where it is and its text (for line numbers)."""

    source: str
    text: str


def merge(parent: dict[str, Any], child: dict[str, Any]) -> dict[str, Any]:
    """`child` over `parent`: tables merge by key, anything else in the child wins."""
    out = dict(parent)
    for key, value in child.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = value
    return out


def resolve_extends(
    raw: dict[str, Any], source: str | None, parse: Parse
) -> tuple[dict[str, Any], list[Layer], list[Problem]]:
    """Merge `raw` over the campaigns it extends, nearest last.

    Returns the merged dict, the parent layers (nearest first) and any problems; with a
    problem, the dict is `raw` unmerged. The chain is followed in a loop, not by recursion,
    so that its length is a limit of our own and not Python's stack.
    """
    here = _resolved(source) if source else None
    seen = [here] if here else []
    dicts = [raw]
    layers: list[Layer] = []
    naming, naming_source, naming_text = raw, source, None
    while (name := naming.get("extends")) is not None:
        if not isinstance(name, str):
            break  # the converter reports the wrong type
        found = _parent(name, naming_source, seen, len(dicts))
        if isinstance(found, Problem):
            return raw, [], [_at_extends(found, naming_source, naming_text)]
        data, text, problem = parse(found)
        if problem is not None:
            # A problem inside the parent points at its line there; one with the parent as a
            # whole (missing, not UTF-8) points at the `extends` that names it.
            problem = attrs.evolve(
                problem,
                path="extends",
                message=_("the campaign it extends, {name}: {problem}").format(
                    name=name, problem=problem.message
                ),
            )
            if problem.line is None:
                problem = _at_extends(problem, naming_source, naming_text)
            return raw, [], [problem]
        dicts.append(data)
        layers.append(Layer(str(found), text))
        seen.append(found)
        naming, naming_source, naming_text = data, str(found), text
    merged = dicts[-1]
    for child in reversed(dicts[:-1]):
        merged = merge(merged, child)
    return merged, layers, []


def _parent(name: str, naming: str | None, seen: list[Path], files: int) -> Path | Problem:
    """The file `name` stands for, written in the file `naming`; or why it cannot be read."""
    if "\0" in name:
        return Problem("extends", _("the file name holds a null character"), code="bad-path")
    if files >= MAX_CHAIN:
        chain = f"{seen[0].name} → … → {seen[-1].name} → {name}"
        return Problem(
            "extends",
            _("the chain of `extends` is longer than {most} files ({chain})").format(
                most=MAX_CHAIN, chain=chain
            ),
            _("let a campaign extend the one it builds on directly, not through a long chain"),
            code="chain-too-long",
        )
    here = (_resolved(naming) or Path(naming)) if naming else None
    path = _resolved((here.parent if here else Path.cwd()) / name)
    if path is None:
        return Problem(
            "extends", _("the campaign it extends, {name}, cannot be found").format(name=name)
        )
    if path in seen:
        cycle = " → ".join(p.name for p in (*seen[seen.index(path) :], path))
        message = _("campaigns extend each other in a cycle: {cycle}").format(cycle=cycle)
        return Problem("extends", message, code="cycle")
    return path


def _resolved(path: str | Path) -> Path | None:
    """The absolute path without links, or None when it has none (a loop of links)."""
    try:
        return Path(path).resolve()
    except (OSError, RuntimeError, ValueError):  # RuntimeError: a loop of links, before 3.13
        return None


def _at_extends(problem: Problem, naming: str | None, text: str | None) -> Problem:
    """`problem` at the `extends` key of the file `naming`. A parent's (known by its `text`)
    is placed on its line, and its message names it; the first file's line is found later,
    with every other problem's."""
    if text is None or naming is None:
        return attrs.evolve(problem, path="extends", file=naming)
    line = key_lines(text).get("extends")
    message = _("in {file}: {problem}").format(file=Path(naming).name, problem=problem.message)
    return attrs.evolve(problem, path="extends", file=naming, line=line, message=message)
