"""`campaignkit report`: who is late, what happens next, and the roll-up, in md, json and csv."""

from __future__ import annotations

import csv
import io
from collections import Counter

from conftest import SHENZHEN

SIM = ("--simulate", "--compliance", "0.8", "--seed", "1")


def report(run_cli, *args) -> str:
    result = run_cli("report", SHENZHEN, *args)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_csv_has_one_row_per_assignee_and_requirement_with_a_bom(run_cli, tmp_path) -> None:
    out = tmp_path / "standings.csv"
    assert run_cli("report", SHENZHEN, *SIM, "--format", "csv", "--ids", "-o", out).exit_code == 0
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert len(rows) == 36 * 3
    assert len({(r["unit"], r["requirement"]) for r in rows}) == 36 * 3
    assert rows[0]["unit_name"] == "福田区安全生产委员会"
    summary = run_cli("simulate", SHENZHEN, *SIM[1:], "--format", "json").json()["summary"]
    for req, counts in summary.items():
        found = Counter(r["status"] for r in rows if r["requirement"] == req)
        assert {k: found[k] for k in ("on_time", "late", "missing", "rejected")} == {
            k: counts[k] for k in ("on_time", "late", "missing", "rejected")
        }
    rejected = [r for r in rows if r["status"] == "rejected"]
    assert rejected
    assert all(r["reasons"] for r in rejected)


def test_json_has_standings_rollups_and_notifications(run_cli) -> None:
    import json

    data = json.loads(report(run_cli, *SIM, "--format", "json"))
    assert data["campaign"]["reference"] == "深安办〔2020〕79号"
    assert data["source"] == "simulation"
    assert [r["id"] for r in data["requirements"]] == [
        "liaison-and-plan",
        "safety-month-summary",
        "wanlixing-summary",
    ]
    first = data["requirements"][0]
    assert first["due_at"] == "2020-05-28T23:59:59+08:00"
    assert len(first["assignees"]) == 36
    [rollup] = data["rollups"]
    assert rollup["unit"] == "sz-safety-committee"
    assert rollup["children"] == 36
    assert sum(rollup["counts"].values()) == 108
    simulated = run_cli("simulate", SHENZHEN, *SIM[1:], "--format", "json").json()
    assert len(data["notifications"]) == len(simulated["notifications"])
    assert data["activities"][0]["first_day"] == "2020-06-01"


def test_markdown_reads_as_a_report(run_cli) -> None:
    md = report(run_cli, *SIM)
    assert md.startswith("# 深圳市2020年“安全生产月”和“安全生产万里行”活动方案\n")
    headings = [line for line in md.splitlines() if line.startswith("## ")]
    assert headings == [
        "## 活动阶段",
        "## 活动安排",
        "## 报送要求",
        "## 按上级单位汇总",
        "## 通知记录",
    ]
    # The colon is full-width and outside the bold: CommonMark would not end "**文号：**" there.
    assert "- **文号**：深安办〔2020〕79号" in md
    assert "| 福田区安全生产委员会 | 按时 |" in md
    assert "截止时间 2020-07-05 23:59 +0800。" in md


def test_unit_narrows_the_report_to_its_own_duties(run_cli) -> None:
    import json

    data = json.loads(report(run_cli, *SIM, "--format", "json", "--unit", "futian"))
    assert data["unit"] == "futian"
    assert [[a["unit"] for a in r["assignees"]] for r in data["requirements"]] == [["futian"]] * 3
    assert {(n["to"], n["about"]) for n in data["notifications"]} <= {
        ("futian", None),
        ("sz-safety-committee", "futian"),
    }
    ids = {a["id"] for a in data["activities"]}
    assert "launch-ceremony" in ids
    assert "consultation-day" not in ids  # the member units' event, not the districts'


def test_a_live_ledger_reports_pending_before_the_deadline(run_cli, tmp_path) -> None:
    import json

    db = tmp_path / "ledger.db"
    args = ("simulate", SHENZHEN, "--compliance", "0", "--db", db, "--until", "2020-06-30")
    assert run_cli(*args).exit_code == 0
    data = json.loads(report(run_cli, "--db", db, "--at", "2020-06-30", "--format", "json"))
    assert data["source"] == "ledger"
    assert data["as_of"] == "2020-06-30T23:59:59+08:00"
    counts = {r["id"]: r["counts"] for r in data["requirements"]}
    assert counts["liaison-and-plan"]["missing"] == 36
    assert counts["safety-month-summary"]["pending"] == 36
    # Two reminders, the deadline and the escalation of the first; the 28 June reminder of
    # the second.
    assert Counter((n["requirement"], n["kind"]) for n in data["notifications"]) == {
        ("liaison-and-plan", "reminder"): 72,
        ("liaison-and-plan", "overdue"): 36,
        ("liaison-and-plan", "escalation"): 36,
        ("safety-month-summary", "reminder"): 36,
    }


def test_wrong_options_are_usage_errors_naming_what_exists(run_cli, tmp_path) -> None:
    result = run_cli("report", SHENZHEN, *SIM, "--format", "pdf")
    assert result.exit_code == 2
    assert "no report format `pdf`" in result.output
    result = run_cli("report", SHENZHEN, *SIM, "--unit", "futain")
    assert result.exit_code == 2
    assert "方案中没有单位 `futain`；是否应为 `futian`？" in result.output
    assert run_cli("report", SHENZHEN).exit_code == 2
    missing = run_cli("report", SHENZHEN, "--db", tmp_path / "none.db")
    assert missing.exit_code == 1
    assert "none.db 处没有台账" in missing.stderr


def test_markdown_of_an_english_campaign_is_in_english(run_cli, write_campaign) -> None:
    from conftest import MINIMAL

    result = run_cli("report", write_campaign(MINIMAL), "--simulate", "--compliance", "0")
    headings = [line for line in result.stdout.splitlines() if line.startswith("## ")]
    assert headings == [
        "## Phases",
        "## Activities",
        "## Requirements",
        "## Roll-up by parent unit",
        "## Notifications",
    ]
    assert "| East district | missing |" in result.stdout


def test_a_simulated_report_can_be_taken_on_a_given_day(run_cli) -> None:
    import json

    data = json.loads(report(run_cli, *SIM, "--format", "json", "--at", "2020-06-01"))
    assert data["as_of"] == "2020-06-01T23:59:59+08:00"
    counts = {r["id"]: r["counts"] for r in data["requirements"]}
    assert counts["wanlixing-summary"]["pending"] == 36
    assert all(n["at"] <= "2020-06-01T23:59:59+08:00" for n in data["notifications"])
