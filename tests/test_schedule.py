"""When notices go out and to whom escalations go: the rules, one example each."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

import pytest
from conftest import without_reach

from campaignkit import loads_campaign
from campaignkit.dates import Weekends
from campaignkit.org import escalation_target
from campaignkit.plugins import load_plugins
from campaignkit.schedule import Delay, Schedule, parse_delay

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


EVERY_DAY = Schedule(SHANGHAI)
WORKING_DAYS = Schedule(SHANGHAI, workdays=Weekends(), send_on_rest_days=False)
EARLY = Schedule(SHANGHAI, send_at=dt.time(7, 30))


@pytest.mark.parametrize(
    ("schedule", "moment", "sent"),
    [
        # A deadline at 23:59:59 is told the next morning at the send time.
        (EVERY_DAY, "2022-10-28T23:59:59", "2022-10-29T09:00"),
        # In the sending window, at once.
        (EVERY_DAY, "2022-10-26T15:00", "2022-10-26T15:00"),
        (EVERY_DAY, "2022-10-26T09:00", "2022-10-26T09:00"),
        (EVERY_DAY, "2022-10-26T21:59:59", "2022-10-26T21:59:59"),
        # Before the send time: that morning. From 22:00: the next.
        (EVERY_DAY, "2022-10-26T06:59", "2022-10-26T09:00"),
        (EVERY_DAY, "2022-10-26T08:00", "2022-10-26T09:00"),
        (EVERY_DAY, "2022-10-26T22:00", "2022-10-27T09:00"),
        (EARLY, "2022-10-26T07:00", "2022-10-26T07:30"),
        # Held over the weekend: Friday night and Saturday go out on Monday.
        (WORKING_DAYS, "2022-10-28T23:59:59", "2022-10-31T09:00"),
        (WORKING_DAYS, "2022-10-29T10:00", "2022-10-31T09:00"),
        (WORKING_DAYS, "2022-10-31T10:00", "2022-10-31T10:00"),
    ],
)
def test_the_next_send_time(schedule: Schedule, moment: str, sent: str) -> None:
    assert schedule.next_send(at(moment)) == at(sent)


def test_a_calendar_that_does_not_know_the_year_falls_back_to_weekends() -> None:
    class Unknown:
        name = "unknown"

        def is_workday(self, day: dt.date) -> bool:
            raise LookupError(f"no calendar for {day.year}")

    schedule = Schedule(SHANGHAI, workdays=Unknown(), send_on_rest_days=False)
    assert schedule.next_send(at("2031-01-04T10:00")) == at("2031-01-06T09:00")  # Sat → Mon


@pytest.mark.parametrize(
    ("written", "delay", "day"),
    [
        (3, Delay(3, "d"), "2022-10-31"),
        ("3d", Delay(3, "d"), "2022-10-31"),
        (" 1wd ", Delay(1, "wd"), "2022-10-31"),  # Friday + 1 working day = Monday
        ("3wd", Delay(3, "wd"), "2022-11-02"),
    ],
)
def test_delays_in_days_or_working_days(written: Any, delay: Delay, day: str) -> None:
    assert parse_delay(written) == delay
    assert WORKING_DAYS.after(dt.date(2022, 10, 28), delay) == dt.date.fromisoformat(day)


@pytest.mark.parametrize("written", ["3", "3w", "wd", "-1d", "1.5d", True])
def test_what_is_not_a_delay(written: Any) -> None:
    assert parse_delay(written) is None


TREE = """\
format = 1

[campaign]
id = "tree"
title = "Tree"
issued_on = 2022-10-08
issued_by = "office"
timezone = "Asia/Shanghai"

[phases.month]
name = "Month"
start = 2022-11-01
end = 2022-11-30

[units.committee]
name = "Committee"
kind = "committee"

[units.office]
name = "Office"
kind = "office"
parent = "committee"

[units.district]
name = "District"
kind = "district"
parent = "office"

[units.street]
name = "Street"
kind = "street"
parent = "district"

[units.loner]
name = "Loner"
kind = "street"

[roles.director]
title = "Director"
unit = "committee"
holder = "Liu"

[roles.office-head]
title = "Head of the office"
unit = "office"
holder = "Wang"

