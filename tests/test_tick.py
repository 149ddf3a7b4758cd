"""`campaignkit tick`: each notification delivered once, whatever happens to the process.

The notifier here is a real plugin installed the way pip would install one, and each tick is
a real process: killed with SIGKILL, started twice at once, or failing on purpose.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from conftest import MINIMAL, REPO
from pgcluster import wait_until_alone

from campaignkit.ledger import open_ledger

pytestmark = pytest.mark.slow  # every tick here is a process of its own

DISTRICTS = 10
# Ten districts, each reached through the `ledgerbook` channel, and the district `east`,
# which no channel reaches. Two requirements are due on 28 June: a tick at 10:00 on the
# 27th, with nobody handing in, finds each one's reminder of that morning ("1 day left")
# due for each district; the summary's reminder of the 25th ("3 days left") is stale.
CAMPAIGN = (
    MINIMAL
    + """
[requirements.plan]
name = "Plan"
assignees = ["districts"]
due = 2020-06-28
remind = [1]
"""
    + "".join(
        f'\n[units.d{i}]\nname = "District {i}"\nkind = "district"\nparent = "office"\n'
        f'channels = {{ ledgerbook = "d{i}" }}\n'
        for i in range(DISTRICTS)
    )
)
NOW = "2020-06-27T10:00"
EXPECTED = DISTRICTS * 2  # delivered; east's two reminders reach no one

PLUGIN = """
import os, signal, time
from campaignkit import DeliveryError, Notifier, hookimpl

def pause_here(where):
    # Stop at a point the test chose, say so through a file, and wait to be killed.
    wanted = os.environ.get("LEDGERBOOK_PAUSE", "")
    count_file = os.environ["LEDGERBOOK"] + ".calls"
    if not wanted:
        return
    count, phase = wanted.split(":")
    # Read while another tick may be writing it (PostgreSQL's ticks run at once): "" is 0.
    calls = int(open(count_file).read() or 0) if os.path.exists(count_file) else 0
    if phase == where and calls == int(count):
        open(os.environ["LEDGERBOOK_SIGNAL"], "w").write(str(os.getpid()))
        while True:
            time.sleep(60)

def deliver(notification, address):
    book = os.environ["LEDGERBOOK"]
    failures = int(os.environ.get("LEDGERBOOK_FAIL", "0"))
    if failures:
        count_file = book + ".attempts"
        seen = int(open(count_file).read()) if os.path.exists(count_file) else 0
        open(count_file, "w").write(str(seen + 1))
        if seen < failures:
            raise DeliveryError("robot busy (45009)", retryable=True)
    calls_file = book + ".calls"
    calls = int(open(calls_file).read() or 0) + 1 if os.path.exists(calls_file) else 1
    open(calls_file, "w").write(str(calls))
    pause_here("before")  # claimed, not yet sent
    with open(book, "a") as out:
        out.write(notification.key + "\\n")
        out.flush()
    pause_here("after")  # sent, not yet recorded as sent
    crash = int(os.environ.get("LEDGERBOOK_CRASH_AFTER", "0"))
    if crash and sum(1 for _ in open(book)) == crash:
        os.kill(os.getpid(), signal.SIGKILL)

@hookimpl
def campaignkit_notifiers():
    return [Notifier("ledgerbook", deliver)]
"""


@pytest.fixture
def office(tmp_path: Path, ledger_target: str | Path) -> dict[str, Any]:
    """The campaign, its plugin and its ledger, on each backend: SQLite, then PostgreSQL."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "ledgerbook_plugin.py").write_text(textwrap.dedent(PLUGIN), encoding="utf-8")
    info = site / "ledgerbook-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: ledgerbook\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[campaignkit]\nledgerbook = ledgerbook_plugin\n")
    campaign = tmp_path / "campaign.toml"
    campaign.write_text(CAMPAIGN, encoding="utf-8")
    return {
        "site": site,
        "campaign": campaign,
        "db": ledger_target,
        "book": tmp_path / "book.txt",
    }


def start(office: dict[str, Any], now: str = NOW, *extra: str, **env: str) -> subprocess.Popen:
    environment = {
        **os.environ,
        # This checkout's campaignkit, whatever the environment has installed.
        "PYTHONPATH": os.pathsep.join([str(office["site"]), str(REPO / "src")]),
        "LEDGERBOOK": str(office["book"]),
        **env,
    }
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "campaignkit",
            "tick",
            str(office["campaign"]),
            "--db",
            str(office["db"]),
            "--now",
            now,
            "--format",
            "json",
            *extra,
        ],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def tick(office: dict[str, Any], now: str = NOW, **env: str) -> dict:
    process = start(office, now, **env)
    out, errors = process.communicate(timeout=60)
    assert process.returncode == 0, errors
    assert "Traceback" not in errors
    return json.loads(out)


