"""What the commands print speaks the campaign's language: a clerk of a Chinese campaign reads
the tables, titles, headers, labels and summaries of validate, show, timeline, status, tick
and simulate in Chinese; an English campaign reads them in English, as does an operator who
pins English with CAMPAIGNKIT_LANGUAGE. JSON keeps its keys and values."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from campaignkit.plugins import PluginHost
from campaignkit.testing import CliResult, RecordingNotifier

# A small campaign of a district, written for these tests: two district offices hand in a
# summary with a report; both are reached through the recording notifier.
ZH = """\
format = 1

[campaign]
id = "xiaoshan-2022"
title = "萧山区2022年安全生产月活动方案"
reference = "萧安办〔2022〕5号"
issued_on = 2022-05-20
issued_by = "office"
timezone = "Asia/Shanghai"
language = "zh-CN"

[phases.month]
name = "安全生产月"
start = 2022-06-01
end = 2022-06-30

[units.committee]
name = "萧山区安全生产委员会"
kind = "committee"
channels = { recording = "committee-desk" }

[units.office]
name = "萧山区安委办"
kind = "office"
parent = "committee"
channels = { recording = "office-desk" }

[units.east]
name = "东片区安委会"
kind = "district"
parent = "office"
channels = { recording = "east-desk" }

[units.west]
name = "西片区安委会"
kind = "district"
parent = "office"
channels = { recording = "west-desk" }

[groups]
districts = { kinds = ["district"] }

[activities.launch]
name = "启动仪式"
on = 2022-06-01
organizer = "office"
mode = "offline"
venue = "区政府广场"

[requirements.summary]
name = "活动总结"
assignees = ["districts"]
due = 2022-06-28
escalate_after = 2

[[requirements.summary.deliverables]]
id = "paper"
name = "总结报告"
kind = "document"
formats = ["pdf", "docx"]
"""
EN = ZH.replace('language = "zh-CN"', 'language = "en"')

# Words of the English tables and lines a clerk of a Chinese campaign must not meet.
ENGLISH = (
    "severity",
    "unit",
    "status",
    "submitted",
    "reasons",
    "notices",
    "due",
    "as of",
    "phase",
    "title",
    "requirement",
    "assignees",
    "notifications",
    "events",
    "reminder",
    "escalation",
    "CST",
)

Run = Callable[..., CliResult]


@pytest.fixture
def cli(
    run_cli: Run, plugin_host: PluginHost, recording_notifier: RecordingNotifier
) -> Callable[..., str]:
    """Run a command with the recording notifier installed; what a person sees, with the
    test's own folder taken out of it (its name is English)."""

    def run(*args: object, code: int = 0) -> str:
        result = run_cli(*args, host=plugin_host)
        assert result.exit_code == code, result.output
        return result.output

    return run


@pytest.fixture
def zh(tmp_path: Path) -> Path:
    path = tmp_path / "zh.toml"
    path.write_text(ZH, encoding="utf-8")
    return path


@pytest.fixture
def en(tmp_path: Path) -> Path:
    path = tmp_path / "en.toml"
    path.write_text(EN, encoding="utf-8")
    return path


def flat(text: str) -> str:
    """`text` without white space: a table's title wraps where the table is narrow."""
    return re.sub(r"\s+", "", text)


def english_in(output: str, tmp_path: Path) -> list[str]:
    """The English words of the tables that `output` says, outside the test's file names."""
    said = output.replace(str(tmp_path), "")
    return [word for word in ENGLISH if re.search(rf"\b{word}\b", said)]


def test_validate_speaks_chinese(cli: Callable[..., str], zh: Path, tmp_path: Path) -> None:
    out = cli("validate", zh)
    assert "活动方案 `xiaoshan-2022` 校验通过——4 个单位、1 个阶段、1 项活动、1 项报送要求" in out
    assert english_in(out, tmp_path) == []


def test_validate_problems_have_chinese_headers(
    cli: Callable[..., str], zh: Path, tmp_path: Path
) -> None:
    zh.write_text(ZH.replace("due = 2022-06-28", "due = 2022-06-31"), encoding="utf-8")
    out = cli("validate", zh, code=1)
    for header in ("行", "级别", "键", "问题", "提示", "错误"):
        assert header in out
    assert not {"line", "severity", "key", "problem", "hint"} & set(out.split())


