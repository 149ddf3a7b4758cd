"""The campaignkit benchmark: campaignkit against the floor, at several sizes, a catch-up
tick, and start-up.

    python bench/run.py [--sizes 10000,40000] [--requirements 4] [--repeat 1]
                        [--startup-repeat 10] [--format table|json] [--strict] [--keep DIR]
                        [--postgres URL]

For each size it generates a national cascade (bench/generate.py), then runs, each as a
child process, the floor (bench/floor.py) and
`campaignkit simulate FILE --compliance 0.9 --seed 1 --format json`, measuring each child's
wall time and peak memory. For each size it also generates the cascade with a channel on a
do-nothing `bench` notifier, installed for the children as a pip-installed plugin would be,
and measures a catch-up `campaignkit tick` of the whole campaign into a fresh ledger and an
outbox file, against `campaignkit simulate --compliance 0` of the same file; with a
PostgreSQL server (`--postgres URL`, or CAMPAIGNKIT_TEST_POSTGRES: a user that may create
databases), the same tick again into a new database there, whose time must grow no faster
than the size either. For each size
it also rehearses the cascade with a weekly report added (`generate.py --weekly 5`), whose
time must grow no faster than the size, as the rehearsal's does. At the largest size it
writes the report in each format, against the rehearsal of the same campaign
(bench/report_rows.py). It then times start-up: `campaignkit --help` and
`campaignkit validate campaigns/shenzhen_2020.toml` against a Python that only imports
campaignkit's main dependencies. Each figure with a target is printed with `ok` or `MISSED`.

The exit code is 0 whatever the figures, unless --strict is given: then 1 when any target is
missed. A child that fails stops the benchmark with its stderr and exit code 2.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path
from types import ModuleType
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
SHENZHEN = Path("campaigns") / "shenzhen_2020.toml"
BIN = Path(sys.executable).parent

TIME_RATIO_TARGET = 2.0
MEMORY_RATIO_TARGET = 2.0
SCALING_SLACK = 1.15
"""campaignkit's time may grow at most 15% faster than the campaign's size."""
STARTUP_RATIO_TARGET = 1.5
STARTUP_FLOOR = "import typer, cattrs, pluggy, tomli"
WEEKS = 5
"""The weeks of the weekly report added to each size's campaign for the weekly row."""
TICK_RATIO_TARGET = 25.0
"""A catch-up tick may take at most this many times the rehearsal of the same campaign."""

NOTIFIER = "bench"
NOTIFIER_MODULE = "campaignkit_bench_notifier"
NOTIFIER_DIST = "campaignkit_bench_notifier-1.0.dist-info"
NOTIFIER_SOURCE = """\
from campaignkit import Notifier, hookimpl

def deliver(notification, address):
    pass  # the benchmark measures campaignkit, not a network

@hookimpl
def campaignkit_notifiers():
    return [Notifier("bench", deliver, "takes every notification and does nothing")]
"""
# bench/generate.py's phases end on 31 December 2024 and every due date leaves room for its
# escalation inside its phase: by this moment every event of the campaign has come due.
TICK_NOW = "2025-01-15T12:00"

# Children may write bytecode: an installed campaignkit has its .pyc files, and an editable
# one gets them on the warm-up run, so start-up is not charged for compiling.
CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

EXIT_MISSED = 1
EXIT_FAILED = 2


class ChildFailed(Exception):
    """A measured command exited with a code other than 0."""


def sibling(name: str) -> ModuleType:
    """The module bench/NAME.py: bench/ is no package, and this script is also imported."""
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


report_rows = sibling("report_rows")


def executable(name: str) -> str:
    """`name` from the same environment as the Python running this script."""
    found = shutil.which(name, path=str(BIN))
    if found is None:
        raise SystemExit(f"error: no `{name}` beside {sys.executable}")
    return found


