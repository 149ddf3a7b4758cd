"""A plugin's column (``campaignkit_report_columns``) in each unit's row: in the ``md``,
``json`` and ``csv`` reports and in ``status``, in the campaign's language, gone with the
plugin, and refused when two plugins claim its name."""

from __future__ import annotations

import csv
import io
import json

import pytest
from conftest import MINIMAL

from campaignkit import ReportColumn, hookimpl

# MINIMAL with three districts: East hands in on time, West a day late, North never.
CAMPAIGN = MINIMAL.replace(
    "[groups]",
    """[units.west]
name = "West district"
kind = "district"
parent = "office"

[units.north]
name = "North district"
kind = "district"
parent = "office"

[groups]""",
)
SCENARIO = """
[[submissions]]
unit = "east"
requirement = "summary"
submitted_at = 2020-06-24T10:00:00

[[submissions]]
unit = "west"
requirement = "summary"
submitted_at = 2020-06-29T10:00:00
"""
POINTS = {"on_time": 100, "late": 60, "missing": 0, "rejected": 0}
HEADINGS = {"en": "Score", "zh": "得分"}


def score(report, status, row):
    return POINTS.get(row.standing)


class Scoring:
    @hookimpl
    def campaignkit_report_columns(self, campaign):
        return [ReportColumn("score", HEADINGS.__getitem__, score, "points by standing")]


@pytest.fixture
def files(write_campaign):
    """The campaign file and the scenario file."""
    return write_campaign(CAMPAIGN), write_campaign(SCENARIO, name="scenario.toml")


@pytest.fixture
def report(run_cli, files, plugin_host):
    """``report(*args)``: what ``report --scenario`` writes with the test's plugins."""

    def run(*args: object) -> str:
        campaign, scenario = files
        result = run_cli("report", campaign, "--scenario", scenario, *args, host=plugin_host)
        assert result.exit_code == 0, result.output
        return result.stdout

    return run


@pytest.fixture
def ledger(run_cli, files, plugin_host, tmp_path):
    """A ledger that holds the scenario's hand-ins (``simulate --db``)."""
    campaign, scenario = files
    db = tmp_path / "ledger.db"
    args = ("simulate", campaign, "--scenario", scenario, "--db", db)
    assert run_cli(*args, host=plugin_host).exit_code == 0
    return db


def scores(assignees: list[dict]) -> dict[str, object]:
    return {a["unit"]: a["columns"].get("score") for a in assignees}


def test_the_json_report_holds_each_units_value_by_the_columns_name(
    report, register_plugin
) -> None:
    register_plugin(Scoring(), "scoring")
    [summary] = json.loads(report("-f", "json"))["requirements"]
    assert scores(summary["assignees"]) == {"east": 100, "west": 60, "north": 0}


def test_markdown_shows_the_column_under_its_heading(report, register_plugin) -> None:
    register_plugin(Scoring(), "scoring")
    md = report("-f", "md")
    assert "| Unit | Status | Submitted | Reasons | Score |" in md
    assert "| East district | on time | 2020-06-24 10:00 |  | 100 |" in md
    assert "| West district | late | 2020-06-29 10:00 |  | 60 |" in md
    assert "| North district | missing |  |  | 0 |" in md


def test_csv_for_people_and_for_programs(report, register_plugin) -> None:
    register_plugin(Scoring(), "scoring")
    people = list(csv.reader(io.StringIO(report("-f", "csv").removeprefix("\ufeff"))))
    assert people[0][-2:] == ["reasons", "Score"]
    assert [(row[3], row[-1]) for row in people[1:]] == [
        ("east", "100"),
        ("west", "60"),
        ("north", "0"),
    ]
    ids = csv.DictReader(io.StringIO(report("-f", "csv", "--ids").removeprefix("\ufeff")))
    assert {row["unit"]: row["score"] for row in ids} == {"east": "100", "west": "60", "north": "0"}


