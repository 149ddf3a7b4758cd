"""campaigns/national_2021.toml: the 2021 national Safety Production Month, supervised as a
bureau supervises: an escalation ladder, a monthly report, figures and an assessment.

Each test runs the commands a campaign office runs on the file and checks what it reads."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from conftest import REPO
from office_files import zip_file

NATIONAL = REPO / "campaigns" / "national_2021.toml"
MONTHS = [f"2021-{month:02d}" for month in range(6, 13)]


def test_validate_accepts_the_file_with_no_warning_but_reach(run_cli: Any) -> None:
    result = run_cli("validate", NATIONAL, "--format", "json")
    assert result.exit_code == 0, result.output
    assert {p["code"] for p in result.json()} <= {"unreachable"}


def test_the_notice_s_public_facts(run_cli: Any) -> None:
    data = run_cli("show", NATIONAL, "--format", "json").json()
    info = data["campaign"]
    assert (info["reference"], info["issued_on"], info["theme"]) == (
        "安委办〔2021〕5号",
        "2021-04-26",
        "落实安全责任，推动安全发展",
    )
    provinces = [u for u in data["units"].values() if u["kind"] == "province"]
    assert len(provinces) == 32  # 31 provinces, regions and municipalities, and the XPCC


def test_the_monthly_report_is_an_occurrence_a_month_with_figures(run_cli: Any) -> None:
    timeline = run_cli("timeline", NATIONAL, "--format", "json").json()
    due = [e for e in timeline if e["kind"] == "requirement.due"]
    months = [e["subject"] for e in due if e["subject"].startswith("monthly-cases@")]
    assert months == [f"monthly-cases@{month}" for month in MONTHS]
    # Five working days after 30 June 2021 (a Wednesday): Wednesday 7 July, 23:59:59.
    assert due[1]["at"] == "2021-07-07T23:59:59+08:00"


def test_a_rehearsal_climbs_the_ladder_and_scores_and_circulates(
    run_cli: Any, tmp_path: Path
) -> None:
    simulated = run_cli(
        "simulate", NATIONAL, "--compliance", "0.8", "--seed", "2", "--format", "json"
    ).json()
    labels = {(n["level"], n["label"]) for n in simulated["notifications"] if "level" in n}
    # The plan's one step (escalate_after) has no label; the summary's ladder has three.
    assert labels == {(1, None), (1, "黄牌预警"), (2, "红牌督办"), (3, "约谈")}
    scores = run_cli(
        "report", NATIONAL, "--simulate", "--compliance", "0.8", "--seed", "2",
        "--format", "assessment", "--json",
    ).json()  # fmt: skip
    assert scores["scale"] == 100
    assert all(0 <= unit["total"] <= 100 for unit in scores["units"])
    assert {unit["kind"] for unit in scores["units"]} == {
        "province",
        "member",
        "central-enterprise",
    }
    circular = tmp_path / "通报.md"
    result = run_cli(
        "report", NATIONAL, "--simulate", "--compliance", "0.8", "--seed", "2",
        "--format", "circular", "-o", circular,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    text = circular.read_text("utf-8")
    for words in ("通报表扬", "通报批评", "隐患排查整治情况", "排查隐患数（处）"):
        assert words in text


def test_a_province_hands_in_its_month_with_figures(run_cli: Any, tmp_path: Path) -> None:
    cases = zip_file(tmp_path / "典型案例.docx", "[Content_Types].xml", "word/document.xml")
    common = (
        "submit", NATIONAL, "--db", tmp_path / "ledger.db", "--unit", "guangdong",
        "--requirement", "monthly-cases", "--deliverable", f"cases={cases}",
        "--at", "2021-07-05T10:00:00+08:00", "--format", "json",
    )  # fmt: skip
    refused = run_cli(*common, "--figure", "排查隐患数=12", "--figure", "整改隐患数=15",
                      "--figure", "曝光典型案例数=2")  # fmt: skip
    assert refused.exit_code == 1
    assert refused.json()["occurrence"] == "2021-06"
    assert any("整改隐患数" in reason for reason in refused.json()["problems"])
    accepted = run_cli(*common, "--figure", "hazards-found=12", "--figure", "hazards-fixed=10",
                       "--figure", "cases-exposed=2")  # fmt: skip
    assert accepted.exit_code == 0, accepted.output
    assert accepted.json()["occurrence"] == "2021-06"  # the rejected one left it open
