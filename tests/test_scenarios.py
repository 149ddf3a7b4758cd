"""Scripted submissions: a scenario file drives a simulation through the evidence rules."""

from __future__ import annotations

from collections import Counter

from conftest import MINIMAL

# MINIMAL plus a second district and a video the summary must carry.
CAMPAIGN = (
    MINIMAL.replace('assignees = ["districts"]', 'assignees = ["districts"]\nescalate_after = 2')
    + """
[units.west]
name = "West district"
kind = "district"
parent = "office"

[[requirements.summary.deliverables]]
id = "video"
kind = "video"
formats = ["mp4"]
min_width = 1920
min_height = 1080
"""
)

SCENARIO_TOML = """
[[submissions]]
unit = "east"
requirement = "summary"
submitted_at = 2020-06-24T10:00:00          # local time, before the first reminder (25th)
[submissions.deliverables.video]
format = "mp4"
width = 1920
height = 1080

[[submissions]]
unit = "west"
requirement = "summary"
submitted_at = 2020-06-28T18:30:00+08:00
[submissions.deliverables.video]
format = "mp4"
width = 1280
height = 720
"""


def test_a_toml_scenario_is_judged_and_drives_the_notices(run_cli, write_campaign) -> None:
    campaign = write_campaign(CAMPAIGN)
    scenario = write_campaign(SCENARIO_TOML, name="scenario.toml")
    result = run_cli("simulate", campaign, "--scenario", scenario, "--format", "json")
    assert result.exit_code == 0, result.output
    data = result.json()
    assert data["submissions"] == [
        {
            "unit": "east",
            "requirement": "summary",
            "at": "2020-06-24T10:00:00+08:00",
            "status": "on_time",
        },
        {
            "unit": "west",
            "requirement": "summary",
            "at": "2020-06-28T18:30:00+08:00",
            "status": "rejected",
        },
    ]
    sent = Counter((n["kind"], n["to"]) for n in data["notifications"])
    # East handed in before any reminder; West's 720p video was refused, so it is told why,
    # then chased. Its parent is the office that chases it, with nobody above: no escalation.
    assert sent == {("reminder", "west"): 2, ("rejected", "west"): 1, ("overdue", "west"): 1}
    assert data["summary"]["summary"] == {
        "assignees": 2,
        "on_time": 1,
        "late": 0,
        "missing": 0,
        "rejected": 1,
        "notifications": 4,
        "unreached": 4,
        "skipped": 0,
        "exempt": 0,
    }


def test_a_csv_scenario_gives_the_same_result(run_cli, write_campaign) -> None:
    campaign = write_campaign(CAMPAIGN)
    csv_text = (
        "unit,requirement,submitted_at,deliverable,format,width,height,count,duration_s,size_mb\n"
        "east,summary,2020-06-24T10:00:00,video,mp4,1920,1080,1,,\n"
        "west,summary,2020-06-28T18:30:00+08:00,video,mp4,1280,720,1,,\n"
    )
    scenario = write_campaign(csv_text, name="scenario.csv")
    toml = write_campaign(SCENARIO_TOML, name="scenario.toml")
    from_csv = run_cli("simulate", campaign, "--scenario", scenario, "--format", "json")
    from_toml = run_cli("simulate", campaign, "--scenario", toml, "--format", "json")
    assert from_csv.exit_code == 0, from_csv.output
    assert from_csv.stdout == from_toml.stdout


def test_late_submissions_stop_the_escalation(run_cli, write_campaign) -> None:
    campaign = write_campaign(CAMPAIGN)
    scenario = write_campaign(
        SCENARIO_TOML.replace("width = 1280\nheight = 720", "width = 1920\nheight = 1080").replace(
            "2020-06-28T18:30:00+08:00", "2020-06-29T08:00:00+08:00"
        ),
        name="late.toml",
    )
    data = run_cli("simulate", campaign, "--scenario", scenario, "--format", "json").json()
    assert [s["status"] for s in data["submissions"]] == ["on_time", "late"]
    assert Counter(n["kind"] for n in data["notifications"]) == {"reminder": 2, "overdue": 1}


def test_a_broken_scenario_names_the_key_and_line(run_cli, write_campaign) -> None:
    campaign = write_campaign(CAMPAIGN)
    scenario = write_campaign(
        SCENARIO_TOML.replace('unit = "west"', 'unit = "north"').replace(
            "width = 1920", 'width = "wide"'
        ),
        name="broken.toml",
    )
    result = run_cli("simulate", campaign, "--scenario", scenario)
    assert result.exit_code == 1
    assert "submissions[0].deliverables.video.width" in result.stderr
    assert "expected an integer" in result.stderr
    fixed = write_campaign(SCENARIO_TOML.replace('unit = "west"', 'unit = "north"'), name="b.toml")
    result = run_cli("simulate", campaign, "--scenario", fixed)
    assert result.exit_code == 1
    row = next(line for line in result.stderr.splitlines() if "submissions[1].unit" in line)
    assert "`north` is not an assignee of `summary`" in row
    line = SCENARIO_TOML.splitlines().index('unit = "west"') + 1
    assert row.startswith(f"│{line} ")