def measure(
    command: list[str], stdout: Path | None = None, env: dict[str, str] | None = None
) -> tuple[float, float]:
    """Run `command` from the repository root; its wall time in seconds and peak memory in MB.

    The child's environment is `env`, else this script's (less PYTHONDONTWRITEBYTECODE). The
    peak is the child's maximum resident set size, read with wait4. The kernel counts
    the parent's own peak in it too (the child starts as a copy of the parent), which is why
    this script stays small and reports its own peak as `runner_peak_mb`.
    """
    with (
        open(stdout if stdout is not None else os.devnull, "wb") as out,
        tempfile.TemporaryFile() as err,
    ):
        start = time.perf_counter()
        child = subprocess.Popen(
            command, stdout=out, stderr=err, cwd=ROOT, env=CHILD_ENV if env is None else env
        )
        _, status, usage = os.wait4(child.pid, 0)
        elapsed = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            err.seek(0)
            stderr = err.read().decode("utf-8", "replace")
            raise ChildFailed(
                f"`{' '.join(command)}` exited with {child.returncode}; its stderr:\n{stderr}"
            )
    return elapsed, usage.ru_maxrss / kilobytes_per_mb()


def kilobytes_per_mb() -> int:
    """ru_maxrss is in kilobytes on Linux, in bytes on macOS."""
    return 1024 * 1024 if sys.platform == "darwin" else 1024


def best_of(repeat: int, command: list[str], stdout: Path | None = None) -> tuple[float, float]:
    """The best time and the largest peak memory of `repeat` runs."""
    runs = [measure(command, stdout) for _ in range(repeat)]
    return min(t for t, _ in runs), max(m for _, m in runs)


def runner_peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / kilobytes_per_mb()


def target(name: str, value: float, limit: float) -> dict[str, Any]:
    return {"name": name, "value": value, "target": limit, "ok": value <= limit}


def startup(python: str, campaignkit: str, repeat: int) -> dict[str, Any]:
    """Start-up times, best of `repeat`, and their ratios to the floor's."""
    commands = [[campaignkit, "--help"], [campaignkit, "validate", str(SHENZHEN)]]
    for command in commands:  # warm-up: bytecode written, files in the page cache
        measure(command)
    floor, _ = best_of(repeat, [python, "-c", STARTUP_FLOOR])
    figures: dict[str, Any] = {"floor_seconds": floor}
    for name, args in (("help", ["--help"]), ("validate", ["validate", str(SHENZHEN)])):
        seconds, _ = best_of(repeat, [campaignkit, *args])
        figures[name] = {
            "command": " ".join(["campaignkit", *args]),
            "seconds": seconds,
            "ratio": seconds / floor,
        }
    return figures


def sizes_run(
    python: str, campaignkit: str, args: argparse.Namespace, folder: Path
) -> list[dict[str, Any]]:
    """Generate each size into `folder`, then measure the floor and campaignkit on it."""
    rows = []
    for units in args.sizes:
        campaign = folder / f"campaign_{units}.toml"
        floor_out = folder / f"floor_{units}.json"
        simulate_out = folder / f"simulate_{units}.json"
        measure(
            [
                python,
                str(BENCH / "generate.py"),
                f"--units={units}",
                f"--requirements={args.requirements}",
                f"--output={campaign}",
            ]
        )
        floor_runs, simulate_runs = [], []
        for _ in range(args.repeat):
            floor_runs.append(measure([python, str(BENCH / "floor.py"), str(campaign)], floor_out))
            simulate_runs.append(
                measure(
                    [
                        campaignkit,
                        "simulate",
                        str(campaign),
                        "--compliance",
                        "0.9",
                        "--seed",
                        "1",
                        "--format",
                        "json",
                    ],
                    simulate_out,
                )
            )
        floor = {
            "seconds": min(t for t, _ in floor_runs),
            "peak_mb": max(m for _, m in floor_runs),
        }
        floor.update(json.loads(floor_out.read_text(encoding="utf-8")))
        simulated = {
            "seconds": min(t for t, _ in simulate_runs),
            "peak_mb": max(m for _, m in simulate_runs),
        }
        rows.append(
            {
                "units": units,
                "campaign": campaign.name,
                "floor": floor,
                "campaignkit": simulated,
                "time_ratio": simulated["seconds"] / floor["seconds"],
                "memory_ratio": simulated["peak_mb"] / floor["peak_mb"],
            }
        )
    return rows


