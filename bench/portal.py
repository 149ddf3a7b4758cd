"""The portal under load: N units hand in a file of M MB each, at once, through the JSON API
of `campaignkit serve` on 127.0.0.1.

    python bench/portal.py [--units 200] [--mb 2] [--workers 2] [--concurrency 50]
                           [--db postgresql://…] [--ticks T] [--spread SECONDS]
                           [--format table|json] [--strict] [--keep DIR]

It writes a campaign of N units with one requirement (one PDF each), issues every unit its
link into a fresh ledger (`campaignkit invite --all --format json`), starts
`campaignkit serve --workers W` on a free port and waits for `/api/v1/healthz`. Then every
unit hands in at once, at most `--concurrency` requests in flight, each file made as it is
sent (a PDF header, the unit's name and padding: each file different, none held whole in
memory). It measures each request's latency, samples the peak memory of every process of
the server, stops the server and counts the hand-ins in its ledger.

With `--db` the ledger is that PostgreSQL database (the files go to a folder beside the
campaign, as `CAMPAIGNKIT_EVIDENCE` says); `--spread` starts the units' hand-ins one after
another over that many seconds instead of all at once; `--ticks T` runs T loops of
`campaignkit tick` meanwhile, as cron on T nodes would (bench/ticking.py), all appending to
one `--outbox` file.

It prints throughput (hand-ins and MB per second), p50/p95/max latency and the server's
peak memory, and the targets with `ok` or `MISSED`: no request fails, the ledger holds
exactly the hand-ins that were answered 201, the server's peak stays under 150 MB per
worker, and with ticks: no tick fails and no notification is sent twice. The exit code is 0
whatever the figures, unless --strict is given: then 1 when a target is missed. A command
that fails, or a server that does not answer, stops it with exit code 2. Linux only: the
server's memory is read from /proc.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx

BENCH = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent

MB = 1_000_000
"""A file's megabyte, as campaignkit's size caps (`max_size_mb`) count it."""
PEAK_TARGET_MB = 150.0
"""The server's peak memory per worker, all its processes together, in MiB (as /proc
reports it): 300 MB for the default two workers."""
CHUNK = 64 * 1024
"""The client sends a file in pieces of this size: no file is ever whole in its memory."""
BOUNDARY = "campaignkit-bench-portal-boundary"
CAMPAIGN_ID = "bench-portal"
REQUIREMENT = "report"
DELIVERABLE = "file"
START_DEADLINE = 60.0
"""Seconds the server has to answer /api/v1/healthz."""
STOP_DEADLINE = 60.0
SAMPLE_EVERY = 0.2
"""Seconds between two samples of the server's processes' peaks."""
ERRORS_KEPT = 5

EXIT_MISSED = 1
EXIT_FAILED = 2


class BenchFailed(Exception):
    """A command or the server failed: the benchmark cannot go on."""


def executable(name: str) -> str:
    """`name` from the same environment as the Python running this script."""
    found = shutil.which(name, path=str(BIN))
    if found is None:
        raise SystemExit(f"error: no `{name}` beside {sys.executable}")
    return found


def unit_id(n: int) -> str:
    return f"unit-{n + 1}"


def campaign(units: int, mb: float) -> str:
    """A campaign open until 2099: an office, `units` units that each owe one PDF."""
    cap = int(mb) + 1  # room for the file, in whole MB
    out = [
        "# A campaign for bench/portal.py: every unit hands in one PDF.\n",
        "format = 1\n\n[campaign]\n",
        f'id = "{CAMPAIGN_ID}"\ntitle = "Portal benchmark"\nissued_on = 2099-05-01\n',
        'issued_by = "office"\ntimezone = "Asia/Shanghai"\nlanguage = "en"\n\n',
        '[phases.month]\nname = "The month"\nstart = 2099-06-01\nend = 2099-06-30\n\n',
        '[groups]\nunits = { kinds = ["unit"] }\n\n',
        '[units.office]\nname = "The office"\nkind = "office"\n\n',
    ]
    for n in range(units):
        out.append(f'[units.{unit_id(n)}]\nname = "Unit {n + 1}"\nkind = "unit"\n')
        out.append('parent = "office"\n\n')
    out.append(f'[requirements.{REQUIREMENT}]\nname = "The report"\nassignees = ["units"]\n')
    out.append("due = 2099-06-28\nremind = [7, 3, 1]\nescalate_after = 1\n\n")
    out.append(f"[[requirements.{REQUIREMENT}.deliverables]]\n")
    out.append(f'id = "{DELIVERABLE}"\nkind = "document"\nformats = ["pdf"]\n')
    out.append(f"max_size_mb = {cap}\n")
    return "".join(out)


def pdf_pieces(unit: str, size: int) -> Iterator[bytes]:
    """A file of exactly `size` bytes that the prober takes for a PDF (`%PDF-` first), with
    the unit's name in it so that no two units' files are the same, in pieces of CHUNK."""
    head = f"%PDF-1.4\n% handed in by {unit}\n".encode()[:size]
    yield head
    left = size - len(head)
    padding = b"0" * CHUNK
    while left > 0:
        piece = padding[: min(CHUNK, left)]
        left -= len(piece)
        yield piece


def form_parts(unit: str) -> tuple[bytes, bytes]:
    """What comes before and after the file in a `multipart/form-data` body."""
    before = (
        f"--{BOUNDARY}\r\n"
        f'Content-Disposition: form-data; name="{DELIVERABLE}"; filename="{unit}.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    ).encode()
    return before, f"\r\n--{BOUNDARY}--\r\n".encode()


def body_length(unit: str, size: int) -> int:
    before, after = form_parts(unit)
    return len(before) + size + len(after)


async def body(unit: str, size: int) -> AsyncIterator[bytes]:
    """The hand-in's body, made as it is sent."""
    before, after = form_parts(unit)
    yield before
    for piece in pdf_pieces(unit, size):
        yield piece
    yield after


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile: the smallest value with at least `share` of them at or
    below it."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * share // 1))
    return ordered[int(rank) - 1]


