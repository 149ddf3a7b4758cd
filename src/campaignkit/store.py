"""The evidence store: every submitted file, kept once, named by its sha256.

It lives beside the ledger (``ledger.db`` keeps its files in ``ledger.evidence/``). A file is
copied to a temporary name in the store, flushed to disk, then renamed into place, so the
store never holds half a file; a file submitted twice is stored once.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

import attrs

CHUNK = 1 << 20


@attrs.frozen
class StoredFile:
    sha256: str
    size: int
    path: Path
    """Where the store keeps it."""


class EvidenceStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    @classmethod
    def beside(cls, ledger: Path) -> EvidenceStore:
        return cls(ledger.with_name(ledger.stem + ".evidence"))

    def path_of(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    def put(self, source: Path) -> StoredFile:
        """Copy `source` into the store (unless it is there already); raises OSError."""
        self.root.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        size = 0
        handle, temporary = tempfile.mkstemp(dir=self.root, prefix=".incoming-")
        try:
            with source.open("rb") as src, os.fdopen(handle, "wb") as out:
                while chunk := src.read(CHUNK):
                    digest.update(chunk)
                    out.write(chunk)
                    size += len(chunk)
                out.flush()
                os.fsync(out.fileno())
            final = self.path_of(digest.hexdigest())
            if final.exists():
                os.unlink(temporary)
            else:
                final.parent.mkdir(exist_ok=True)
                os.replace(temporary, final)
        except BaseException:
            if os.path.exists(temporary):
                os.unlink(temporary)
            raise
        return StoredFile(digest.hexdigest(), size, final)
