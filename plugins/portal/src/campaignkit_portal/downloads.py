"""A hand-in's file, sent back as a download that a browser never runs nor sniffs."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote

from starlette.responses import FileResponse, Response, StreamingResponse

from campaignkit import EvidenceStore

CHUNK = 1 << 16


def content_disposition(name: str) -> str:
    """``attachment`` with the name as RFC 6266 wants it: an ASCII fallback, quoted, with
    no quote, backslash or control character, and the name itself as UTF-8 in
    ``filename*``, percent-encoded, so no header can be injected through it."""
    fallback = "".join(
        c if c.isascii() and c.isprintable() and c not in '"\\' else "_" for c in name
    )
    return f"attachment; filename=\"{fallback or 'file'}\"; filename*=UTF-8''{quote(name, safe='')}"


def attachment(store: EvidenceStore, sha256: str, name: str) -> Response:
    """The stored file as a download: sent from the disk when the store keeps it on this
    machine, else streamed from the store (object storage)."""
    headers = {"Content-Disposition": content_disposition(name)}
    path = store.local_path(sha256)
    if path is not None:
        return FileResponse(path, media_type="application/octet-stream", headers=headers)
    size = store.size(sha256)
    if size is not None:
        headers["Content-Length"] = str(size)
    return StreamingResponse(
        _chunks(store, sha256), media_type="application/octet-stream", headers=headers
    )


def _chunks(store: EvidenceStore, sha256: str) -> Iterator[bytes]:
    with store.open(sha256) as stored:
        while chunk := stored.read(CHUNK):
            yield chunk
