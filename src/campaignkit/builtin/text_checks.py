"""The built-in check of the campaign's text: no control characters where none can be meant.

An ESC in a unit's name clears the screen of whoever prints it; a CR or LF in a name ends
up in an e-mail's subject, and every message fails. A campaign file from another bureau
is not to be trusted with either. Free text (a `description`) may have line breaks and
tabs; nothing else may have a control character. Part of the ``checks`` plugin.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import attrs

from campaignkit import Campaign, Problem, join_path, listed
from campaignkit import gettext as _

FREE_TEXT = frozenset({"description"})
"""Keys whose text may run over several lines."""


CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
"""Unicode's control characters (category Cc): C0, DEL and C1."""


def control_characters(text: str, free: bool = False) -> list[str]:
    """The control characters in `text` (line breaks and tabs allowed in free text)."""
    allowed = "\n\t" if free else ""
    return [c for c in CONTROL.findall(text) if c not in allowed]


# The plugins' sections too: a CR or LF in an e-mail's subject prefix would make every
# message fail, five retries each, instead of one error here.
PARTS = ("campaign", "phases", "units", "groups", "roles", "activities", "requirements", "plugins")


def check_text(campaign: Campaign) -> Iterator[Problem]:
    # A national campaign has 240,000 values and, as a rule, no control character: one
    # quick look at them all first, and the key paths only for a campaign that has one.
    if not _suspect(campaign):
        return
    for name in PARTS:
        yield from _walk(getattr(campaign, name), name)


def _suspect(campaign: Campaign) -> bool:
    """Whether any text of `campaign` may hold a control character (a line break or a tab
    in free text, which is allowed, counts: the walk tells)."""
    texts: list[str] = []
    stack: list[Any] = [getattr(campaign, name) for name in PARTS]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            texts.append(value)
        elif isinstance(value, Mapping):
            stack.extend(value.values())
        elif isinstance(value, tuple):
            stack.extend(value)
        elif attrs.has(type(value)):
            getter = _getter(type(value))
            stack.extend(getter(value) if getter is not None else ())
    return CONTROL.search("".join(texts)) is not None


def _walk(root: Any, name: str) -> Iterator[Problem]:
    """Every string below `root` with a control character, as a problem. A loop, not a
    recursion, and key paths made only for a problem: a national campaign has 240,000
    values."""
    stack: list[tuple[Any, tuple[str | int, ...], bool]] = [(root, (name,), False)]
    while stack:
        value, parts, free = stack.pop()
        if isinstance(value, str):
            found = control_characters(value, free) if CONTROL.search(value) else ()
            if found:
                yield _problem(join_path(*parts), found)
        elif isinstance(value, Mapping):
            items = [(item, (*parts, str(key)), free) for key, item in value.items()]
            stack.extend(reversed(items))
        elif isinstance(value, tuple):
            stack.extend(reversed([(item, (*parts, i), free) for i, item in enumerate(value)]))
        elif attrs.has(type(value)):
            fields = _fields(type(value))
            stack.extend(
                reversed([(getattr(value, n), (*parts, n), n in FREE_TEXT) for n in fields])
            )


def _problem(path: str, found: list[str]) -> Problem:
    codes = listed(f"U+{ord(c):04X}" for c in dict.fromkeys(found))
    return Problem(
        path,
        _(
            "contains a control character ({codes}), which can only be a copying slip or an attack"
        ).format(codes=codes),
        _("retype the text; names, contacts and titles are plain text on one line"),
        code="control-character",
    )


_FIELDS: dict[type, tuple[str, ...]] = {}
_GETTERS: dict[type, Callable[[Any], tuple[Any, ...]] | None] = {}


def _getter(record: type) -> Callable[[Any], tuple[Any, ...]] | None:
    """All of a record's values to look into, in one call, as a tuple (None: it has none)."""
    if record not in _GETTERS:
        names = _fields(record)
        if not names:
            _GETTERS[record] = None
        elif len(names) == 1:
            one = operator.attrgetter(names[0])
            _GETTERS[record] = lambda value: (one(value),)
        else:
            _GETTERS[record] = operator.attrgetter(*names)
    return _GETTERS[record]


def _fields(record: type) -> tuple[str, ...]:
    """The fields of a record to look into: all but `id`, a slug checked as such. Worked
    out once per type: a national campaign has 40,000 units."""
    found = _FIELDS.get(record)
    if found is None:
        names = (field.name for field in attrs.fields(record) if field.name != "id")
        found = _FIELDS[record] = tuple(names)
    return found
