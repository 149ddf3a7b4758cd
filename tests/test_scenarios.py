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
