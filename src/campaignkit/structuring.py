"""Structuring a campaign's tables into records, and every failure as a `Problem` at its key
path: unknown keys with a "did you mean", missing keys, wrong types, too many entries, and a
plugin's own rules on its settings (attrs validators)."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import Any, TypeVar

import attrs
from cattrs.errors import (
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)

from .convert import ValueProblem, converter
from .i18n import _
from .model import ID_TABLES, toml_key
from .problems import Problem, did_you_mean, join_path

T = TypeVar("T")


def structure(
    data: Mapping[str, Any], type_: type[T], base: str = ""
) -> tuple[T | None, list[Problem]]:
    """Structure `data` into `type_`; on failure, every problem with its path under `base`."""
    try:
        return converter().structure(data, type_), []
    except Exception as exc:
        return None, list(problems_from(exc, base, type_))


def _fields_of(type_: Any) -> list[str]:
    """The keys a person may write for `type_` (an id-table record's id is its table key)."""
    if not attrs.has(type_):
        return []
    keyed = type_ in ID_TABLES.values()
    return [toml_key(f) for f in attrs.fields(type_) if not (keyed and f.name == "id")]


def problems_from(exc: BaseException, path: str, type_: Any) -> list[Problem]:
    """Walk a cattrs error tree and turn each leaf into a Problem at its key path."""
    # `asignees = ...` makes `assignees` missing too; say it once, at the typo.
    meant: set[str] = set()
    found = _problems(exc, path, type_, meant)
    return [p for p in found if not (p.code == "missing-key" and p.path in meant)]


def _problems(exc: BaseException, path: str, type_: Any, meant: set[str]) -> list[Problem]:
    """The Problems of `exc`; adds to `meant` the key paths an unknown key was likely meant
    to be."""
    if isinstance(exc, ClassValidationError | IterableValidationError):
        out: list[Problem] = []
        for sub in exc.exceptions:
            sub_path, sub_type = path, type_
            for note in getattr(sub, "__notes__", []):
                if isinstance(note, IterableValidationNote):
                    sub_path = join_path(path, note.index)
                    sub_type = note.type
                elif hasattr(note, "name") and isinstance(note.name, str):
                    sub_path = join_path(path, note.name)
                    sub_type = note.type
            out.extend(_problems(sub, sub_path, sub_type, meant))
        return out
    if isinstance(exc, ForbiddenExtraKeysError):
        allowed = _fields_of(exc.cl)
        problems = []
        for key in sorted(exc.extra_fields):
            if key == "id" and exc.cl in ID_TABLES.values():
                hint = _("the id is the table's key: remove this line")
            else:
                hint = did_you_mean(key, allowed) or _("allowed keys: {keys}").format(
                    keys=", ".join(allowed)
                )
                # The same closeness as `did_you_mean`'s: its hint is in words, to be read.
                meant.update(
                    join_path(path, match)
                    for match in difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
                )
            message = _("unknown key `{key}`").format(key=key)
            problems.append(Problem(join_path(path, key), message, hint, code="unknown-key"))
        return problems
    if isinstance(exc, KeyError):
        # cattrs notes the missing attribute; the path already ends with its name.
        key = path.rsplit(".", 1)[-1]
        message = _("missing required key `{key}`").format(key=key)
        return [Problem(path, message, code="missing-key")]
    if isinstance(exc, ValueProblem):
        return [Problem(path, str(exc), exc.hint, code=exc.code)]
    refused = _validated_field(exc, type_) if isinstance(exc, ValueError | TypeError) else None
    if refused is not None:
        # A plugin's own rule on its settings (an attrs validator): said at the key it refused.
        reason = exc.args[0] if exc.args else exc
        if isinstance(exc, TypeError):
            said, code = _("invalid value: {error}"), "wrong-type"
        else:
            said, code = _("out of range: {error}"), "out-of-range"
        return [Problem(join_path(path, refused), said.format(error=reason), code=code)]
    return [Problem(path, _("invalid value: {error}").format(error=exc), code="wrong-type")]


def _validated_field(exc: BaseException, type_: Any) -> str | None:
    """The field of `type_` that an attrs validator refused, or None. attrs calls each
    validator with the field's `Attribute`: the built-in validators put it in the error's
    arguments, and any validator has it among its frame's locals on the traceback."""
    if not attrs.has(type_):
        return None
    names = {field.name for field in attrs.fields(type_)}
    for arg in exc.args:
        if isinstance(arg, attrs.Attribute) and arg.name in names:
            return arg.name
    found, tb = None, exc.__traceback__
    while tb is not None:  # the innermost frame that holds one is the validator's
        for value in tb.tb_frame.f_locals.values():
            if isinstance(value, attrs.Attribute) and value.name in names:
                found = value.name
        tb = tb.tb_next
    return found
