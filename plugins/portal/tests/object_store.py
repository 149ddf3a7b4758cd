"""An object store double: a plugin that keeps evidence as objects in a "bucket" (a temp
directory), reached only through the `EvidenceStore` interface, and counts every call, so
that a test proves a hand-in and a download went through it and not through a directory
beside the ledger. What an S3 plugin would be, without the network."""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import threading
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit

from campaignkit import (
    EvidenceBackend,
    EvidenceStore,
    StoredFile,
    TooLarge,
    hookimpl,
    size_cap,
)

SCHEME = "objects"


class ObjectStore(EvidenceStore):
    """``objects://BUCKET``: each file an object ``BUCKET/sha256/<hex>`` in a folder that
    stands for the bucket; the probers read a copy kept in a local cache."""

    def __init__(self, bucket: Path, cache: Path, calls: Counter[str]) -> None:
        self.bucket = bucket
        self.cache = cache
        self.calls = calls
        self.lock = threading.Lock()

    def _key(self, sha256: str) -> Path:
        return self.bucket / "sha256" / sha256

    def put(self, source: Path, cap: int | None = None) -> StoredFile:
        self.calls["put"] += 1
        cap = size_cap(None) if cap is None else cap
        self.cache.mkdir(parents=True, exist_ok=True)
        digest, size = hashlib.sha256(), 0
        handle, staged = tempfile.mkstemp(dir=self.cache)
        with source.open("rb") as src, os.fdopen(handle, "wb") as out:
            while chunk := src.read(1 << 16):
                size += len(chunk)
                if size > cap:
                    out.close()
                    os.unlink(staged)
                    raise TooLarge(cap)
                digest.update(chunk)
                out.write(chunk)
        sha256 = digest.hexdigest()
        local = self.cache / sha256
        os.replace(staged, local)
        with self.lock:  # an upload: whole or not at all
            key = self._key(sha256)
            if not key.exists():
                key.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(local, key.with_suffix(".uploading"))
                os.replace(key.with_suffix(".uploading"), key)
        return StoredFile(sha256, size, local)

    def open(self, sha256: str) -> BinaryIO:
        self.calls["open"] += 1
        return self._key(sha256).open("rb")

    def size(self, sha256: str) -> int | None:
        self.calls["size"] += 1
        key = self._key(sha256)
        return key.stat().st_size if key.is_file() else None

    def sha256s(self) -> Iterator[str]:
        self.calls["list"] += 1
        folder = self.bucket / "sha256"
        return iter(sorted(p.name for p in folder.iterdir()) if folder.is_dir() else [])

    def describe(self) -> str:
        return f"{SCHEME}://{self.bucket.name}"


class ObjectStorePlugin:
    """Provides ``objects://NAME``: the bucket NAME under `root`."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.calls: Counter[str] = Counter()

    def open(self, location: str) -> EvidenceStore:
        bucket = urlsplit(location).netloc
        if not bucket:
            raise ValueError("say which bucket: objects://BUCKET")
        return ObjectStore(self.root / bucket, self.root / "cache", self.calls)

    def objects(self, bucket: str) -> list[str]:
        folder = self.root / bucket / "sha256"
        return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []

    @hookimpl
    def campaignkit_evidence_stores(self) -> list[EvidenceBackend]:
        return [EvidenceBackend(SCHEME, self.open, "a bucket in a folder (a test double)")]
