"""`campaignkit simulate`: a rehearsal whose counts follow from the campaign."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter

import pytest
from conftest import MINIMAL, SHENZHEN

from campaignkit.ledger import SCHEMA_VERSION

DISTRICTS_AND_MEMBERS = 36


def simulate(run_cli, *args) -> dict:
    result = run_cli("simulate", *args, "--format", "json")
    assert result.exit_code == 0, result.output
    return result.json()


def kinds(data: dict) -> Counter:
    return Counter((n["requirement"], n["kind"]) for n in data["notifications"])


def test_full_compliance_sends_no_overdue_notice_and_no_escalation(run_cli) -> None:
    data = simulate(run_cli, SHENZHEN, "--compliance", "1", "--seed", "7")
    assert {kind for _, kind in kinds(data)} <= {"reminder"}
    assert {s["status"] for s in data["submissions"]} == {"on_time"}
    for counts in data["summary"].values():
        assert counts | {"notifications": 0, "unreached": 0} == {
            "assignees": DISTRICTS_AND_MEMBERS,
            "on_time": DISTRICTS_AND_MEMBERS,
            "late": 0,
            "missing": 0,
            "rejected": 0,
            "notifications": 0,
            "unreached": 0,
            "skipped": 0,
            "exempt": 0,
        }


def test_no_compliance_reminds_everyone_then_chases_and_escalates(run_cli) -> None:
    data = simulate(run_cli, SHENZHEN, "--compliance", "0")
    assert data["submissions"] == []
    n = DISTRICTS_AND_MEMBERS
    assert kinds(data) == {
        ("liaison-and-plan", "reminder"): 2 * n,
        ("liaison-and-plan", "overdue"): n,
        ("liaison-and-plan", "escalation"): n,
        ("safety-month-summary", "reminder"): 2 * n,
        ("safety-month-summary", "overdue"): n,
        ("safety-month-summary", "escalation"): n,
        ("wanlixing-summary", "reminder"): 2 * n,
        ("wanlixing-summary", "overdue"): n,
        ("wanlixing-summary", "escalation"): n,
    }
    escalations = [n for n in data["notifications"] if n["kind"] == "escalation"]
    assert {n["to"] for n in escalations} == {"sz-safety-committee"}
    # Escalated a day after the deadline, at 23:59:59 on 29 May, and sent at the next send
    # time: 09:00 on the 30th, never at midnight.
    first = next(n for n in data["notifications"] if n["kind"] == "escalation")
    assert first["at"] == "2020-05-30T09:00:00+08:00"
    assert first["key"] == "shenzhen-2020/liaison-and-plan/escalation-1d/futian"
    overdue = next(n for n in data["notifications"] if n["kind"] == "overdue")
    assert overdue["at"] == "2020-05-29T09:00:00+08:00"
    # The Shenzhen notice names no channels: every notice reaches no one, and says so.
    assert {n["state"] for n in data["notifications"]} == {"unreached"}
    assert data["totals"] == {
        "notifications": 12 * n,
        "delivered": 0,
        "unreached": 12 * n,
        "skipped": 0,
        "pending": 0,
    }


def test_partial_compliance_mixes_on_time_late_rejected_and_missing(run_cli) -> None:
    data = simulate(run_cli, SHENZHEN, "--compliance", "0.8", "--seed", "1")
    statuses = Counter(s["status"] for s in data["submissions"])
    assert statuses["on_time"] > statuses["late"] > 0
    assert statuses["rejected"] > 0
    total = Counter()
    for counts in data["summary"].values():
        assert counts["assignees"] == DISTRICTS_AND_MEMBERS
        assert sum(counts[k] for k in ("on_time", "late", "missing", "rejected")) == 36
        total.update(counts)
    assert total["missing"] > 0


def test_the_same_seed_gives_the_same_output_byte_for_byte(run_cli) -> None:
    args = ("simulate", SHENZHEN, "--compliance", "0.6", "--seed", "42", "--format", "json")
    first, second = run_cli(*args), run_cli(*args)
    assert first.stdout == second.stdout
    other = run_cli("simulate", SHENZHEN, "--compliance", "0.6", "--seed", "43", "--format", "json")
    assert other.stdout != first.stdout


def test_until_stops_the_clock(run_cli) -> None:
    data = simulate(run_cli, SHENZHEN, "--compliance", "0", "--until", "2020-05-28")
    assert Counter(n["kind"] for n in data["notifications"]) == {"reminder": 72, "overdue": 36}
    # The deadline passed on the 28th; its overdue notices wait for 09:00 on the 29th,
    # after the clock stopped.
    overdue = [n for n in data["notifications"] if n["kind"] == "overdue"]
    assert {(n["at"], n["state"]) for n in overdue} == {("2020-05-29T09:00:00+08:00", "pending")}


def test_the_table_summarises_each_requirement(run_cli) -> None:
    result = run_cli("simulate", SHENZHEN, "--compliance", "0")
    assert result.exit_code == 0
    # The Shenzhen campaign is Chinese: so is what its clerk reads.
    assert "shenzhen-2020 演练：事件 80 个，报送 0 份，通知 432 条" in result.stdout
    row = next(line for line in result.stdout.splitlines() if "（wanlixing-summary）" in line)
    assert [cell.strip() for cell in row.split("│")[2:10]] == [
        "36",
        "0",
        "0",
        "36",
        "0",
        "144",
        "144",
        "0",
    ]
    assert "432 条通知无人接收：福田区安全生产委员会、罗湖区安全生产委员会" in result.stdout
    assert "等（另有 32 个）及其上级单位均没有可送达的渠道" in result.stdout


def test_texts_follow_the_campaigns_language(run_cli, tmp_path, write_campaign) -> None:
    outbox = tmp_path / "zh.jsonl"
    simulate(run_cli, SHENZHEN, "--compliance", "0", "--until", "2020-05-25", "--outbox", outbox)
    first = json.loads(outbox.read_text(encoding="utf-8").splitlines()[0])
    assert first["text"] == (
        "【提醒】福田区安全生产委员会：请于2020年5月28日前向"
        "深圳市安全生产委员会办公室（市应急管理局）"
        "报送联络员信息表及《“安全生产月”和“安全生产万里行”活动方案》，距截止还有3天。"
    )
    english = tmp_path / "en.jsonl"
    path = write_campaign(MINIMAL)
    simulate(run_cli, path, "--compliance", "0", "--outbox", english)
    texts = [json.loads(line)["text"] for line in english.read_text(encoding="utf-8").splitlines()]
    assert texts[0] == (
        "Reminder to East district: “Summary” is due to Safety office by 28 June 2020 "
        "(3 days left)."
    )
    assert texts[-1].startswith("Overdue: East district has not handed in “Summary”")


def test_outbox_writes_one_json_line_per_notification_with_stable_keys(run_cli, tmp_path) -> None:
    outbox = tmp_path / "outbox.jsonl"
    data = simulate(run_cli, SHENZHEN, "--compliance", "0.5", "--seed", "3", "--outbox", outbox)
    lines = [json.loads(line) for line in outbox.read_text(encoding="utf-8").splitlines()]
    sent = [n for n in data["notifications"] if n["state"] in ("delivered", "unreached")]
    assert len(lines) == len(sent) < len(data["notifications"])  # some were stale by 09:00
    assert set(lines[0]) >= {"key", "at", "kind", "to", "requirement", "text", "state"}
    assert [(line["key"], line["state"]) for line in lines] == [
        (n["key"], n["state"]) for n in sent
    ]
    again = tmp_path / "again.jsonl"
    simulate(run_cli, SHENZHEN, "--compliance", "0.5", "--seed", "3", "--outbox", again)
    assert again.read_text(encoding="utf-8") == outbox.read_text(encoding="utf-8")


def test_nothing_is_delivered_without_deliver(run_cli) -> None:
    quiet = run_cli("simulate", SHENZHEN, "--compliance", "0", "--until", "2020-05-25")
    assert "【提醒】" not in quiet.output
    loud = run_cli("simulate", SHENZHEN, "--compliance", "0", "--until", "2020-05-25", "--deliver")
    assert loud.exit_code == 0
    # Shenzhen's units have no channels: delivering reaches no one, and says so.
    assert "发送结果：送达 0 条，无人接收 36 条" in loud.stderr


def test_a_named_ledger_keeps_the_run(run_cli, tmp_path) -> None:
    db = tmp_path / "rehearsal.db"
    data = simulate(run_cli, SHENZHEN, "--compliance", "0.8", "--seed", "1", "--db", db)
    with sqlite3.connect(db) as con:
        assert con.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert con.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
        assert con.execute("SELECT count(*) FROM outbox").fetchone() == (
            len(data["notifications"]),
        )
        assert con.execute("SELECT count(*) FROM submissions").fetchone() == (
            len(data["submissions"]),
        )
        # The timeline's 80 events, and one for each rejected hand-in.
        rejected = sum(s["status"] == "rejected" for s in data["submissions"])
        assert rejected > 0
        assert con.execute("SELECT count(*) FROM events").fetchone() == (80 + rejected,)
    again = run_cli("simulate", SHENZHEN, "--db", db)
    assert again.exit_code == 1
    assert "中已有 `shenzhen-2020` 的运行记录；演练需要新的台账（请另选 --db）" in again.stderr


@pytest.mark.parametrize(
    ("content", "words"),
    [
        # The Shenzhen campaign is Chinese: so is what its clerk reads.
        (b"this is not a database, just text " * 200, "不是可用的 campaignkit 台账"),
        (None, "由更新版本的 campaignkit 写入（台账结构版本 99"),
    ],
    ids=["not-sqlite", "newer-schema"],
)
def test_a_ledger_it_cannot_use_is_refused_clearly(run_cli, tmp_path, content, words) -> None:
    db = tmp_path / "ledger.db"
    if content is None:
        with sqlite3.connect(db) as con:
            con.execute("PRAGMA user_version = 99")
    else:
        db.write_bytes(content)
    result = run_cli("simulate", SHENZHEN, "--db", db)
    assert result.exit_code == 1
    assert words in result.stderr
    assert "Traceback" not in result.output


def test_compliance_outside_zero_to_one_is_a_usage_error(run_cli) -> None:
    assert run_cli("simulate", SHENZHEN, "--compliance", "1.5").exit_code == 2


def test_every_rejected_hand_in_is_told_to_its_unit(run_cli) -> None:
    data = simulate(run_cli, SHENZHEN, "--compliance", "0.8", "--seed", "1")
    refused = [s for s in data["submissions"] if s["status"] == "rejected"]
    told = [n for n in data["notifications"] if n["kind"] == "rejected"]
    assert len(refused) > 0
    assert len(told) == len(refused)
    assert sorted((n["to"], n["requirement"]) for n in told) == sorted(
        (s["unit"], s["requirement"]) for s in refused
    )
    kinds = {n["kind"] for n in data["notifications"]}
    assert kinds >= {"reminder", "overdue", "escalation", "rejected"}
    # Nothing is sent at night: every notice goes out between 07:00 and 22:00 local.
    assert all("07:00" <= n["at"][11:16] < "22:00" for n in data["notifications"])


def sent(run_cli, *args, disable: str | None = None) -> Counter:
    """How many notices of each kind `simulate ARGS` queues, with one plugin disabled."""
    flags = ("--disable", disable) if disable else ()
    result = run_cli(*flags, "simulate", *args, "--format", "json")
    assert result.exit_code == 0, result.output
    return Counter(notice["kind"] for notice in result.json()["notifications"])


def test_without_escalations_a_rehearsal_still_reminds_chases_and_returns(run_cli) -> None:
    n = DISTRICTS_AND_MEMBERS
    nobody = (SHENZHEN, "--compliance", "0")
    assert sent(run_cli, *nobody, disable="escalations") == {"reminder": 6 * n, "overdue": 3 * n}
    # A rejected hand-in is still told to its unit: `rejections` is a plugin of its own.
    some = (SHENZHEN, "--compliance", "0.8", "--seed", "1")
    every = sent(run_cli, *some)
    assert every["escalation"] > 0
    assert every["rejected"] > 0
    without = sent(run_cli, *some, disable="escalations")
    assert without == every - Counter(escalation=every["escalation"])
    assert sent(run_cli, *some, disable="rejections") == every - Counter(rejected=every["rejected"])


@pytest.mark.parametrize("how", ["flag", "environment"])
def test_the_old_name_obligations_disables_every_built_in_notice(run_cli, how) -> None:
    args = ("simulate", SHENZHEN, "--compliance", "0.8", "--seed", "1", "--format", "json")
    if how == "flag":
        result = run_cli("--disable", "obligations", *args)
    else:
        result = run_cli(*args, env={"CAMPAIGNKIT_DISABLE_PLUGINS": "obligations"})
    assert result.exit_code == 0, result.output
    data = result.json()
    assert {s["status"] for s in data["submissions"]} >= {"on_time", "rejected"}
    assert data["notifications"] == []
    assert data["totals"]["notifications"] == 0
