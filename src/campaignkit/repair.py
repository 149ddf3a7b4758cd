"""Mending a campaign that did not structure, so that its other mistakes are found too.

A file with a misspelt key, an unknown assignee and an activity that ends before it starts
has three mistakes, and a clerk wants to read all three at once. A structural mistake
stops the converter, so the checks would never see the rest. This mends a copy of the
parsed file just enough to structure — an unknown key is dropped, a value of the wrong type
that has a default is dropped, a required value that is missing or wrong gets a placeholder
— and says where it mended, so that the checks can run on the rest and nothing they say
about a mended spot is reported: only the structural problem is.

The mended campaign is for checking only; a file with errors is never run.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
import types
from collections.abc import Iterable, Mapping
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints

import attrs

from .model import Campaign, toml_key
from .problems import Problem
from .structuring import structure

ROUNDS = 8
"""A table that is not a table, then its missing keys: each round mends one level."""
PART = re.compile(r"\.?([^.\[\]]+)|\[(\d+)\]")


@attrs.frozen
class Mended:
    """A campaign mended for checking, and the key paths whose checks are not to be said."""

    campaign: Campaign
    quiet: tuple[str, ...]
    """Key paths (and everything under them) that hold a placeholder or lost a value."""

    def says(self, problem: Problem) -> bool:
        """False for a problem about a spot that was mended."""
        return not any(
            problem.path == spot or problem.path.startswith((f"{spot}.", f"{spot}["))
            for spot in self.quiet
        )


def mend(raw: Mapping[str, Any], problems: Iterable[Problem]) -> Mended | None:
    """`raw` (the parsed file, plugins left out) mended until it structures; None when it
    cannot be, or when the mending would touch the campaign's header, whose placeholders
    would make every date check say something untrue."""
    data = copy.deepcopy(dict(raw))
    quiet: list[str] = []
    found = list(problems)
    for _ in range(ROUNDS):
        progress = False
        for problem in found:
            spot = _mend_one(data, problem)
            if spot is None:
                continue
            if spot == "" or spot.split(".")[0] in ("format", "campaign"):
                return None
            progress = True
            quiet.append(spot)
        campaign, found = structure(data, Campaign)
        if campaign is not None:
            return Mended(campaign, tuple(quiet))
        if not progress:
            return None
    return None


def _mend_one(data: dict[str, Any], problem: Problem) -> str | None:
    """Mend the spot `problem` is about; the key path not to check any more, or None."""
    parts = _parts(problem.path)
    if not parts or problem.code not in ("unknown-key", "missing-key", "wrong-type", "too-many"):
        return None
    holder, kind = _holder(data, parts[:-1])
    last = parts[-1]
    if holder is None:
        return None
    if problem.code == "too-many":
        # A list over its limit is checked no further: it is left empty for the checks,
        # which are then quiet about its record (an empty group is no news).
        return (_join(parts[:-1]) or problem.path) if _put(holder, last, []) else None
    if problem.code == "unknown-key":
        if isinstance(holder, dict) and isinstance(last, str):
            holder.pop(last, None)
            return problem.path  # nothing else was touched: its record is checked as usual
        return None
    field_type, has_default = _field(kind, last)
    if field_type is None:
        return None
    record = _join(parts[:-1])
    if has_default and isinstance(holder, dict) and isinstance(last, str):
        holder.pop(last, None)
        return problem.path
    if not _put(holder, last, _placeholder(field_type, data)):
        return None
    # A placeholder may upset checks across its record (a date out of order): keep quiet
    # about the whole record, which already has its structural problem.
    return record if isinstance(kind, type) and attrs.has(kind) else problem.path


def _put(holder: Any, key: str | int, value: Any) -> bool:
    """Set `holder[key]` when `holder` is a table and `key` a name, or an array and `key` an
    index in it; False when it is neither."""
    if isinstance(holder, dict) and isinstance(key, str):
        holder[key] = value
        return True
    if isinstance(holder, list) and isinstance(key, int) and key < len(holder):
        holder[key] = value
        return True
    return False


def _parts(path: str) -> list[str | int]:
    parts: list[str | int] = []
    position = 0
    for match in PART.finditer(path):
        if match.start() != position:
            return []
        position = match.end()
        parts.append(int(match.group(2)) if match.group(2) is not None else match.group(1))
    return parts if position == len(path) else []


def _join(parts: list[str | int]) -> str:
    out = ""
    for part in parts:
        out = f"{out}[{part}]" if isinstance(part, int) else (f"{out}.{part}" if out else part)
    return out


def _holder(data: dict[str, Any], parts: list[str | int]) -> tuple[Any, Any]:
    """The container that holds the last part of a path, and the type of what it holds."""
    value: Any = data
    kind: Any = Campaign
    for part in parts:
        kind = _inner(kind, part)
        try:
            value = value[part]
        except (KeyError, IndexError, TypeError):
            return None, None
    return value, kind


def _inner(kind: Any, part: str | int) -> Any:
    """The type found one step into `kind` at `part`."""
    kind = _plain(kind)
    if isinstance(kind, type) and attrs.has(kind) and isinstance(part, str):
        return get_type_hints(kind).get(part)
    args = get_args(kind)
    if get_origin(kind) is tuple and args:
        return args[0]
    if get_origin(kind) in (Mapping, dict) and len(args) == 2:
        return args[1]
    return None


def _field(kind: Any, last: str | int) -> tuple[Any, bool]:
    """The type at `last` inside `kind`, and whether leaving it out gives a default."""
    kind = _plain(kind)
    if isinstance(kind, type) and attrs.has(kind) and isinstance(last, str):
        for field in attrs.fields(kind):
            if toml_key(field) == last:
                return get_type_hints(kind)[field.name], field.default is not attrs.NOTHING
        return None, False
    return _inner(kind, last), False


def _plain(kind: Any) -> Any:
    """`X | None` as `X`."""
    if get_origin(kind) in (Union, types.UnionType):
        options = [a for a in get_args(kind) if a is not type(None)]
        if len(options) == 1:
            return options[0]
    return kind


def _placeholder(kind: Any, data: dict[str, Any]) -> Any:
    """A value of `kind` that structures and says nothing: empty, zero, the issue date."""
    kind = _plain(kind)
    origin = get_origin(kind)
    if kind is str:
        return ""
    if kind is bool:
        return False
    if kind is int or (origin in (Union, types.UnionType) and int in get_args(kind)):
        return 0
    if kind is float:
        return 0.0
    if kind is dt.date:
        issued = data.get("campaign", {}).get("issued_on") if isinstance(data, dict) else None
        return issued if isinstance(issued, dt.date) else dt.date(2000, 1, 1)
    if kind is dt.time:
        return dt.time(9, 0)
    if origin is Literal:
        return get_args(kind)[0]
    if origin is tuple:
        return []
    return {}  # a table: what it lacks is mended in the next round
