"""`report --format xlsx`: the register (台账) read back with openpyxl, as Excel reads it."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest

REPO = Path(__file__).resolve().parents[3]
SHENZHEN = REPO / "campaigns" / "shenzhen_2020.toml"
NATIONAL = REPO / "campaigns" / "national_2021.toml"
SIM = ("--simulate", "--compliance", "0.7", "--seed", "3")


def workbook(run_cli: Callable[..., Any], tmp_path: Path, *args: Any) -> openpyxl.Workbook:
    out = tmp_path / "台账.xlsx"
    result = run_cli("report", *args, "--format", "xlsx", "-o", out)
    assert result.exit_code == 0, result.output
    return openpyxl.load_workbook(io.BytesIO(out.read_bytes()))


def report_json(run_cli: Callable[..., Any], *args: Any) -> dict[str, Any]:
    result = run_cli("report", *args, "--format", "json")
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = result.json()
    return data


def test_the_register_has_a_row_per_assignee_and_a_column_group_per_requirement(
    run_cli: Callable[..., Any], tmp_path: Path
) -> None:
    book = workbook(run_cli, tmp_path, SHENZHEN, *SIM)
    data = report_json(run_cli, SHENZHEN, *SIM)
    requirements = [r["id"] for r in data["requirements"]]
    assert book.sheetnames == ["台账", "汇总", *requirements]
    sheet = book["台账"]
    assert [c.value for c in sheet[4][:6]] == [
        "上级单位",
        "单位",
        "单位编号",
        "状态",
        "报送时间",
        "退回原因",
    ]
    assert sheet.cell(3, 4).value == data["requirements"][0]["name"]
    assignees = {a["unit"] for r in data["requirements"] for a in r["assignees"]}
    rows = [row for row in sheet.iter_rows(min_row=5, values_only=True) if row[2]]
    assert sorted(row[2] for row in rows) == sorted(assignees)
    assert sheet.freeze_panes == "C5"
    assert sheet.auto_filter.ref is not None
    assert sheet.auto_filter.ref.startswith("A4:")


def test_hand_in_times_are_excel_dates_on_the_campaigns_clock(
    run_cli: Callable[..., Any], tmp_path: Path
) -> None:
    book = workbook(run_cli, tmp_path, SHENZHEN, *SIM)
    data = report_json(run_cli, SHENZHEN, *SIM)
    sheet = book["台账"]
    first = data["requirements"][0]
    handed = {a["unit"]: a["submitted_at"] for a in first["assignees"] if a["submitted_at"]}
    line = next(row for row in sheet.iter_rows(min_row=5) if row[2].value in handed)
    cell = line[4]
    assert isinstance(cell.value, dt.datetime)
    assert cell.number_format == "yyyy-mm-dd hh:mm"
    moment = dt.datetime.fromisoformat(handed[line[2].value])  # +08:00, the campaign's zone
    assert cell.value == moment.replace(tzinfo=None, microsecond=0)


@pytest.mark.parametrize(
    ("label", "background"),
    [("按时", "D4E5FB"), ("逾期提交", "FFE27A"), ("未报送", "D62D20")],
)
def test_standings_are_coloured_as_in_the_html_report(
    run_cli: Callable[..., Any], tmp_path: Path, label: str, background: str
) -> None:
    sheet = workbook(run_cli, tmp_path, SHENZHEN, *SIM)["台账"]
    cells = [c for row in sheet.iter_rows(min_row=5) for c in row if c.value == label]
    assert cells, label
    assert {c.fill.fgColor.rgb[-6:] for c in cells} == {background}


def test_the_summary_counts_what_the_json_report_counts(
    run_cli: Callable[..., Any], tmp_path: Path
) -> None:
    book = workbook(run_cli, tmp_path, NATIONAL, *SIM)
    data = report_json(run_cli, NATIONAL, *SIM)
    sheet = book["汇总"]
    header = [c.value for c in sheet[3]]
    total = next(
        row for row in sheet.iter_rows(min_row=4, values_only=True) if row[0] == "全部单位"
    )
    for standing, label in (("on_time", "按时"), ("late", "逾期提交"), ("missing", "未报送")):
        counted = sum(r["counts"][standing] for r in data["requirements"])
        assert total[header.index(label)] == counted
    rollups = {r["name"]: r["children"] for r in data["rollups"]}
    parents = []
    for row in sheet.iter_rows(min_row=4, values_only=True):
        if row[0] == "全部单位":
            break
        parents.append((row[0], row[1]))
    assert dict(parents) == rollups
    # The figures handed in, rolled up, below: the campaign's hazards found each month.
    found = [r for r in data["figures"] if r["deliverable"] == "hazards"]
    titles = [row[0] for row in sheet.iter_rows(values_only=True) if row[0]]
    assert sum("隐患排查整治情况" in str(title) for title in titles) == len(found)


def test_a_requirement_sheet_lists_each_file_with_its_size_and_sha256(
    run_cli: Callable[..., Any], write_campaign: Callable[..., Path], tmp_path: Path
) -> None:
    path = write_campaign(SMALL)
    db = tmp_path / "ledger.db"
    photo = tmp_path / "=HYPERLINK.txt"
    photo.write_bytes(b"a drill report")
    handed = run_cli(
        "submit", path, "--db", db, "--unit", "east", "--requirement", "plan",
        "--deliverable", f"plan={photo}", "--at", "2020-06-02T10:00:00+01:00",
    )  # fmt: skip
    assert handed.exit_code == 0, handed.output
    book = workbook(run_cli, tmp_path, path, "--db", db, "--at", "2020-06-20T00:00:00+01:00")
    assert book.sheetnames == ["Register", "Summary", "plan"]
    sheet = book["plan"]
    assert [c.value for c in sheet[4]] == [
        "Unit", "Unit id", "Standing", "Handed in",
        "Deliverable", "File", "Size (bytes)", "SHA-256",
    ]  # fmt: skip
    rows = {row[1]: row for row in sheet.iter_rows(min_row=5, values_only=True)}
    assert rows["east"][5:] == (
        "=HYPERLINK.txt",
        14,
        hashlib.sha256(b"a drill report").hexdigest(),
    )
    assert rows["east"][4] == "Drill plan"
    assert rows["west"][2] == "missing"
    # A name that looks like a formula is text, not a formula.
    cell = next(c for row in sheet.iter_rows(min_row=5) for c in row if c.value == "=HYPERLINK.txt")
    assert cell.data_type == "s"


SMALL = """\
format = 1

