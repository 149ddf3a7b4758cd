"""One evidence directory shared by several processes, as portal workers on several
machines mount it (NFS): each file arrives whole, once, under its sha256, and every worker
finds what another stored."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys

import pytest
from conftest import REPO

from campaignkit import DirectoryStore

WORKERS = 4
FILES = 50

# Each worker stores the same shared files and files of its own, in its own order.
WORKER = """
import sys
from pathlib import Path

from campaignkit import DirectoryStore

root, sources, me = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
store = DirectoryStore(root)
names = sorted(p.name for p in sources.iterdir() if p.name.startswith(("shared", me + "-")))
for name in names[:: -1 if me.endswith(("1", "3")) else 1]:
    stored = store.put(sources / name)
    assert stored.path.read_bytes() == (sources / name).read_bytes()
"""


@pytest.mark.slow
def test_workers_sharing_one_directory_store_each_file_once_and_whole(tmp_path) -> None:
    sources = tmp_path / "sources"
    sources.mkdir()
    contents = {f"shared-{n}": f"shared {n}\n".encode() * 5000 for n in range(FILES)}
    for worker in range(WORKERS):
        contents |= {f"w{worker}-{n}": f"w{worker} {n}\n".encode() * 100 for n in range(FILES)}
    for name, body in contents.items():
        (sources / name).write_bytes(body)
    root = tmp_path / "evidence"
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    workers = [
        subprocess.Popen([sys.executable, "-c", WORKER, str(root), str(sources), f"w{n}"], env=env)
        for n in range(WORKERS)
    ]
    assert [worker.wait(timeout=120) for worker in workers] == [0] * WORKERS

    store = DirectoryStore(root)
    expected = {hashlib.sha256(body).hexdigest(): body for body in contents.values()}
    assert sorted(store.sha256s()) == sorted(expected)
    for sha256, body in expected.items():
        assert store.size(sha256) == len(body)
        with store.open(sha256) as stored:
            assert stored.read() == body
    assert [p.name for p in root.iterdir() if p.is_file()] == []  # no partial left behind


def test_a_name_that_is_not_a_sha256_is_never_a_path(tmp_path) -> None:
    store = DirectoryStore(tmp_path / "evidence")
    (tmp_path / "secret").write_text("not evidence", encoding="utf-8")
    for name in ("../secret", "../../secret", "", "A" * 64):
        assert not store.exists(name)
        assert store.local_path(name) is None
        with pytest.raises(FileNotFoundError):
            store.open(name)
