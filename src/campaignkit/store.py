"""The evidence store: every submitted file, kept once, named by its sha256.

`EvidenceStore` is what the core asks of a store: put a file, and by its sha256 say whether
it is there and how large, open it, and list what is kept (``ledger check``). The default
is `DirectoryStore`, a local directory beside the ledger (``ledger.db`` keeps its files in
``ledger.evidence/``); a plugin may provide another, such as object storage, through
``campaignkit_evidence_stores`` (`EvidenceBackend`), and the operator picks it
(``evidence_stores.open_store``).

In a directory, a file is copied to a temporary name in the store (a *partial*,
``.incoming-…``), flushed to disk, then renamed into place, so the store never holds half a
file; a file submitted twice is stored once. A copy stops at a size cap, and then nothing is
stored. Both hold on a directory several machines mount (NFS): a rename is atomic there too,
and two workers storing the same file write the same bytes under the same name.

A writer holds an exclusive lock on its partial while it copies. A partial nobody holds is
what a killed ``submit`` left behind; so is one untouched for an hour. Opening the store
sweeps both away, and never a partial another hand-in is still writing.
"""

from __future__ import annotations

import abc
import hashlib
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

import attrs

CHUNK = 1 << 20
PARTIAL = ".incoming-"
STALE_AFTER = 3600.0
"""Seconds after which an untouched partial is swept even if it is held: its writer is stuck."""
MB = 1_000_000
"""A megabyte, as ``max_size_mb`` and the evidence rules count it."""
DEFAULT_MAX_MB = 2_000
"""The largest file stored when the deliverable sets no ``max_size_mb``: 2 GB."""


@attrs.frozen
class StoredFile:
    sha256: str
    size: int
    path: Path
    """A local file holding its bytes, for the evidence probers: where a directory keeps
    it, or a copy a remote store keeps on this machine."""


class TooLarge(Exception):
    """The file is larger than the cap; nothing was stored."""

    def __init__(self, cap: int) -> None:
        super().__init__(f"the file is larger than {cap / MB:g} MB; it was not stored")
        self.cap = cap


def size_cap(max_size_mb: float | None) -> int:
    """The largest file stored, in bytes: the deliverable's ``max_size_mb``, else
    ``CAMPAIGNKIT_MAX_EVIDENCE_MB`` (default 2,000 MB)."""
    if max_size_mb is not None and max_size_mb > 0:
        return int(max_size_mb * MB)
    try:
        configured = float(os.environ.get("CAMPAIGNKIT_MAX_EVIDENCE_MB", DEFAULT_MAX_MB))
    except ValueError:
        configured = DEFAULT_MAX_MB
    return int((configured if configured > 0 else DEFAULT_MAX_MB) * MB)


class EvidenceStore(abc.ABC):
    """Where hand-ins' files are kept, each once, named by its sha256 (lowercase hex).

    A store is opened per process (per portal worker), and may be used from several threads.
    """

    @classmethod
    def beside(cls, ledger: Path) -> DirectoryStore:
        """The default store of a ledger file: the directory beside it."""
        return DirectoryStore(ledger.with_name(ledger.stem + ".evidence"))

    @abc.abstractmethod
    def put(self, source: Path, cap: int | None = None) -> StoredFile:
        """Keep a copy of `source` (unless one is kept already), whole or not at all.

        Raises `TooLarge` when it holds more than `cap` bytes (default: `size_cap(None)`),
        and OSError when it cannot be read or stored.
        """

    @abc.abstractmethod
    def open(self, sha256: str) -> BinaryIO:
        """The stored file, opened for reading; FileNotFoundError when it is not kept."""

    @abc.abstractmethod
    def size(self, sha256: str) -> int | None:
        """The stored file's size in bytes, or None when it is not kept."""

    @abc.abstractmethod
    def sha256s(self) -> Iterator[str]:
        """Every file kept, by its sha256, in no particular order."""

    def exists(self, sha256: str) -> bool:
        """Whether the file is kept."""
        return self.size(sha256) is not None

    def local_path(self, sha256: str) -> Path | None:
        """The stored file on this machine's file system, to send without copying; None
        when it is not kept, or kept elsewhere (then read it with `open`)."""
        return None

    def describe(self) -> str:
        """Where the store is, for messages (never a secret)."""
        return type(self).__name__