[campaign]
id = "small"
title = "Small campaign"
issued_on = 2020-05-22
issued_by = "office"
timezone = "Europe/London"

[phases.month]
name = "Safety month"
start = 2020-06-01
end = 2020-06-30

[units.office]
name = "Safety office"
kind = "office"

[units.east]
name = "East district"
kind = "district"
parent = "office"

[units.west]
name = "West district"
kind = "district"
parent = "office"

[requirements.plan]
name = "Plan"
assignees = ["east", "west"]
due = 2020-06-05

[[requirements.plan.deliverables]]
id = "plan"
kind = "document"
name = "Drill plan"
"""


def test_a_requirement_named_like_a_sheet_gets_a_name_of_its_own(
    run_cli: Callable[..., Any], write_campaign: Callable[..., Path], tmp_path: Path
) -> None:
    text = SMALL.replace("[requirements.plan]", "[requirements.summary]").replace(
        "[[requirements.plan.deliverables]]", "[[requirements.summary.deliverables]]"
    )
    book = workbook(run_cli, tmp_path, write_campaign(text), *SIM)
    assert book.sheetnames == ["Register", "Summary", "summary (2)"]


CASCADE = REPO / "tests" / "data" / "cascade_2024.toml"


def test_with_depth_the_register_lists_the_first_levels_and_counts_what_lies_below(
    run_cli: Callable[..., Any], tmp_path: Path
) -> None:
    args = (CASCADE, "--simulate", "--compliance", "0.6", "--seed", "2")
    book = workbook(run_cli, tmp_path, *args, "--depth", "2")
    sheet = book["Register"]
    assert [c.value for c in sheet[4][:7]] == [
        "Parent unit",
        "Unit",
        "Unit id",
        "Standing",
        "Handed in",
        "Reasons",
        "Below",
    ]
    assert [sheet.cell(3, 4 + 4 * i).value for i in range(3)] == [
        "Inspection plan",
        "Findings",
        "Summary",
    ]
    rows = [row for row in sheet.iter_rows(min_row=5) if row[2].value]
    assert [row[2].value for row in rows] == [
        "east",
        "east-c1",
        "east-c2",
        "west",
        "west-c1",
        "west-c2",
    ]
    assert [row[1].alignment.indent for row in rows] == [0, 1, 1, 0, 1, 1]
    # A city, of level 2, counts its counties and townships on the findings it does not owe.
    data = report_json(run_cli, *args)
    [findings] = [r for r in data["requirements"] if r["id"] == "findings"]
    below = Counter(a["status"] for a in findings["assignees"] if a["unit"].startswith("east-c1-"))
    words = {"on_time": "on time", "late": "late", "rejected": "rejected", "missing": "missing"}
    city = rows[1]
    assert city[7].value == "—"
    assert city[10].value == ", ".join(f"{words[s]} {below[s]}" for s in words if below[s])
    # A province, of level 1, counts nothing below: its cities' rows are there.
    assert rows[0][10].value in (None, "")
