"""The benchmark keeps working: `bench/run.py` end to end at small sizes, and the shape of
the campaigns `bench/generate.py` writes. Nothing here is timed."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import importlib.util
import json
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import tomli
from conftest import REPO, without_reach

BENCH = REPO / "bench"
SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")
LEVEL_KINDS = ("province", "city", "county", "township")


def load_script(name: str) -> ModuleType:
    """A script of bench/ as a module: bench/ is no package."""
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_generate() -> ModuleType:
    return load_script("generate")


def assigned(data: dict[str, Any]) -> dict[str, set[str]]:
    """Each requirement's assignees, resolved here independently of bench/."""
    units = data["units"]
    groups = data.get("groups", {})

    def resolve(name: str) -> set[str]:
        if name in units:
            return {name}
        group = groups[name]
        out = {uid for uid, unit in units.items() if unit["kind"] in group.get("kinds", [])}
        out.update(group.get("units", []))
        for sub in group.get("groups", []):
            out |= resolve(sub)
        return out

    return {
        rid: set().union(*(resolve(name) for name in req["assignees"]))
        for rid, req in data["requirements"].items()
    }


def expected_reminders(data: dict[str, Any]) -> int:
    """One reminder per assignee for each day of `remind`: a catch-up tick skips them all."""
    members = assigned(data)
    return sum(
        len(members[rid]) * len(req.get("remind", [3, 1]))
        for rid, req in data["requirements"].items()
    )


def expected_events(data: dict[str, Any]) -> int:
    """One event per assignee for each reminder, the deadline and the escalation."""
    members = assigned(data)
    return sum(
        len(members[rid]) * (len(req.get("remind", [3, 1])) + 1 + ("escalate_after" in req))
        for rid, req in data["requirements"].items()
    )