def test_show_speaks_chinese(cli: Callable[..., str], zh: Path, tmp_path: Path) -> None:
    out = cli("show", zh)
    for label in ("标题", "文号", "印发单位", "印发日期", "时区", "通知", "活动方案"):
        assert re.search(rf"^{label}\s", out, re.MULTILINE), label
    assert "萧山区安委办（office）" in out
    assert "09:00 至 22:00 发送" in out
    for header in ("活动阶段", "阶段", "名称", "日期", "天数", "组织架构", "单位分组", "活动日程"):
        assert header in out
    for header in ("截止日期", "报送事项", "责任单位", "报送至", "提醒与督办", "报送材料"):
        assert header in out
    assert "活动总结（summary）" in out
    assert "districts（2 个单位）" in out
    assert "截止前 3 天、1 天提醒；逾期 2 天后督办" in out
    assert "总结报告（paper）：文档 PDF/DOCX ×1+" in out
    assert "东片区安委会、西片区安委会" in out
    assert "区政府广场" in out
    assert english_in(out, tmp_path) == []


def test_timeline_speaks_chinese(cli: Callable[..., str], zh: Path, tmp_path: Path) -> None:
    out = cli("timeline", zh, "--until", "2022-06-30")
    assert "xiaoshan-2022 时间安排（Asia/Shanghai）" in out
    for word in ("时间", "事项", "对象", "名称", "方案印发", "阶段开始", "报送截止"):
        assert word in out
    assert "提醒，截止前 3 天" in out
    assert "督办，逾期 2 天" in out
    # A bare day means the end of that day, and the command says so, in Beijing time.
    assert "注意：--until 2022-06-30 指当天结束时，即 2022-06-30 23:59:59（北京时间）" in out
    assert english_in(out, tmp_path) == []


def test_tick_speaks_chinese(
    cli: Callable[..., str], zh: Path, tmp_path: Path, recording_notifier: RecordingNotifier
) -> None:
    out = cli("tick", zh, "--db", tmp_path / "zh.db", "--now", "2022-06-27 10:00")
    assert recording_notifier.notifications("reminder")
    assert re.search(
        r"2022-06-27 10:00（北京时间）：处理事件 \d+ 个，送达通知 [1-9]\d* 条，发送失败 0 条", out
    )
    assert english_in(out, tmp_path) == []


def test_status_speaks_chinese(cli: Callable[..., str], zh: Path, tmp_path: Path) -> None:
    db = tmp_path / "zh.db"
    cli("tick", zh, "--db", db, "--now", "2022-06-27 10:00")
    cli("tick", zh, "--db", db, "--now", "2022-07-01 10:00")
    out = cli("status", zh, "--db", db, "--at", "2022-07-01 10:00")
    assert flat("活动总结（summary）——截止时间 2022-06-28 23:59——未报送 2 个——") in flat(out)
    assert flat("截至 2022-07-01 10:00（北京时间）") in flat(out)
    for header in ("单位", "状态", "报送时间", "退回原因", "通知"):
        assert header in out
    assert "东片区安委会" in out
    assert "未报送" in out
    assert "提醒、逾期、督办（1 条已失效，未发送）" in out
    assert english_in(out, tmp_path) == []


def test_simulate_speaks_chinese(cli: Callable[..., str], zh: Path, tmp_path: Path) -> None:
    out = cli("simulate", zh, "--compliance", "0.5", "--seed", "3")
    assert re.search(r"xiaoshan-2022 演练：事件 \d+ 个，报送 \d+ 份，通知 \d+ 条", out)
    for header in (
        "报送事项",
        "责任单位",
        "按时",
        "逾期提交",
        "未报送",
        "退回",
        "通知",
        "无人接收",
    ):
        assert header in out
    assert "活动总结（summary）" in out
    assert english_in(out, tmp_path) == []


