"""A hand-in's files, streamed from a ``multipart/form-data`` body into a temporary folder.

Each file is written as it arrives and cut off the moment it passes its deliverable's cap
(``max_size_mb``, else ``CAMPAIGNKIT_MAX_EVIDENCE_MB``): the server never holds a whole
upload, and a body too large is not read to its end. The caller removes the folder; the
files are only the core's `hand_in`'s input, which stores what it keeps.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import AsyncIterator, Mapping
from pathlib import Path
from typing import IO, Any

import attrs
from python_multipart.multipart import MultipartParser, parse_options_header

from . import _
from .replies import ApiError

LIAISON_FIELDS = ("liaison_name", "liaison_phone", "liaison_email")
FIGURE_PREFIX = "figure."
"""A figure's field in the form: ``figure.hazards-found``; the core judges its id and value."""
CSRF_FIELD = "csrftoken"
"""A page's form's CSRF token: its first field, checked before any file is written."""
FIELD_MAX = 1_000
"""The longest text field, in bytes: a name, a phone number, an e-mail address."""
MAX_PARTS = 1_000
HEADERS_MAX = 16_000
"""The most bytes of one part's headers."""


@attrs.frozen
class Upload:
    """What a body held: each file with the deliverable it is for, and the text fields."""

    files: tuple[tuple[str, Path], ...]
    fields: Mapping[str, str]
    figures: tuple[tuple[str, str], ...] = ()
    """Each ``figure.ID`` field given a value, by the field's id, in the form's order."""


def safe_name(given: str) -> str:
    """A file's name as a person gave it, made safe to keep: the last path part, no
    control characters, at most 200 characters (keeping the extension)."""
    name = re.split(r"[/\\]", given)[-1]
    name = "".join(c for c in name if c.isprintable()).strip().lstrip(".")
    if len(name) > 200:
        stem, dot, suffix = name.rpartition(".")
        name = (
            (stem[: 190 - len(suffix)] + dot + suffix) if dot and len(suffix) < 10 else name[:200]
        )
    return name or "file"