@pytest.mark.slow
def test_run_reports_both_sizes_with_counts_that_agree(tmp_path: Path, run_cli) -> None:
    result = subprocess.run(
        [
            sys.executable,
            str(BENCH / "run.py"),
            "--sizes",
            "200,400",
            "--startup-repeat",
            "1",
            "--format",
            "json",
            "--keep",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={k: v for k, v in os.environ.items() if k != "CAMPAIGNKIT_TEST_POSTGRES"},
    )
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)

    assert [row["units"] for row in figures["sizes"]] == [200, 400]
    for row in figures["sizes"]:
        campaign = tmp_path / row["campaign"]
        data = tomli.loads(campaign.read_text(encoding="utf-8"))
        assert len(data["units"]) == row["units"]
        assert len(data["requirements"]) == 4

        floor, ck = row["floor"], row["campaignkit"]
        assert floor["events"] == expected_events(data)
        assert floor["units"] == row["units"]
        members = assigned(data)
        assert ck["assignees"] == {rid: len(units) for rid, units in members.items()}
        for who in (floor, ck):
            assert who["seconds"] > 0
            assert who["peak_mb"] > 0
        assert row["time_ratio"] == pytest.approx(ck["seconds"] / floor["seconds"])
        assert row["memory_ratio"] == pytest.approx(ck["peak_mb"] / floor["peak_mb"])

        checked = run_cli("validate", campaign, "--format", "json")
        assert (checked.exit_code, without_reach(checked.json())) == (0, [])

    assert [row["units"] for row in figures["tick"]] == [200, 400]
    for row in figures["tick"]:
        check_tick_row(tmp_path, row)

    # The weekly row: every unit below the committee, five weeks, one occurrence each week.
    for row in figures["weekly"]:
        data = tomli.loads((tmp_path / f"weekly_{row['units']}.toml").read_text("utf-8"))
        assert data["requirements"]["weekly"]["every"] == "week"
        weeks = {rid: n for rid, n in row["weekly"]["assignees"].items() if "@" in rid}
        assert list(weeks) == [f"weekly@2024-W{week}" for week in range(23, 28)]
        assert set(weeks.values()) == {row["units"] - 2}
    assert figures["weekly_scaling"]["time_ratio"] == pytest.approx(
        figures["weekly"][1]["weekly"]["seconds"] / figures["weekly"][0]["weekly"]["seconds"]
    )

    assert figures["scaling"]["target"] == pytest.approx(1.15 * 2)
    assert figures["tick_scaling"]["target"] == pytest.approx(1.15 * 2)
    assert figures["tick_scaling"]["time_ratio"] == pytest.approx(
        figures["tick"][1]["tick"]["seconds"] / figures["tick"][0]["tick"]["seconds"]
    )
    assert set(figures["startup"]) == {"floor_seconds", "help", "validate"}
    # time and memory at the largest size, scaling, the weekly report's scaling, two
    # start-ups, and the tick's two
    reported = check_report_rows(tmp_path, figures["reports"])

    names = [t["name"] for t in figures["targets"]]
    assert names[:2] == ["time ratio at 400 units", "memory ratio at 400 units"]
    assert names[6:8] == ["tick scaling 200 → 400 units", "tick ÷ simulate at 400 units"]
    assert names[3] == "weekly report scaling 200 → 400 units"
    # two per report format: its time and its memory, each ÷ the rehearsal's
    assert names[8:] == [
        f"report -f {name} ÷ simulate at 400 units, {what}"
        for name in reported
        for what in ("time", "memory")
    ]
    assert len(figures["targets"]) == 2 + 1 + 1 + 2 + 2 + 2 * len(reported)
    for row, time, memory in zip(
        figures["reports"]["formats"],
        figures["targets"][8::2],
        figures["targets"][9::2],
        strict=True,
    ):
        assert (time["value"], time["target"]) == (row["time_ratio"], 2.0)
        assert (memory["value"], memory["target"]) == (row["memory_ratio"], 1.5)
    tick_targets = {t["name"]: t for t in figures["targets"][6:8]}
    assert tick_targets["tick ÷ simulate at 400 units"]["value"] == pytest.approx(
        figures["tick"][1]["ratio"]
    )
    assert tick_targets["tick ÷ simulate at 400 units"]["target"] == 25
    assert all(isinstance(t["ok"], bool) for t in figures["targets"])
    assert figures["missed"] == sum(not t["ok"] for t in figures["targets"])


def check_report_rows(folder: Path, reports: dict[str, Any]) -> list[str]:
    """The report rows: every format measured at the largest size against the rehearsal of
    the same campaign, and the JSON report's counts are the rehearsal's. Returns the
    formats, in order."""
    expected = ["md", "json", "csv"]
    expected += [name for name, module in (("html", "campaignkit_html"),) if installed(module)]
    expected += [name for name, module in (("xlsx", "campaignkit_office"),) if installed(module)]
    assert (reports["units"], reports["campaign"]) == (400, "campaign_400.toml")
    assert [row["format"] for row in reports["formats"]] == expected
    simulated = reports["simulate"]
    for row in reports["formats"]:
        assert row["seconds"] > 0
        assert row["peak_mb"] > 0
        assert row["bytes"] > 0
        assert row["time_ratio"] == pytest.approx(row["seconds"] / simulated["seconds"])
        assert row["memory_ratio"] == pytest.approx(row["peak_mb"] / simulated["peak_mb"])
    data = json.loads((folder / "report_400.json").read_text(encoding="utf-8"))
    summary = json.loads((folder / "report_simulate_400.json").read_text(encoding="utf-8"))
    for requirement in data["requirements"]:
        counts = summary["summary"][requirement["id"]]
        for standing in ("on_time", "late", "rejected", "missing"):
            assert requirement["counts"][standing] == counts[standing], standing
    return expected


