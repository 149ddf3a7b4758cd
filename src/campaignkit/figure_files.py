"""A file of figures to hand in (``submit --figures FILE``): CSV or JSON, read with a limit.

- **CSV** (UTF-8, a BOM allowed, as spreadsheets save it): two columns, the field (its id or
  exact name) and the value, one figure a row; a first row ``id,value`` (or ``field,value``,
  ``字段,数值``) is a header and skipped. Empty rows are skipped.
- **JSON**: one object, ``{"hazards-found": 12, "fix-rate": "85%"}``; a value is a number or
  a string.

A file over `MAX_BYTES`, or with more than `MAX_FIGURES` figures, is refused unread: a form
of figures is small. What is wrong with the file is a slip of the person handing in.
"""

from __future__ import annotations

import csv
import io
import json
import os
import stat
from pathlib import Path

from .i18n import _
from .problems import Problem

MAX_BYTES = 1_000_000
"""The largest file of figures, in bytes."""
MAX_FIGURES = 1_000
"""The most figures a file may hold."""
HEADERS = {"id", "field", "name", "字段", "指标"}

Figures = tuple[tuple[str, str], ...]


def read_figures(path: Path) -> tuple[Figures, list[Problem]]:
    """The figures in `path` (CSV, or JSON by its suffix ``.json``) as (field, value) pairs,
    or the problems with it."""
    try:
        found = os.stat(path)
        if not stat.S_ISREG(found.st_mode):
            return (), [_slip(_("{path} is not an ordinary file").format(path=path))]
        if found.st_size > MAX_BYTES:
            return (), [_too_large(path)]
        with open(path, "rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        return (), [_slip(_("{path} does not exist").format(path=path))]
    except OSError as error:
        message = _("{path} cannot be read: {reason}")
        return (), [_slip(message.format(path=path, reason=error.strerror or error))]
    if len(data) > MAX_BYTES:
        return (), [_too_large(path)]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return (), [_slip(_("{path} is not UTF-8 text").format(path=path))]
    kind = "json" if path.suffix.lower() == ".json" else "csv"
    return loads_figures(text, kind)


def loads_figures(text: str, kind: str = "csv") -> tuple[Figures, list[Problem]]:
    """Figures from the text of a CSV or JSON file (see the module's docstring)."""
    figures = _json(text) if kind == "json" else _csv(text)
    if isinstance(figures, Problem):
        return (), [figures]
    if len(figures) > MAX_FIGURES:
        message = _("the file holds {count} figures; at most {most} are allowed")
        return (), [_slip(message.format(count=len(figures), most=MAX_FIGURES))]
    return tuple(figures), []


def _json(text: str) -> list[tuple[str, str]] | Problem:
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as error:
        return _slip(_("not valid JSON: {reason}").format(reason=error))
    if not isinstance(data, dict):
        return _slip(_('the JSON should be one object, such as {"hazards-found": 12}'))
    out = []
    for name, value in data.items():
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            message = _("figure `{name}` should be a number or a string")
            return _slip(message.format(name=name))
        out.append((name, value if isinstance(value, str) else repr(value)))
    return out


def _csv(text: str) -> list[tuple[str, str]] | Problem:
    out = []
    try:
        for number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
            cells = [cell.strip() for cell in row]
            if not any(cells):
                continue
            if len(cells) != 2 or not cells[0]:
                message = _("row {number} should have two columns, the field and its value")
                return _slip(message.format(number=number))
            if number == 1 and cells[0].lower() in HEADERS:
                continue
            out.append((cells[0], cells[1]))
    except csv.Error as error:
        return _slip(_("not valid CSV: {reason}").format(reason=error))
    return out


def _too_large(path: Path) -> Problem:
    message = _("{path} is larger than {size} MB; a file of figures is smaller")
    return _slip(message.format(path=path, size=MAX_BYTES // 1_000_000))


def _slip(message: str) -> Problem:
    return Problem("figures", message, code="bad-figures-file")