def test_scenario_and_compliance_together_is_a_usage_error(run_cli, write_campaign) -> None:
    campaign = write_campaign(CAMPAIGN)
    scenario = write_campaign(SCENARIO_TOML, name="s.toml")
    result = run_cli("simulate", campaign, "--scenario", scenario, "--compliance", "1")
    assert result.exit_code == 2


def test_a_missing_scenario_file_is_a_clear_error(run_cli, write_campaign, tmp_path) -> None:
    result = run_cli("simulate", write_campaign(CAMPAIGN), "--scenario", tmp_path / "nope.toml")
    assert result.exit_code == 1
    assert "does not exist" in result.stderr


# ── report --scenario: the same scenario, rendered by a report format ──────────────────

LATE = SCENARIO_TOML.replace("width = 1280\nheight = 720", "width = 1920\nheight = 1080").replace(
    "2020-06-28T18:30:00+08:00", "2020-06-29T08:00:00+08:00"
)


def test_a_report_of_a_scenario_shows_who_it_makes_late(run_cli, write_campaign) -> None:
    campaign = write_campaign(CAMPAIGN)
    scenario = write_campaign(LATE, name="late.toml")
    result = run_cli("report", campaign, "--scenario", scenario, "-f", "json")
    assert result.exit_code == 0, result.output
    data = result.json()
    assert data["source"] == "simulation"
    [summary] = data["requirements"]
    assert [(a["unit"], a["status"], a["submitted_at"]) for a in summary["assignees"]] == [
        ("east", "on_time", "2020-06-24T10:00:00+08:00"),
        ("west", "late", "2020-06-29T08:00:00+08:00"),
    ]
    assert summary["counts"]["late"] == 1
    # The same notices as `simulate --scenario`, each with what became of it.
    simulated = run_cli("simulate", campaign, "--scenario", scenario, "-f", "json").json()
    assert [(n["key"], n["state"]) for n in data["notifications"]] == [
        (n["key"], n["state"]) for n in simulated["notifications"]
    ]
    assert Counter(n["kind"] for n in data["notifications"]) == {"reminder": 2, "overdue": 1}


def test_a_report_takes_a_csv_scenario_and_simulate_alike(run_cli, write_campaign) -> None:
    campaign = write_campaign(CAMPAIGN)
    csv_text = (
        "unit,requirement,submitted_at,deliverable,format,width,height,count,duration_s,size_mb\n"
        "west,summary,2020-06-28T18:30:00+08:00,video,mp4,1280,720,1,,\n"
    )
    scenario = write_campaign(csv_text, name="scenario.csv")
    implied = run_cli("report", campaign, "--scenario", scenario, "-f", "json")
    said = run_cli("report", campaign, "--simulate", "--scenario", scenario, "-f", "json")
    assert implied.exit_code == said.exit_code == 0, implied.output
    assert implied.stdout == said.stdout
    rows = {a["unit"]: a for a in implied.json()["requirements"][0]["assignees"]}
    assert (rows["east"]["status"], rows["west"]["status"]) == ("missing", "rejected")
    assert rows["west"]["reasons"]


def test_a_report_stops_at_a_broken_scenario_naming_the_key(run_cli, write_campaign) -> None:
    campaign = write_campaign(CAMPAIGN)
    broken = write_campaign(SCENARIO_TOML.replace('unit = "west"', 'unit = "north"'), name="b.toml")
    result = run_cli("report", campaign, "--scenario", broken)
    assert result.exit_code == 1
    assert result.stdout == ""
    row = next(line for line in result.stderr.splitlines() if "submissions[1].unit" in line)
    assert "`north` is not an assignee of `summary`" in row


def test_a_report_scenario_with_compliance_or_a_ledger_is_a_usage_error(
    run_cli, write_campaign, tmp_path
) -> None:
    campaign = write_campaign(CAMPAIGN)
    scenario = write_campaign(SCENARIO_TOML, name="s.toml")
    with_compliance = run_cli("report", campaign, "--scenario", scenario, "--compliance", "1")
    assert with_compliance.exit_code == 2
    assert "give --scenario or --compliance, not both" in with_compliance.output
    with_db = run_cli("report", campaign, "--scenario", scenario, "--db", tmp_path / "l.db")
    assert with_db.exit_code == 2
    assert "give --scenario or --db, not both" in with_db.output