def installed(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def check_tick_row(folder: Path, row: dict[str, Any]) -> None:
    """A tick row's counts agree with its campaign, its outbox file and its rehearsal."""
    campaign = folder / row["campaign"]
    data = tomli.loads(campaign.read_text(encoding="utf-8"))
    assert len(data["units"]) == row["units"]
    reached = [uid for uid, unit in data["units"].items() if "channels" in unit]
    assert all(data["units"][uid]["channels"] == {"bench": uid} for uid in reached)
    assert {data["units"][uid]["kind"] for uid in reached} == {"national", "province"}

    tick, simulated = row["tick"], row["simulate"]
    assert tick["processed_events"] > 0
    # Nobody handed in: every reminder is stale by the tick's `--now`; every overdue notice
    # and escalation is delivered, through a province or the committee, so none is unreached.
    assert tick["skipped"] == expected_reminders(data)
    assert tick["unreached"] == 0
    assert (tick["failed"], tick["dead"], tick["pending"], tick["errors"]) == (0, 0, 0, {})
    assert tick["delivered"] > 0
    assert tick["delivered"] + tick["skipped"] == simulated["notifications"]

    lines = (folder / f"tick_{row['units']}.jsonl").read_text(encoding="utf-8").splitlines()
    states = Counter(json.loads(line)["state"] for line in lines)
    assert tick["delivered"] + tick["unreached"] == len(lines) == tick["outbox_lines"]
    assert states == {"delivered": tick["delivered"]} == tick["outbox_states"]

    assert simulated["assignees"] == {rid: len(units) for rid, units in assigned(data).items()}
    assert simulated["submissions"] == 0

    # With the bench notifier installed, as the benchmark installs it, every unit is reached.
    checked = subprocess.run(
        [sys.executable, "-m", "campaignkit", "validate", str(campaign), "--format", "json"],
        env={**os.environ, "PYTHONPATH": str(folder / "bench-site")},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (checked.returncode, json.loads(checked.stdout)) == (0, []), checked.stderr
    for who in (tick, simulated):
        assert who["seconds"] > 0
        assert who["peak_mb"] > 0
    assert row["ratio"] == pytest.approx(tick["seconds"] / simulated["seconds"])


@pytest.mark.slow
@pytest.mark.postgres
def test_the_tick_row_gains_a_postgresql_column_with_the_same_counts(
    tmp_path: Path, postgres_cluster, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The children import this checkout's campaignkit, whatever the environment installed.
    path = os.pathsep.join(filter(None, [str(REPO / "src"), os.environ.get("PYTHONPATH")]))
    monkeypatch.setenv("PYTHONPATH", path)
    run = load_script("run")
    args = argparse.Namespace(
        sizes=[200], requirements=4, repeat=1, postgres=postgres_cluster.admin
    )
    python, campaignkit = run.executable("python"), run.executable("campaignkit")
    [row] = run.tick_run(python, campaignkit, args, tmp_path)
    on_file = run.tick_counts(tmp_path, 200)
    on_server = run.tick_counts(tmp_path, 200, "tick_postgres")
    assert on_server["delivered"] > 0
    for count in ("processed_events", "delivered", "skipped", "unreached", "outbox_lines"):
        assert on_server[count] == on_file[count], count
    assert row["postgres_ratio"] == pytest.approx(
        row["tick_postgres"]["seconds"] / row["tick"]["seconds"]
    )
    assert run.database_url("postgresql://ck:pw@db:5432/postgres?sslmode=require", "x") == (
        "postgresql://ck:pw@db:5432/x?sslmode=require"
    )


def test_the_tick_runs_after_every_event_of_the_generated_campaign() -> None:
    now = dt.datetime.fromisoformat(load_script("run").TICK_NOW)
    data = tomli.loads(load_generate().generate(100, requirements=30, channel="bench"))
    last = max(phase["end"] for phase in data["phases"].values())
    # An escalation's notice goes out the morning after its day, at the latest on 1 January.
    assert (last + dt.timedelta(days=1)) < now.date()
    for req in data["requirements"].values():
        assert req["due"] + dt.timedelta(days=req["escalate_after"]) <= last


def test_a_failing_child_stops_the_benchmark_with_its_stderr() -> None:
    run = load_script("run")
    failing = [sys.executable, "-c", "import sys; sys.exit('no such campaign')"]
    with pytest.raises(run.ChildFailed, match=r"exited with 1; its stderr:\nno such campaign"):
        run.measure(failing)


@pytest.mark.parametrize(
    "units", [6, 7, 37, 200, 1_000, 12_345, pytest.param(40_000, marks=pytest.mark.slow)]
)
def test_generate_makes_a_tree_of_exactly_n_slug_ids(units: int) -> None:
    data = tomli.loads(load_generate().generate(units))
    found = data["units"]
    assert len(found) == units
    assert all(SLUG.fullmatch(uid) for uid in found)

    roots = [uid for uid, unit in found.items() if "parent" not in unit]
    assert [found[uid]["kind"] for uid in roots] == ["national"]
    # The committee's office issues it, so escalations go up to the committee.
    assert found[data["campaign"]["issued_by"]] == {
        "name": found[data["campaign"]["issued_by"]]["name"],
        "kind": "office",
        "parent": roots[0],
    }
    for uid in found:
        seen = set()
        while "parent" in found[uid]:
            seen.add(uid)
            uid = found[uid]["parent"]
            assert uid in found
            assert uid not in seen
    kinds = [unit["kind"] for unit in found.values()]
    assert all(kinds.count(kind) >= 1 for kind in LEVEL_KINDS)


@pytest.mark.slow
def test_generate_at_forty_thousand_has_national_proportions() -> None:
    data = tomli.loads(load_generate().generate(40_000))
    kinds = [unit["kind"] for unit in data["units"].values()]
    assert [kinds.count(kind) for kind in ("national", "office", *LEVEL_KINDS)] == [
        1,
        1,
        31,
        330,
        3_000,
        36_637,
    ]


def test_generate_cycles_requirements_inside_their_phases() -> None:
    data = tomli.loads(load_generate().generate(100, requirements=30, language="en"))
    assert len(data["requirements"]) == 30
    issued = data["campaign"]["issued_on"]
    phases = data["phases"].values()
    for req in data["requirements"].values():
        assert req["remind"] == [7, 3, 1]
        assert req["escalate_after"] == 3
        assert 1 <= len(req["deliverables"]) <= 2
        escalation = req["due"] + dt.timedelta(days=req["escalate_after"])
        assert any(p["start"] <= req["due"] < escalation <= p["end"] for p in phases)
        assert (req["due"] - issued).days > max(req["remind"])
    members = assigned(data)
    kinds = {uid: unit["kind"] for uid, unit in data["units"].items()}
    patterns = [{"province", "city"}, {"county"}, {"township"}, set(LEVEL_KINDS)]
    for n in range(30):
        assert {kinds[uid] for uid in members[f"report-{n + 1}"]} == patterns[n % 4]
    assert len(members["report-4"]) == 98  # all but the committee and its office


def test_generate_writes_the_same_text_to_stdout_every_time() -> None:
    command = [sys.executable, str(BENCH / "generate.py"), "--units", "50"]
    first = subprocess.run(command, capture_output=True, check=True, timeout=60).stdout
    second = subprocess.run(command, capture_output=True, check=True, timeout=60).stdout
    assert first == second
    assert first.decode("utf-8") == load_generate().generate(50)


@pytest.mark.slow
def test_portal_hands_in_every_unit_and_reports_every_figure(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            str(BENCH / "portal.py"),
            *("--units", "5", "--mb", "0.1", "--workers", "1", "--concurrency", "3"),
            *("--format", "json", "--strict", "--keep", str(tmp_path)),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)

    assert set(figures) == {
        *("units", "mb", "file_bytes", "workers", "concurrency", "seconds"),
        *("hand_ins_per_second", "mb_per_second", "latency", "requests", "failures"),
        *("statuses", "accepted", "rejected", "errors", "ledger", "server", "targets"),
        *("backend", "spread", "ticks", "missed"),
    }
    assert (figures["backend"], figures["ticks"]) == ("sqlite", None)
    assert (figures["units"], figures["file_bytes"], figures["workers"]) == (5, 100_000, 1)
    assert (figures["requests"], figures["failures"], figures["errors"]) == (5, 0, [])
    assert figures["statuses"] == {"201": 5}
    assert (figures["accepted"], figures["rejected"]) == (5, 0)
    assert figures["ledger"] == {"hand_ins": 5, "units": 5, "statuses": {"on_time": 5}}
    assert set(figures["latency"]) == {"p50", "p95", "max"}
    assert all(value is not None for value in figures["latency"].values())
    # One worker: uvicorn serves in the process `serve` started, and starts no other.
    assert len(figures["server"]["processes"]) == 1
    assert "serve" in figures["server"]["processes"][0]["command"]
    assert figures["server"]["peak_mb"] == figures["server"]["processes"][0]["peak_mb"] > 0
    names = [t["name"] for t in figures["targets"]]
    assert names == ["failed requests", "hand-ins in the ledger", "server peak MB"]
    assert figures["targets"][:2] == [
        {"name": "failed requests", "value": 0, "target": 0, "ok": True},
        {"name": "hand-ins in the ledger", "value": 5, "target": 5, "ok": True},
    ]
    assert figures["missed"] == sum(not t["ok"] for t in figures["targets"])


@pytest.mark.slow
@pytest.mark.postgres
def test_portal_workers_and_ticks_at_once_on_postgresql_lose_nothing_and_send_nothing_twice(
    tmp_path: Path, postgres_url: str
) -> None:
    """The issue's load proof, smaller: 4 portal workers and 2 tick loops on one PostgreSQL
    ledger. Every unit hands in once every tick loop has run once (the first reminders are
    queued to all), so hand-ins and notices about them race whatever the machine's speed."""
    units = 60
    result = subprocess.run(
        [
            sys.executable,
            str(BENCH / "portal.py"),
            *("--units", str(units), "--mb", "0.05", "--workers", "4", "--concurrency", "20"),
            *("--ticks", "2", "--db", postgres_url),
            *("--format", "json", "--strict", "--keep", str(tmp_path)),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr + result.stdout
    figures = json.loads(result.stdout)
    assert figures["backend"] == "postgresql"
    assert (figures["failures"], figures["statuses"]) == (0, {"201": units})
    assert figures["ledger"]["hand_ins"] == figures["ledger"]["units"] == units
    ticks = figures["ticks"]
    assert (ticks["loops"], ticks["failed"], ticks["sent_twice"]) == (2, 0, 0)
    assert ticks["runs"] >= 2 * 5  # each loop through the five moments at least
    assert ticks["notifications"] >= units  # the first reminders, to every unit
    lines = (tmp_path / "outbox.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == ticks["notifications"]  # each notice on one line, once
    assert [t["name"] for t in figures["targets"]][-2:] == [
        "failed ticks",
        "notifications sent twice",
    ]
    assert figures["missed"] == 0


def test_portal_sends_a_pdf_of_exactly_the_size_asked_in_a_body_of_the_length_it_says() -> None:
    portal = load_script("portal")
    for size in (10, 100_000, 2_000_000):
        pieces = list(portal.pdf_pieces("unit-7", size))
        assert sum(map(len, pieces)) == size
        assert b"".join(pieces[:2]).startswith(b"%PDF-")
        assert max(map(len, pieces)) <= portal.CHUNK

        async def gather(size: int = size) -> bytes:
            return b"".join([part async for part in portal.body("unit-7", size)])

        sent = asyncio.run(gather())
        assert len(sent) == portal.body_length("unit-7", size)
    assert next(portal.pdf_pieces("unit-7", 100)) != next(portal.pdf_pieces("unit-8", 100))


def test_portal_latency_percentiles_are_nearest_rank() -> None:
    percentile = load_script("portal").percentile
    values = [float(n) for n in range(100, 0, -1)]
    assert (percentile(values, 0.5), percentile(values, 0.95)) == (50.0, 95.0)
    assert percentile([3.0], 0.95) == 3.0
