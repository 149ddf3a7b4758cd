"""A ledger written before supervision (ladders, occurrences, figures, extensions and
exemptions) is upgraded in place the first time a command opens it: what it holds is kept,
and everything new can be recorded in it at once."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from office_files import zip_file

from campaignkit import Ledger
from campaignkit.ledger.migrations import MIGRATIONS, SCHEMA_VERSION, statements

CAMPAIGN = """\
format = 1

[campaign]
id = "county-2021"
title = "县安全生产月周报督办"
issued_on = 2021-05-20
issued_by = "office"
timezone = "Asia/Shanghai"

[phases.month]
name = "安全生产月"
start = 2021-06-01
end = 2021-07-15

[units.committee]
name = "县安委会"
kind = "committee"

[units.office]
name = "县安委办"
kind = "office"
parent = "committee"

[units.east]
name = "东镇"
kind = "town"
parent = "office"

[units.west]
name = "西镇"
kind = "town"
parent = "office"

[requirements.plan]
name = "活动方案"
assignees = ["east", "west"]
due = 2021-05-28

[[requirements.plan.deliverables]]
id = "plan"
kind = "document"

[requirements.weekly]
name = "隐患排查周报"
assignees = ["east", "west"]
every = "week"
from = 2021-06-07
until = 2021-06-27
due = "period.end + 1d"

[[requirements.weekly.escalation]]
after = "1wd"
to = "unit"
label = "黄牌预警"

[[requirements.weekly.deliverables]]
id = "hazards"
kind = "figures"
fields = [
  { id = "found", name = "排查隐患数", type = "integer", min = 0, required = true },
  { id = "fixed", name = "整改隐患数", type = "integer", min = 0, required = true },
]
checks = ["fixed <= found"]
"""

BEFORE = next(i for i, script in enumerate(MIGRATIONS) if "ADD COLUMN level" in script)
"""The ledger's schema before supervision: the migrations up to the ladders'."""


def old_ledger(path: Path) -> Path:
    """A ledger as campaignkit wrote it before supervision: a hand-in, a queued notice and
    a processed event of the campaign."""
    db = sqlite3.connect(path)
    for number, script in enumerate(MIGRATIONS[:BEFORE]):
        for statement in statements(script):
            db.execute(statement)
        db.execute(f"PRAGMA user_version = {number + 1}")
    db.execute(
        "INSERT INTO submissions (campaign, unit, requirement, at, status, evidence,"
        " recorded_at) VALUES ('county-2021', 'east', 'plan', '2021-05-27T10:00:00+08:00',"
        " 'on_time', '{\"plan\": [{\"name\": \"方案.docx\"}]}', '2021-05-27T10:00:01+00:00')"
    )
    db.execute(
        "INSERT INTO outbox (campaign, key, at, kind, to_unit, about, requirement, channel,"
        " text, next_attempt_at, expires_at, chases, as_of, keeps_hours) VALUES"
        " ('county-2021', 'county-2021/plan/overdue/west', '2021-05-29T09:00:00+08:00',"
        " 'overdue', 'west', NULL, 'plan', NULL, '逾期：西镇尚未报送“活动方案”。',"
        " '2021-05-29T01:00:00+00:00', NULL, 1, '2021-05-28T23:59:59+08:00', 1)"
    )
    db.execute(
        "INSERT INTO events (campaign, key, at, kind, subject, processed_at) VALUES"
        " ('county-2021', 'requirement.due:plan', '2021-05-28T23:59:59+08:00',"
        " 'requirement.due', 'plan', '2021-05-29T00:00:00+00:00')"
    )
    db.commit()
    db.close()
    return path


def test_an_old_ledger_takes_every_new_record_and_keeps_its_own(
    run_cli: Callable[..., Any], write_campaign: Callable[..., Path], tmp_path: Path
) -> None:
    path = write_campaign(CAMPAIGN)
    db = old_ledger(tmp_path / "ledger.db")
    week = ("--db", db, "--requirement", "weekly", "--occurrence", "2021-W24")

    extended = run_cli("extend", path, *week, "--unit", "east", "--until", "2021-06-25",
                       "--reason", "汛期抢险", "--by", "li")  # fmt: skip
    assert extended.exit_code == 0, extended.output
    exempted = run_cli("exempt", path, *week, "--unit", "west", "--reason", "已撤并", "--by", "li")
    assert exempted.exit_code == 0, exempted.output
    handed = run_cli(
        "submit", path, *week, "--unit", "east", "--figure", "found=4", "--figure", "fixed=3",
        "--at", "2021-06-23T16:00:00+08:00", "--format", "json",
    )  # fmt: skip
    assert handed.exit_code == 0, handed.output
    assert handed.json()["status"] == "on_time"  # after the week's due date, before its own

    status = run_cli("status", path, "--db", db, "--at", "2021-06-24T00:00:00+08:00",
                     "--format", "json")  # fmt: skip
    assert status.exit_code == 0, status.output
    rows = {
        (r["id"], unit["unit"]): unit for r in status.json()["requirements"] for unit in r["units"]
    }
    assert rows["plan", "east"]["status"] == "on_time"  # the old ledger's hand-in, kept
    assert rows["plan", "east"]["submitted_at"] == "2021-05-27T10:00:00+08:00"
    assert rows["weekly@2021-W24", "east"]["extended_until"] == "2021-06-25"
    assert rows["weekly@2021-W24", "west"]["status"] == "exempt"
    assert rows["weekly@2021-W23", "west"]["status"] == "missing"

    with Ledger(db) as ledger:
        assert ledger.version == SCHEMA_VERSION
        [old] = ledger.outbox("county-2021")
        assert (old.notification.key, old.notification.level) == (
            "county-2021/plan/overdue/west",
            None,
        )
        figures = {row.requirement: row.figures for row in ledger.submissions("county-2021")}
        assert figures == {"plan": {}, "weekly@2021-W24": {"found": "4", "fixed": "3"}}


def test_a_tick_on_an_upgraded_ledger_does_not_redo_what_it_did(
    run_cli: Callable[..., Any], write_campaign: Callable[..., Path], tmp_path: Path
) -> None:
    path = write_campaign(CAMPAIGN)
    db = old_ledger(tmp_path / "ledger.db")
    doc = zip_file(tmp_path / "方案.docx", "[Content_Types].xml", "word/document.xml")
    assert run_cli("submit", path, "--db", db, "--unit", "west", "--requirement", "plan",
                   "--deliverable", f"plan={doc}", "--at", "2021-05-30T09:00:00+08:00",
                   ).exit_code == 0  # fmt: skip
    ticked = run_cli("tick", path, "--db", db, "--now", "2021-06-16T12:00:00+08:00",
                     "--format", "json")  # fmt: skip
    assert ticked.exit_code == 0, ticked.output
    with Ledger(db) as ledger:
        keys = [row.notification.key for row in ledger.outbox("county-2021")]
        levels = {
            row.notification.key: row.notification.level for row in ledger.outbox("county-2021")
        }
    assert keys.count("county-2021/plan/overdue/west") == 1  # queued before the upgrade
    assert levels["county-2021/weekly@2021-W23/escalation-1d/east"] == 1
