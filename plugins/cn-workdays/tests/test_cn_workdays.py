"""The ``cn-workdays`` calendar, reached as campaignkit reaches it: through the plugin host.

The dates are China's 2020 arrangements (国务院办公厅关于2020年部分节假日安排的通知, and
the extension of the Spring Festival that year): Labour Day 1–5 May with make-up working
days on Sunday 26 April and Saturday 9 May; National Day and Mid-Autumn together 1–8
October with make-up working days on Sunday 27 September and Saturday 10 October.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
import textwrap
from collections.abc import Callable
from typing import Any

import pytest
from campaignkit_cn_workdays import CALENDAR, CHINA_TIMEZONES, ChinaWorkdays

from campaignkit import loads_campaign
from campaignkit.plugins import load_plugins


def days(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(n) for n in range((last - first).days + 1)]


@pytest.fixture(scope="module")
def calendar() -> Any:
    return load_plugins().call("campaignkit_workdays", timezone="Asia/Shanghai")


def test_the_host_hands_out_this_plugins_calendar(calendar: Any) -> None:
    # firstresult: one object, not a list
    assert calendar is CALENDAR
    assert isinstance(calendar, ChinaWorkdays)
    assert calendar.name == "cn-workdays"


@pytest.mark.parametrize("timezone", sorted(CHINA_TIMEZONES))
def test_it_answers_for_every_time_zone_of_mainland_china(timezone: str) -> None:
    assert load_plugins().call("campaignkit_workdays", timezone=timezone) is CALENDAR


@pytest.mark.parametrize(
    "timezone", ["UTC", "America/New_York", "Asia/Hong_Kong", "Asia/Macau", "Asia/Taipei"]
)
def test_it_defers_for_a_campaign_elsewhere(timezone: str) -> None:
    assert load_plugins().call("campaignkit_workdays", timezone=timezone) is not CALENDAR


def test_an_ordinary_week(calendar: Any) -> None:
    assert not calendar.is_workday(dt.date(2020, 7, 5))  # Sunday
    assert calendar.is_workday(dt.date(2020, 7, 6))  # Monday
    assert [
        calendar.is_workday(day) for day in days(dt.date(2020, 7, 6), dt.date(2020, 7, 12))
    ] == [
        True,
        True,
        True,
        True,
        True,
        False,
        False,
    ]


@pytest.mark.parametrize("day", days(dt.date(2020, 10, 1), dt.date(2020, 10, 8)), ids=str)
def test_national_day_and_mid_autumn_are_rest_days(calendar: Any, day: dt.date) -> None:
    assert not calendar.is_workday(day)


@pytest.mark.parametrize("day", days(dt.date(2020, 5, 1), dt.date(2020, 5, 5)), ids=str)
def test_labour_day_holiday_is_rest_days(calendar: Any, day: dt.date) -> None:
    assert not calendar.is_workday(day)


@pytest.mark.parametrize(
    "day",
    [
        dt.date(2020, 9, 27),  # Sunday, for National Day
        dt.date(2020, 10, 10),  # Saturday, for National Day
        dt.date(2020, 4, 26),  # Sunday, for Labour Day
        dt.date(2020, 5, 9),  # Saturday, for Labour Day
    ],
    ids=str,
)
def test_make_up_working_days_on_a_weekend_are_workdays(calendar: Any, day: dt.date) -> None:
    assert day.weekday() >= 5
    assert calendar.is_workday(day)


def test_the_days_around_a_holiday(calendar: Any) -> None:
    assert calendar.is_workday(dt.date(2020, 9, 30))
    assert calendar.is_workday(dt.date(2020, 10, 9))  # Friday after the holiday
    assert not calendar.is_workday(dt.date(2020, 10, 11))  # an ordinary Sunday
    assert calendar.is_workday(dt.date(2020, 4, 30))
    assert calendar.is_workday(dt.date(2020, 5, 6))


def test_holiday_names(calendar: Any) -> None:
    assert calendar.holiday_name(dt.date(2020, 10, 1)) == "National Day"
    assert calendar.holiday_name(dt.date(2020, 10, 1), language="zh") == "国庆节"
    assert calendar.holiday_name(dt.date(2020, 5, 1), language="zh") == "劳动节"
    # a make-up working day names the holiday it was moved for
    assert calendar.holiday_name(dt.date(2020, 9, 27)) == "National Day"
    assert calendar.holiday_name(dt.date(2020, 7, 5)) is None  # an ordinary Sunday
    assert calendar.holiday_name(dt.date(2020, 7, 6)) is None


@pytest.mark.parametrize("year", [2100, 1990])
def test_a_year_the_calendar_does_not_know_is_an_error(calendar: Any, year: int) -> None:
    with pytest.raises(LookupError, match=f"does not know {year}") as caught:
        calendar.is_workday(dt.date(year, 7, 6))
    message = str(caught.value)
    assert message.startswith(f"the Chinese working-day calendar does not know {year}: ")
    first, last = calendar.years.start, calendar.years.stop - 1
    assert f"{first}–{last}" in message
    assert re.search(r"chinesecalendar \d+\.\d+", message)
    assert ("upgrade" in message) is (year > last)
    with pytest.raises(LookupError, match=f"does not know {year}"):
        calendar.holiday_name(dt.date(year, 7, 6))


def test_the_known_years_end_exactly_where_the_data_ends(calendar: Any) -> None:
    years = calendar.years
    assert years.start <= 2020 < years.stop
    calendar.is_workday(dt.date(years.start, 1, 1))
    calendar.is_workday(dt.date(years.stop - 1, 12, 31))
    with pytest.raises(LookupError, match=str(years.stop)):
        calendar.is_workday(dt.date(years.stop, 1, 1))
    with pytest.raises(LookupError, match=str(years.start - 1)):
        calendar.is_workday(dt.date(years.start - 1, 12, 31))


def test_not_a_date_is_a_type_error_not_an_unknown_year(calendar: Any) -> None:
    with pytest.raises(TypeError, match=r"expected a datetime\.date"):
        calendar.is_workday("2020-10-01")


def test_campaignkit_plugins_lists_it(run_cli: Callable[..., Any]) -> None:
    result = run_cli("plugins", "--format", "json")
    assert result.exit_code == 0, result.output
    listing = {item["name"]: item for item in result.json()["plugins"]}
    plugin = listing["cn-workdays"]
    assert "campaignkit_workdays" in plugin["hooks"]
    assert plugin["dist"] == "campaignkit-cn-workdays"
    assert plugin["builtin"] is False
    assert not [f for f in result.json()["failed"] if f["name"] == "cn-workdays"]


def test_chinese_calendar_is_imported_only_on_the_first_look_up() -> None:
    script = textwrap.dedent(
        """
        import datetime, sys
        from typer.testing import CliRunner
        import campaignkit.cli
        from campaignkit.plugins import load_plugins

        def loaded():
            return "chinese_calendar" in sys.modules

        assert not loaded(), "importing campaignkit.cli"
        result = CliRunner().invoke(campaignkit.cli.app, ["--help"])
        assert result.exit_code == 0, result.output
        assert not loaded(), "campaignkit --help"
        calendar = load_plugins().call("campaignkit_workdays", timezone="Asia/Shanghai")
        assert calendar.name == "cn-workdays"
        assert not loaded(), "loading the plugins and calling the hook"
        assert calendar.is_workday(datetime.date(2020, 10, 10))
        assert loaded()
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr


CAMPAIGN = """\
format = 1

[campaign]
id = "cn-2020"
title = "国庆中秋期间安全检查"
issued_on = 2020-04-20
issued_by = "office"
timezone = "{timezone}"

[phases.check]
name = "节前检查"
start = 2020-09-21
end = 2020-09-30

[units.office]
name = "安委办"
kind = "office"

[requirements.labour-day]
name = "五一假期值班表"
assignees = ["office"]
due = 2020-05-01
rest_day = "after"

[requirements.before-holiday]
name = "节前检查报告"
assignees = ["office"]
due = 2020-10-01
rest_day = "before"

[requirements.summary]
name = "检查总结"
assignees = ["office"]
due = "phases.check.end + 5wd"
"""


def dues(timezone: str) -> dict[str, dt.date]:
    loaded = loads_campaign(CAMPAIGN.format(timezone=timezone), host=load_plugins())
    assert loaded.ok, loaded.problems
    campaign: Any = loaded.campaign
    return {key: requirement.due for key, requirement in campaign.requirements.items()}


def test_a_campaign_in_china_counts_chinas_working_days() -> None:
    assert dues("Asia/Shanghai") == {
        "labour-day": dt.date(2020, 5, 6),  # 1-5 May off
        "before-holiday": dt.date(2020, 9, 30),
        # 9 Oct (Fri), 10 Oct (Sat, make-up), 12, 13, 14 Oct
        "summary": dt.date(2020, 10, 14),
    }


def test_the_same_campaign_elsewhere_counts_weekends_only() -> None:
    assert dues("Europe/Berlin") == {
        "labour-day": dt.date(2020, 5, 1),  # a Friday
        "before-holiday": dt.date(2020, 10, 1),  # a Thursday
        "summary": dt.date(2020, 10, 7),
    }


def test_a_year_the_calendar_does_not_know_is_a_problem_at_its_key_path() -> None:
    text = CAMPAIGN.format(timezone="Asia/Shanghai").replace("2020-09-30", "2099-12-30")
    loaded = loads_campaign(text, host=load_plugins())
    assert not loaded.ok
    [problem] = [p for p in loaded.problems if p.path == "requirements.summary.due"]
    # The campaign is written in Chinese, and so is what its clerk reads.
    assert problem.message.startswith("中国工作日历尚无 2099 年的安排：chinesecalendar ")
    assert problem.message.endswith("（pip install --upgrade chinesecalendar）")
