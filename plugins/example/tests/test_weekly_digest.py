"""The weekly digest through the command line, with campaignkit's own pytest fixtures."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import campaignkit_example

TUTORIAL = Path(__file__).resolve().parents[3] / "docs" / "plugins" / "tutorial.md"
PLUGIN = Path(__file__).resolve().parents[1]

# Shanghai has no daylight saving time, so every instant is +08:00. The first phase starts
# on Monday 1 June 2020 and the last due date is Friday 19 June. With compliance 0 nobody
# hands anything in: from 8 June on, `plan` (due 5 June) is late for east, west and pier.
CAMPAIGN = """\
format = 1

[campaign]
id = "drill"
title = "Safety drill, 2020"
issued_on = 2020-05-25
issued_by = "office"
timezone = "Asia/Shanghai"

[phases.june]
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

[units.pier]
name = "Pier station"
kind = "station"
parent = "east"

[requirements.plan]
name = "Drill plan"
assignees = ["east", "west", "pier"]
due = 2020-06-05
remind = []

[requirements.summary]
name = "Summary"
assignees = ["east", "west"]
due = 2020-06-19
remind = []
"""


DESK = 'channels = { recording = "desk" }\n'


def digest_events(run_cli, path: Path) -> list[dict[str, object]]:
    result = run_cli("timeline", path, "--format", "json")
    assert result.exit_code == 0, result.output
    return [event for event in result.json() if event["kind"] == "digest.weekly"]


def test_a_digest_event_every_monday_from_the_first_phase_to_the_last_due_date(
    run_cli, write_campaign
):
    path = write_campaign(CAMPAIGN + "\n[plugins.weekly-digest]\nweekday = 0\n")
    assert digest_events(run_cli, path) == [
        {
            "at": f"2020-06-{day}T09:00:00+08:00",
            "kind": "digest.weekly",
            "subject": f"2020-06-{day}",
            "days": None,
        }
        for day in ("01", "08", "15")
    ]


def test_the_weekday_and_hour_are_kept_and_the_last_due_date_is_included(run_cli, write_campaign):
    path = write_campaign(CAMPAIGN + "\n[plugins.weekly-digest]\nweekday = 4\nhour = 17\n")
    assert [event["at"] for event in digest_events(run_cli, path)] == [
        "2020-06-05T17:00:00+08:00",
        "2020-06-12T17:00:00+08:00",
        "2020-06-19T17:00:00+08:00",
    ]


def test_each_parent_gets_a_digest_of_its_late_children(run_cli, write_campaign):
    path = write_campaign(CAMPAIGN + "\n[plugins.weekly-digest]\nweekday = 0\n")
    result = run_cli("simulate", path, "--compliance", "0", "--format", "json")
    assert result.exit_code == 0, result.output
    digests = [n for n in result.json()["notifications"] if n["kind"] == "digest"]
    # 1 June: nothing is due yet. 8 and 15 June: `plan` is late.
    assert Counter(n["to"] for n in digests) == {"office": 2, "east": 2}
    assert {n["key"] for n in digests} == {
        "drill/digest-2020-06-08/office",
        "drill/digest-2020-06-08/east",
        "drill/digest-2020-06-15/office",
        "drill/digest-2020-06-15/east",
    }


def test_the_digest_reaches_each_parent_when_the_clock_gets_there(
    register_plugin, campaign_from_toml, virtual_clock, recording_notifier
):
    register_plugin(campaignkit_example, "weekly-digest")
    with_desks = CAMPAIGN.replace('kind = "office"\n', 'kind = "office"\n' + DESK, 1)
    with_desks = with_desks.replace('kind = "district"\n', 'kind = "district"\n' + DESK)
    campaign = campaign_from_toml(with_desks + "\n[plugins.weekly-digest]\nweekday = 0\n")
    virtual_clock.set("2020-06-08T08:59:59+08:00")
    virtual_clock.tick(campaign)
    assert recording_notifier.notifications("digest") == []  # 1 June: nothing was late
    virtual_clock.advance(seconds=1)
    virtual_clock.tick(campaign)
    [to_office, to_east] = recording_notifier.notifications("digest")
    assert (to_office.to, to_east.to) == ("office", "east")
    assert to_office.text == (
        "Weekly digest for Safety office, 2020-06-08: 2 units late.\n"
        "- East district: Drill plan\n"
        "- West district: Drill plan"
    )


def test_a_weekday_out_of_range_is_an_error_with_its_key_path(run_cli, write_campaign):
    path = write_campaign(CAMPAIGN + "\n[plugins.weekly-digest]\nweekday = 9\n")
    result = run_cli("validate", path)
    assert result.exit_code == 1
    assert "plugins.weekly-digest.weekday" in result.output


def test_without_the_table_the_plugin_adds_nothing(run_cli, write_campaign):
    path = write_campaign(CAMPAIGN)
    assert digest_events(run_cli, path) == []
    result = run_cli("simulate", path, "--compliance", "0", "--format", "json")
    assert result.exit_code == 0, result.output
    assert not [n for n in result.json()["notifications"] if n["kind"] == "digest"]


def test_campaigns_loaded_in_one_process_keep_their_own_settings(
    register_plugin, campaign_from_toml, plugin_host
):
    """Three versions of one campaign (the same id), loaded before any is walked, as a
    portal would: each timeline follows its own table, or has no digest without one."""
    register_plugin(campaignkit_example, "weekly-digest")
    mondays = campaign_from_toml(CAMPAIGN + "\n[plugins.weekly-digest]\nweekday = 0\n")
    fridays = campaign_from_toml(CAMPAIGN + "\n[plugins.weekly-digest]\nweekday = 4\nhour = 17\n")
    without = campaign_from_toml(CAMPAIGN)

    def digests(campaign) -> list[str]:
        events = plugin_host.timeline(campaign)
        return [e.at.isoformat() for e in events if e.kind == campaignkit_example.KIND]

    assert digests(mondays) == [f"2020-06-{day}T09:00:00+08:00" for day in ("01", "08", "15")]
    assert digests(fridays) == [f"2020-06-{day}T17:00:00+08:00" for day in ("05", "12", "19")]
    assert digests(without) == []


def test_the_tutorial_quotes_the_plugin_verbatim():
    """Each fenced python or toml block of the tutorial is a piece of this plugin's files."""
    sources = [
        path.read_text(encoding="utf-8")
        for pattern in ("src/**/*.py", "tests/*.py", "pyproject.toml", "README.md")
        for path in PLUGIN.glob(pattern)
    ]
    blocks = re.findall(r"^```(python|toml)\n(.*?)^```$", TUTORIAL.read_text("utf-8"), re.M | re.S)
    assert len([b for kind, b in blocks if kind == "python"]) >= 5
    for _kind, block in blocks:
        assert any(block in source for source in sources), f"not in the plugin:\n{block}"