class _Reader:
    """The parser's callbacks: each part's headers, then its data into a file or a field."""

    def __init__(self, folder: Path, caps: Mapping[str, int], csrf: str | None = None) -> None:
        self.folder = folder
        self.caps = caps
        self.csrf = csrf
        self.token_seen = False
        self.files: list[tuple[str, Path]] = []
        self.fields: dict[str, str] = {}
        self.figures: list[tuple[str, str]] = []
        self.parts = 0
        self._headers: dict[bytes, bytes] = {}
        self._field = b""
        self._value = b""
        self._header_bytes = 0
        self._name = ""
        self._out: IO[bytes] | None = None
        self._text: bytearray | None = None
        self._size = 0

    def callbacks(self) -> dict[str, Any]:
        return {
            "on_part_begin": self.part_begin,
            "on_header_field": self.header_field,
            "on_header_value": self.header_value,
            "on_header_end": self.header_end,
            "on_headers_finished": self.headers_finished,
            "on_part_data": self.part_data,
            "on_part_end": self.part_end,
        }

    def part_begin(self) -> None:
        self.parts += 1
        if self.parts > MAX_PARTS:
            raise ApiError(400, "too-many-parts", _("the form has too many fields"))
        self._headers, self._field, self._value, self._header_bytes = {}, b"", b"", 0

    def header_field(self, data: bytes, start: int, end: int) -> None:
        self._count_header(end - start)
        self._field += data[start:end]

    def header_value(self, data: bytes, start: int, end: int) -> None:
        self._count_header(end - start)
        self._value += data[start:end]

    def _count_header(self, size: int) -> None:
        self._header_bytes += size
        if self._header_bytes > HEADERS_MAX:
            raise ApiError(400, "bad-form", _("a part of the form has headers too long"))

    def header_end(self) -> None:
        self._headers[self._field.lower()] = self._value
        self._field, self._value = b"", b""

    def headers_finished(self) -> None:
        _kind, options = parse_options_header(self._headers.get(b"content-disposition", b""))
        name = options.get(b"name", b"").decode("utf-8", "replace")
        filename = options.get(b"filename")
        self._name, self._size, self._out, self._text = name, 0, None, None
        if self.csrf is not None and not self.token_seen and name != CSRF_FIELD:
            raise ApiError(403, "forbidden", _("the form's CSRF token is missing or wrong"))
        if name in self.caps:
            if filename is None:
                message = _("the field `{field}` should be a file").format(field=name)
                raise ApiError(400, "not-a-file", message)
            if not filename:  # a form's file input left empty
                return
            place = self.folder / str(len(self.files))
            place.mkdir()
            path = place / safe_name(filename.decode("utf-8", "replace"))
            self._out = path.open("wb")
            self.files.append((name, path))
        elif name in LIAISON_FIELDS or name == CSRF_FIELD or name.startswith(FIGURE_PREFIX):
            self._text = bytearray()
        else:
            message = _("the form has a field `{field}` this requirement does not know")
            known = [*self.caps, *LIAISON_FIELDS, FIGURE_PREFIX + "ID"]
            hint = _("its fields: {fields}").format(fields=", ".join(known))
            raise ApiError(400, "unknown-field", f"{message.format(field=name)}; {hint}")

    def part_data(self, data: bytes, start: int, end: int) -> None:
        self._size += end - start
        if self._out is not None:
            cap = self.caps[self._name]
            if self._size > cap:
                self.close()
                message = _("a file for `{field}` is larger than {size} MB")
                size = f"{cap / 1_000_000:g}"
                raise ApiError(413, "too-large", message.format(field=self._name, size=size))
            self._out.write(data[start:end])
        elif self._text is not None:
            if self._size > FIELD_MAX:
                message = _("the field `{field}` is too long").format(field=self._name)
                raise ApiError(400, "field-too-long", message)
            self._text += data[start:end]

    def part_end(self) -> None:
        if self._text is not None and self._name == CSRF_FIELD:
            given = self._text.decode("utf-8", "replace")
            self.token_seen = self.csrf is not None and secrets.compare_digest(given, self.csrf)
        elif self._text is not None and self._name.startswith(FIGURE_PREFIX):
            value = self._text.decode("utf-8", "replace").strip()
            if value:  # a form's figure left empty is not given
                self.figures.append((self._name.removeprefix(FIGURE_PREFIX), value))
        elif self._text is not None:
            self.fields[self._name] = self._text.decode("utf-8", "replace").strip()
        self.close()

    def close(self) -> None:
        if self._out is not None:
            self._out.close()
            self._out = None


async def receive_files(
    content_type: str,
    body: AsyncIterator[bytes],
    folder: Path,
    caps: Mapping[str, int],
    csrf: str | None = None,
) -> Upload:
    """Stream a ``multipart/form-data`` `body` into `folder`: a file for each field named
    like a deliverable (`caps`: its cap in bytes), the liaison fields and the figures
    (``figure.ID``) as text.

    Raises `ApiError`: 400 for a body that is not a form or has an unknown field, 413 the
    moment a file passes its cap (the rest of the body is never read), 403 when `csrf` (a
    page's session's token) is given and the form's first field does not carry it.
    """
    kind, options = parse_options_header(content_type)
    boundary = options.get(b"boundary")
    if kind != b"multipart/form-data" or not boundary:
        raise ApiError(
            400, "bad-form", _("send the files as multipart/form-data, one field a deliverable")
        )
    reader = _Reader(folder, caps, csrf)
    parser = MultipartParser(boundary, reader.callbacks())  # type: ignore[arg-type]
    try:
        async for chunk in body:
            parser.write(chunk)
        parser.finalize()
        if csrf is not None and not reader.token_seen:
            raise ApiError(403, "forbidden", _("the form's CSRF token is missing or wrong"))
    except ApiError:
        raise
    except Exception as error:  # python-multipart's MultipartParseError and kin
        raise ApiError(400, "bad-form", _("the form could not be read")) from error
    finally:
        reader.close()
    return Upload(tuple(reader.files), dict(reader.fields), tuple(reader.figures))
