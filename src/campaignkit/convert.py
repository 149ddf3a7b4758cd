"""The one cattrs converter for campaign data, and its errors turned into Problems.

The converter is strict where TOML is not ambiguous: a string is never silently turned into a
number, a single string is never read as a list of characters, an unknown key is an error.
Every error found while structuring becomes a `Problem` with the key path it belongs to, so
a file's mistakes are all reported at once.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Mapping
from typing import Any, Literal, TypeVar, get_args, get_origin

import attrs
import cattrs
from cattrs.errors import (
    AttributeValidationNote,
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)
from cattrs.gen import make_dict_structure_fn, override

from .i18n import _
from .model import ID_TABLES, Activity, Deliverable, Group, Requirement, Unit
from .problems import did_you_mean
from .schedule import parse_delay
from .syntax import half_width

T = TypeVar("T")


class ValueProblem(ValueError):
    """A value of the wrong kind; the message is ready to show, the hint optional."""

    def __init__(self, message: str, hint: str | None = None, code: str = "wrong-type") -> None:
        super().__init__(message)
        self.hint = hint
        self.code = code


def describe(value: object) -> str:
    """Name a TOML value's type the way the TOML documentation does, in the language spoken."""
    if isinstance(value, bool):
        return _("a boolean ({value})").format(value=str(value).lower())
    if isinstance(value, int):
        return _("an integer ({value})").format(value=value)
    if isinstance(value, float):
        return _("a float ({value})").format(value=value)
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return _('a string ("{value}")').format(value=shown)
    if isinstance(value, dt.datetime):
        return _("a date-time ({value})").format(value=value.isoformat())
    if isinstance(value, dt.date):
        return _("a date ({value})").format(value=value.isoformat())
    if isinstance(value, dt.time):
        return _("a time ({value})").format(value=value.isoformat())
    if isinstance(value, list):
        return _("an array")
    if isinstance(value, dict):
        return _("a table")
    return type(value).__name__


def _str(value: object, _type: type) -> str:
    if isinstance(value, str):
        return value
    raise ValueProblem(_("expected a string, found {found}").format(found=describe(value)))


def _int(value: object, _type: type) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise ValueProblem(_("expected an integer, found {found}").format(found=describe(value)))


def _float(value: object, _type: type) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    raise ValueProblem(_("expected a number, found {found}").format(found=describe(value)))


def _bool(value: object, _type: type) -> bool:
    if isinstance(value, bool):
        return value
    raise ValueProblem(_("expected true or false, found {found}").format(found=describe(value)))


def _date(value: object, _type: type) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    hint = None
    if isinstance(value, str) and half_width(value) != value:
        # "２０２２-12-05": unquoting it would only lead to a syntax error.
        hint = _("full-width digits or dash: write the half-width {fixed}, without quotes").format(
            fixed=half_width(value).strip()
        )
    elif isinstance(value, str):
        hint = _("write a TOML date without quotes, such as 2020-06-01")
    elif isinstance(value, dt.datetime):
        hint = _("write the day alone, such as 2020-06-01")
    raise ValueProblem(_("expected a date, found {found}").format(found=describe(value)), hint)


def _datetime(value: object, _type: type) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    raise ValueProblem(
        _("expected a date and time, found {found}").format(found=describe(value)),
        _(
            "write a TOML date-time such as 2020-07-03T10:00:00 (local) "
            "or 2020-07-03T10:00:00+08:00"
        ),
    )


CLOCK = re.compile(r"\s*(\d{1,2}):(\d{2})(?::(\d{2}))?\s*\Z")


def _time(value: object, _type: type) -> dt.time:
    """A time of day: a TOML local time (09:00:00) or a string such as "09:00"."""
    if isinstance(value, dt.time):
        return value
    if isinstance(value, str):
        match = CLOCK.match(value)
        if match:
            hour, minute, second = (int(part or 0) for part in match.groups())
            if hour < 24 and minute < 60 and second < 60:
                return dt.time(hour, minute, second)
    raise ValueProblem(
        _("expected a time of day, found {found}").format(found=describe(value)),
        _('write it as "09:00" (24-hour clock)'),
    )


