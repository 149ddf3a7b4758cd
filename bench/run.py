"""The campaignkit benchmark: campaignkit against the floor, at several sizes, and start-up.

    python bench/run.py [--sizes 10000,40000] [--requirements 4] [--repeat 1]
                        [--startup-repeat 10] [--format table|json] [--strict] [--keep DIR]

For each size it generates a national cascade (bench/generate.py), then runs, each as a
child process, the floor (bench/floor.py) and
`campaignkit simulate FILE --compliance 0.9 --seed 1 --format json`, measuring each child's
wall time and peak memory. It then times start-up: `campaignkit --help` and
`campaignkit validate campaigns/shenzhen_2020.toml` against a Python that only imports
campaignkit's main dependencies. Each figure with a target is printed with `ok` or `MISSED`.

The exit code is 0 whatever the figures, unless --strict is given: then 1 when any target is
missed. A child that fails stops the benchmark with its stderr and exit code 2.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
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

# Children may write bytecode: an installed campaignkit has its .pyc files, and an editable
# one gets them on the warm-up run, so start-up is not charged for compiling.
CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

EXIT_MISSED = 1
EXIT_FAILED = 2


class ChildFailed(Exception):
    """A measured command exited with a code other than 0."""


def executable(name: str) -> str:
    """`name` from the same environment as the Python running this script."""
    found = shutil.which(name, path=str(BIN))
    if found is None:
        raise SystemExit(f"error: no `{name}` beside {sys.executable}")
    return found


def measure(command: list[str], stdout: Path | None = None) -> tuple[float, float]:
    """Run `command` from the repository root; its wall time in seconds and peak memory in MB.

    The peak is the child's maximum resident set size, read with wait4. The kernel counts
    the parent's own peak in it too (the child starts as a copy of the parent), which is why
    this script stays small and reports its own peak as `runner_peak_mb`.
    """
    with (
        open(stdout if stdout is not None else os.devnull, "wb") as out,
        tempfile.TemporaryFile() as err,
    ):
        start = time.perf_counter()
        child = subprocess.Popen(command, stdout=out, stderr=err, cwd=ROOT, env=CHILD_ENV)
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


def simulate_counts(path: Path) -> dict[str, Any]:
    """What `campaignkit simulate --format json` reported, counted."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return {
        "assignees": {req: counts["assignees"] for req, counts in data["summary"].items()},
        "notifications": len(data["notifications"]),
        "submissions": len(data["submissions"]),
    }


def benchmark(args: argparse.Namespace, folder: Path) -> dict[str, Any]:
    python = executable("python")
    campaignkit = executable("campaignkit")
    # Start-up first, while this script is at its smallest (see `measure`).
    started = startup(python, campaignkit, args.startup_repeat)
    rows = sizes_run(python, campaignkit, args, folder)
    runner = runner_peak_mb()
    # Read the (large) simulation outputs only once every child has been measured.
    for row in rows:
        row["campaignkit"].update(simulate_counts(folder / f"simulate_{row['units']}.json"))

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
        size_ratio = large["units"] / small["units"]
        scaling = {
            "from_units": small["units"],
            "to_units": large["units"],
            "size_ratio": size_ratio,
            "time_ratio": large["campaignkit"]["seconds"] / small["campaignkit"]["seconds"],
            "target": round(SCALING_SLACK * size_ratio, 4),
        }
        targets.append(
            target(
                f"campaignkit scaling {small['units']:,} → {large['units']:,} units",
                scaling["time_ratio"],
                scaling["target"],
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
    return {
        "requirements": args.requirements,
        "repeat": args.repeat,
        "startup_repeat": args.startup_repeat,
        "sizes": rows,
        "scaling": scaling,
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
    if peaks and min(peaks) <= figures["runner_peak_mb"]:
        print(
            f"note: this script peaked at {figures['runner_peak_mb']:.1f} MB, which bounds "
            "every child's peak from below; small sizes' memory figures include it"
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