# --- The server's memory -------------------------------------------------------------------


def children_of() -> dict[int, list[int]]:
    """Every process's children, from /proc/*/stat."""
    found: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:
            continue  # gone since the listing
        # The command's name, in parentheses, may hold spaces: the fields start after it.
        parent = int(stat.rpartition(")")[2].split()[1])
        found.setdefault(parent, []).append(int(entry.name))
    return found


def tree(root: int) -> list[int]:
    """`root` and all its descendants."""
    children = children_of()
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, []))
    return out


def high_water_kb(pid: int) -> int | None:
    """The process's own peak resident set (VmHWM), or None when it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def command_of(pid: int) -> str:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return ""
    return " ".join(part.decode("utf-8", "replace") for part in raw.split(b"\0") if part)


class PeakWatcher:
    """The peak of each process of a server's tree (the master, uvicorn's workers and
    whatever else it starts), sampled every SAMPLE_EVERY seconds and once more on `stop`.

    A process's VmHWM only grows, so a sample taken after its peak and before it ends sees
    the peak, however brief: the last sample is taken while every process still runs.
    """

    def __init__(self, root: int) -> None:
        self.root = root
        self.peaks: dict[int, int] = {}
        self.commands: dict[int, str] = {}
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def sample(self) -> None:
        for pid in tree(self.root):
            kb = high_water_kb(pid)
            if kb is None:
                continue
            if pid not in self.commands:
                self.commands[pid] = command_of(pid)
            self.peaks[pid] = max(kb, self.peaks.get(pid, 0))

    def _run(self) -> None:
        while not self._done.wait(SAMPLE_EVERY):
            self.sample()

    def stop(self) -> None:
        self._done.set()
        self._thread.join()
        self.sample()

    def figures(self) -> dict[str, Any]:
        processes = [
            {"pid": pid, "peak_mb": kb / 1024, "command": self.commands.get(pid, "")}
            for pid, kb in sorted(self.peaks.items())
        ]
        return {
            "peak_mb": sum(kb for kb in self.peaks.values()) / 1024,
            "processes": processes,
        }


# --- Running it ----------------------------------------------------------------------------


def run(command: list[str], cwd: Path) -> str:
    """Run `command`; its standard output. A failure is BenchFailed with its stderr."""
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BenchFailed(
            f"`{' '.join(command)}` exited with {done.returncode}; its stderr:\n{done.stderr}"
        )
    return done.stdout


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_for(server: subprocess.Popen[bytes], base: str, log: Path) -> None:
    """Poll /api/v1/healthz until the server answers, it exits, or START_DEADLINE passes."""
    deadline = time.monotonic() + START_DEADLINE
    while True:
        if server.poll() is not None:
            raise BenchFailed(f"the server exited with {server.returncode}:\n{log.read_text()}")
        try:
            if httpx.get(f"{base}/api/v1/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            raise BenchFailed(
                f"the server did not answer in {START_DEADLINE:g} s:\n{log.read_text()}"
            )
        time.sleep(0.1)  # a poll's pause


def stop(server: subprocess.Popen[bytes]) -> None:
    """SIGTERM, as a service manager stops it: uvicorn finishes and stops its workers."""
    server.terminate()
    try:
        server.wait(timeout=STOP_DEADLINE)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()
        raise BenchFailed(f"the server did not stop within {STOP_DEADLINE:g} s") from None


TICK_MOMENTS = [
    "2099-06-21T09:00", "2099-06-25T09:00", "2099-06-27T09:00",  # the reminders
    "2099-06-29T09:00", "2099-06-30T09:00",  # overdue, then the escalation
]  # fmt: skip
"""The virtual clock the ticks step through (`--ticks`): the campaign's notices."""


