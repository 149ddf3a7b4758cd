"""`campaignkit submit`: a clerk's slip is not a hand-in.

A county office writes its campaign from scratch, with Chinese unit names and a named
deliverable, and its clerk types what clerks type: a unit by its name, a near miss of it, a
deliverable by its name, a path that is not there. A slip exits 2, says what was meant,
and leaves no trace: no ledger, no stored file, no unit shown as returned.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

COUNTY = """\
format = 1

[campaign]
id = "county-fire-2022"
title = "城关县2022年“消防安全月”活动方案"
issued_by = "office"
issued_on = 2022-10-20
timezone = "Asia/Shanghai"
language = "zh-CN"

[units.office]
name = "县消防安全委员会办公室"
kind = "office"

[units.chengguan]
name = "城关镇"
kind = "township"

[units.hexi]
name = "河西乡"
kind = "township"

[units.twin-a]
name = "新华街道"
kind = "township"

[units.twin-b]
name = "新华街道"
kind = "township"

[phases.month]
name = "消防安全月"
start = 2022-11-01
end = 2022-11-30

[requirements.summary]
name = "活动总结"
assignees = ["chengguan", "hexi", "twin-a", "twin-b"]
submit_to = "office"
due = 2022-11-30

[[requirements.summary.deliverables]]
id = "report"
name = "总结报告"
kind = "document"
formats = ["docx", "pdf"]
"""


@pytest.fixture(autouse=True)
def core_probe_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAMPAIGNKIT_DISABLE_PLUGINS", "media")


@pytest.fixture
def county(tmp_path: Path) -> Path:
    campaign = tmp_path / "county.toml"
    campaign.write_text(COUNTY, encoding="utf-8")
    with zipfile.ZipFile(tmp_path / "总结.docx", "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return campaign


def hand_in(run_cli, county: Path, unit: str, deliverable: str, *more: str):
    return run_cli(
        "submit", county, "--unit", unit, "--requirement", "summary",
        "--deliverable", deliverable, "--at", "2022-11-20 10:00", *more,
    )  # fmt: skip


def nothing_kept(county: Path) -> bool:
    return not county.with_suffix(".db").exists() and not county.with_suffix(".evidence").exists()


def test_the_campaign_is_valid(run_cli, county) -> None:
    assert run_cli("validate", county).exit_code == 0


def test_a_unit_and_a_deliverable_may_be_named_as_people_name_them(run_cli, county) -> None:
    paper = county.parent / "总结.docx"
    result = hand_in(run_cli, county, "城关镇", f"总结报告={paper}", "--format", "json")
    assert result.exit_code == 0, result.output
    outcome = result.json()
    assert (outcome["unit"], outcome["status"]) == ("chengguan", "on_time")
    assert list(outcome["files"]) == ["report"]
    assert outcome["at"] == "2022-11-20T10:00:00+08:00"
    table = hand_in(run_cli, county, "hexi", f"report={paper}")
    assert table.exit_code == 0
    assert "✓ 通过，按时报送：河西乡，活动总结" in table.stdout
    assert "总结报告" in table.stdout  # the deliverable by its name


def test_a_near_miss_of_a_name_says_the_closest(run_cli, county) -> None:
    result = hand_in(run_cli, county, "城关", f"report={county.parent / '总结.docx'}")
    assert result.exit_code == 2
    assert "错误：--unit：方案中没有单位 `城关`" in result.stderr
    assert "城关镇" in result.stderr.split("方案中没有单位 `城关`", 1)[1]
    assert "未保存任何文件，也未作任何登记。" in result.stderr
    assert nothing_kept(county)


def test_a_name_two_units_share_asks_for_the_id(run_cli, county) -> None:
    result = hand_in(
        run_cli, county, "新华街道", f"report={county.parent / '总结.docx'}", "--format", "json"
    )
    assert result.exit_code == 2
    [slip] = result.json()
    assert slip["code"] == "ambiguous-unit"
    assert slip["message"] == "有 2 个单位名为“新华街道”：twin-a, twin-b"
    assert nothing_kept(county)


def test_every_slip_is_said_at_once_and_nothing_is_kept(run_cli, county) -> None:
    result = hand_in(
        run_cli, county, "office", f"总结={county.parent / '总结.pdf'}", "--format", "json"
    )
    assert result.exit_code == 2
    slips = {slip["code"]: slip for slip in result.json()}
    assert set(slips) == {"not-assignee", "unknown-deliverable", "unreadable"}
    assert slips["not-assignee"]["message"] == (
        "县消防安全委员会办公室（office）不是 `summary` 的责任单位"
    )
    assert slips["unknown-deliverable"]["message"] == "`summary` 没有材料 `总结`"
    assert slips["unknown-deliverable"]["hint"] is not None
    assert "总结报告" in slips["unknown-deliverable"]["hint"]
    assert slips["unreadable"]["message"] == f"{county.parent / '总结.pdf'} 不存在"
    assert nothing_kept(county)
    status = run_cli("status", county, "--format", "json")
    assert status.exit_code == 1  # no ledger was started by the slips


def test_after_a_slip_the_unit_is_still_waiting_not_returned(run_cli, county) -> None:
    paper = county.parent / "总结.docx"
    assert hand_in(run_cli, county, "chengguan", f"report={paper}").exit_code == 0
    assert hand_in(run_cli, county, "hexi", f"repor={paper}").exit_code == 2
    status = run_cli("status", county, "--at", "2022-11-21", "--format", "json")
    units = {u["unit"]: u["status"] for u in status.json()["requirements"][0]["units"]}
    assert units == {
        "chengguan": "on_time",
        "hexi": "pending",
        "twin-a": "pending",
        "twin-b": "pending",
    }


def test_the_operator_may_read_the_slips_in_english(run_cli, county, monkeypatch) -> None:
    monkeypatch.setenv("CAMPAIGNKIT_LANGUAGE", "en")
    result = hand_in(run_cli, county, "城关", f"report={county.parent / '总结.docx'}")
    assert result.exit_code == 2
    assert "error: --unit: the campaign has no unit `城关`" in result.stderr
    assert "Nothing was stored or recorded." in result.stderr


def test_the_library_use_case_returns_the_slips(county) -> None:
    import datetime as dt

    from campaignkit import load_campaign
    from campaignkit.handin import HandIn, check_hand_in

    campaign = load_campaign(county).unwrap()
    asked = HandIn(
        "城关镇",
        "summary",
        (("总结报告", county.parent / "总结.docx"),),
        dt.datetime(2022, 11, 20, 2, tzinfo=dt.UTC),
    )
    checked, slips = check_hand_in(campaign, asked)
    assert slips == []
    assert (checked.unit, checked.files[0][0]) == ("chengguan", "report")
    json.dumps([str(f) for f in checked.files])  # paths stay paths


def test_a_shortened_name_is_recognised_as_a_near_miss(run_cli, county) -> None:
    text = county.read_text(encoding="utf-8").replace('name = "河西乡"', 'name = "河西乡人民政府"')
    county.write_text(text, encoding="utf-8")
    result = hand_in(run_cli, county, "河西乡", f"report={county.parent / '总结.docx'}")
    assert result.exit_code == 2
    assert "是否应为 `河西乡人民政府`？" in result.stderr
