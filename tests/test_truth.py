"""What campaignkit tells an office is true: a county's "Fire Safety Month", written from
scratch as a new bureau would write it, run through validate, submit, tick and status.

Each test is one observation of the trial that found it: notices that reached nobody were
counted as delivered; a refused unit was told it had not handed in; overdue notices went
out at midnight; a late tick sent a reminder after its deadline; escalations went to the
office that was chasing; a renamed requirement chased units that had handed in.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from campaignkit.ledger import open_ledger

COUNTY = """\
format = 1

[campaign]
id = "county-fire-2022"
title = "城关县2022年“消防安全月”活动方案"
issued_on = 2022-10-08
issued_by = "county-office"
timezone = "Asia/Shanghai"
language = "zh"

[phases.month]
name = "消防安全月"
start = 2022-11-01
end = 2022-11-30

[units.county-committee]
name = "县安全生产委员会"
kind = "committee"

[units.county-office]
name = "县安全生产委员会办公室"
kind = "office"
parent = "county-committee"

[units.chengguan]
name = "城关镇"
kind = "township"
parent = "county-office"

[units.hexi]
name = "河西乡"
kind = "township"
parent = "county-office"

[units.dongshan]
name = "东山乡"
kind = "township"
parent = "county-office"

[units.nanhu]
name = "南湖镇"
kind = "township"
parent = "county-office"

[groups]
townships = { kinds = ["township"] }

[requirements.liaison-and-plan]
name = "报送联络员及活动方案"
assignees = ["townships"]
due = 2022-10-28
remind = [5, 1]
escalate_after = 2