def _delay(value: object, _type: type) -> int | str | None:
    """Days after a date: an integer, or a string such as "3d" or "3wd" (working days)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and parse_delay(value) is not None:
        return value.strip()
    raise ValueProblem(
        _("expected a number of days, found {found}").format(found=describe(value)),
        _('write a number of days (3), or "3d", or "3wd" for working days'),
    )


def _literal_hook(type_: Any) -> Callable[[object, Any], object]:
    allowed = get_args(type_)

    def structure(value: object, _type: Any) -> object:
        if value in allowed and type(value) is type(allowed[0]):
            return value
        names = ", ".join(str(a) for a in allowed)
        hint = did_you_mean(value, [str(a) for a in allowed]) if isinstance(value, str) else None
        message = _("expected one of {names}; found {found}")
        raise ValueProblem(message.format(names=names, found=describe(value)), hint)

    return structure


def _note(exc: Exception, index: int | str, type_: Any) -> Exception:
    exc.add_note(IterableValidationNote(f"Structuring {type_} @ {index!r}", index, type_))
    return exc


def _tuple_hook(type_: Any, conv: cattrs.Converter) -> Callable[[object, Any], tuple[Any, ...]]:
    elem = get_args(type_)[0]
    handler = conv.get_structure_hook(elem)

    def structure(value: object, _type: Any) -> tuple[Any, ...]:
        if not isinstance(value, list):
            hint = _('write ["{value}"]').format(value=value) if isinstance(value, str) else None
            raise ValueProblem(
                _("expected an array, found {found}").format(found=describe(value)), hint
            )
        out: list[Any] = []
        errors: list[Exception] = []
        for index, item in enumerate(value):
            try:
                out.append(handler(item, elem))
            except Exception as exc:  # collected, re-raised together below
                errors.append(_note(exc, index, type_))
        if errors:
            raise IterableValidationError(f"While structuring {type_}", errors, type_)
        return tuple(out)

    return structure


def _mapping_hook(type_: Any, conv: cattrs.Converter) -> Callable[[object, Any], dict[str, Any]]:
    value_type = get_args(type_)[1]
    handler = conv.get_structure_hook(value_type)
    # Tables whose keys are ids: the key becomes the record's `id`.
    takes_id = value_type in ID_TABLES.values()

    def structure(value: object, _type: Any) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise ValueProblem(_("expected a table, found {found}").format(found=describe(value)))
        out: dict[str, Any] = {}
        errors: list[Exception] = []
        for key, item in value.items():
            try:
                if takes_id:
                    if not isinstance(item, dict):
                        found = describe(item)
                        raise ValueProblem(_("expected a table, found {found}").format(found=found))
                    if "id" in item:
                        # Still structure the rest, so one stray `id` hides no other mistake.
                        errors.append(
                            _note(ForbiddenExtraKeysError("", value_type, {"id"}), key, type_)
                        )
                    item = {**item, "id": key}
                out[key] = handler(item, value_type)
            except Exception as exc:
                errors.append(_note(exc, key, type_))
        if errors:
            raise IterableValidationError(f"While structuring {type_}", errors, type_)
        return out

    return structure


LIMITS: Mapping[type, Mapping[str, int]] = {
    Requirement: {"remind": 10, "assignees": 1_000, "deliverables": 100},
    Deliverable: {"formats": 50},
    Activity: {"participants": 1_000, "audiences": 100, "channels": 100},
    Group: {"units": 10_000, "kinds": 1_000, "groups": 1_000},
    Unit: {"channels": 50},
}
"""The most entries these arrays (and a unit's `channels` table) may hold. The checks, the
timeline and every tick pay for each entry, so a hostile file could make one huge to wear
the machine out; the limits are far above what a campaign needs (groups name many units),
and are checked before any entry is looked at."""


def _attrs_hook(type_: Any, conv: cattrs.Converter) -> Callable[[object, Any], Any]:
    renamed = {
        field.name: override(rename=field.metadata["key"])
        for field in attrs.fields(type_)
        if "key" in field.metadata
    }
    # cattrs types the per-field overrides as if they were its own options.
    inner = make_dict_structure_fn(type_, conv, _cattrs_forbid_extra_keys=True, **renamed)  # type: ignore[arg-type]
    limits = LIMITS.get(type_, {})

    def structure(value: object, _type: Any) -> Any:
        if not isinstance(value, dict):
            raise ValueProblem(_("expected a table, found {found}").format(found=describe(value)))
        over = [
            key
            for key, most in limits.items()
            if isinstance(value.get(key), list | dict) and len(value[key]) > most
        ]
        if not over:
            return inner(value, type_)
        errors: list[Exception] = [
            _too_many(type_, key, len(value[key]), limits[key]) for key in over
        ]
        try:  # the rest of the record still, without the long lists, for its other mistakes
            inner({**value, **{key: type(value[key])() for key in over}}, type_)
        except ClassValidationError as exc:
            errors.extend(exc.exceptions)
        raise ClassValidationError(f"While structuring {type_.__name__}", errors, type_)

    return structure


def _too_many(type_: Any, key: str, count: int, most: int) -> Exception:
    exc = ValueProblem(
        _("`{key}` has {count} entries; at most {most} are allowed").format(
            key=key, count=f"{count:,}", most=f"{most:,}"
        ),
        _("name a group instead of listing every unit")
        if key in ("assignees", "participants")
        else None,
        code="too-many",
    )
    exc.add_note(AttributeValidationNote(f"Structuring {type_} @ attribute {key}", key, type_))
    return exc


def _is_homogeneous_tuple(type_: Any) -> bool:
    args = get_args(type_)
    return get_origin(type_) is tuple and len(args) == 2 and args[1] is Ellipsis


def _is_mapping(type_: Any) -> bool:
    return get_origin(type_) in (Mapping, dict) and len(get_args(type_)) == 2


def _is_literal(type_: Any) -> bool:
    return get_origin(type_) is Literal


@functools.cache
def converter() -> cattrs.Converter:
    """The converter, configured once: strict scalars, ids from table keys, no extra keys."""
    conv = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)
    for scalar, hook in ((str, _str), (int, _int), (float, _float), (bool, _bool)):
        conv.register_structure_hook(scalar, hook)
    conv.register_structure_hook(dt.date, _date)
    conv.register_structure_hook(dt.datetime, _datetime)
    conv.register_structure_hook(dt.time, _time)
    conv.register_structure_hook_func(lambda t: t in (int | str, int | str | None), _delay)
    conv.register_structure_hook_func(_is_literal, lambda v, t: _literal_hook(t)(v, t))
    conv.register_structure_hook_factory(_is_homogeneous_tuple, _tuple_hook)
    conv.register_structure_hook_factory(_is_mapping, _mapping_hook)
    conv.register_structure_hook_factory(attrs.has, _attrs_hook)
    conv.register_unstructure_hook(dt.date, dt.date.isoformat)
    conv.register_unstructure_hook(dt.time, lambda t: t.isoformat(timespec="minutes"))
    return conv
