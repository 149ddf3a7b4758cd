"""A campaign file as text and as TOML: what the loader reads before it understands.

Only an ordinary file is read, never more than a limit (``CAMPAIGNKIT_MAX_FILE_MB``), as
UTF-8; its TOML is parsed with each slip located (`syntax.py`), refused when nested deeper
than a campaign ever is, and its format version checked. Problems, never exceptions.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs
import tomli

from .convert import describe
from .i18n import _
from .model import FORMAT_VERSION
from .problems import Problem
from .syntax import toml_problem

DEFAULT_MAX_MB = 64
MAX_DEPTH = 32
"""Tables and arrays nested deeper than this are refused: format v1 needs five levels."""


def _max_bytes() -> int:
    try:
        return int(float(os.environ.get("CAMPAIGNKIT_MAX_FILE_MB", DEFAULT_MAX_MB)) * 2**20)
    except ValueError:
        return DEFAULT_MAX_MB * 2**20


def read_text(path: Path) -> tuple[str, Problem | None]:
    """A file's text, or the problem reading it: missing, a directory, too big, not UTF-8."""
    data, problem = _read(path)
    if problem is None:
        text, problem = _decode(data)
        if problem is None:
            return text, None
    return "", attrs.evolve(problem, file=str(path))


def _read(path: Path) -> tuple[bytes, Problem | None]:
    def fail(message: str, hint: str | None = None) -> tuple[bytes, Problem]:
        return b"", Problem("", message, hint, code="unreadable")

    limit = _max_bytes()
    try:
        # A device or a pipe would be read forever, or block: only regular files, checked
        # before opening and again on what was opened, in case the name changed in between.
        found = os.stat(path)
        if stat.S_ISDIR(found.st_mode):
            return fail(_("{path} is a directory, not a campaign file").format(path=path))
        if not stat.S_ISREG(found.st_mode):
            return fail(*_not_regular(path))
        if found.st_size > limit:
            size = f"{found.st_size / 2**20:.1f}"
            message = _("{path} is {size} MB; campaign files are limited to {limit} MB")
            return fail(message.format(path=path, size=size, limit=_mb(limit)), _raise_limit())
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
        descriptor = os.open(path, flags)
        with open(descriptor, "rb") as handle:
            if not stat.S_ISREG(os.fstat(descriptor).st_mode):
                return fail(*_not_regular(path))
            data = handle.read(limit + 1)  # one byte more tells a file that grew meanwhile
        if len(data) > limit:
            message = _(
                "{path} grew past {limit} MB as it was read; campaign files are limited to "
                "{limit} MB"
            )
            return fail(message.format(path=path, limit=_mb(limit)), _raise_limit())
        return data, None
    except FileNotFoundError:
        return fail(_("{path} does not exist").format(path=path))
    except PermissionError:
        return fail(_("{path} cannot be read: permission denied").format(path=path))
    except OSError as error:
        why = error.strerror or error
        return fail(_("{path} cannot be read: {error}").format(path=path, error=why))
    except ValueError:  # os.stat refuses a name with a null character
        message = _("{name} cannot be a file name: it holds a null character")
        return fail(message.format(name=repr(str(path))))


def _not_regular(path: Path) -> tuple[str, str]:
    return (
        _("{path} is not a regular file").format(path=path),
        _("a campaign file must be an ordinary file, not a device, a pipe or a socket"),
    )


def _mb(limit: int) -> str:
    return f"{limit / 2**20:.0f}"


def _raise_limit() -> str:
    return _("set CAMPAIGNKIT_MAX_FILE_MB to raise the limit")


def _decode(data: bytes) -> tuple[str, Problem | None]:
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return "", Problem(
            "",
            _("the file is not UTF-8 (byte {byte} at line {line})").format(
                byte=f"0x{data[error.start]:02x}", line=line
            ),
            _("save it as UTF-8; GBK and GB18030 files must be converted"),
            line=line,
            code="not-utf8",
        )


def parse(text: str) -> tuple[dict[str, Any] | None, Problem | None]:
    """TOML text to a dict of a known format version, or the one problem that stops it."""
    if not text.strip():
        return None, Problem(
            "", _("the file is empty"), _("start from `campaignkit new`"), code="empty"
        )
    try:
        raw = tomli.loads(text)
    except tomli.TOMLDecodeError as error:
        return None, toml_problem(error, text)
    except RecursionError as error:
        message = _("not usable TOML: nested too deeply ({error})").format(error=error)
        return None, Problem("", message, code="too-deep")
    deep = _too_deep(raw)
    if deep is not None:
        message = _("nested more than {most} levels deep").format(most=MAX_DEPTH)
        return None, Problem(deep, message, code="too-deep")
    return raw, _check_format(raw)


def parse_file(path: Path) -> tuple[dict[str, Any], str, Problem | None]:
    """A parent campaign named by `extends`: its dict and text, or its problem."""
    text, problem = read_text(path)
    if problem is not None:
        return {}, "", problem
    raw, problem = parse(text)
    if problem is not None:
        return {}, text, attrs.evolve(problem, file=str(path))
    if raw is None:  # parse gives a dict or a problem, never neither
        return {}, text, Problem("", _("the file is empty"), file=str(path), code="empty")
    return raw, text, None


def _too_deep(raw: Any) -> str | None:
    """The key path of the first value nested deeper than MAX_DEPTH, or None."""
    # Depths alone first: a national campaign has 200,000 values, and only a file that is
    # too deep needs the key paths.
    stack: list[tuple[Any, int]] = [(raw, 0)]
    while stack:
        value, depth = stack.pop()
        children = value.values() if isinstance(value, dict) else value
        if depth >= MAX_DEPTH and children:
            return _deep_path(raw)
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return None


def _deep_path(raw: Any) -> str | None:
    stack: list[tuple[Any, str, int]] = [(raw, "", 0)]
    while stack:
        value, path, depth = stack.pop()
        if depth > MAX_DEPTH:
            return path
        if isinstance(value, dict):
            stack.extend((v, f"{path}.{k}" if path else k, depth + 1) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend((v, f"{path}[{i}]", depth + 1) for i, v in enumerate(value))
    return None


def _check_format(raw: Mapping[str, Any]) -> Problem | None:
    if "format" not in raw:
        return Problem(
            "format",
            _("missing required key `{key}`").format(key="format"),
            _("add `format = {version}` at the top of the file").format(version=FORMAT_VERSION),
            code="missing-key",
        )
    version = raw["format"]
    if version != FORMAT_VERSION or isinstance(version, bool):
        shown = version if type(version) is int else describe(version)
        return Problem(
            "format",
            _("unknown format version {found}; this campaignkit reads format {version}").format(
                found=shown, version=FORMAT_VERSION
            ),
            _("write `format = {version}`, or upgrade campaignkit").format(version=FORMAT_VERSION),
            code="unknown-format",
        )
    return None
