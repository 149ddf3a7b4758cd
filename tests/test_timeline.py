"""`campaignkit timeline`: every event at the right instant, in one total order."""

from __future__ import annotations

from conftest import MINIMAL, SHENZHEN, without_reach


def events(run_cli, *args) -> list[dict]:
    result = run_cli("timeline", *args, "--format", "json")
    assert result.exit_code == 0, result.output
    return result.json()


def test_shenzhen_deadlines_are_at_the_end_of_the_day_in_shanghai(run_cli) -> None:
    due = [e for e in events(run_cli, SHENZHEN) if e["kind"] == "requirement.due"]
    assert [(e["at"], e["subject"]) for e in due] == [
        ("2020-05-28T23:59:59+08:00", "liaison-and-plan"),
        ("2020-07-05T23:59:59+08:00", "safety-month-summary"),
        ("2020-12-28T23:59:59+08:00", "wanlixing-summary"),
    ]


def test_reminders_at_nine_and_escalations_after_the_deadline(run_cli) -> None:
    found = [
        (e["at"], e["kind"], e["days"])
        for e in events(run_cli, SHENZHEN)
        if e["subject"] == "safety-month-summary"
    ]
    assert found == [
        ("2020-06-28T09:00:00+08:00", "requirement.remind", 7),
        ("2020-07-04T09:00:00+08:00", "requirement.remind", 1),
        ("2020-07-05T23:59:59+08:00", "requirement.due", None),
        ("2020-07-08T23:59:59+08:00", "requirement.escalate", 3),
    ]


def test_phases_and_activities_span_whole_days(run_cli) -> None:
    found = {(e["kind"], e["subject"]): e["at"] for e in events(run_cli, SHENZHEN)}
    assert found[("phase.start", "safety-month")] == "2020-06-01T00:00:00+08:00"
    assert found[("phase.end", "wanlixing")] == "2020-12-31T23:59:59+08:00"
    assert found[("activity.start", "consultation-day")] == "2020-06-16T00:00:00+08:00"
    assert found[("activity.end", "consultation-day")] == "2020-06-16T23:59:59+08:00"
    assert found[("campaign.open", "shenzhen-2020")] == "2020-05-22T00:00:00+08:00"
    assert found[("campaign.close", "shenzhen-2020")] == "2020-12-31T23:59:59+08:00"


def test_events_at_one_instant_follow_a_fixed_order_of_kinds(run_cli, write_campaign) -> None:
    # Due on the phase's last day, with an activity ending then too.
    text = MINIMAL.replace("due = 2020-06-28", "due = 2020-06-30\nescalate_after = 1") + (
        '\n[activities.wrap]\nname = "Wrap-up"\non = 2020-06-30\nphase = "month"\n'
    )
    last = [
        e["kind"]
        for e in events(run_cli, write_campaign(text))
        if e["at"].startswith("2020-06-30T23")
    ]
    assert last == ["requirement.due", "activity.end", "phase.end"]
    assert events(run_cli, write_campaign(text))[-1]["kind"] == "campaign.close"


def test_a_reminder_before_the_issue_date_is_dropped_and_validate_warns(
    run_cli, write_campaign
) -> None:
    path = write_campaign(MINIMAL.replace("due = 2020-06-28", "due = 2020-05-25\nremind = [7, 1]"))
    reminders = [e["days"] for e in events(run_cli, path) if e["kind"] == "requirement.remind"]
    assert reminders == [1]
    warned = run_cli("validate", path, "--format", "json")
    assert warned.exit_code == 0
    assert [p["code"] for p in without_reach(warned.json())] == ["reminder-before-issue"]


def test_reminders_keep_nine_oclock_across_daylight_saving(run_cli, write_campaign) -> None:
    # New York moved its clocks forward on 8 March 2020 and back on 1 November 2020.
    text = (
        MINIMAL.replace('"Asia/Shanghai"', '"America/New_York"')
        .replace("issued_on = 2020-05-22", "issued_on = 2020-01-02")
        .replace("start = 2020-06-01", "start = 2020-01-02")
        .replace("end = 2020-06-30", "end = 2020-12-31")
        .replace("due = 2020-06-28", "due = 2020-03-09\nremind = [2, 1]")
    ) + (
        '\n[requirements.autumn]\nname = "Autumn"\nassignees = ["districts"]\n'
        "due = 2020-11-02\nremind = [2, 1]\n"
    )
    found = [
        e["at"] for e in events(run_cli, write_campaign(text)) if e["kind"] == "requirement.remind"
    ]
    assert found == [
        "2020-03-07T09:00:00-05:00",
        "2020-03-08T09:00:00-04:00",
        "2020-10-31T09:00:00-04:00",
        "2020-11-01T09:00:00-05:00",
    ]


def test_from_and_until_narrow_the_listing(run_cli) -> None:
    found = events(run_cli, SHENZHEN, "--from", "2020-07-01", "--until", "2020-07-05")
    assert [(e["at"], e["kind"]) for e in found] == [
        ("2020-07-04T09:00:00+08:00", "requirement.remind"),
        ("2020-07-05T23:59:59+08:00", "requirement.due"),
    ]


def test_a_bad_date_option_is_a_usage_error(run_cli) -> None:
    result = run_cli("timeline", SHENZHEN, "--from", "June")
    assert result.exit_code == 2
    # Said in the Chinese campaign's language, after Click's own words.
    assert "Invalid value for --from: `June` 不是日期（如 2022-11-14）" in result.output


def test_the_table_names_each_event(run_cli) -> None:
    out = run_cli("timeline", SHENZHEN).stdout
    assert "2020-07-04 09:00:00 +0800" in out
    assert "提醒，截止前 1 天" in out
    assert "报送“安全生产月”活动总结材料" in out