async def upload_all(
    base: str, tokens: dict[str, str], size: int, concurrency: int, spread: float = 0.0
) -> tuple[float, list[dict[str, Any]]]:
    """Every unit hands in, at most `concurrency` at a time, at once or (`spread`) one after
    another over that many seconds: the wall time and each request's outcome."""
    gate = asyncio.Semaphore(concurrency)
    url = f"{base}/api/v1/requirements/{REQUIREMENT}/submissions"
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    timeout = httpx.Timeout(600.0, connect=60.0)

    async def hand_in(client: httpx.AsyncClient, unit: str) -> dict[str, Any]:
        headers = {
            "Authorization": f"Bearer {tokens[unit]}",
            "Content-Type": f"multipart/form-data; boundary={BOUNDARY}",
            "Content-Length": str(body_length(unit, size)),
        }
        await asyncio.sleep(arrival[unit])  # the load's schedule, not a wait for the server
        async with gate:
            start = time.perf_counter()
            try:
                answer = await client.post(url, content=body(unit, size), headers=headers)
            except httpx.HTTPError as error:
                return {"unit": unit, "status": None, "error": f"{type(error).__name__}: {error}"}
            seconds = time.perf_counter() - start
        outcome: dict[str, Any] = {"unit": unit, "status": answer.status_code, "seconds": seconds}
        if answer.status_code == 201:
            outcome["accepted"] = bool(answer.json().get("accepted"))
        else:
            outcome["error"] = answer.text[:500]
        return outcome

    arrival = {unit: n * spread / len(tokens) for n, unit in enumerate(tokens)}
    async with httpx.AsyncClient(limits=limits, timeout=timeout) as client:
        start = time.perf_counter()
        outcomes = await asyncio.gather(*(hand_in(client, unit) for unit in tokens))
        return time.perf_counter() - start, list(outcomes)


def ledger_counts(db: str | Path) -> dict[str, Any]:
    """The hand-ins the ledger holds, by status, and how many units handed in."""
    from campaignkit import open_ledger  # only now: the script stays small while it measures

    with open_ledger(db) as ledger:
        rows = ledger.submissions(CAMPAIGN_ID)
    statuses = Counter(str(getattr(row.status, "value", row.status)) for row in rows)
    return {
        "hand_ins": len(rows),
        "units": len({row.unit for row in rows}),
        "statuses": dict(sorted(statuses.items())),
    }