[requirements.report]
name = "Report"
assignees = ["district", "street", "loner"]
due = 2022-10-28
escalate_after = 2
"""


def tree(**requirement: str) -> Any:
    text = TREE + "".join(f'{key} = "{value}"\n' for key, value in requirement.items())
    return loads_campaign(text, host=load_plugins(entry_points=False)).unwrap()


@pytest.mark.parametrize(
    ("requirement", "unit", "target"),
    [
        # The street's parent is the district, which does not chase it: the district.
        ({}, "street", "district"),
        # The district's parent is the office that chases it: one level above, the committee.
        ({}, "district", "committee"),
        # A unit with no parent goes above the chaser too.
        ({}, "loner", "committee"),
        # Received by the district itself: the street's parent is the chaser, so above it.
        ({"submit_to": "district"}, "street", "office"),
        # escalate_to names where escalations go instead of the chaser's parent.
        ({"escalate_to": "director"}, "district", "committee"),
        # Never to the office that chases, not even through a role of its own...
        ({"escalate_to": "office-head"}, "district", None),
        ({"escalate_to": "office"}, "district", None),
        # ...nor to the unit itself.
        ({"escalate_to": "district"}, "district", None),
    ],
)
def test_an_escalation_goes_one_level_above_the_chaser(
    requirement: dict[str, str], unit: str, target: str | None
) -> None:
    campaign = tree(**requirement)
    assert escalation_target(campaign, campaign.requirements["report"], unit) == target


def test_with_nobody_above_the_chaser_there_is_no_escalation_and_validate_warns(
    run_cli, write_campaign
) -> None:
    text = TREE.replace('parent = "committee"\n', "", 1)  # the office is the top
    result = run_cli("validate", write_campaign(text), "--format", "json")
    assert result.exit_code == 0, result.output
    [warning] = without_reach(result.json())
    assert warning["code"] == "no-escalation-target"
    assert warning["path"] == "requirements.report.escalate_after"
    assert warning["subjects"] == ["district", "loner"]  # the street goes to the district
    assert "escalate_to" in warning["hint"]
    simulated = run_cli(
        "simulate", write_campaign(text), "--compliance", "0", "--format", "json"
    ).json()
    escalated = {n["about"] for n in simulated["notifications"] if n["kind"] == "escalation"}
    assert escalated == {"street"}


@pytest.mark.parametrize(
    ("line", "path", "words"),
    [
        ('escalate_to = "directr"', "requirements.report.escalate_to", "did you mean `director`?"),
        ('escalate_after = "3x"', "requirements.report.escalate_after", '"3wd" for working days'),
        ('escalate_after = "400wd"', "requirements.report.escalate_after", "at most 366wd"),
        ("escalate_after = 0", "requirements.report.escalate_after", "at least 1 day"),
    ],
)
def test_escalation_mistakes_name_the_key(
    run_cli, write_campaign, line: str, path: str, words: str
) -> None:
    text = TREE.replace("escalate_after = 2\n", "") + line + "\n"
    result = run_cli("validate", write_campaign(text), "--format", "json")
    assert result.exit_code == 1, result.output
    [problem] = [p for p in result.json() if p["severity"] == "error"]
    assert problem["path"] == path
    assert words in f"{problem['message']} {problem['hint']}"
    assert problem["line"] == text.splitlines().index(line) + 1


@pytest.mark.parametrize(
    ("written", "ok"),
    [
        ('"09:00"', True),
        ("08:30:00", True),
        ('"07:00"', True),
        ('"21:59"', True),
        ('"22:00"', False),
        ('"06:30"', False),
        ('"25:00"', False),
        ('"nine"', False),
    ],
)
def test_send_at_is_a_time_outside_the_quiet_hours(
    run_cli, write_campaign, written: str, ok: bool
) -> None:
    text = TREE.replace(
        'timezone = "Asia/Shanghai"\n', f'timezone = "Asia/Shanghai"\nsend_at = {written}\n'
    )
    result = run_cli("validate", write_campaign(text), "--format", "json")
    assert result.exit_code == (0 if ok else 1), result.output
    if not ok:
        [problem] = [p for p in result.json() if p["severity"] == "error"]
        assert problem["path"] == "campaign.send_at"
        assert problem["line"] == text.splitlines().index(f"send_at = {written}") + 1


def test_send_at_moves_the_reminders_and_the_morning_notices(run_cli, write_campaign) -> None:
    text = TREE.replace(
        'timezone = "Asia/Shanghai"\n', 'timezone = "Asia/Shanghai"\nsend_at = "08:30"\n'
    )
    data = run_cli("simulate", write_campaign(text), "--compliance", "0", "--format", "json").json()
    times = {(n["kind"], n["at"][11:16]) for n in data["notifications"]}
    assert times == {("reminder", "08:30"), ("overdue", "08:30"), ("escalation", "08:30")}


def test_the_calendar_is_asked_only_for_the_years_notices_go_out(run_cli, write_campaign) -> None:
    # Due on 28 December 2022 and escalated two days later: nothing goes out in 2023, and a
    # calendar that did not know 2023 yet would be no reason to warn.
    text = TREE.replace("due = 2022-10-28", "due = 2022-12-20").replace(
        'timezone = "Asia/Shanghai"\n', 'timezone = "Asia/Shanghai"\nsend_on_rest_days = false\n'
    )
    result = run_cli("validate", write_campaign(text), "--format", "json")
    assert [p for p in result.json() if p["code"] == "unknown-year"] == []


def test_the_timeline_counts_days_from_where_events_fall(run_cli, write_campaign) -> None:
    text = TREE.replace(
        'timezone = "Asia/Shanghai"\n', 'timezone = "Asia/Shanghai"\nsend_on_rest_days = false\n'
    ).replace("escalate_after = 2", 'escalate_after = "1wd"\nremind = [5]')
    result = run_cli("timeline", write_campaign(text))
    rows = [[cell.strip() for cell in line.split("│")[1:3]] for line in result.stdout.splitlines()]
    # Five days before Friday the 28th is Sunday the 23rd: the reminder moves to Monday.
    assert ["2022-10-24 09:00:00 +0800", "reminder, 4 days before"] in rows
    assert ["2022-10-31 23:59:59 +0800", "escalation, 3 days after (1 working day)"] in rows
