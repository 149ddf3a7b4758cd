"""What leaves a command as a document — reports and notices — is in the campaign's language,
whatever the operator reads; JSON keeps its English keys and values."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from conftest import REPO

WINTER = REPO / "tests" / "data" / "winter_fire_2022.toml"
"""A small campaign in Chinese (zh-CN): modes online, offline and hybrid, an escalation."""
PIN_EN = {"CAMPAIGNKIT_LANGUAGE": "en"}


def english(write_campaign) -> Path:
    """The same campaign, declared English: its names stay Chinese, campaignkit's words not."""
    text = WINTER.read_text(encoding="utf-8").replace('language = "zh-CN"', 'language = "en"')
    return write_campaign(text)


def report(run_cli, path: Path, *args: object, env: dict[str, str] | None = None) -> str:
    result = run_cli("report", path, "--simulate", "--compliance", "0", *args, env=env)
    assert result.exit_code == 0, result.output
    return result.stdout


def rows(md: str, heading: str) -> list[list[str]]:
    """The cells of the table under `heading` in Markdown, header first."""
    lines = md.split(f"{heading}\n", 1)[1].splitlines()
    table: list[list[str]] = []
    for line in lines:
        if not line.startswith("|"):
            if table:
                break
            continue
        if not line.startswith("|---"):
            table.append([cell.strip() for cell in line.strip("|").split("|")])
    return table


def test_the_markdown_report_of_a_chinese_campaign_is_in_chinese(run_cli) -> None:
    md = report(run_cli, WINTER)
    assert [line for line in md.splitlines() if line.startswith("## ")] == [
        "## 活动阶段",
        "## 活动安排",
        "## 报送要求",
        "## 按上级单位汇总",
        "## 通知记录",
    ]
    assert "- **文号**：示安办〔2022〕12号" in md
    assert "- **统计时点**：模拟结束时" in md
    activities = rows(md, "## 活动安排")
    assert activities[0] == ["日期", "活动", "方式", "地点"]
    assert [row[2] for row in activities[1:]] == ["线上线下结合", "线上", "线下"]
    assert "截止时间 2022-10-28 23:59 +0800。未报送 2" in md
    assert rows(md, "### 检查方案")[1] == ["东区安委会", "未报送", "", ""]

    log = rows(md, "## 通知记录")
    assert log[0] == ["时间", "类型", "接收单位", "涉及单位", "内容", "送达情况"]
    assert {row[1] for row in log[1:]} == {"提醒", "逾期", "督办"}
    # Units by name, never by id: the escalations go to the committee, about each district.
    assert {(row[2], row[3]) for row in log[1:] if row[1] == "督办"} == {
        ("示范市安全生产委员会", "东区安委会"),
        ("示范市安全生产委员会", "西区安委会"),
    }
    assert {row[2] for row in log[1:]} == {"东区安委会", "西区安委会", "示范市安全生产委员会"}
    assert {row[5] for row in log[1:]} == {"未送达（无渠道）"}
    for word in ("reminder", "escalation", "hybrid", "online", "missing", "| east |"):
        assert word not in md


def test_the_csv_report_of_a_chinese_campaign_is_in_chinese(run_cli, tmp_path) -> None:
    out = tmp_path / "standings.csv"
    done = run_cli("report", WINTER, "--simulate", "--compliance", "0", "-f", "csv", "-o", out)
    assert done.exit_code == 0, done.output
    table = list(csv.reader(io.StringIO(out.read_bytes().decode("utf-8-sig"))))
    assert table[0] == [
        "报送要求编号",
        "报送要求",
        "截止时间",
        "单位编号",
        "单位",
        "上级单位编号",
        "上级单位",
        "状态",
        "报送时间",
        "退回原因",
    ]
    assert table[1] == [
        "plan",
        "检查方案",
        "2022-10-28 23:59",
        "east",
        "东区安委会",
        "committee",
        "示范市安全生产委员会",
        "未报送",
        "",
        "",
    ]


