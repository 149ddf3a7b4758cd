"""Ticks running while the portal takes hand-ins, for bench/portal.py's `--ticks N`.

Each of N loops runs `campaignkit tick` again and again, as cron on N nodes would, each run
with `--outbox` appending every notification it settles to one shared file. The runs step
a virtual clock (`--now`) through the requirement's reminders, its deadline and its
escalation, and then stay at the last moment, until the hand-ins are over; then each loop
runs once more, so that what the last hand-ins changed is settled too. Every loop walks
the same moments at once: they race for the same events and the same notifications.

The hand-ins start once every loop has finished its first run (`wait_first`): by then the
first reminders are queued for every unit, so that the hand-ins race with the notices
about them, whatever the speed of the machine.

Whether anything was sent twice is read from the shared file afterwards: each
notification's key must be on one line only.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import threading
from collections import Counter
from pathlib import Path
from typing import Any


class TickLoops:
    """`loops` threads, each running `campaignkit tick` over `moments` until `stop`."""

    def __init__(self, command: list[str], moments: list[str], loops: int, folder: Path) -> None:
        self.command = command
        self.moments = moments
        self.folder = folder
        self.runs = 0
        self.failed: list[str] = []
        self._lock = threading.Lock()
        self._done = threading.Event()
        self._first = threading.Barrier(loops + 1)
        self._threads = [
            threading.Thread(target=self._loop, args=(n,), daemon=True) for n in range(loops)
        ]

    def start(self) -> None:
        for thread in self._threads:
            thread.start()

    def wait_first(self) -> None:
        """Wait until every loop has finished its first run (or one could not run)."""
        with contextlib.suppress(threading.BrokenBarrierError):
            self._first.wait()

    def stop(self) -> None:
        """The hand-ins are over: each loop finishes its run, runs once more and ends."""
        self._done.set()
        for thread in self._threads:
            thread.join()

    def _loop(self, number: int) -> None:
        try:
            self._steps(number)
        except Exception as error:  # the loop cannot run a tick: say so, and wait for none
            with self._lock:
                self.failed.append(f"loop {number}: {type(error).__name__}: {error}")
            self._first.abort()

    def _steps(self, number: int) -> None:
        step = 0
        while True:
            last = self._done.is_set()  # read before the run: one more after the stop
            moment = self.moments[min(step, len(self.moments) - 1)]
            self._run(number, moment)
            if step == 0:
                with contextlib.suppress(threading.BrokenBarrierError):
                    self._first.wait()
            step += 1
            if last and step >= len(self.moments):
                return

    def _run(self, number: int, moment: str) -> None:
        done = subprocess.run(
            [*self.command, "--now", moment, "--format", "json"],
            cwd=self.folder,
            capture_output=True,
            text=True,
            check=False,
        )
        with self._lock:
            self.runs += 1
            if done.returncode != 0:
                self.failed.append(f"loop {number} at {moment}: {done.stderr.strip()[-500:]}")

    def figures(self, outbox: Path) -> dict[str, Any]:
        lines = outbox.read_text(encoding="utf-8").splitlines() if outbox.exists() else []
        keys = Counter(json.loads(line)["key"] for line in lines)
        states = Counter(json.loads(line)["state"] for line in lines)
        return {
            "loops": len(self._threads),
            "runs": self.runs,
            "failed": len(self.failed),
            "errors": self.failed[:5],
            "notifications": len(keys),
            "states": dict(sorted(states.items())),
            "sent_twice": sum(1 for count in keys.values() if count > 1),
        }