def benchmark(args: argparse.Namespace, folder: Path) -> dict[str, Any]:
    campaignkit = executable("campaignkit")
    size = int(args.mb * MB)
    plan = folder / "portal.toml"
    db: str | Path = args.db or folder / "portal.db"
    # Workers share one secret for their sessions, as `serve --workers` asks of an operator.
    os.environ.setdefault("CAMPAIGNKIT_PORTAL_SECRET", secrets.token_urlsafe(32))
    if args.db:  # a database has no folder beside it: the files go where the operator says
        os.environ["CAMPAIGNKIT_EVIDENCE"] = str(folder / "evidence")
    plan.write_text(campaign(args.units, args.mb), encoding="utf-8")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    invite = [campaignkit, "invite", str(plan), "--db", str(db), "--base-url", base, "--all"]
    issued = json.loads(run([*invite, "--format", "json"], folder))
    tokens = {row["unit"]: row["token"] for row in issued if row["unit"] != "office"}
    log = folder / "serve.log"
    serve = [campaignkit, "serve", str(plan), "--db", str(db), "--port", str(port)]
    serve += ["--workers", str(args.workers)]
    with open(log, "wb") as out:
        server = subprocess.Popen(serve, cwd=folder, stdout=out, stderr=subprocess.STDOUT)
    watcher = PeakWatcher(server.pid)
    watcher.start()
    from ticking import TickLoops  # beside this script, which Python puts on the path

    outbox = folder / "outbox.jsonl"
    tick = [campaignkit, "tick", str(plan), "--db", str(db), "--outbox", str(outbox)]
    ticks = TickLoops(tick, TICK_MOMENTS, args.ticks, folder) if args.ticks else None
    try:
        wait_for(server, base, log)
        if ticks is not None:
            ticks.start()
            ticks.wait_first()
        try:
            seconds, outcomes = asyncio.run(
                upload_all(base, tokens, size, args.concurrency, args.spread)
            )
        finally:
            if ticks is not None:
                ticks.stop()
    finally:
        watcher.stop()  # the last sample, while every process of the server still runs
        if server.poll() is None:
            stop(server)
    held = ledger_counts(db)
    ticked = ticks.figures(outbox) if ticks is not None else None
    return figures(args, size, seconds, outcomes, held, watcher.figures(), ticked)


def figures(
    args: argparse.Namespace,
    size: int,
    seconds: float,
    outcomes: list[dict[str, Any]],
    held: dict[str, Any],
    server: dict[str, Any],
    ticked: dict[str, Any] | None = None,
) -> dict[str, Any]:
    recorded = [o for o in outcomes if o["status"] == 201]
    latencies = [o["seconds"] for o in recorded]
    failures = len(outcomes) - len(recorded)
    statuses = Counter("error" if o["status"] is None else str(o["status"]) for o in outcomes)
    server["measured_as"] = (
        "the sum, over every process of the server's tree (the master, uvicorn's workers "
        "and multiprocessing's resource tracker), of each process's own peak resident set "
        "(VmHWM in /proc/PID/status), in MiB"
    )
    targets = [
        {"name": "failed requests", "value": failures, "target": 0, "ok": failures == 0},
        {
            "name": "hand-ins in the ledger",
            "value": held["hand_ins"],
            "target": len(recorded),
            "ok": held["hand_ins"] == len(recorded),
        },
        {
            "name": "server peak MB",
            "value": server["peak_mb"],
            "target": PEAK_TARGET_MB * args.workers,
            "ok": server["peak_mb"] <= PEAK_TARGET_MB * args.workers,
        },
    ]
    if ticked is not None:
        targets += [
            {"name": "failed ticks", "value": ticked["failed"], "target": 0,
             "ok": ticked["failed"] == 0},
            {"name": "notifications sent twice", "value": ticked["sent_twice"], "target": 0,
             "ok": ticked["sent_twice"] == 0},
        ]  # fmt: skip
    return {
        "units": args.units,
        "mb": args.mb,
        "file_bytes": size,
        "workers": args.workers,
        "concurrency": args.concurrency,
        "seconds": seconds,
        "hand_ins_per_second": len(recorded) / seconds,
        "mb_per_second": len(recorded) * size / MB / seconds,
        "latency": {
            "p50": percentile(latencies, 0.50) if latencies else None,
            "p95": percentile(latencies, 0.95) if latencies else None,
            "max": max(latencies) if latencies else None,
        },
        "requests": len(outcomes),
        "failures": failures,
        "statuses": dict(sorted(statuses.items())),
        "accepted": sum(bool(o.get("accepted")) for o in recorded),
        "rejected": sum(not o.get("accepted") for o in recorded),
        "errors": [o for o in outcomes if o["status"] != 201][:ERRORS_KEPT],
        "ledger": held,
        "backend": "postgresql" if args.db else "sqlite",
        "spread": args.spread,
        "ticks": ticked,
        "server": server,
        "targets": targets,
        "missed": sum(not t["ok"] for t in targets),
    }


