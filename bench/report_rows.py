"""The report rows of the benchmark (bench/run.py): each report format at the largest size,
against the rehearsal of the same campaign, measured in the same run.

For the campaign of the largest size, each repeat runs, as children, the rehearsal
`campaignkit simulate FILE --compliance 0.8 --seed 1 --format json`, then for each format
`campaignkit report FILE --simulate --compliance 0.8 --seed 1 --format NAME -o FILE.EXT`:
a report builds the same rehearsal, then writes it. Each format's time and peak memory are
given as ratios to the rehearsal's: at most REPORT_TIME_TARGET and REPORT_MEMORY_TARGET.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPORT_TIME_TARGET = 2.0
REPORT_MEMORY_TARGET = 1.5
COMPLIANCE = "0.8"
FORMATS = (("md", ".md"), ("json", ".json"), ("csv", ".csv"))
"""The built-in formats, each with its file's suffix."""
PLUGIN_FORMATS = (("html", ".html", "campaignkit_html"), ("xlsx", ".xlsx", "campaignkit_office"))
"""The formats of plugins, each measured when its plugin (the module) is installed."""

Measure = Callable[[list[str], Path | None], tuple[float, float]]
"""bench/run.py's `measure`: a child's wall time in seconds and peak memory in MB."""


def formats() -> list[tuple[str, str]]:
    """The formats measured: the built-in ones, and those of the installed plugins."""
    found = [(name, suffix) for name, suffix, module in PLUGIN_FORMATS if _installed(module)]
    return [*FORMATS, *found]


def _installed(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def report_run(
    campaignkit: str, campaign: Path, units: int, repeat: int, measure: Measure
) -> dict[str, Any]:
    """The rehearsal of `campaign` and every format's report of it, `repeat` times in
    turns; each output is written beside the campaign."""
    folder = campaign.parent
    rehearsal = ["--compliance", COMPLIANCE, "--seed", "1"]
    simulate = [campaignkit, "simulate", str(campaign), *rehearsal, "--format", "json"]
    chosen = formats()
    runs: dict[str, list[tuple[float, float]]] = {"simulate": []}
    for _ in range(repeat):
        runs["simulate"].append(measure(simulate, folder / f"report_simulate_{units}.json"))
        for name, suffix in chosen:
            output = folder / f"report_{units}{suffix}"
            command = [campaignkit, "report", str(campaign), "--simulate", *rehearsal]
            command += ["--format", name, "--output", str(output)]
            runs.setdefault(name, []).append(measure(command, None))
    simulated = _best(runs["simulate"])
    rows = []
    for name, suffix in chosen:
        row = {"format": name, **_best(runs[name])}
        row["bytes"] = (folder / f"report_{units}{suffix}").stat().st_size
        row["time_ratio"] = row["seconds"] / simulated["seconds"]
        row["memory_ratio"] = row["peak_mb"] / simulated["peak_mb"]
        rows.append(row)
    return {
        "units": units,
        "campaign": campaign.name,
        "compliance": float(COMPLIANCE),
        "simulate": simulated,
        "formats": rows,
    }


def _best(runs: list[tuple[float, float]]) -> dict[str, float]:
    """The best time and the largest peak memory of some runs."""
    return {"seconds": min(t for t, _ in runs), "peak_mb": max(m for _, m in runs)}


def report_targets(
    reports: dict[str, Any], target: Callable[[str, float, float], dict[str, Any]]
) -> list[dict[str, Any]]:
    """Two targets per format: its time and its peak memory ÷ the rehearsal's."""
    units = f"{reports['units']:,}"
    found = []
    for row in reports["formats"]:
        said = f"report -f {row['format']} ÷ simulate at {units} units"
        found.append(target(f"{said}, time", row["time_ratio"], REPORT_TIME_TARGET))
        found.append(target(f"{said}, memory", row["memory_ratio"], REPORT_MEMORY_TARGET))
    return found


def print_reports(reports: dict[str, Any]) -> None:
    """The report rows: each format's time, memory and output, and both ratios."""
    simulated = reports["simulate"]
    print(
        f"\nreports of {reports['units']:,} units: `campaignkit report --simulate --compliance "
        f"{COMPLIANCE} --seed 1 --format NAME -o FILE`,\nagainst `campaignkit simulate "
        f"--compliance {COMPLIANCE} --seed 1 --format json`: "
        f"{simulated['seconds']:.2f} s, {simulated['peak_mb']:.1f} MB\n"
    )
    header = (
        f"{'format':>8}  {'seconds':>8}  {'÷ simulate':>10}  {'MB':>7}  {'÷ simulate':>10}  "
        f"{'output MB':>9}"
    )
    print(header)
    print("-" * len(header))
    for row in reports["formats"]:
        print(
            f"{row['format']:>8}  {row['seconds']:>8.2f}  {row['time_ratio']:>10.2f}  "
            f"{row['peak_mb']:>7.1f}  {row['memory_ratio']:>10.2f}  "
            f"{row['bytes'] / 1e6:>9.1f}"
        )
