"""JSON written as it is made: the text ``json.dumps(value, ensure_ascii=False, indent=2)``
gives, in pieces, for a value whose long lists may be iterators.

Python's own encoder with ``indent`` is written in Python and joins the whole text before
returning it: for a national report, 160 MB of text built from millions of pieces. Here
each container of plain values (a notification, an acknowledgement) is encoded by the C
encoder, with an item separator that opens each item's line, and only the containers
around them by Python.
"""

from __future__ import annotations

import json
import json.encoder
from collections.abc import Callable, Iterable, Iterator
from functools import cache

INDENT = "  "
_BATCH = 4096
"""Pieces gathered before each write: a write per few hundred kilobytes."""
_CONTAINERS = (dict, list, tuple)


def _refuse(value: object) -> object:
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


@cache
def _compact(item_separator: str) -> Callable[[object], str]:
    """The C encoder (when this Python has it) with `item_separator` between items."""
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:  # a Python without the C accelerator
        return json.JSONEncoder(
            ensure_ascii=False, separators=(item_separator, ": "), default=_refuse
        ).encode
    chunks = make(
        None,
        _refuse,
        json.encoder.encode_basestring,
        None,
        ": ",
        item_separator,
        False,
        False,
        True,
    )
    return lambda value: "".join(chunks(value, 0))


_scalar = _compact(", ")


def _key(key: object) -> str:
    """A dictionary key as json writes it: a string, or a number or constant as a string."""
    if isinstance(key, str):
        return json.encoder.encode_basestring(key)
    if key is True or key is False or key is None:
        return json.encoder.encode_basestring(_scalar(key))
    if isinstance(key, int | float):
        return json.encoder.encode_basestring(_scalar(key))
    raise TypeError(f"keys must be str, int, float, bool or None, not {type(key).__name__}")


_SCALARS = frozenset({str, int, float, bool, type(None)})


def _flat(items: Iterable[object]) -> bool:
    """True when every item is a plain value or an empty container: what the C encoder
    writes as json.dumps would."""
    return all(
        type(item) in _SCALARS or (isinstance(item, _CONTAINERS) and not item) for item in items
    )


@cache
def _level(level: int) -> tuple[str, str, Callable[[object], str]]:
    """What a container at `level` writes: the start of each item's line, the line of its
    closing bracket, and the encoder of a container of plain values there."""
    inner = "\n" + INDENT * (level + 1)
    return inner, inner[: -len(INDENT)], _compact("," + inner)


def write_indented(value: object, write: Callable[[str], object]) -> None:
    """Write the text of ``json.dumps(value, ensure_ascii=False, indent=2)`` to `write`, in
    pieces; a list may also be any iterator, whose items are taken one at a time, each
    written before the next is made. Raises TypeError for what json cannot encode."""
    pieces: list[str] = []
    put = pieces.append
    string = json.encoder.encode_basestring

    def flush() -> None:
        write("".join(pieces))
        pieces.clear()

    def encode(value: object, level: int) -> None:
        if isinstance(value, str):
            put(string(value))
        elif isinstance(value, dict):
            inner, closing, flat = _level(level)
            if not value:
                put("{}")
            elif _SCALARS.issuperset(map(type, value.values())) or _flat(value.values()):
                put("{" + inner + flat(value)[1:-1] + closing + "}")
            else:
                opening = "{" + inner
                for key, item in value.items():
                    put(opening + _key(key) + ": ")
                    encode(item, level + 1)
                    opening = "," + inner
                put(closing + "}")
        elif isinstance(value, list | tuple):
            if not value:
                put("[]")
            elif _SCALARS.issuperset(map(type, value)) or _flat(value):
                inner, closing, flat = _level(level)
                put("[" + inner + flat(value)[1:-1] + closing + "]")
            else:
                items(iter(value), level)
        elif isinstance(value, Iterator):
            items(value, level)
        else:
            put(_scalar(value))

    def items(values: Iterator[object], level: int) -> None:
        inner, closing, _flat = _level(level)
        opening = "[" + inner
        for item in values:
            put(opening)
            encode(item, level + 1)
            opening = "," + inner
            if len(pieces) >= _BATCH:
                flush()
        put("[]" if opening[0] == "[" else closing + "]")

    encode(value, 0)
    flush()
