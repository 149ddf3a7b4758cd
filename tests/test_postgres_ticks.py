"""Exactly-once across processes that share nothing but a PostgreSQL ledger: four `tick`
processes at once on a generated national cascade deliver every notification once, and
ticks killed at chosen points lose none and repeat at most the one each had in flight.

Each tick is a process of its own with a recording notifier (`ledgerbook`) that appends
each notification's key to one file, in one `O_APPEND` write, and kills its own process
at the point the test chose: after claiming its N-th notification but before sending it,
or after sending it but before its delivery is recorded. No sleeps, no timing windows.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import textwrap
from collections import Counter
from pathlib import Path

import pytest
from conftest import REPO
from pgcluster import wait_until_alone

from campaignkit.ledger import open_ledger

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

UNITS = 400  # 372 reminders due at NOW
NOW = "2024-06-25T10:00"  # hundreds of reminders due, to every township, and some stale

PLUGIN = """
import os, signal
from campaignkit import Notifier, hookimpl

done = 0

def deliver(notification, address):
    global done
    done += 1
    number, _, point = (os.environ.get("LEDGERBOOK_KILL") or "0:").partition(":")
    if done == int(number) and point == "before":  # claimed, not sent
        os.kill(os.getpid(), signal.SIGKILL)
    line = (notification.key + "\\n").encode()
    book = os.open(os.environ["LEDGERBOOK"], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    os.write(book, line)
    os.close(book)
    if done == int(number) and point == "after":  # sent, not recorded
        os.kill(os.getpid(), signal.SIGKILL)

@hookimpl
def campaignkit_notifiers():
    return [Notifier("ledgerbook", deliver)]
"""


@pytest.fixture
def cascade(tmp_path: Path, postgres_url: str) -> dict[str, object]:
    site = tmp_path / "site"
    site.mkdir()
    (site / "ledgerbook_plugin.py").write_text(textwrap.dedent(PLUGIN), encoding="utf-8")
    info = site / "ledgerbook-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: ledgerbook\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[campaignkit]\nledgerbook = ledgerbook_plugin\n")
    campaign = tmp_path / "cascade.toml"
    generated = subprocess.run(
        [sys.executable, str(REPO / "bench" / "generate.py"), "--units", str(UNITS),
         "--channel", "ledgerbook"],
        check=True, timeout=60, capture_output=True, text=True,
    ).stdout  # fmt: skip
    campaign.write_text(own_channels(generated), encoding="utf-8")
    return {"site": site, "campaign": campaign, "db": postgres_url, "book": tmp_path / "book"}


def own_channels(toml: str) -> str:
    """The campaign with every unit reached at its own address: each notice one delivery
    (`--channel` reaches the provinces only, which take their units' notices together)."""
    blocks = re.split(r"(?m)^(?=\[)", toml)
    for number, block in enumerate(blocks):
        unit = re.match(r"\[units\.([\w-]+)\]\n", block)
        if unit and "channels" not in block:
            blocks[number] = f'{block.rstrip()}\nchannels = {{ ledgerbook = "{unit[1]}" }}\n\n'
    return "".join(blocks)


def start(cascade: dict[str, object], kill: str = "") -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(cascade["site"]), str(REPO / "src")]),
        "LEDGERBOOK": str(cascade["book"]),
        "LEDGERBOOK_KILL": kill,
    }
    env.pop("CAMPAIGNKIT_DB", None)
    command = [sys.executable, "-m", "campaignkit", "tick", str(cascade["campaign"]),
               "--db", str(cascade["db"]), "--now", NOW, "--format", "json"]  # fmt: skip
    return subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def sent(cascade: dict[str, object]) -> Counter[str]:
    book = Path(str(cascade["book"]))
    return Counter(book.read_text().split()) if book.exists() else Counter()


def campaign_id(cascade: dict[str, object]) -> str:
    import tomli

    text = Path(str(cascade["campaign"])).read_text(encoding="utf-8")
    return str(tomli.loads(text)["campaign"]["id"])


def outbox_of(cascade: dict[str, object]) -> dict[str, str]:
    with open_ledger(str(cascade["db"])) as ledger:
        rows = ledger.outbox(campaign_id(cascade))
    return {row.notification.key: row.state for row in rows}


def test_four_ticks_at_once_deliver_every_notification_exactly_once(cascade) -> None:
    processes = [start(cascade) for _ in range(4)]
    results = []
    for process in processes:
        out, errors = process.communicate(timeout=300)
        assert process.returncode == 0, errors
        assert "Traceback" not in errors
        results.append(json.loads(out))
    states = outbox_of(cascade)
    counts = sent(cascade)
    delivered = {key for key, state in states.items() if state == "delivered"}
    assert len(delivered) > 300, Counter(states.values())  # a cascade, not a handful
    assert "sending" not in states.values()
    assert set(counts) == delivered, "every notification delivered"
    assert max(counts.values()) == 1, "none twice"
    assert sum(r["delivered"] for r in results) == len(delivered)
    # Each event recorded once, however many ticks processed it.
    with open_ledger(str(cascade["db"])) as ledger:
        keys = ledger.db.execute("SELECT key FROM events").fetchall()
    assert len(keys) == len(set(keys))


def test_ticks_killed_at_chosen_points_lose_nothing_and_repeat_at_most_one_each(
    cascade,
) -> None:
    # Four ticks at once, three of which die at a point chosen in advance; then the same
    # again; then one more tick, left alone, finishes what the dead left.
    killed_after = kills = 0
    for round_ in (["3:after", "5:before", "8:after", ""], ["2:before", "4:after", "", "6:after"]):
        processes = [(point, start(cascade, point)) for point in round_]
        for point, process in processes:
            _, errors = process.communicate(timeout=300)
            if process.returncode == -signal.SIGKILL:
                kills += 1
                killed_after += point.endswith("after")
            else:
                # A tick whose N-th delivery never came (the others sent everything first)
                # ends normally.
                assert process.returncode == 0, errors
    assert kills >= 2  # the points were reached: each tick has hundreds to send
    wait_until_alone(str(cascade["db"]))  # the killed ticks' sessions ended, and their locks
    last = start(cascade)
    _, errors = last.communicate(timeout=300)
    assert last.returncode == 0, errors
    states = outbox_of(cascade)
    counts = sent(cascade)
    delivered = {key for key, state in states.items() if state == "delivered"}
    assert "sending" not in states.values()
    assert set(counts) == delivered, "every notification delivered"
    repeats = sum(counts.values()) - len(counts)
    # A kill after sending repeats the one in flight, once; a kill before sending, nothing.
    assert max(counts.values()) <= 2
    assert repeats == killed_after