def weekly_run(
    python: str, campaignkit: str, args: argparse.Namespace, folder: Path
) -> list[dict[str, Any]]:
    """Each size's campaign with a weekly report added (`generate.py --weekly`), rehearsed
    as the sizes are: a recurring requirement must keep the rehearsal linear in the size."""
    rows = []
    for units in args.sizes:
        campaign = folder / f"weekly_{units}.toml"
        out = folder / f"weekly_simulate_{units}.json"
        measure(
            [
                python,
                str(BENCH / "generate.py"),
                f"--units={units}",
                f"--requirements={args.requirements}",
                f"--weekly={WEEKS}",
                f"--output={campaign}",
            ]
        )
        command = [campaignkit, "simulate", str(campaign), "--compliance", "0.9", "--seed", "1"]
        runs = [measure([*command, "--format", "json"], out) for _ in range(args.repeat)]
        rows.append(
            {
                "units": units,
                "weeks": WEEKS,
                "weekly": {
                    "seconds": min(t for t, _ in runs),
                    "peak_mb": max(m for _, m in runs),
                },
            }
        )
    return rows


def install_notifier(folder: Path) -> Path:
    """A site folder in `folder` holding the `bench` notifier as pip would install it: the
    module and a dist-info declaring it as a `campaignkit` entry point. Put it on PYTHONPATH."""
    site = folder / "bench-site"
    info = site / NOTIFIER_DIST
    info.mkdir(parents=True, exist_ok=True)
    (site / f"{NOTIFIER_MODULE}.py").write_text(NOTIFIER_SOURCE, encoding="utf-8")
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: campaignkit-bench-notifier\nVersion: 1.0\n",
        encoding="utf-8",
    )
    (info / "entry_points.txt").write_text(
        f"[campaignkit]\n{NOTIFIER} = {NOTIFIER_MODULE}\n", encoding="utf-8"
    )
    return site


def plugin_env(site: Path, cache: Path) -> dict[str, str]:
    """The environment of a child that finds the `bench` notifier, with its own plugin cache.

    The cache is a folder beside the site folder, emptied before each child (`fresh`): the
    user's own cache is left alone (an entry for a temporary folder would push out a real
    environment's), and every child pays the same few tens of milliseconds to read the
    plugins' entry points, whichever ran before it.
    """
    path = os.pathsep.join(filter(None, [str(site), CHILD_ENV.get("PYTHONPATH")]))
    return {**CHILD_ENV, "PYTHONPATH": path, "CAMPAIGNKIT_CACHE_DIR": str(cache)}


def fresh(*paths: Path) -> None:
    """Remove each of `paths`, file or folder, if it is there."""
    for path in paths:
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink(missing_ok=True)


