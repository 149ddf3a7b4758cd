"""A campaign written by another bureau from the documentation alone (docs/format.md).

tests/data/harbour_city_2021.toml uses every key of format v1 at least once, in English and
in a time zone other than Shanghai's. These tests check that `show --format json` carries
its values back unchanged; tests/integration/test_other_bureau_validates.py, that it
validates cleanly with the plugins it names.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

HARBOUR_CITY = Path(__file__).parent / "data" / "harbour_city_2021.toml"

TOP_LEVEL_KEYS = {
    "format",
    "extends",
    "campaign",
    "phases",
    "units",
    "groups",
    "roles",
    "activities",
    "requirements",
    "assessment",
    "notices",
    "plugins",
}


@pytest.fixture
def shown(run_cli: Callable[..., Any]) -> dict[str, Any]:
    result = run_cli("show", "--format", "json", HARBOUR_CITY)
    assert result.exit_code == 0, result.output
    return result.json()


def test_show_table_runs(run_cli: Callable[..., Any]) -> None:
    result = run_cli("show", HARBOUR_CITY)
    assert result.exit_code == 0, result.output
    assert "America/New_York" in result.stdout
    assert "Harbour City Emergency Management Bureau" in result.stdout


def test_top_level_shape(shown: dict[str, Any]) -> None:
    assert set(shown) == TOP_LEVEL_KEYS
    assert shown["format"] == 1
    assert shown["extends"] is None
    assert shown["plugins"]["email"]["host_env"] == "CAMPAIGNKIT_HC_SMTP_HOST"
    assert shown["plugins"]["email"]["password_env"] == "CAMPAIGNKIT_HC_SMTP_PASSWORD"
    for table in ("phases", "units", "groups", "roles", "activities", "requirements"):
        for key, value in shown[table].items():
            assert value["id"] == key, (table, key)
    assert len(shown["units"]) == 12
    assert list(shown["phases"]) == ["preparation", "fire-safety-month", "winter-inspection"]


def test_campaign_header(shown: dict[str, Any]) -> None:
    campaign = shown["campaign"]
    assert campaign["id"] == "harbour-city-2021"
    assert campaign["timezone"] == "America/New_York"
    assert campaign["language"] == "en"
    assert campaign["issued_on"] == "2021-09-15"
    assert campaign["issued_by"] == "hc-emb"
    assert campaign["reference"] == "HCEMB-2021-047"
    assert campaign["description"].startswith("October is Fire Safety Month")


def test_phase_dates_and_description(shown: dict[str, Any]) -> None:
    winter = shown["phases"]["winter-inspection"]
    assert (winter["start"], winter["end"]) == ("2021-11-01", "2022-01-31")
    assert winter["description"].startswith("Inspections of heating")


def test_units_contacts_and_channels(shown: dict[str, Any]) -> None:
    units = shown["units"]
    assert units["fire-prevention-office"]["contact"]["email"] == "fire-prevention@example.org"
    assert units["hc-emb"]["channels"] == {"email": "ops@example.org"}
    assert units["hc-emb"]["parent"] is None
    # A contact with only an email: the other fields are null.
    assert units["north-harbour"]["contact"] == {
        "name": None,
        "phone": None,
        "email": "north-harbour@example.org",
    }
    assert units["eastport"]["contact"] is None
    # Three levels: bureau -> district -> neighbourhood, bureau -> department -> station.
    assert units["old-town-waterfront"]["parent"] == "old-town"
    assert units["station-7"]["parent"] == "fire-rescue"


def test_groups_resolve_members_in_file_order(shown: dict[str, Any]) -> None:
    groups = shown["groups"]
    assert groups["targets"]["groups"] == ["districts", "departments"]
    assert groups["targets"]["members"] == [
        "north-harbour",
        "old-town",
        "eastport",
        "fire-rescue",
        "education",
        "housing",
        "transport",
    ]
    # Listed as ["station-7", "housing"] + a group; members follow the units' order in the file.
    assert groups["inspection-teams"]["units"] == ["station-7", "housing"]
    assert groups["inspection-teams"]["members"] == [
        "housing",
        "north-harbour-docks",
        "old-town-waterfront",
        "station-7",
    ]
    frontline = groups["frontline"]
    assert (frontline["kinds"], frontline["units"], frontline["groups"]) == (
        ["station"],
        ["fire-rescue"],
        ["neighbourhoods"],
    )
    assert frontline["members"] == [
        "fire-rescue",
        "north-harbour-docks",
        "old-town-waterfront",
        "station-7",
    ]


def test_roles_with_and_without_holder(shown: dict[str, Any]) -> None:
    roles = shown["roles"]
    assert roles["campaign-director"]["holder"] == "Morgan Reyes"
    assert roles["campaign-coordinator"]["position"] is None
    assert roles["inspection-lead"] == {
        "id": "inspection-lead",
        "title": "Winter Inspection Lead",
        "unit": "fire-rescue",
        "holder": None,
        "position": None,
    }


def test_sub_activities(shown: dict[str, Any]) -> None:
    activities = shown["activities"]
    tours = activities["station-tours"]
    assert tours["part_of"] == "fire-prevention-week"
    assert (tours["on"], tours["start"], tours["end"]) == (None, "2021-10-04", "2021-10-08")
    demo = activities["live-demo"]
    assert demo["part_of"] == "fire-prevention-week"
    assert (demo["on"], demo["start"], demo["end"]) == ("2021-10-09", None, None)
    assert demo["mode"] == "online"
    assert demo["expected_attendance"] == 0
    assert demo["venue"] is None
    docks = activities["dock-inspections"]
    assert docks["part_of"] == "winter-inspections"
    assert (docks["start"], docks["end"]) == ("2021-11-15", "2021-12-10")


def test_activity_fields(shown: dict[str, Any]) -> None:
    week = shown["activities"]["fire-prevention-week"]
    assert week["mode"] == "hybrid"
    assert week["participants"] == ["districts", "station-7"]
    assert week["expected_attendance"] == 3000
    assert week["audiences"] == ["community", "family", "school"]
    assert week["channels"][0] == "Harbour City Radio"
    assert shown["activities"]["kickoff"]["on"] == "2021-09-28"
    modes = {a["mode"] for a in shown["activities"].values()}
    assert modes == {"online", "offline", "hybrid"}


def test_requirement_reminders_and_defaults(shown: dict[str, Any]) -> None:
    requirements = shown["requirements"]
    attendance = requirements["open-house-attendance"]
    assert attendance["remind"] == []
    assert attendance["rest_day"] == "after"
    # Written as Sunday 10 October with rest_day = "after": due on Monday the 11th.
    assert attendance["due"] == "2021-10-11"
    assert attendance["assignees"] == ["station-7", "districts"]
    summary = requirements["fire-month-summary"]
    assert summary["remind"] == [7, 3, 1]
    assert summary["escalate_after"] == 3
    assert summary["rest_day"] == "before"
    assert summary["submit_to"] == "fire-prevention-office"
    report = requirements["winter-inspection-report"]
    assert report["remind"] == [3, 1]  # the default
    assert report["rest_day"] == "keep"  # the default
    assert report["escalate_after"] == 5
    assert requirements["liaison-list"]["rest_day"] == "keep"
    assert requirements["liaison-list"]["escalate_after"] is None


def test_deliverable_constraints(shown: dict[str, Any]) -> None:
    deliverables = shown["requirements"]["fire-month-summary"]["deliverables"]
    assert [d["id"] for d in deliverables] == ["summary", "video", "photos", "press"]
    video = deliverables[1]
    assert video == {
        "id": "video",
        "kind": "video",
        "name": None,
        "formats": ["mp4"],
        "min_count": 1,
        "max_count": 2,
        "min_width": 1920,
        "min_height": 1080,
        "min_duration_s": 30,
        "max_size_mb": 500,
        "fields": [],
        "checks": [],
    }
    photos = deliverables[2]
    assert (photos["min_count"], photos["max_count"]) == (3, 20)
    assert photos["max_size_mb"] == 10.5
    assert photos["min_duration_s"] is None
    press = deliverables[3]
    assert (press["kind"], press["formats"], press["min_count"]) == ("other", [], 0)
    kinds = {d["kind"] for r in shown["requirements"].values() for d in r["deliverables"]}
    assert kinds == {"document", "spreadsheet", "video", "photo", "other"}