[[requirements.liaison-and-plan.deliverables]]
id = "plan"
kind = "document"
formats = ["docx", "pdf"]
"""
TOWNSHIPS = ["chengguan", "hexi", "dongshan", "nanhu"]


@pytest.fixture
def county(tmp_path: Path, ledger_target: str | Path) -> dict[str, Any]:
    """The county's files, and its ledger on each backend: SQLite, then PostgreSQL."""
    campaign = tmp_path / "county.toml"
    campaign.write_text(COUNTY, encoding="utf-8")
    good = tmp_path / "plan.docx"
    with zipfile.ZipFile(good, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    wrong = tmp_path / "plan.txt"
    wrong.write_text("活动方案（草稿）", encoding="utf-8")
    return {
        "campaign": campaign,
        "db": ledger_target,
        "outbox": tmp_path / "outbox.jsonl",
        "good": good,
        "wrong": wrong,
    }


def ticking(run_cli: Callable[..., Any], county: dict[str, Path], now: str) -> Any:
    """Run `tick` to `now` with the county's ledger and outbox; what a person would see."""
    return run_cli(
        "tick",
        county["campaign"],
        "--db",
        county["db"],
        "--now",
        now,
        "--outbox",
        county["outbox"],
        "--format",
        "json",
    )


def tick(run_cli: Callable[..., Any], county: dict[str, Path], now: str) -> dict[str, Any]:
    result = ticking(run_cli, county, now)
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = result.json()
    return data


def submit(
    run_cli: Callable[..., Any], county: dict[str, Path], unit: str, plan: Path, at: str
) -> Any:
    return run_cli(
        "submit",
        county["campaign"],
        "--unit",
        unit,
        "--requirement",
        "liaison-and-plan",
        "--deliverable",
        f"plan={plan}",
        "--db",
        county["db"],
        "--at",
        at,
        "--format",
        "json",
    )


def outbox(county: dict[str, Path]) -> list[dict[str, Any]]:
    path = county["outbox"]
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    return [json.loads(line) for line in lines]


def test_notices_that_reach_nobody_are_counted_and_shown_as_such(run_cli, county) -> None:
    checked = run_cli("validate", county["campaign"], "--format", "json")
    assert checked.exit_code == 0, checked.output
    warning, escalations = checked.json()
    assert (warning["code"], warning["severity"]) == ("unreachable", "warning")
    assert warning["path"] == "requirements.liaison-and-plan.assignees"
    assert warning["line"] == COUNTY.splitlines().index('assignees = ["townships"]') + 1
    assert warning["subjects"] == TOWNSHIPS  # JSON lists every unit; the message counts them
    assert warning["message"] == (
        "`liaison-and-plan` 的 4 个责任单位中有 4 个无法通知到：发给它们的通知将无人收到"
    )
    # Nor does anything reach the committee its escalations go to.
    assert (escalations["code"], escalations["subjects"]) == ("unreachable", ["county-committee"])
    assert escalations["path"] == "requirements.liaison-and-plan.escalate_after"

    for now in ("2022-10-23T10:00", "2022-10-27T10:00"):
        # Each morning, a reminder for each of the four townships, and none reached anybody.
        ticked = tick(run_cli, county, now)
        assert (ticked["delivered"], ticked["unreached"], ticked["skipped"]) == (0, 4, 0)
    lines = outbox(county)
    assert len(lines) == 8
    assert {(line["state"], line["channel"]) for line in lines} == {("unreached", None)}
    assert {tuple(line["channels"]) for line in lines} == {()}

    status = run_cli("status", county["campaign"], "--db", county["db"], "--at", "2022-10-27T10:00")
    assert "提醒 ×2（2 条无渠道送达）" in status.stdout
    as_json = run_cli(
        "status",
        county["campaign"],
        "--db",
        county["db"],
        "--at",
        "2022-10-27T10:00",
        "--format",
        "json",
    ).json()
    states = {
        n["state"] for r in as_json["requirements"] for u in r["units"] for n in u["notifications"]
    }
    assert states == {"unreached"}

    table = run_cli("tick", county["campaign"], "--db", county["db"], "--now", "2022-10-29T10:00")
    assert "送达通知 0 条" in table.stdout
    assert "4 条通知无人接收：城关镇、河西乡、东山乡、南湖镇及其上级单位均没有可送达的渠道" in (
        table.stdout
    )


def test_a_refused_unit_is_told_why_and_never_that_it_did_not_hand_in(run_cli, county) -> None:
    refused = submit(run_cli, county, "chengguan", county["wrong"], "2022-10-26T15:00")
    assert refused.exit_code == 1
    [reason] = refused.json()["problems"]

    tick(run_cli, county, "2022-10-26T16:00")
    [told] = [line for line in outbox(county) if line["kind"] == "rejected"]
    assert told["to"] == "chengguan"
    assert told["at"] == "2022-10-26T15:00:00+08:00"  # judged in the afternoon: told at once
    assert told["text"].startswith("【退回】城关镇：贵单位报送的“报送联络员及活动方案”未通过审核：")
    assert reason in told["text"]

    tick(run_cli, county, "2022-10-29T10:00")
    overdue = {line["to"]: line["text"] for line in outbox(county) if line["kind"] == "overdue"}
    assert "未通过审核" in overdue["chengguan"]
    assert reason in overdue["chengguan"]
    assert "尚未报送" not in overdue["chengguan"]
    assert "尚未报送" in overdue["hexi"]


def test_refused_between_the_deadline_and_the_morning_it_is_told_why_not_that_it_is_late(
    run_cli, county
) -> None:
    tick(run_cli, county, "2022-10-29T00:10")  # the deadline is processed: told at 09:00
    refused = submit(run_cli, county, "chengguan", county["wrong"], "2022-10-29T07:00")
    assert refused.exit_code == 1
    tick(run_cli, county, "2022-10-29T09:30")
    told = {(line["kind"], line["to"]): line["text"] for line in outbox(county)}
    # The overdue notice written at midnight says it has not handed in: no longer true.
    assert ("overdue", "chengguan") not in told
    assert told[("rejected", "chengguan")].startswith("【退回】城关镇")
    assert "尚未报送" in told[("overdue", "hexi")]


def test_no_notice_goes_out_at_night_and_escalations_go_above_the_chaser(run_cli, county) -> None:
    tick(run_cli, county, "2022-10-23T10:00")
    tick(run_cli, county, "2022-10-27T10:00")
    tick(run_cli, county, "2022-10-28T23:59:59")  # the deadline: nothing goes out at night
    assert [line["kind"] for line in outbox(county)] == ["reminder"] * 8
    tick(run_cli, county, "2022-11-02T12:00")
    lines = outbox(county)
    for line in lines:
        hour = int(line["at"][11:13])
        assert 7 <= hour < 22, line
    overdue = [line for line in lines if line["kind"] == "overdue"]
    assert {line["at"] for line in overdue} == {"2022-10-29T09:00:00+08:00"}
    escalations = [line for line in lines if line["kind"] == "escalation"]
    # The townships' parent is the office that chases them: their escalations go above it.
    assert [(e["to"], e["about"]) for e in escalations] == [
        ("county-committee", unit) for unit in TOWNSHIPS
    ]
    assert {e["at"] for e in escalations} == {"2022-10-31T09:00:00+08:00"}
    # Sent days later, it still says something true: the day it speaks of.
    assert escalations[0]["text"].startswith(
        "【督办】县安全生产委员会：截至2022年10月30日，城关镇逾期2天仍未报送"
    )


def test_a_tick_at_night_holds_what_it_finds_until_the_send_time(run_cli, county) -> None:
    night = tick(run_cli, county, "2022-10-29T23:30")  # cron was down since the 27th
    assert (night["delivered"], night["unreached"], night["held"]) == (0, 0, 4)
    assert outbox(county) == []
    early = tick(run_cli, county, "2022-10-30T08:59")
    assert (early["held"], early["pending"], early["unreached"]) == (0, 4, 0)
    morning = tick(run_cli, county, "2022-10-30T09:00")
    assert (morning["unreached"], morning["held"]) == (4, 0)
    assert {line["kind"] for line in outbox(county)} == {"overdue"}


def test_a_tick_on_a_rest_day_holds_notices_when_the_campaign_asks(run_cli, county) -> None:
    text = COUNTY.replace('language = "zh"\n', 'language = "zh"\nsend_on_rest_days = false\n')
    county["campaign"].write_text(text, encoding="utf-8")
    tick(run_cli, county, "2022-10-27T10:00")  # Thursday: the reminders of that morning
    assert submit(run_cli, county, "chengguan", county["wrong"], "2022-10-28T21:00").exit_code
    # Saturday: the refusal of Friday night and the overdue notices of the deadline went
    # out... on Monday. A tick on Saturday finds them waiting for Monday's send time.
    saturday = tick(run_cli, county, "2022-10-29T10:00")
    assert (saturday["unreached"], saturday["pending"]) == (0, 1 + 4)
    assert {line["kind"] for line in outbox(county)} == {"reminder"}
    monday = tick(run_cli, county, "2022-10-31T09:00")
    assert monday["unreached"] == 1 + 4 + 4  # and the escalations of Sunday night
    sent = [line for line in outbox(county) if line["kind"] != "reminder"]
    assert {line["sent_at"] for line in sent} == {"2022-10-31T09:00:00+08:00"}


def test_a_late_tick_sends_only_what_is_still_true(run_cli, county) -> None:
    woke = tick(run_cli, county, "2022-10-29T08:00")
    # Both reminders are past the day they were for: skipped, not sent. The overdue notices
    # wait for 09:00.
    assert (woke["delivered"], woke["unreached"], woke["skipped"], woke["pending"]) == (
        0,
        0,
        8,
        4,
    )
    assert outbox(county) == []
    later = tick(run_cli, county, "2022-10-29T09:30")
    assert later["unreached"] == 4
    assert {line["kind"] for line in outbox(county)} == {"overdue"}


def test_a_reminder_is_true_on_its_own_day_only(run_cli, county) -> None:
    # Down since before the 23rd: on the 27th, "5 days left" is false; "1 day left" is true.
    woke = tick(run_cli, county, "2022-10-27T10:00")
    assert (woke["unreached"], woke["skipped"]) == (4, 4)
    assert {line["text"][-8:] for line in outbox(county)} == {"距截止还有1天。"}


def test_the_rest_days_of_the_calendar_hold_notices_when_the_campaign_asks(run_cli, county) -> None:
    text = COUNTY.replace('language = "zh"\n', 'language = "zh"\nsend_on_rest_days = false\n')
    text = text.replace("escalate_after = 2", 'escalate_after = "1wd"')
    county["campaign"].write_text(text, encoding="utf-8")
    data = run_cli("simulate", county["campaign"], "--compliance", "0", "--format", "json").json()
    when = {(n["kind"], n["at"]) for n in data["notifications"]}
    assert when == {
        # 23 October 2022 was a Sunday: the reminder waits for Monday.
        ("reminder", "2022-10-24T09:00:00+08:00"),
        ("reminder", "2022-10-27T09:00:00+08:00"),
        # Due on Friday the 28th: told on Monday, not on Saturday.
        ("overdue", "2022-10-31T09:00:00+08:00"),
        # One working day after Friday is Monday; escalated that night, sent Tuesday.
        ("escalation", "2022-11-01T09:00:00+08:00"),
    }
    county["outbox"].unlink(missing_ok=True)
    run_cli(
        "simulate",
        county["campaign"],
        "--compliance",
        "0",
        "--until",
        "2022-10-24",
        "--outbox",
        county["outbox"],
    )
    [moved, *_] = outbox(county)
    assert moved["text"].endswith("距截止还有4天。")  # counted from Monday, when it goes out


def test_a_renamed_requirement_stops_the_tick_until_the_ledger_follows(run_cli, county) -> None:
    assert submit(run_cli, county, "hexi", county["good"], "2022-10-26T10:00").exit_code == 0
    tick(run_cli, county, "2022-10-27T10:00")
    renamed = COUNTY.replace("liaison-and-plan", "plan-and-liaison")
    county["campaign"].write_text(renamed, encoding="utf-8")

    stopped = ticking(run_cli, county, "2022-10-31T10:00")
    assert stopped.exit_code == 1
    [problem] = stopped.json()
    assert problem["message"] == (
        "台账中记有报送要求 `liaison-and-plan` 的 1 份报送记录，2 个已处理事件和 6 条通知，"
        "但方案文件中已没有该报送要求"
    )
    assert "campaignkit ledger rename-requirement" in problem["hint"]
    assert "campaignkit ledger retire-requirement" in problem["hint"]
    assert "错误：台账与方案文件不一致；未处理任何事件，也未发送任何通知" in stopped.stderr
    sent_before = outbox(county)

    mended = run_cli(
        "ledger",
        "rename-requirement",
        county["campaign"],
        "liaison-and-plan",
        "plan-and-liaison",
        "--db",
        county["db"],
        "--format",
        "json",
    )
    assert mended.exit_code == 0, mended.output
    assert mended.json() == {
        "from": "liaison-and-plan",
        "to": "plan-and-liaison",
        "submissions": 1,
        "events": 2,  # its two reminders
        "notifications": 6,  # to the three townships that had not handed in
    }
    tick(run_cli, county, "2022-10-31T10:00")
    after = outbox(county)[len(sent_before) :]
    assert after, "the tick went on"
    # Hexi handed in: it is neither reminded again, nor told it is overdue, nor escalated.
    assert [line for line in after if "hexi" in (line["to"], line["about"])] == []
    # And what went out before the rename is not sent again under the new id.
    assert {line["kind"] for line in after} == {"overdue", "escalation"}


def test_a_renamed_requirement_without_hand_ins_stops_the_tick_too(run_cli, county) -> None:
    tick(run_cli, county, "2022-10-23T10:00")  # four reminders sent, nobody handed in
    renamed = COUNTY.replace("liaison-and-plan", "plan-and-liaison")
    county["campaign"].write_text(renamed, encoding="utf-8")
    stopped = ticking(run_cli, county, "2022-10-27T10:00")
    assert stopped.exit_code == 1
    [problem] = stopped.json()
    assert problem["message"].startswith(
        "台账中记有报送要求 `liaison-and-plan` 的 1 个已处理事件和 4 条通知，"
    )
    moved = run_cli(
        "ledger",
        "rename-requirement",
        county["campaign"],
        "liaison-and-plan",
        "plan-and-liaison",
        "--db",
        county["db"],
    )
    assert moved.exit_code == 0, moved.output
    tick(run_cli, county, "2022-10-27T10:00")
    texts = [line["text"][-8:] for line in outbox(county)]
    # The reminders of the 23rd are not sent again under the new id.
    assert texts == ["距截止还有5天。"] * 4 + ["距截止还有1天。"] * 4


def test_a_requirement_dropped_on_purpose_is_retired(run_cli, county) -> None:
    tick(run_cli, county, "2022-10-27T08:00")  # the reminders of the 23rd: stale, skipped
    dropped = COUNTY.replace("liaison-and-plan", "plan")
    county["campaign"].write_text(dropped, encoding="utf-8")
    retired = run_cli(
        "ledger",
        "retire-requirement",
        county["campaign"],
        "liaison-and-plan",
        "--db",
        county["db"],
        "--format",
        "json",
    )
    assert retired.exit_code == 0, retired.output
    assert retired.json() == {"retired": "liaison-and-plan", "skipped": 0}
    again = run_cli(
        "ledger",
        "retire-requirement",
        county["campaign"],
        "plan",
        "--db",
        county["db"],
    )
    assert again.exit_code == 1
    assert "方案文件中仍有报送要求 `plan`" in again.stderr
    assert tick(run_cli, county, "2022-10-27T10:00")["unreached"] == 4  # the new one goes on


def test_a_rehearsal_ledger_says_what_it_rehearsed_and_is_never_ticked(run_cli, county) -> None:
    db = county["db"]
    rehearsal = db.with_name("rehearsal.db") if isinstance(db, Path) else db
    run_cli("simulate", county["campaign"], "--compliance", "0", "--db", rehearsal)
    report = run_cli("report", county["campaign"], "--db", rehearsal, "-f", "json").json()
    assert {n["state"] for n in report["notifications"]} == {"unreached"}  # not "pending"
    ticked = run_cli("tick", county["campaign"], "--db", rehearsal, "--now", "2022-11-02T10:00")
    assert ticked.exit_code == 1
    assert f"{rehearsal} 是 `county-fire-2022` 的演练台账" in ticked.stderr


def test_what_was_sent_is_recorded_as_it_went_out(
    run_cli, county, plugin_host, recording_notifier
) -> None:
    text = COUNTY.replace(
        'kind = "office"\n', 'kind = "office"\nchannels = { recording = "office-desk" }\n'
    )
    county["campaign"].write_text(text, encoding="utf-8")
    result = run_cli(
        "tick",
        county["campaign"],
        "--db",
        county["db"],
        "--now",
        "2022-10-23T10:00",
        "--outbox",
        county["outbox"],
        "--format",
        "json",
        host=plugin_host,
    )
    assert result.json()["delivered"] == 4
    first = outbox(county)[0]
    # The township has no channel: its notice went to the office above it, marked so.
    assert (first["to"], first["about"], first["channels"]) == (
        "county-office",
        "chengguan",
        ["recording"],
    )
    assert first["text"].startswith("【转交城关镇】【提醒】城关镇")
    assert first["state"] == "delivered"


def test_an_escalation_names_a_role_only_when_it_was_sent_to_it(run_cli, county) -> None:
    text = COUNTY.replace("escalate_after = 2\n", 'escalate_after = 2\nescalate_to = "director"\n')
    text += """
[roles.director]
title = "县安委会主任"
unit = "county-committee"
holder = "王建国"

[units.beishan]
name = "北山镇"
kind = "township"
parent = "county-committee"
"""
    county["campaign"].write_text(text, encoding="utf-8")
    county["outbox"].unlink(missing_ok=True)
    run_cli("simulate", county["campaign"], "--compliance", "0", "--outbox", county["outbox"])
    heads = {
        line["about"]: line["text"].split("：")[0]
        for line in outbox(county)
        if line["kind"] == "escalation"
    }
    # Chengguan's parent is the chasing office: escalated to the role named.
    assert heads["chengguan"] == "【督办】县安委会主任王建国"
    # Beishan's parent is the committee itself: the escalation goes there, by its name.
    assert heads["beishan"] == "【督办】县安全生产委员会"


def test_escalating_to_the_chasing_office_is_refused_and_said(run_cli, county) -> None:
    text = COUNTY.replace(
        "escalate_after = 2\n", 'escalate_after = 2\nescalate_to = "county-office"\n'
    )
    county["campaign"].write_text(text, encoding="utf-8")
    found = run_cli("validate", county["campaign"], "--format", "json").json()
    [warning] = [p for p in found if p["code"] == "no-escalation-target"]
    assert warning["subjects"] == TOWNSHIPS
    data = run_cli("simulate", county["campaign"], "--compliance", "0", "--format", "json").json()
    assert [n for n in data["notifications"] if n["kind"] == "escalation"] == []
    # The warning is the built-in escalations' own: a plugin that replaces them (a ladder of
    # cards) has its own idea of where escalations go.
    found = run_cli(
        "--disable", "escalations", "validate", county["campaign"], "--format", "json"
    ).json()
    assert [p for p in found if p["code"] == "no-escalation-target"] == []


def test_an_outbox_that_cannot_be_written_stops_before_anything_is_processed(
    run_cli, county
) -> None:
    missing = county["outbox"].parent / "no-such-folder" / "outbox.jsonl"
    result = run_cli(
        "tick",
        county["campaign"],
        "--db",
        county["db"],
        "--now",
        "2022-10-27T10:00",
        "--outbox",
        missing,
    )
    assert result.exit_code == 2
    assert "--outbox" in result.output
    assert "No such file or directory" in result.output
    db = county["db"]
    if isinstance(db, Path):
        assert not db.exists()
    else:
        with open_ledger(db) as ledger:
            assert ledger.processed("county-fire-2022") == set()


def test_each_outbox_line_is_one_write_however_long(tmp_path: Path, monkeypatch) -> None:
    import datetime as dt
    import os

    from campaignkit.delivery import OutboxFile
    from campaignkit.notify import Notification

    writes: list[bytes] = []
    real_write = os.write

    def write(fd: int, data: bytes) -> int:
        writes.append(bytes(data))
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", write)
    long_text = "【退回】" + "原因；" * 30_000  # far beyond any buffer
    note = Notification(
        dt.datetime(2022, 10, 27, 9, tzinfo=dt.UTC), "hexi", "rejected", "r", "k", long_text
    )
    record = OutboxFile(tmp_path / "outbox.jsonl")
    record.write(note, "unreached")
    record.write(note, "unreached")
    record.close()
    assert len(writes) == 2
    lines = (tmp_path / "outbox.jsonl").read_bytes().splitlines(keepends=True)
    assert lines == writes
    assert json.loads(lines[0])["state"] == "unreached"


def test_a_renamed_unit_stops_the_tick_until_the_ledger_follows(run_cli, county) -> None:
    assert submit(run_cli, county, "hexi", county["good"], "2022-10-26T10:00").exit_code == 0
    tick(run_cli, county, "2022-10-23T10:00")
    county["campaign"].write_text(COUNTY.replace("hexi", "hexi-town"), encoding="utf-8")
    stopped = ticking(run_cli, county, "2022-10-31T10:00")
    assert stopped.exit_code == 1
    [problem] = stopped.json()
    assert problem["path"] == "units.hexi"
    assert "campaignkit ledger rename-unit FILE hexi NEW-ID" in problem["hint"]
    moved = run_cli(
        "ledger",
        "rename-unit",
        county["campaign"],
        "hexi",
        "hexi-town",
        "--db",
        county["db"],
        "--format",
        "json",
    )
    assert moved.json() == {
        "from": "hexi",
        "to": "hexi-town",
        "submissions": 1,
        "events": 0,
        "notifications": 1,  # the reminder of the 23rd, before it handed in
    }
    before = len(outbox(county))
    tick(run_cli, county, "2022-10-31T10:00")
    after = outbox(county)[before:]
    assert {line["kind"] for line in after} == {"overdue", "escalation"}
    assert [line for line in after if "hexi-town" in (line["to"], line["about"])] == []


def test_a_name_that_says_hand_in_is_not_said_twice_and_quotes_nest(run_cli, county) -> None:
    text = COUNTY.replace('name = "报送联络员及活动方案"', 'name = "“消防安全月”活动方案"')
    county["campaign"].write_text(text, encoding="utf-8")
    tick(run_cli, county, "2022-10-27T10:00")
    reminder = outbox(county)[0]["text"]
    assert "报送“‘消防安全月’活动方案”" in reminder
    text = COUNTY  # 报送联络员及活动方案 already says 报送
    county["campaign"].write_text(text, encoding="utf-8")
    county["outbox"].unlink()
    run_cli("simulate", county["campaign"], "--compliance", "0", "--outbox", county["outbox"])
    texts = [line["text"] for line in outbox(county)]
    assert "前向县安全生产委员会办公室报送联络员及活动方案，距截止" in texts[0]
    assert "报送“报送" not in "".join(texts)
    escalation = next(line["text"] for line in outbox(county) if line["kind"] == "escalation")
    assert "逾期2天仍未报送联络员及活动方案" in escalation
