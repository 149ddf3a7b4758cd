"""``extends``: a campaign that starts from another.

The rule is simple: tables merge key by key, at every depth; any other value — a string,
a date, an array — in the child replaces the parent's. A district's plan extends the city's
and adds its own units, activities and requirements, or changes a due date. Chains are
allowed; a cycle is an error naming its files; a path is relative to the file that names it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import attrs

from .problems import Problem


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
    raw: dict[str, Any],
    source: str | None,
    parse: Any,
    chain: tuple[Path, ...] = (),
) -> tuple[dict[str, Any], list[Layer], list[Problem]]:
    """Merge `raw` over the campaign it extends, recursively.

    `parse(path)` reads and parses a parent file: it returns (dict, text, problem).
    Returns the merged dict, the parent layers (nearest first) and any problems.
    """
    parent_name = raw.get("extends")
    if parent_name is None:
        return raw, [], []
    if not isinstance(parent_name, str):
        return raw, [], []  # the converter reports the wrong type
    here = Path(source).resolve() if source else None
    base = here.parent if here else Path.cwd()
    parent_path = (base / parent_name).resolve()
    seen = (*chain, here) if here else chain
    if parent_path in seen:
        files = " → ".join(str(p.name) for p in (*seen[seen.index(parent_path) :], parent_path))
        return (
            raw,
            [],
            [Problem("extends", f"campaigns extend each other in a cycle: {files}", code="cycle")],
        )
    data, text, problem = parse(parent_path)
    if problem is not None:
        # A problem inside the parent points at its line there; one with the parent as a
        # whole (missing, not UTF-8) points at this file's `extends`.
        where = f"the campaign it extends, {parent_name}"
        found = attrs.evolve(
            problem,
            path="extends",
            message=f"{where}: {problem.message}",
            file=problem.file if problem.line is not None else source,
        )
        return raw, [], [found]
    grand, layers, problems = resolve_extends(data, str(parent_path), parse, seen)
    return merge(grand, raw), [Layer(str(parent_path), text), *layers], problems