def sent(office: dict[str, Any]) -> Counter:
    book = office["book"]
    return Counter(book.read_text().split()) if book.exists() else Counter()


def quiet(**counts: int) -> dict:
    """A tick's JSON with these counts and nothing else happening."""
    base = {
        "processed_events": 0,
        "delivered": 0,
        "unreached": 0,
        "skipped": 0,
        "held": 0,
        "deferred": 0,
        "declined": 0,
        "failed": 0,
        "gave_up": 0,
        "pending": 0,
        "dead": 0,
        "errors": {},
    }
    return {**base, **counts}


def test_a_tick_delivers_and_a_repeated_tick_sends_nothing_new(office) -> None:
    first = tick(office)
    # campaign.open, phase.start and three reminders; east's two reach no one, and the
    # reminder of the 25th went stale at the end of that day.
    assert first == quiet(
        processed_events=5, delivered=EXPECTED, unreached=2, skipped=DISTRICTS + 1
    )
    assert sum(sent(office).values()) == EXPECTED
    assert max(sent(office).values()) == 1
    assert tick(office) == quiet()
    assert sum(sent(office).values()) == EXPECTED


def test_a_tick_runs_only_what_has_come_due(office) -> None:
    assert tick(office, "2020-06-25T08:00")["delivered"] == 0
    assert tick(office, "2020-06-25T09:00")["delivered"] == DISTRICTS
    # Woken after the deadline (28 June, 23:59:59), the tick does not send the reminders of
    # the 27th ("1 day left"): they are stale. The overdue notices wait for the next send
    # time, 09:00 on the 29th, not the middle of the night.
    night = tick(office, "2020-06-29T00:00")
    assert (night["delivered"], night["skipped"], night["pending"]) == (
        0,
        2 * (DISTRICTS + 1),
        2 * (DISTRICTS + 1),
    )
    assert tick(office, "2020-06-29T08:59")["delivered"] == 0
    morning = tick(office, "2020-06-29T09:00")
    assert (morning["delivered"], morning["unreached"], morning["pending"]) == (
        2 * DISTRICTS,
        2,
        0,
    )
    kinds = Counter(key.split("/")[2] for key in sent(office))
    assert kinds == {"reminder-3d": DISTRICTS, "overdue": 2 * DISTRICTS}


def test_killed_between_sending_and_recording_repeats_only_that_one(office) -> None:
    process = start(office, LEDGERBOOK_CRASH_AFTER="7")
    process.communicate(timeout=60)
    assert process.returncode == -signal.SIGKILL
    assert sum(sent(office).values()) == 7
    settled(office)
    tick(office)
    counts = sent(office)
    assert len(counts) == EXPECTED
    assert [key for key, n in counts.items() if n > 1] == [list(counts)[6]]


def kill_at(office: dict[str, Any], point: str) -> None:
    """Start a tick, wait until its notifier reaches `point` (``N:before`` or ``N:after``,
    counted in this tick's deliveries) and says so through a file, then SIGKILL it."""
    signal_file = office["book"].with_name(f"paused-{point.replace(':', '-')}")
    calls = office["book"].with_name(office["book"].name + ".calls")
    calls.unlink(missing_ok=True)
    process = start(office, LEDGERBOOK_PAUSE=point, LEDGERBOOK_SIGNAL=str(signal_file))
    try:
        for _ in range(6000):  # waits for the file, however slow the machine
            if signal_file.exists() or process.poll() is not None:
                break
            time.sleep(0.01)
        assert signal_file.exists(), process.communicate(timeout=60)[1]
        process.kill()
    finally:
        process.communicate(timeout=60)
    assert process.returncode == -signal.SIGKILL
    settled(office)


def settled(office: dict[str, Any]) -> None:
    """On PostgreSQL, wait until the server has ended a killed tick's session: until then
    it holds the lock on the notification the tick had in flight."""
    if isinstance(office["db"], str):
        wait_until_alone(office["db"])


def test_ticks_killed_at_chosen_points_lose_nothing(office) -> None:
    # Each tick is killed at a point chosen in advance: after claiming a notification but
    # before sending it, or after sending it but before recording it.
    points = ["3:before", "1:after", "5:after", "2:before", "4:after"]
    for point in points:
        kill_at(office, point)
    tick(office)
    counts = sent(office)
    assert len(counts) == EXPECTED, "every notification delivered"
    repeats = sum(counts.values()) - len(counts)
    # A kill after sending repeats the one in flight; a kill before sending repeats nothing.
    assert repeats == sum(point.endswith("after") for point in points)