def test_status_shows_the_column_and_its_json_holds_it(
    run_cli, files, ledger, register_plugin, plugin_host
) -> None:
    register_plugin(Scoring(), "scoring")
    campaign, _ = files
    at = ("--db", ledger, "--at", "2020-07-01")
    data = run_cli("status", campaign, *at, "--format", "json", host=plugin_host).json()
    assert scores(data["requirements"][0]["units"]) == {"east": 100, "west": 60, "north": 0}
    result = run_cli("status", campaign, *at, host=plugin_host)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    header = next(line for line in lines if "unit" in line and "status" in line)
    assert header.index("reasons") < header.index("Score") < header.index("notices")
    rows = {line.split("│")[1].strip(): line.split("│")[5].strip() for line in lines[4:7]}
    assert rows == {"East district": "100", "West district": "60", "North district": "0"}


def test_a_value_before_the_deadline_may_be_an_empty_cell(
    run_cli, files, ledger, register_plugin, plugin_host
) -> None:
    """Pending has no points: the value is None, an empty cell, and null in JSON."""
    register_plugin(Scoring(), "scoring")
    campaign, _ = files
    at = ("--db", ledger, "--at", "2020-06-25", "--format", "json")
    data = run_cli("status", campaign, *at, host=plugin_host).json()
    assert scores(data["requirements"][0]["units"]) == {"east": 100, "west": None, "north": None}


def test_a_chinese_campaign_gets_the_chinese_heading_even_for_an_english_operator(
    run_cli, write_campaign, register_plugin, plugin_host, tmp_path
) -> None:
    """A report is the campaign's, in its language; ``status`` speaks the operator's."""
    register_plugin(Scoring(), "scoring")
    path = write_campaign(CAMPAIGN.replace('"Minimal campaign"', '"最小方案"'))
    env = {"CAMPAIGNKIT_LANGUAGE": "en"}
    db = tmp_path / "zh.db"
    args = ("--compliance", "0", "--db", db)
    assert run_cli("simulate", path, *args, env=env, host=plugin_host).exit_code == 0
    md = run_cli("report", path, "--db", db, "--at", "2020-07-01", env=env, host=plugin_host)
    assert "| 单位 | 状态 | 报送时间 | 退回原因 | 得分 |" in md.stdout
    assert "| North district | 未报送 |  |  | 0 |" in md.stdout
    table = run_cli("status", path, "--db", db, "--at", "2020-07-01", env=env, host=plugin_host)
    assert "┃ Score ┃" in table.stdout
    assert "得分" not in table.stdout


def test_disabling_the_plugin_removes_the_column(report, register_plugin, plugin_host) -> None:
    register_plugin(Scoring(), "scoring")
    plugin_host.disable(["scoring"])
    [summary] = json.loads(report("-f", "json"))["requirements"]
    assert [a["columns"] for a in summary["assignees"]] == [{}, {}, {}]
    assert "| Unit | Status | Submitted | Reasons |\n" in report("-f", "md")


def test_two_plugins_claiming_one_column_name_are_refused_naming_both(
    run_cli, files, register_plugin, plugin_host, tmp_path
) -> None:
    register_plugin(Scoring(), "scoring")
    register_plugin(Scoring(), "rival")
    campaign, scenario = files
    out = tmp_path / "report.md"
    args = ("report", campaign, "--scenario", scenario, "-o", out)
    result = run_cli(*args, host=plugin_host)
    assert result.exit_code == 3
    assert result.stderr == (
        "error: `score` is declared by two plugins in `campaignkit_report_columns`: "
        "plugin `rival` (distribution (registered)) and plugin `scoring` (distribution "
        "(registered))\n"
    )
    assert not out.exists()


def test_a_value_that_is_not_a_cell_stops_naming_the_plugin(
    run_cli, files, register_plugin, plugin_host
) -> None:
    class Listing:
        @hookimpl
        def campaignkit_report_columns(self, campaign):
            return [ReportColumn("units", HEADINGS.__getitem__, lambda r, s, row: [row.unit])]

    register_plugin(Listing(), "listing")
    campaign, scenario = files
    result = run_cli("report", campaign, "--scenario", scenario, host=plugin_host)
    assert result.exit_code == 3
    assert result.stderr == (
        "error: plugin `listing` failed in hook `campaignkit_report_columns`: TypeError: "
        "column `units` gave a list; a value is a str, int, float or None\n"
    )
    assert result.stdout == ""