@attrs.frozen
class EvidenceBackend:
    """A kind of evidence store a plugin provides: ``campaignkit_evidence_stores``.

    The operator picks one by a location starting ``SCHEME://`` (``--evidence`` or
    ``CAMPAIGNKIT_EVIDENCE``), never the campaign file: where files are kept is the
    machine's business, not the plan's.
    """

    name: str
    """The scheme, such as ``s3``: ``s3://bucket/prefix`` is opened by this backend."""
    open: Callable[[str], EvidenceStore]
    """Opens the store at a location (the whole ``SCHEME://…`` text); raises ValueError,
    with a message for the operator, when the location is not one it can open."""
    description: str = ""


class DirectoryStore(EvidenceStore):
    """The evidence store in a local (or shared, mounted) directory: ``ROOT/ab/abcdef…``."""

    def __init__(self, root: Path) -> None:
        self.root = root
        sweep(root)

    def path_of(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    def describe(self) -> str:
        return str(self.root)

    def put(self, source: Path, cap: int | None = None) -> StoredFile:
        cap = size_cap(None) if cap is None else cap
        self.root.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        size = 0
        with source.open("rb") as src:
            if os.fstat(src.fileno()).st_size > cap:
                raise TooLarge(cap)  # before copying a byte
            handle, temporary = _partial(self.root)
            try:
                with os.fdopen(handle, "wb") as out:
                    while chunk := src.read(CHUNK):
                        size += len(chunk)
                        if size > cap:  # the file grew while it was copied
                            raise TooLarge(cap)
                        digest.update(chunk)
                        out.write(chunk)
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

    def open(self, sha256: str) -> BinaryIO:
        if not _is_sha256(sha256):
            raise FileNotFoundError(sha256)
        return self.path_of(sha256).open("rb")

    def size(self, sha256: str) -> int | None:
        path = self.local_path(sha256)
        return path.stat().st_size if path is not None else None

    def local_path(self, sha256: str) -> Path | None:
        path = self.path_of(sha256) if _is_sha256(sha256) else None
        return path if path is not None and path.is_file() else None

    def sha256s(self) -> Iterator[str]:
        try:
            shards = [e for e in os.scandir(self.root) if e.is_dir() and len(e.name) == 2]
        except FileNotFoundError:
            return
        for shard in shards:
            for entry in os.scandir(shard.path):
                if entry.name.startswith(shard.name) and _is_sha256(entry.name):
                    yield entry.name


def _is_sha256(text: str) -> bool:
    """64 lowercase hex digits: never a path that could leave the store."""
    return len(text) == 64 and all(c in "0123456789abcdef" for c in text)


def _partial(root: Path) -> tuple[int, str]:
    """A new partial in `root`, opened and locked: (descriptor, path)."""
    while True:
        handle, temporary = tempfile.mkstemp(dir=root, prefix=PARTIAL)
        if not _lock(handle, wait=True):
            return handle, temporary  # no locks here: the sweep goes by age alone
        # A sweep may have taken the new partial for a dead one before it was locked: the
        # sweep unlinks only while it holds the lock, so one still in place is safely ours.
        try:
            if os.stat(temporary).st_ino == os.fstat(handle).st_ino:
                return handle, temporary
        except FileNotFoundError:
            pass
        os.close(handle)


def sweep(root: Path) -> int:
    """Remove the partials in `root` that no writer holds, or that are older than an hour;
    how many were removed."""
    try:
        names = [entry.path for entry in os.scandir(root) if entry.name.startswith(PARTIAL)]
    except OSError:
        return 0  # no store yet
    removed = 0
    for name in names:
        try:
            handle = os.open(name, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        except OSError:
            continue  # gone already, or not ours to open
        try:
            found = os.fstat(handle)
            old = time.time() - found.st_mtime > STALE_AFTER
            if _lock(handle, wait=False) or old:
                os.unlink(name)
                removed += 1
        except OSError:
            pass  # another sweep removed it first
        finally:
            os.close(handle)
    return removed


def _lock(handle: int, *, wait: bool) -> bool:
    """An exclusive lock on an open file, released when it is closed; False when another
    process holds one (without `wait`), or where there are no such locks (Windows)."""
    if sys.platform == "win32":
        return False
    import fcntl

    try:
        fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
    except OSError:  # held by another process; or a file system without locks, such as NFS
        return False
    return True