def tick_run(
    python: str, campaignkit: str, args: argparse.Namespace, folder: Path
) -> list[dict[str, Any]]:
    """For each size, a catch-up tick of a cascade reached through the `bench` notifier, and
    the rehearsal of the same file with nobody handing in, measured as children in `folder`.

    Each tick starts from a new ledger and outbox file, so each repeat does the same work:
    every event processed, every notice queued, stale reminders skipped, the rest delivered.
    The outputs of the last repeat stay in `folder` for `tick_counts`.
    """
    site = install_notifier(folder)
    cache = folder / "plugin-cache"
    env = plugin_env(site, cache)
    rows = []
    for units in args.sizes:
        campaign = folder / f"tick_{units}.toml"
        db = folder / f"tick_{units}.db"
        # The ledger, its WAL files, and the file a tick locks beside it: all new each run.
        ledger = [db, *(db.with_name(db.name + end) for end in ("-wal", "-shm", ".lock"))]
        outbox = folder / f"tick_{units}.jsonl"
        measure(
            [
                python,
                str(BENCH / "generate.py"),
                f"--units={units}",
                f"--requirements={args.requirements}",
                f"--channel={NOTIFIER}",
                f"--output={campaign}",
            ]
        )
        tick = [campaignkit, "tick", str(campaign), "--db", str(db), "--now", TICK_NOW]
        tick += ["--outbox", str(outbox), "--format", "json"]
        simulate = [campaignkit, "simulate", str(campaign), "--compliance", "0", "--seed", "1"]
        simulate += ["--format", "json"]
        tick_runs, simulate_runs = [], []
        for _ in range(args.repeat):
            fresh(*ledger, outbox, cache)
            tick_runs.append(measure(tick, folder / f"tick_{units}.json", env))
            fresh(cache)
            simulate_runs.append(measure(simulate, folder / f"tick_simulate_{units}.json", env))
        ticked = {"seconds": min(t for t, _ in tick_runs), "peak_mb": max(m for _, m in tick_runs)}
        simulated = {
            "seconds": min(t for t, _ in simulate_runs),
            "peak_mb": max(m for _, m in simulate_runs),
        }
        row = {
            "units": units,
            "campaign": campaign.name,
            "tick": ticked,
            "simulate": simulated,
            "ratio": ticked["seconds"] / simulated["seconds"],
        }
        if args.postgres:
            on_server = postgres_tick(python, campaignkit, args, folder, units, env)
            row["tick_postgres"] = on_server
            row["postgres_ratio"] = on_server["seconds"] / ticked["seconds"]
        rows.append(row)
    return rows


def postgres_tick(
    python: str,
    campaignkit: str,
    args: argparse.Namespace,
    folder: Path,
    units: int,
    env: dict[str, str],
) -> dict[str, Any]:
    """The catch-up tick of `units` into a new database on the server at `args.postgres`,
    each repeat from a new one; its time and the tick's own peak memory (not the server's)."""
    database = f"campaignkit_bench_{units}"
    url = database_url(args.postgres, database)
    outbox = folder / f"tick_postgres_{units}.jsonl"
    tick = [campaignkit, "tick", str(folder / f"tick_{units}.toml"), "--db", url]
    tick += ["--now", TICK_NOW, "--outbox", str(outbox), "--format", "json"]
    # The database is made by a child, so that this script stays without psycopg.
    create = (
        "import psycopg, sys; c = psycopg.connect(sys.argv[1], autocommit=True);"
        " c.execute(f'DROP DATABASE IF EXISTS {sys.argv[2]} WITH (FORCE)');"
        " c.execute(f'CREATE DATABASE {sys.argv[2]}')"
    )
    runs = []
    for _ in range(args.repeat):
        fresh(outbox, Path(env["CAMPAIGNKIT_CACHE_DIR"]))
        measure([python, "-c", create, args.postgres, database])
        runs.append(measure(tick, folder / f"tick_postgres_{units}.json", env))
    return {"seconds": min(t for t, _ in runs), "peak_mb": max(m for _, m in runs)}


def database_url(server: str, database: str) -> str:
    """The URL of `database` on the server of the URL `server`."""
    parts = urllib.parse.urlsplit(server)
    return urllib.parse.urlunsplit(parts._replace(path=f"/{database}"))


def tick_counts(folder: Path, units: int, name: str = "tick") -> dict[str, Any]:
    """What the tick of `units` reported (its JSON: processed_events, delivered, unreached,
    skipped, failed, pending, dead, errors), with its outbox file's lines, by state."""
    counts = json.loads((folder / f"{name}_{units}.json").read_text(encoding="utf-8"))
    states: dict[str, int] = {}
    with open(folder / f"{name}_{units}.jsonl", encoding="utf-8") as lines:
        for line in lines:  # one at a time: at 40,000 units the file is 160,000 notices
            state = json.loads(line)["state"]
            states[state] = states.get(state, 0) + 1
    counts["outbox_lines"] = sum(states.values())
    counts["outbox_states"] = states
    return counts


