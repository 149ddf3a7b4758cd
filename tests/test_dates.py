"""Reuse: `extends`, date expressions, working days and rest days — dates a person would
compute with a calendar."""

from __future__ import annotations

from pathlib import Path

from conftest import MINIMAL


def shown(run_cli, path: Path) -> dict:
    result = run_cli("show", path, "--format", "json")
    assert result.exit_code == 0, result.output
    return result.json()


def problems(run_cli, path: Path) -> list[dict]:
    """The errors `validate` reports (warnings left out)."""
    result = run_cli("validate", path, "--format", "json")
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    return [p for p in result.json() if p["severity"] == "error"]


# -- date expressions -----------------------------------------------------------------------


def test_expressions_resolve_from_their_anchors(run_cli, write_campaign) -> None:
    text = (
        MINIMAL.replace("due = 2020-06-28", 'due = "phases.month.end - 2d"')
        + """
[requirements.plan]
name = "Plan"
assignees = ["districts"]
due = "campaign.issued_on + 6d"

[requirements.follow-up]
name = "Follow-up"
assignees = ["districts"]
due = "requirements.plan.due + 2w"

[activities.fire-day]
name = "Fire day"
on = "requirements.follow-up.due + 1d"

[activities.prep]
name = "Preparation"
start = "activities.fire-day.on - 3d"
end = "activities.fire-day.on - 1d"
"""
    )
    data = shown(run_cli, write_campaign(text))
    assert data["requirements"]["summary"]["due"] == "2020-06-28"
    assert data["requirements"]["plan"]["due"] == "2020-05-28"
    assert data["requirements"]["follow-up"]["due"] == "2020-06-11"
    assert data["activities"]["fire-day"]["on"] == "2020-06-12"
    assert (data["activities"]["prep"]["start"], data["activities"]["prep"]["end"]) == (
        "2020-06-09",
        "2020-06-11",
    )


def test_the_timeline_uses_the_resolved_dates(run_cli, write_campaign) -> None:
    path = write_campaign(MINIMAL.replace("due = 2020-06-28", 'due = "phases.month.end - 2d"'))
    result = run_cli("timeline", path, "--format", "json")
    due = [e["at"] for e in result.json() if e["kind"] == "requirement.due"]
    assert due == ["2020-06-28T23:59:59+08:00"]


def test_working_days_skip_weekends_without_a_calendar_plugin(run_cli, write_campaign) -> None:
    # New York: no national calendar answers for it, so Saturdays and Sundays are rest days.
    text = MINIMAL.replace('"Asia/Shanghai"', '"America/New_York"').replace(
        "due = 2020-06-28", 'due = "phases.month.start + 5wd"'
    )
    # 1 June 2020 was a Monday: five working days later is Monday 8 June.
    assert shown(run_cli, write_campaign(text))["requirements"]["summary"]["due"] == "2020-06-08"


def test_a_cycle_of_expressions_is_refused(run_cli, write_campaign) -> None:
    text = MINIMAL.replace("start = 2020-06-01", 'start = "phases.month.end - 29d"').replace(
        "end = 2020-06-30", 'end = "phases.month.start + 29d"'
    )
    found = problems(run_cli, write_campaign(text))
    assert [p["code"] for p in found] == ["cycle"]
    assert "phases.month.start → phases.month.end → phases.month.start" in found[0]["message"]
    assert found[0]["path"] == "phases.month.start"


def test_a_malformed_expression_names_its_key(run_cli, write_campaign) -> None:
    path = write_campaign(MINIMAL.replace("due = 2020-06-28", 'due = "phases.month.end + 5 days"'))
    [problem] = problems(run_cli, path)
    assert problem["path"] == "requirements.summary.due"
    assert problem["code"] == "bad-expression"
    assert problem["line"] == MINIMAL.splitlines().index("due = 2020-06-28") + 1


# -- rest days ------------------------------------------------------------------------------


SUMMARY_ON_SUNDAY = (
    MINIMAL.replace('"Asia/Shanghai"', '"Europe/Berlin"')
    .replace("end = 2020-06-30", "end = 2020-07-31")
    .replace("due = 2020-06-28", "due = 2020-07-05")
)  # 5 July 2020 was a Sunday


def test_rest_day_after_moves_a_sunday_deadline_to_monday(run_cli, write_campaign) -> None:
    path = write_campaign(
        SUMMARY_ON_SUNDAY.replace("due = 2020-07-05", 'due = 2020-07-05\nrest_day = "after"')
    )
    assert shown(run_cli, path)["requirements"]["summary"]["due"] == "2020-07-06"


def test_rest_day_before_moves_it_to_friday(run_cli, write_campaign) -> None:
    path = write_campaign(
        SUMMARY_ON_SUNDAY.replace("due = 2020-07-05", 'due = 2020-07-05\nrest_day = "before"')
    )
    assert shown(run_cli, path)["requirements"]["summary"]["due"] == "2020-07-03"