def print_table(found: dict[str, Any]) -> None:
    latency = found["latency"]
    spread = f" over {found['spread']:g} s" if found["spread"] else " at once"
    print(
        f"{found['units']} units × {found['mb']:g} MB{spread}, `campaignkit serve --workers "
        f"{found['workers']}` on {found['backend']}, {found['concurrency']} requests at a time:\n"
    )
    print(f"  wall time          {found['seconds']:8.2f} s")
    print(f"  throughput         {found['hand_ins_per_second']:8.2f} hand-ins/s")
    print(f"                     {found['mb_per_second']:8.2f} MB/s")
    if latency["p50"] is not None:
        print(f"  latency p50        {latency['p50']:8.2f} s")
        print(f"  latency p95        {latency['p95']:8.2f} s")
        print(f"  latency max        {latency['max']:8.2f} s")
    print(f"  answers            {found['statuses']}")
    print(f"  accepted/rejected  {found['accepted']} / {found['rejected']}")
    if found["ticks"] is not None:
        ticks = found["ticks"]
        print(f"  ticks              {ticks['runs']} runs in {ticks['loops']} loops meanwhile,"
              f" {ticks['notifications']} notifications {ticks['states']}")  # fmt: skip
        for error in ticks["errors"]:
            print(f"  tick failed: {error[:200]}")
    print(f"  server peak        {found['server']['peak_mb']:8.1f} MB, over its processes:")
    for process in found["server"]["processes"]:
        print(f"    {process['peak_mb']:7.1f} MB  pid {process['pid']}  {process['command'][:60]}")
    for error in found["errors"]:
        print(f"  failed: {error['unit']}: {error['status']} {error.get('error', '')[:200]}")
    print("\ntargets:")
    for t in found["targets"]:
        value = f"{t['value']:.1f}" if isinstance(t["value"], float) else str(t["value"])
        sign = "≤" if isinstance(t["value"], float) else "="
        verdict = "ok" if t["ok"] else "MISSED"
        print(f"  {t['name']:<24} {value:>8}  {sign} {t['target']:<6g} {verdict}")


def positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def megabytes(text: str) -> float:
    value = float(text)
    if not 0 < value <= 1_000:
        raise argparse.ArgumentTypeError(f"a size in MB above 0, at most 1000, not {text}")
    return value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=positive, default=200, help="units handing in")
    parser.add_argument("--mb", type=megabytes, default=2.0, help="each file's size, in MB")
    parser.add_argument("--workers", type=positive, default=2, help="the server's workers")
    parser.add_argument("--concurrency", type=positive, default=50, help="requests in flight")
    parser.add_argument("--db", metavar="URL", help="a PostgreSQL ledger (default: an SQLite file)")
    parser.add_argument(
        "--ticks", type=int, default=0, metavar="T", help="tick loops running meanwhile"
    )
    parser.add_argument(
        "--spread", type=float, default=0.0, metavar="SECONDS",
        help="start the hand-ins one after another over this many seconds",
    )  # fmt: skip
    parser.add_argument("--format", choices=("table", "json"), default="table")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument(
        "--keep", type=Path, metavar="DIR", help="write the campaign, ledger and log into DIR"
    )
    args = parser.parse_args(argv)
    if not Path("/proc/self/status").exists():
        parser.error("this benchmark reads the server's memory from /proc: it runs on Linux")

    try:
        if args.keep is not None:
            args.keep.mkdir(parents=True, exist_ok=True)
            found = benchmark(args, args.keep.resolve())
        else:
            with tempfile.TemporaryDirectory(prefix="campaignkit-bench-portal-") as folder:
                found = benchmark(args, Path(folder))
    except BenchFailed as failure:
        print(f"error: {failure}", file=sys.stderr)
        return EXIT_FAILED

    if args.format == "json":
        print(json.dumps(found, indent=2, ensure_ascii=False))
    else:
        print_table(found)
    return EXIT_MISSED if args.strict and found["missed"] else 0


if __name__ == "__main__":
    sys.exit(main())