def test_an_english_campaign_reads_english(
    cli: Callable[..., str], en: Path, tmp_path: Path
) -> None:
    out = cli("validate", en)
    assert "campaign `xiaoshan-2022` is valid — 4 units, 1 phase, 1 activity, 1 requirement" in out
    out = cli("show", en)
    for label in ("title", "reference", "issued by", "time zone", "notices"):
        assert re.search(rf"^{label}\s", out, re.MULTILINE), label
    for header in ("Phases", "phase", "Requirements", "due", "assignees", "deliverables"):
        assert header in out
    assert "remind 3d, 1d; escalate after 2 days" in out
    assert "总结报告 (paper): document PDF/DOCX ×1+" in out
    out = cli("timeline", en, "--until", "2022-06-30")
    assert "Timeline of xiaoshan-2022 (Asia/Shanghai)" in out
    assert "requirement.due" in out
    assert "reminder, 3 days before" in out
    assert "note: --until 2022-06-30 means the end of that day, 2022-06-30 23:59:59 CST" in out
    db = tmp_path / "en.db"
    out = cli("tick", en, "--db", db, "--now", "2022-07-01 10:00")
    assert "2022-07-01 10:00 CST: " in out
    assert "notifications delivered, 0 failed (to be retried)" in out
    out = cli("status", en, "--db", db, "--at", "2022-07-01 10:00")
    title = "活动总结 (summary) — due 2022-06-28 23:59 — missing 2 — as of 2022-07-01 10:00 CST"
    assert flat(title) in flat(out)
    for header in ("unit", "status", "submitted", "reasons", "notices"):
        assert header in out
    out = cli("simulate", en, "--compliance", "0.5", "--seed", "3")
    assert "Simulation of xiaoshan-2022:" in out
    for header in ("requirement", "assignees", "on time", "late", "missing", "rejected"):
        assert header in out
    for word in ("截止", "北京时间", "报送事项", "按时", "演练", "责任单位"):
        assert word not in out


def test_the_operator_pins_english(
    cli: Callable[..., str], zh: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CAMPAIGNKIT_LANGUAGE", "en")
    out = cli("validate", zh)
    assert "campaign `xiaoshan-2022` is valid — 4 units" in out
    out = cli("show", zh)
    assert re.search(r"^title\s", out, re.MULTILINE)
    assert "Requirements" in out
    out = cli("timeline", zh, "--until", "2022-06-30")
    assert "Timeline of xiaoshan-2022" in out
    assert "means the end of that day, 2022-06-30 23:59:59 CST" in out
    db = tmp_path / "zh.db"
    out = cli("tick", zh, "--db", db, "--now", "2022-07-01 10:00")
    assert "2022-07-01 10:00 CST: " in out
    out = cli("status", zh, "--db", db, "--at", "2022-07-01 10:00")
    assert flat("— due 2022-06-28 23:59 — missing 2 — as of 2022-07-01 10:00 CST") in flat(out)
    assert "submitted" in out
    out = cli("simulate", zh)
    assert "Simulation of xiaoshan-2022:" in out
    assert "on time" in out
    for word in ("截止", "北京时间", "报送事项", "按时", "校验通过"):
        assert word not in out


def test_json_keeps_its_keys_and_values(
    run_cli: Run, plugin_host: PluginHost, recording_notifier: RecordingNotifier, zh: Path
) -> None:
    db = zh.with_suffix(".db")
    now = ("--now", "2022-07-01 10:00")
    ticked = run_cli("tick", zh, "--db", db, *now, "-f", "json", host=plugin_host).json()
    assert set(ticked) >= {"processed_events", "delivered", "failed", "pending", "dead"}
    at = ("--at", "2022-07-01 10:00")
    status = run_cli("status", zh, "--db", db, *at, "-f", "json", host=plugin_host).json()
    units = status["requirements"][0]["units"]
    assert {u["status"] for u in units} == {"missing"}
    kinds = {n["kind"] for u in units for n in u["notifications"]}
    assert kinds == {"reminder", "overdue", "escalation"}
    events = run_cli("timeline", zh, "-f", "json", host=plugin_host).json()
    assert {"campaign.open", "requirement.remind", "requirement.due"} <= {e["kind"] for e in events}