def simulate_counts(path: Path) -> dict[str, Any]:
    """What `campaignkit simulate --format json` reported, counted."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return {
        "assignees": {req: counts["assignees"] for req, counts in data["summary"].items()},
        "notifications": len(data["notifications"]),
        "submissions": len(data["submissions"]),
    }


def scaling_between(small: dict[str, Any], large: dict[str, Any], who: str) -> dict[str, Any]:
    """How `who`'s time grew from the `small` row's size to the `large` one's, and the most
    it may: the size ratio with SCALING_SLACK."""
    size_ratio = large["units"] / small["units"]
    return {
        "from_units": small["units"],
        "to_units": large["units"],
        "size_ratio": size_ratio,
        "time_ratio": large[who]["seconds"] / small[who]["seconds"],
        "target": round(SCALING_SLACK * size_ratio, 4),
    }


def benchmark(args: argparse.Namespace, folder: Path) -> dict[str, Any]:
    python = executable("python")
    campaignkit = executable("campaignkit")
    # Start-up first, while this script is at its smallest (see `measure`).
    started = startup(python, campaignkit, args.startup_repeat)
    rows = sizes_run(python, campaignkit, args, folder)
    weekly = weekly_run(python, campaignkit, args, folder)
    ticks = tick_run(python, campaignkit, args, folder)
    largest_size = max(args.sizes)
    reports = report_rows.report_run(
        campaignkit, folder / f"campaign_{largest_size}.toml", largest_size, args.repeat, measure
    )
    runner = runner_peak_mb()
    # Read the (large) simulation outputs only once every child has been measured.
    for row in rows:
        row["campaignkit"].update(simulate_counts(folder / f"simulate_{row['units']}.json"))
    for row in weekly:
        row["weekly"].update(simulate_counts(folder / f"weekly_simulate_{row['units']}.json"))
    for row in ticks:
        row["tick"].update(tick_counts(folder, row["units"]))
        if "tick_postgres" in row:
            row["tick_postgres"].update(tick_counts(folder, row["units"], "tick_postgres"))
        row["simulate"].update(simulate_counts(folder / f"tick_simulate_{row['units']}.json"))

    # The time and memory targets are set for the national size, the largest measured; at
    # smaller sizes the interpreter's own start-up and memory weigh more, and the ratios
    # are printed in the table without a target.
    rows = sorted(rows, key=lambda row: row["units"])
    largest = rows[-1]
    units = f"{largest['units']:,}"
    targets = [
        target(f"time ratio at {units} units", largest["time_ratio"], TIME_RATIO_TARGET),
        target(f"memory ratio at {units} units", largest["memory_ratio"], MEMORY_RATIO_TARGET),
    ]
    scaling = None
    if len(rows) > 1:
        small, large = rows[0], rows[-1]
        scaling = scaling_between(small, large, "campaignkit")
        targets.append(
            target(
                f"campaignkit scaling {small['units']:,} → {large['units']:,} units",
                scaling["time_ratio"],
                scaling["target"],
            )
        )
    weekly_scaling = None
    if len(weekly) > 1:
        small, large = weekly[0], weekly[-1]
        weekly_scaling = scaling_between(small, large, "weekly")
        targets.append(
            target(
                f"weekly report scaling {small['units']:,} → {large['units']:,} units",
                weekly_scaling["time_ratio"],
                weekly_scaling["target"],
            )
        )
    for name in ("help", "validate"):
        targets.append(
            target(
                f"start-up of `{started[name]['command']}`",
                started[name]["ratio"],
                STARTUP_RATIO_TARGET,
            )
        )
    ticks = sorted(ticks, key=lambda row: row["units"])
    tick_scaling = None
    if len(ticks) > 1:
        # The same rule as campaignkit's scaling: a catch-up tick must grow linearly too.
        small, large = ticks[0], ticks[-1]
        tick_scaling = scaling_between(small, large, "tick")
        targets.append(
            target(
                f"tick scaling {small['units']:,} → {large['units']:,} units",
                tick_scaling["time_ratio"],
                tick_scaling["target"],
            )
        )
    postgres_scaling = None
    if len(ticks) > 1 and "tick_postgres" in ticks[0]:
        small, large = ticks[0], ticks[-1]
        postgres_scaling = scaling_between(small, large, "tick_postgres")
        targets.append(
            target(
                f"tick on PostgreSQL scaling {small['units']:,} → {large['units']:,} units",
                postgres_scaling["time_ratio"],
                postgres_scaling["target"],
            )
        )
    targets.append(
        target(
            f"tick ÷ simulate at {ticks[-1]['units']:,} units",
            ticks[-1]["ratio"],
            TICK_RATIO_TARGET,
        )
    )
    targets += report_rows.report_targets(reports, target)
    return {
        "requirements": args.requirements,
        "repeat": args.repeat,
        "startup_repeat": args.startup_repeat,
        "sizes": rows,
        "scaling": scaling,
        "weekly": weekly,
        "weekly_scaling": weekly_scaling,
        "tick": ticks,
        "tick_scaling": tick_scaling,
        "tick_postgres_scaling": postgres_scaling,
        "reports": reports,
        "startup": started,
        "targets": targets,
        "missed": sum(not t["ok"] for t in targets),
        "runner_peak_mb": runner,
    }


def print_table(figures: dict[str, Any]) -> None:
    print(
        f"campaignkit benchmark: {figures['requirements']} requirements, "
        f"best time of {figures['repeat']} run(s), largest peak memory\n"
    )
    header = (
        f"{'units':>8}  {'events':>9}  {'floor s':>8}  {'campaignkit s':>13}  {'ratio':>6}  "
        f"{'floor MB':>8}  {'campaignkit MB':>14}  {'ratio':>6}"
    )
    print(header)
    print("-" * len(header))
    for row in figures["sizes"]:
        floor, ck = row["floor"], row["campaignkit"]
        print(
            f"{row['units']:>8,}  {floor['events']:>9,}  {floor['seconds']:>8.2f}  "
            f"{ck['seconds']:>13.2f}  {row['time_ratio']:>6.2f}  {floor['peak_mb']:>8.1f}  "
            f"{ck['peak_mb']:>14.1f}  {row['memory_ratio']:>6.2f}"
        )
    print_weekly(figures["weekly"])
    print_ticks(figures["tick"])
    report_rows.print_reports(figures["reports"])
    started = figures["startup"]
    print(f"\nstart-up, best of {figures['startup_repeat']}:")
    print(f"  {'python -c ' + repr(STARTUP_FLOOR):<52}{started['floor_seconds']:>7.3f} s")
    for name in ("help", "validate"):
        print(f"  {started[name]['command']:<52}{started[name]['seconds']:>7.3f} s")
    print("\ntargets:")
    width = max(len(t["name"]) for t in figures["targets"])
    for t in figures["targets"]:
        verdict = "ok" if t["ok"] else "MISSED"
        print(f"  {t['name']:<{width}}  {t['value']:>6.2f}  ≤ {t['target']:<5.2f}  {verdict}")
    print(f"\n{figures['missed']} of {len(figures['targets'])} targets missed")
    peaks = [row[who]["peak_mb"] for row in figures["sizes"] for who in ("floor", "campaignkit")]
    peaks += [row[who]["peak_mb"] for row in figures["tick"] for who in ("tick", "simulate")]
    if peaks and min(peaks) <= figures["runner_peak_mb"]:
        print(
            f"note: this script peaked at {figures['runner_peak_mb']:.1f} MB, which bounds "
            "every child's peak from below; small sizes' memory figures include it"
        )


def print_weekly(rows: list[dict[str, Any]]) -> None:
    """The weekly rows: the rehearsal of each size with a weekly report added."""
    print(
        f"\nwith a weekly report (周报) for {WEEKS} weeks from every unit below the committee,"
        "\n`campaignkit simulate --compliance 0.9 --seed 1`:\n"
    )
    header = f"{'units':>8}  {'seconds':>8}  {'MB':>7}  {'notifications':>13}  {'hand-ins':>9}"
    print(header)
    print("-" * len(header))
    for row in rows:
        weekly = row["weekly"]
        print(
            f"{row['units']:>8,}  {weekly['seconds']:>8.2f}  {weekly['peak_mb']:>7.1f}  "
            f"{weekly['notifications']:>13,}  {weekly['submissions']:>9,}"
        )


def print_ticks(ticks: list[dict[str, Any]]) -> None:
    """The tick rows: the tick's time, memory and counts, and the rehearsal's time."""
    print(
        f"\ncatch-up tick: `campaignkit tick --now {TICK_NOW} --outbox` of the whole campaign,"
        f"\nreached through the `{NOTIFIER}` notifier, against "
        "`campaignkit simulate --compliance 0` of the same file:\n"
    )
    header = (
        f"{'units':>8}  {'tick s':>7}  {'tick MB':>7}  {'simulate s':>10}  {'ratio':>6}  "
        f"{'delivered':>9}  {'skipped':>9}  {'unreached':>9}  {'outbox lines':>12}"
    )
    print(header)
    print("-" * len(header))
    for row in ticks:
        tick = row["tick"]
        print(
            f"{row['units']:>8,}  {tick['seconds']:>7.2f}  {tick['peak_mb']:>7.1f}  "
            f"{row['simulate']['seconds']:>10.2f}  {row['ratio']:>6.2f}  "
            f"{tick['delivered']:>9,}  {tick['skipped']:>9,}  {tick['unreached']:>9,}  "
            f"{tick['outbox_lines']:>12,}"
        )
    if ticks and "tick_postgres" in ticks[0]:
        print("\nthe same tick into a new PostgreSQL database (the tick's memory only):\n")
        header = (
            f"{'units':>8}  {'pg tick s':>9}  {'tick MB':>7}  {'÷ SQLite':>8}  {'delivered':>9}  "
            f"{'skipped':>9}  {'outbox lines':>12}"
        )
        print(header)
        print("-" * len(header))
        for row in ticks:
            tick = row["tick_postgres"]
            print(
                f"{row['units']:>8,}  {tick['seconds']:>9.2f}  {tick['peak_mb']:>7.1f}  "
                f"{row['postgres_ratio']:>8.2f}  {tick['delivered']:>9,}  "
                f"{tick['skipped']:>9,}  {tick['outbox_lines']:>12,}"
            )


def sizes_argument(text: str) -> list[int]:
    try:
        sizes = sorted({int(part.replace("_", "")) for part in text.split(",") if part.strip()})
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a list of numbers: {text!r}") from None
    if not sizes or sizes[0] < 5:
        raise argparse.ArgumentTypeError("sizes are numbers of units, each at least 5")
    return sizes


def positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes",
        type=sizes_argument,
        default=[10_000, 40_000],
        help="units in each generated campaign, comma-separated (default 10000,40000)",
    )
    parser.add_argument("--requirements", type=positive, default=4, help="default 4")
    parser.add_argument(
        "--repeat", type=positive, default=1, help="runs per size: best time, largest memory"
    )
    parser.add_argument(
        "--startup-repeat", type=positive, default=10, help="runs per start-up command (best)"
    )
    parser.add_argument("--format", choices=("table", "json"), default="table")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument(
        "--keep", type=Path, metavar="DIR", help="generate into DIR and keep the files there"
    )
    parser.add_argument(
        "--postgres",
        metavar="URL",
        default=os.environ.get("CAMPAIGNKIT_TEST_POSTGRES"),
        help="also tick into PostgreSQL: a server where the user may create databases"
        " (default: $CAMPAIGNKIT_TEST_POSTGRES)",
    )
    args = parser.parse_args(argv)

    try:
        if args.keep is not None:
            args.keep.mkdir(parents=True, exist_ok=True)
            figures = benchmark(args, args.keep.resolve())
        else:
            with tempfile.TemporaryDirectory(prefix="campaignkit-bench-") as folder:
                figures = benchmark(args, Path(folder))
    except ChildFailed as failure:
        print(f"error: {failure}", file=sys.stderr)
        return EXIT_FAILED

    if args.format == "json":
        print(json.dumps(figures, indent=2, ensure_ascii=False))
    else:
        print_table(figures)
    return EXIT_MISSED if args.strict and figures["missed"] else 0


if __name__ == "__main__":
    sys.exit(main())