def test_keep_leaves_it(run_cli, write_campaign) -> None:
    assert shown(run_cli, write_campaign(SUMMARY_ON_SUNDAY))["requirements"]["summary"]["due"] == (
        "2020-07-05"
    )


def test_an_expression_sees_the_moved_deadline(run_cli, write_campaign) -> None:
    text = SUMMARY_ON_SUNDAY.replace("due = 2020-07-05", 'due = 2020-07-05\nrest_day = "after"') + (
        '\n[activities.review]\nname = "Review"\non = "requirements.summary.due + 1d"\n'
    )
    assert shown(run_cli, write_campaign(text))["activities"]["review"]["on"] == "2020-07-07"


# -- extends ---------------------------------------------------------------------------------

CITY = (
    MINIMAL
    + """
[requirements.plan]
name = "City plan"
assignees = ["districts"]
due = 2020-05-28
"""
)

DISTRICT = """\
format = 1
extends = "../city/city.toml"

[campaign]
id = "east-2020"
title = "East district plan"
issued_by = "east"

[units.east-street]
name = "East street"
kind = "street"
parent = "east"

[groups]
streets = { kinds = ["street"] }

[requirements.street-plan]
name = "Street plan"
assignees = ["streets"]
submit_to = "east"
due = "requirements.plan.due - 3d"   # before the city's deadline

[requirements.plan]
due = 2020-05-27                      # the district hands in a day early
"""


def write_pair(tmp_path: Path, city: str = CITY, district: str = DISTRICT) -> Path:
    (tmp_path / "city").mkdir()
    (tmp_path / "east").mkdir()
    (tmp_path / "city" / "city.toml").write_text(city, encoding="utf-8")
    child = tmp_path / "east" / "east.toml"
    child.write_text(district, encoding="utf-8")
    return child


def test_a_district_inherits_the_city_and_adds_its_own(run_cli, tmp_path) -> None:
    data = shown(run_cli, write_pair(tmp_path))
    assert data["extends"] == "../city/city.toml"
    assert data["campaign"]["id"] == "east-2020"
    assert data["campaign"]["issued_on"] == "2020-05-22"  # from the city
    assert data["campaign"]["timezone"] == "Asia/Shanghai"
    assert list(data["units"]) == ["office", "east", "east-street"]
    assert data["requirements"]["plan"]["name"] == "City plan"
    assert data["requirements"]["plan"]["due"] == "2020-05-27"
    assert data["requirements"]["street-plan"]["due"] == "2020-05-24"
    assert data["groups"]["streets"]["members"] == ["east-street"]
    assert data["groups"]["districts"]["members"] == ["east"]


def test_chains_of_extends_work(run_cli, tmp_path) -> None:
    child = write_pair(tmp_path)
    grandchild = tmp_path / "street.toml"
    grandchild.write_text(
        'format = 1\nextends = "east/east.toml"\n[campaign]\nid = "street-2020"\n', encoding="utf-8"
    )
    data = shown(run_cli, grandchild)
    assert data["campaign"]["id"] == "street-2020"
    assert data["requirements"]["street-plan"]["due"] == "2020-05-24"
    assert child.exists()


def test_a_cycle_of_extends_names_the_files(run_cli, tmp_path) -> None:
    (tmp_path / "a.toml").write_text('format = 1\nextends = "b.toml"\n', encoding="utf-8")
    (tmp_path / "b.toml").write_text('format = 1\nextends = "a.toml"\n', encoding="utf-8")
    [problem] = problems(run_cli, tmp_path / "a.toml")
    assert problem["code"] == "cycle"
    assert "a.toml → b.toml → a.toml" in problem["message"]


def test_a_mistake_in_the_parent_points_at_the_parent(run_cli, tmp_path) -> None:
    city = CITY.replace('kind = "district"', 'kind = "district"\nparnt = "office"')
    child = write_pair(tmp_path, city=city)
    [problem] = problems(run_cli, child)
    assert problem["path"] == "units.east.parnt"
    assert problem["file"].endswith("city.toml")
    assert problem["line"] == city.splitlines().index('parnt = "office"') + 1


def test_a_mistake_in_the_child_points_at_the_child(run_cli, tmp_path) -> None:
    district = DISTRICT.replace('submit_to = "east"', 'submit_to = "eats"')
    child = write_pair(tmp_path, district=district)
    [problem] = problems(run_cli, child)
    assert problem["path"] == "requirements.street-plan.submit_to"
    assert problem["file"] == str(child)
    assert problem["line"] == district.splitlines().index('submit_to = "eats"') + 1
    assert problem["hint"] == "did you mean `east`?"