def test_a_document_is_in_the_campaigns_language_whatever_the_operator_reads(
    run_cli, tmp_path
) -> None:
    """CAMPAIGNKIT_LANGUAGE=en is the operator's own reading: the report and the notices are
    for the offices, and stay Chinese."""
    md = report(run_cli, WINTER, env=PIN_EN)
    assert "## 通知记录" in md
    assert "| 督办 | 示范市安全生产委员会 | 东区安委会 |" in md
    outbox = tmp_path / "outbox.jsonl"
    args = ("simulate", WINTER, "--compliance", "0", "--outbox", outbox)
    assert run_cli(*args, env=PIN_EN).exit_code == 0
    texts = [json.loads(line)["text"] for line in outbox.read_text(encoding="utf-8").splitlines()]
    assert texts[0] == (
        "【提醒】东区安委会：请于2022年10月28日前向示范市安委办报送“检查方案”，距截止还有3天。"
    )
    assert (
        "【督办】示范市安全生产委员会：截至2022年10月30日，东区安委会逾期2天仍未报送“检查方案”"
        "（2022年10月28日截止），请督促落实。"
    ) in texts
    # A requirement whose name already says "hand in" is not handed in twice.
    assert (
        "【提醒】东区安委会：请于2022年12月5日前向示范市安委办报送检查总结，距截止还有1天。"
        in texts
    )


def test_an_english_campaign_keeps_english_documents(run_cli, write_campaign, tmp_path) -> None:
    path = english(write_campaign)
    md = report(run_cli, path)
    assert "- **Reference:** 示安办〔2022〕12号" in md
    assert [row[2] for row in rows(md, "## Activities")[1:]] == ["hybrid", "online", "offline"]
    log = rows(md, "## Notifications")
    assert log[0] == ["When", "Notice", "To", "About", "Text", "Delivery"]
    assert {row[1] for row in log[1:]} == {"reminder", "overdue", "escalation"}
    assert {row[5] for row in log[1:]} == {"not reached (no channel)"}
    assert "Due 2022-10-28 23:59 +0800. missing 2" in md
    texts = [row[4] for row in log[1:]]
    assert texts[0] == (
        "Reminder to 东区安委会: “检查方案” is due to 示范市安委办 by 28 October 2022 "
        "(3 days left)."
    )
    assert texts[2].endswith("(1 day left).")
    assert (
        "Escalation to 示范市安全生产委员会: as of 30 October 2022, 东区安委会 had still not "
        "handed in “检查方案”, 2 days after it was due by 28 October 2022."
    ) in texts

    out = tmp_path / "standings.csv"
    done = run_cli("report", path, "--simulate", "--compliance", "0", "-f", "csv", "-o", out)
    assert done.exit_code == 0, done.output
    header = out.read_bytes().decode("utf-8-sig").splitlines()[0]
    assert header == (
        "requirement id,requirement name,due at,unit id,unit name,parent id,parent name,"
        "status,submitted at,reasons"
    )
    # Even when the operator reads Chinese, an English campaign's report is English.
    assert "## Notifications" in report(run_cli, path, env={"CAMPAIGNKIT_LANGUAGE": "zh"})


def test_json_keeps_english_keys_and_values(run_cli) -> None:
    data = json.loads(report(run_cli, WINTER, "--format", "json"))
    assert [a["mode"] for a in data["activities"]] == ["hybrid", "online", "offline"]
    assert {row["status"] for r in data["requirements"] for row in r["assignees"]} == {"missing"}
    assert set(data["requirements"][0]["counts"]) == {
        "on_time",
        "late",
        "rejected",
        "returned",
        "missing",
        "pending",
        "exempt",
    }
    assert {n["kind"] for n in data["notifications"]} == {"reminder", "overdue", "escalation"}
    assert {n["to"] for n in data["notifications"]} == {"east", "west", "committee"}
    assert data["notifications"][0]["text"].startswith("【提醒】东区安委会")


def test_the_labels_functions_speak_the_campaigns_language_or_the_one_asked() -> None:
    from campaignkit import load_campaign
    from campaignkit.report import delivery_labels, kind_labels, mode_labels, standing_labels

    campaign = load_campaign(WINTER).unwrap()
    assert standing_labels(campaign)["late"] == "逾期提交"
    assert standing_labels(campaign, "en")["late"] == "late"
    assert delivery_labels(campaign)["unreached"] == "未送达（无渠道）"
    assert kind_labels(campaign) == {
        "reminder": "提醒",
        "overdue": "逾期",
        "escalation": "督办",
        "rejected": "退回",
        "returned": "退回修改",
    }
    assert mode_labels(campaign) == {"online": "线上", "offline": "线下", "hybrid": "线上线下结合"}
    # A copy each time: a caller may change its own.
    standing_labels(campaign)["late"] = "?"
    assert standing_labels(campaign)["late"] == "逾期提交"