def test_two_ticks_at_once_never_double_send(office) -> None:
    processes = [start(office) for _ in range(2)]
    results = []
    for process in processes:
        out, errors = process.communicate(timeout=60)
        assert process.returncode == 0, errors
        results.append(json.loads(out))
    if isinstance(office["db"], Path):  # SQLite: one tick at a time, the second finds it done
        assert sorted(r["delivered"] for r in results) == [0, EXPECTED]
    assert sum(r["delivered"] for r in results) == EXPECTED, [
        {k: v for k, v in r.items() if v} for r in results
    ]
    counts = sent(office)
    assert len(counts) == EXPECTED
    assert max(counts.values()) == 1


def test_a_failing_channel_is_retried_with_backoff_then_dead(office) -> None:
    first = tick(office, "2020-06-25T09:00", LEDGERBOOK_FAIL="1000")
    assert (first["delivered"], first["failed"], first["pending"]) == (0, DISTRICTS, DISTRICTS)
    assert first["unreached"] == 1  # east: no channel, so nothing to fail either
    # The operator sees why, with how many failed so.
    assert first["errors"] == {"ledgerbook: robot busy (45009)": DISTRICTS}
    # Retried only once the backoff has passed: a minute, then two, four, eight.
    assert tick(office, "2020-06-25T09:00:30", LEDGERBOOK_FAIL="1000")["failed"] == 0
    for at in ("09:01", "09:03", "09:07"):
        assert tick(office, f"2020-06-25T{at}", LEDGERBOOK_FAIL="1000")["failed"] == DISTRICTS
    last = tick(office, "2020-06-25T09:15", LEDGERBOOK_FAIL="1000")
    # The fifth failure: given up, not to be retried; and the ledger's dead, in all.
    assert (last["failed"], last["gave_up"], last["pending"], last["dead"]) == (
        0,
        DISTRICTS,
        0,
        DISTRICTS,
    )
    with open_ledger(office["db"]) as ledger:
        errors = {row.last_error for row in ledger.outbox("mini", "dead")}
    assert errors == {"ledgerbook: robot busy (45009)"}


def test_dead_notifications_show_in_status_and_can_be_queued_again(office, run_cli) -> None:
    for at in ("09:00", "09:01", "09:03", "09:07", "09:15"):
        tick(office, f"2020-06-25T{at}", LEDGERBOOK_FAIL="1000")
    status = run_cli(
        "status",
        office["campaign"],
        "--db",
        office["db"],
        "--at",
        "2020-06-25T10:00",
        "--format",
        "json",
    ).json()
    [summary] = [r for r in status["requirements"] if r["id"] == "summary"]
    states = {u["unit"]: [n["state"] for n in u["notifications"]] for u in summary["units"]}
    assert states["d0"] == ["dead"]
    assert states["east"] == ["unreached"]
    [d0] = [u for u in summary["units"] if u["unit"] == "d0"]
    assert d0["notifications"][0]["error"] == "ledgerbook: robot busy (45009)"
    table = run_cli("status", office["campaign"], "--db", office["db"], "--at", "2020-06-25T10:00")
    assert "reminder (1 undeliverable: ledgerbook: robot busy (45009))" in table.stdout
    assert "reminder (1 not reached)" in table.stdout
    assert tick(office, "2020-06-25T10:00")["delivered"] == 0  # dead stays dead
    out, errors = start(office, "2020-06-25T10:00", "--retry-dead").communicate(timeout=60)
    assert f"{DISTRICTS} dead notifications queued again" in errors
    assert json.loads(out)["delivered"] == DISTRICTS
    assert len(sent(office)) == DISTRICTS


def test_a_channel_that_recovers_delivers_on_the_retry(office) -> None:
    # The robot refuses its first three messages, then takes everything.
    first = tick(office, "2020-06-25T09:00", LEDGERBOOK_FAIL="3")
    assert (first["delivered"], first["failed"], first["pending"]) == (DISTRICTS - 3, 3, 3)
    later = tick(office, "2020-06-25T09:05", LEDGERBOOK_FAIL="3")
    assert (later["delivered"], later["pending"]) == (3, 0)
    assert sorted(sent(office).values()) == [1] * DISTRICTS


def test_a_changed_campaign_file_is_followed_and_said(office) -> None:
    tick(office, "2020-06-20T00:00")
    text = (
        office["campaign"]
        .read_text(encoding="utf-8")
        .replace("due = 2020-06-28", "due = 2020-06-29")
    )
    office["campaign"].write_text(text, encoding="utf-8")
    process = start(office, "2020-06-26T10:00")
    out, errors = process.communicate(timeout=60)
    assert "changed since the last tick" in errors
    # The reminder three days before the new date (26 June) went out, not the old one (25th).
    assert json.loads(out)["delivered"] == DISTRICTS
    book = sent(office)
    assert all(key.endswith(tuple(f"/d{i}" for i in range(DISTRICTS))) for key in book)
