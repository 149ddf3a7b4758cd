"""A hand-in's file, sent back as a download that a browser never runs nor sniffs."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from starlette.responses import FileResponse


def content_disposition(name: str) -> str:
    """``attachment`` with the name as RFC 6266 wants it: an ASCII fallback, quoted, with
    no quote, backslash or control character, and the name itself as UTF-8 in
    ``filename*``, percent-encoded, so no header can be injected through it."""
    fallback = "".join(
        c if c.isascii() and c.isprintable() and c not in '"\\' else "_" for c in name
    )
    return f"attachment; filename=\"{fallback or 'file'}\"; filename*=UTF-8''{quote(name, safe='')}"


def attachment(path: Path, name: str) -> FileResponse:
    return FileResponse(
        path,
        media_type="application/octet-stream",
        headers={"Content-Disposition": content_disposition(name)},
    )
