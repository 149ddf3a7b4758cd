"""Ticks and the mending of a PostgreSQL ledger kept apart (`TickGate`): ticks run at once,
together; `ledger rename-…` and `retire-…` wait for the ticks running and run alone, and a
tick started meanwhile waits for them. The waits are observed on the server (a session
waiting for the advisory lock), never timed."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import MINIMAL

from campaignkit.ledger import LedgerError, open_ledger, tick_lock
from campaignkit.ledger.postgres import TickGate
from campaignkit.notify import Notification
from campaignkit.timeline import Event

pytestmark = pytest.mark.postgres

AT = dt.datetime(2020, 6, 1, 9, 0, tzinfo=dt.UTC)


def test_ticks_hold_the_gate_together_and_mending_alone(postgres_url: str) -> None:
    ticks_hold = r"ticks still hold .* stop them, then try again"
    with (
        tick_lock(postgres_url),
        tick_lock(postgres_url),
        pytest.raises(  # two ticks at once
            LedgerError, match=ticks_hold
        ),
    ):
        gate(postgres_url, alone=True).__enter__()
    mended = r"is being mended \(ledger rename or retire\)"
    with gate(postgres_url, alone=True), pytest.raises(LedgerError, match=mended):
        gate(postgres_url, alone=False).__enter__()
    with gate(postgres_url, alone=True):  # let go when the mending ended
        pass


def gate(url: str, *, alone: bool) -> TickGate:
    """The gate, with a wait short enough to see it refused while another holds it."""
    return TickGate(url, alone=alone, wait=0.05)


def waiting_for_the_gate(url: str) -> int:
    """Sessions on the database waiting for an advisory lock."""
    with open_ledger(url) as ledger:
        found = ledger.db.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            " AND wait_event_type = 'Lock' AND wait_event = 'advisory'"
        ).fetchone()
    return int(found[0])


def test_a_rename_waits_for_the_tick_running_and_then_moves_everything(
    tmp_path: Path, postgres_url: str
) -> None:
    campaign = tmp_path / "mini.toml"
    campaign.write_text(MINIMAL.replace("[units.east]", "[units.eastern]"), encoding="utf-8")
    with open_ledger(postgres_url) as ledger:
        note = Notification(at=AT, to="east", kind="reminder", requirement="summary",
                            key="mini/summary/reminder/east", text="notice")  # fmt: skip
        event = Event(at=AT, kind="requirement.remind", subject="summary", days=1)
        ledger.mark_processed("mini", [event], [note])
    with tick_lock(postgres_url):  # a tick running
        rename = subprocess.Popen(
            [sys.executable, "-m", "campaignkit", "ledger", "rename-unit", str(campaign),
             "east", "eastern", "--db", postgres_url],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        for _ in range(6000):  # until the rename is seen waiting on the server
            if waiting_for_the_gate(postgres_url) or rename.poll() is not None:
                break
            time.sleep(0.01)
        assert rename.poll() is None, rename.communicate()
        with open_ledger(postgres_url) as ledger:
            assert [row.notification.to for row in ledger.outbox("mini")] == [
                "east"
            ]  # nothing moved yet
    _out, errors = rename.communicate(timeout=120)
    assert rename.returncode == 0, errors
    with open_ledger(postgres_url) as ledger:
        assert [row.notification.to for row in ledger.outbox("mini")] == ["eastern"]
