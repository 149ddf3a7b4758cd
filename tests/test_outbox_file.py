"""The ``--outbox`` file takes lines from several processes at once (``tick`` on two nodes
writing to one file, or two rehearsals): each line is one ``O_APPEND`` write, so no line is
ever cut by another's."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter

import pytest
from conftest import REPO

WRITERS = 4
LINES = 2_000

# Every seventh line is longer than a pipe's atomic size (4,096 bytes): the file, not a
# small line, keeps it whole.
WRITER = """
import datetime as dt
import sys
from pathlib import Path

from campaignkit.delivery import OutboxFile
from campaignkit.notify import Notification

path, writer, lines = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
at = dt.datetime(2020, 6, 1, 9, tzinfo=dt.timezone.utc)
record = OutboxFile(path)
for n in range(lines):
    text = ("长" * 3000 if n % 7 == 0 else "short") + f" {writer}/{n}"
    note = Notification(at, "east", "reminder", "report", f"drill/{writer}/{n}", text)
    record.write(note, "delivered", ["console"])
record.close()
"""


@pytest.mark.slow
def test_lines_from_several_processes_never_interleave(tmp_path) -> None:
    outbox = tmp_path / "outbox.jsonl"
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    writers = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(outbox), f"w{n}", str(LINES)], env=env)
        for n in range(WRITERS)
    ]
    assert [writer.wait(timeout=120) for writer in writers] == [0] * WRITERS

    lines = outbox.read_bytes().split(b"\n")
    assert lines.pop() == b""  # the file ends with a newline
    records = [json.loads(line) for line in lines]  # every line whole
    assert len(records) == WRITERS * LINES
    assert Counter(r["key"].split("/")[1] for r in records) == {
        f"w{n}": LINES for n in range(WRITERS)
    }
    assert len({r["key"] for r in records}) == WRITERS * LINES
    assert all(r["text"].endswith(r["key"].removeprefix("drill")[1:]) for r in records)
