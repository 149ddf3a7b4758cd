"""Recurring requirements: a weekly report (周报) and a monthly one, one occurrence per
period, each with its own deadline, notices, hand-ins and standing."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from campaignkit import Campaign
from campaignkit.recurrence import periods

WEEKLY = """\
format = 1

[campaign]
id = "weekly-drill"
title = "区安全生产月周报演练"
issued_on = 2020-05-25
issued_by = "district"
timezone = "Asia/Shanghai"

[phases.month]
name = "安全生产月"
start = 2020-06-01
end = 2020-07-10

[units.city]
name = "市安委办"
kind = "office"

[units.district]
name = "区安委办"
kind = "office"
parent = "city"

[units.east]
name = "东街道"
kind = "street"
parent = "district"

[units.west]
name = "西街道"
kind = "street"
parent = "district"

[requirements.weekly-progress]
name = "安全生产月活动进展周报"
assignees = ["east", "west"]
every = "week"
from = 2020-06-03
until = "phases.month.end"
due = "period.end + 1d"
remind = [1]

[[requirements.weekly-progress.deliverables]]
id = "doc"
kind = "document"
name = "周报"

[requirements.monthly-cases]
name = "典型案例月报"
assignees = ["east"]
every = "month"
from = 2020-06-01
until = 2020-07-10
due = "period.end + 5wd"
"""


def test_each_period_is_an_occurrence_with_its_own_deadline(
    campaign_from_toml: Callable[[str], Campaign],
) -> None:
    campaign = campaign_from_toml(WEEKLY)
    due = {rid: req.due.isoformat() for rid, req in campaign.requirements.items()}
    assert due == {
        # Wednesday 3 June: the first week is cut to the span, and due on its Monday after.
        "weekly-progress@2020-W23": "2020-06-08",
        "weekly-progress@2020-W24": "2020-06-15",
        "weekly-progress@2020-W25": "2020-06-22",
        "weekly-progress@2020-W26": "2020-06-29",
        "weekly-progress@2020-W27": "2020-07-06",
        # Friday 10 July: the last week ends with the span, and is due the day after.
        "weekly-progress@2020-W28": "2020-07-11",
        # Five working days after 30 June (a Tuesday): Tuesday 7 July.
        "monthly-cases@2020-06": "2020-07-07",
        "monthly-cases@2020-07": "2020-07-17",
    }
    week = campaign.requirements["weekly-progress@2020-W23"]
    assert (week.series, week.occurrence, week.name) == (
        "weekly-progress",
        "2020-W23",
        "安全生产月活动进展周报（2020-W23）",
    )
    assert [d.label for d in week.deliverables] == ["周报"]


@settings(max_examples=200, derandomize=True)
@given(
    every=st.sampled_from(["week", "month"]),
    first=st.dates(dt.date(2019, 1, 1), dt.date(2030, 12, 31)),
    days=st.integers(min_value=0, max_value=800),
)
def test_occurrence_keys_are_unique_ordered_and_cover_the_span(
    every: str, first: dt.date, days: int
) -> None:
    last = first + dt.timedelta(days=days)
    found = periods(every, first, last)
    keys = [p.key for p in found]
    assert len(set(keys)) == len(keys)
    assert keys == sorted(keys)  # ISO years and weeks, years and months, sort as text
    assert found[0].start == first
    assert found[-1].end == last
    for before, after in itertools.pairwise(found):
        assert after.start == before.end + dt.timedelta(days=1)


def test_submit_takes_the_earliest_open_occurrence_or_the_one_named(
    run_cli: Callable[..., Any], write_campaign: Callable[..., Path], tmp_path: Path
) -> None:
    path = write_campaign(WEEKLY)
    doc = tmp_path / "周报.docx"
    doc.write_bytes(b"PK weekly")
    db = tmp_path / "ledger.db"
    common = ("submit", path, "--db", db, "--unit", "east", "--deliverable", f"doc={doc}")
    first = run_cli(
        *common,
        "--requirement",
        "weekly-progress",
        "--at",
        "2020-06-05T10:00:00+08:00",
        "--format",
        "json",
    )
    assert first.exit_code == 0, first.output
    assert (first.json()["requirement"], first.json()["occurrence"]) == (
        "weekly-progress@2020-W23",
        "2020-W23",
    )
    second = run_cli(
        *common, "--requirement", "weekly-progress", "--at", "2020-06-12T10:00:00+08:00"
    )
    assert second.exit_code == 0, second.output
    assert "安全生产月活动进展周报（2020-W24）" in second.stdout
    named = run_cli(
        *common,
        "--requirement",
        "weekly-progress",
        "--occurrence",
        "2020-W27",
        "--at",
        "2020-06-20T09:00:00+08:00",
        "--format",
        "json",
    )
    assert named.json()["requirement"] == "weekly-progress@2020-W27"
    slip = run_cli(*common, "--requirement", "weekly-progress", "--occurrence", "2020-W2")
    assert slip.exit_code == 2
    assert "--occurrence" in slip.stderr
    assert "2020-W28" in slip.stderr
    status = run_cli("status", path, "--db", db, "--format", "json")
    assert status.exit_code == 0, status.output
    east = {
        (r["id"], r["occurrence"]): unit["status"]
        for r in status.json()["requirements"]
        for unit in r["units"]
        if unit["unit"] == "east" and r["id"].startswith("weekly")
    }
    assert east[("weekly-progress@2020-W23", "2020-W23")] == "on_time"
    assert east[("weekly-progress@2020-W24", "2020-W24")] == "on_time"
    assert east[("weekly-progress@2020-W27", "2020-W27")] == "on_time"  # handed in early


def test_a_rehearsal_chases_and_counts_every_occurrence(
    run_cli: Callable[..., Any], write_campaign: Callable[..., Path]
) -> None:
    result = run_cli("simulate", write_campaign(WEEKLY), "--compliance", "0", "--format", "json")
    assert result.exit_code == 0, result.output
    data = result.json()
    overdue = [n for n in data["notifications"] if n["kind"] == "overdue"]
    # Two streets for six weeks, and one street for two months.
    assert len(overdue) == 2 * 6 + 2
    assert {n["occurrence"] for n in overdue} >= {"2020-W23", "2020-W28", "2020-06", "2020-07"}
    assert overdue[0]["key"] == "weekly-drill/weekly-progress@2020-W23/overdue/east"
    assert len(data["summary"]) == 8


@pytest.mark.parametrize(
    ("change", "key", "line", "words"),
    [
        (
            ('every = "week"', 'every = "fortnight"'),
            "requirements.weekly-progress.every",
            37,
            "week",
        ),
        (("from = 2020-06-03\n", ""), "requirements.weekly-progress.from", 34, "from"),
        (
            ('due = "period.end + 1d"', "due = 2020-06-08"),
            "requirements.weekly-progress.due",
            40,
            "period.end",
        ),
        (
            ('due = "period.end + 1d"', 'due = "period.middle"'),
            "requirements.weekly-progress.due",
            40,
            "period.end",
        ),
        (
            ("from = 2020-06-03", "from = 2020-07-30"),
            "requirements.weekly-progress.until",
            39,
            "2020-07-30",
        ),
        (
            ("from = 2020-06-03", "from = 2020-05-01"),
            "requirements.weekly-progress.from",
            38,
            "2020-05-25",
        ),
        (
            ('assignees = ["east", "west"]', 'assignees = ["east", "wset"]'),
            "requirements.weekly-progress.assignees[1]",
            36,
            "west",
        ),
    ],
)
def test_a_slip_in_a_recurring_requirement_is_said_once_at_its_key(
    problems_from_toml: Callable[[str], list[Any]],
    change: tuple[str, str],
    key: str,
    line: int,
    words: str,
) -> None:
    problems = [p for p in problems_from_toml(WEEKLY.replace(*change)) if p.is_error]
    assert [(p.path, p.line) for p in problems] == [(key, line)]
    assert words in problems[0].message + (problems[0].hint or "")


def test_too_many_periods_is_an_error(problems_from_toml: Callable[[str], list[Any]]) -> None:
    text = WEEKLY.replace('until = "phases.month.end"', "until = 2028-01-01")
    problems = [p for p in problems_from_toml(text) if p.is_error]
    assert [p.path for p in problems] == ["requirements.weekly-progress.until"]
    assert "366" in problems[0].message


def test_a_scenario_hands_in_for_one_occurrence(
    campaignkit_report: Callable[..., Any],
) -> None:
    scenario = """\
    [[submissions]]
    unit = "west"
    requirement = "weekly-progress"
    occurrence = "2020-W24"
    submitted_at = 2020-06-14T18:00:00+08:00
    deliverables = { doc = { format = "docx" } }

    [[submissions]]
    unit = "east"
    requirement = "weekly-progress@2020-W23"
    submitted_at = 2020-06-09T08:00:00+08:00
    deliverables = { doc = { format = "docx" } }
    """
    report = campaignkit_report(WEEKLY, scenario)
    standings = {
        (status.requirement.occurrence, row.unit): row.standing
        for status in report.requirements
        for row in status.rows
        if status.requirement.series == "weekly-progress"
    }
    assert standings[("2020-W24", "west")] == "on_time"
    assert standings[("2020-W23", "east")] == "late"  # due by the end of Monday 8 June
    assert standings[("2020-W23", "west")] == "missing"


def test_next_year_moves_the_span_and_flags_no_rest_day_in_it(
    run_cli: Callable[..., Any], write_campaign: Callable[..., Path], tmp_path: Path
) -> None:
    # 2021-07-10, the span's last day a year on, is a Saturday: not a deadline, not flagged.
    text = WEEKLY.replace('until = "phases.month.end"', "until = 2020-07-10")
    out = tmp_path / "2021.toml"
    made = run_cli("new", out, "--from", write_campaign(text), "--year", "2021", "--format", "json")
    assert made.exit_code == 0, made.output
    flagged = [item["path"] for item in made.json()["review"] if item["kind"] == "rest-day"]
    assert "requirements.weekly-progress.until" not in flagged
    written = out.read_text("utf-8")
    assert "from = 2021-06-03" in written
    assert "until = 2021-07-10" in written
    assert 'due = "period.end + 1d"' in written
