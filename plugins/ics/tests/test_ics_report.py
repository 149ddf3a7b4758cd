"""``campaignkit report --format ics``, read back with vobject — a second iCalendar parser,
independent of the icalendar library that writes the feed."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import zoneinfo
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import vobject  # type: ignore[import-untyped]

REPO = Path(__file__).resolve().parents[3]
SHENZHEN = REPO / "campaigns" / "shenzhen_2020.toml"
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")

# A small campaign in New York. Daylight saving time began on Sunday 8 March 2020.
# `summary` is due on the 10th with reminders on the day, the day before, and 7 days
# before — 3 March, before the issue date, so the timeline drops it. `plan`'s reminder
# (7 March, 09:00 EST) is three days before a deadline in EDT.
NEW_YORK_CAMPAIGN = """\
format = 1

[campaign]
id = "nyc-drill"
title = "Spring safety drill, 2020"
issued_on = 2020-03-05
issued_by = "office"
timezone = "America/New_York"

[phases.drill-week]
name = "Drill week"
start = 2020-03-09
end = 2020-03-13

[units.office]
name = "Emergency office"
kind = "office"

[units.east]
name = "East borough"
kind = "district"
parent = "office"

[units.west]
name = "West borough"
kind = "district"
parent = "office"

[groups]
districts = { kinds = ["district"] }

[activities.fire-drill]
name = "Fire drill; evacuation, roll call"
phase = "drill-week"
on = 2020-03-11
mode = "offline"
organizer = "office"
participants = ["east"]
venue = "City Hall, 1 Main St; rear exit"
channels = ["radio", "sms"]
description = "Everyone out in 5 minutes."

[requirements.summary]
name = "Summary"
assignees = ["districts"]
due = 2020-03-10
remind = [0, 1, 7]

[requirements.plan]
name = "Drill plan"
assignees = ["east"]
due = 2020-03-10
remind = [3]
"""

Run = Callable[..., Any]


def export(run_cli: Run, tmp_path: Path, campaign: Path, *args: object) -> bytes:
    """`report --format ics -o FILE`, and the bytes of FILE."""
    out = tmp_path / f"export{len(list(tmp_path.glob('*.ics')))}.ics"
    result = run_cli("report", campaign, "--format", "ics", "-o", out, *args)
    assert result.exit_code == 0, result.output
    return out.read_bytes()


def parse(data: bytes) -> Any:
    """The one VCALENDAR in `data`, read by vobject."""
    assert data.startswith(b"BEGIN:VCALENDAR\r\n")
    assert data.endswith(b"END:VCALENDAR\r\n")
    lines = data.split(b"\r\n")
    assert all(b"\n" not in line and len(line) <= 75 for line in lines), "folded, CRLF"
    calendars = list(vobject.readComponents(data.decode("utf-8")))
    assert len(calendars) == 1
    return calendars[0]


def prop(component: Any, name: str) -> Any:
    values = component.contents.get(name, [])
    assert len(values) == 1, f"{name}: {values}"
    return values[0].value


def events(cal: Any) -> dict[str, Any]:
    """The VEVENTs by UID; no UID is repeated."""
    found = cal.contents.get("vevent", [])
    uids = [ev.uid.value for ev in found]
    assert len(uids) == len(set(uids)), [u for u, n in Counter(uids).items() if n > 1]
    return dict(zip(uids, found, strict=True))


def category(ev: Any) -> str:
    (value,) = ev.categories.value
    return str(value)


def all_day(ev: Any) -> tuple[dt.date, dt.date]:
    """First and last day of an all-day event (DTEND is exclusive)."""
    start, end = ev.dtstart.value, ev.dtend.value
    assert type(start) is dt.date, start
    assert type(end) is dt.date, end
    assert ev.dtstart.params.get("VALUE") == ["DATE"]
    assert ev.dtend.params.get("VALUE") == ["DATE"]
    return start, end - dt.timedelta(days=1)


def alarm_moments(ev: Any, zone: zoneinfo.ZoneInfo) -> list[dt.datetime]:
    """When each alarm fires, on the local wall clock of `zone`.

    An all-day event starts at 00:00 local; RFC 5545 adds a duration's days as nominal days
    and its hours as exact time, which on a wall clock within one day is the same thing.
    """
    start = dt.datetime.combine(ev.dtstart.value, dt.time(0, 0))
    moments = []
    for alarm in ev.contents.get("valarm", []):
        assert prop(alarm, "action").upper() == "DISPLAY"
        assert prop(alarm, "description")
        assert alarm.trigger.params.get("RELATED", ["START"]) == ["START"]
        offset = alarm.trigger.value
        assert isinstance(offset, dt.timedelta), "relative to the start"
        moments.append((start + offset).replace(tzinfo=zone))
    return moments


def kept_reminders(requirement: dict[str, Any], issued_on: dt.date) -> list[int]:
    due = dt.date.fromisoformat(requirement["due"])
    return [n for n in requirement["remind"] if due - dt.timedelta(days=n) >= issued_on]


@pytest.fixture
def shenzhen(run_cli: Run) -> dict[str, Any]:
    """The Shenzhen campaign as `show --format json` prints it."""
    result = run_cli("show", SHENZHEN, "--format", "json")
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = result.json()
    return data


def units_of(campaign: dict[str, Any], names: list[str]) -> set[str]:
    """Unit and group ids resolved to unit ids, through the groups' `members`."""
    groups = campaign["groups"]
    out: set[str] = set()
    for name in names:
        out.update(groups[name]["members"] if name in groups else [name])
    return out


def test_whole_campaign(run_cli: Run, tmp_path: Path, shenzhen: dict[str, Any]) -> None:
    cal = parse(export(run_cli, tmp_path, SHENZHEN, "--simulate"))
    assert prop(cal, "version") == "2.0"
    assert prop(cal, "prodid")
    assert prop(cal, "calscale") == "GREGORIAN"
    assert prop(cal, "x-wr-calname") == shenzhen["campaign"]["title"]
    assert prop(cal, "x-wr-timezone") == "Asia/Shanghai"

    found = events(cal)
    kinds = Counter(category(ev) for ev in found.values())
    assert kinds == {
        "phase": len(shenzhen["phases"]),
        "activity": len(shenzhen["activities"]),
        "deadline": len(shenzhen["requirements"]),
    }
    assert set(found) == (
        {f"phase-{p}@shenzhen-2020" for p in shenzhen["phases"]}
        | {f"activity-{a}@shenzhen-2020" for a in shenzhen["activities"]}
        | {f"due-{r}@shenzhen-2020" for r in shenzhen["requirements"]}
    )
    for ev in found.values():
        assert prop(ev, "sequence") == "0"
        assert isinstance(ev.dtstamp.value, dt.datetime)


def test_dates_names_and_places(run_cli: Run, tmp_path: Path, shenzhen: dict[str, Any]) -> None:
    found = events(parse(export(run_cli, tmp_path, SHENZHEN, "--simulate")))
    day = dt.date.fromisoformat

    month = found["phase-safety-month@shenzhen-2020"]
    assert all_day(month) == (day("2020-06-01"), day("2020-06-30"))
    assert month.dtend.value == day("2020-07-01")  # exclusive
    assert all_day(found["phase-wanlixing@shenzhen-2020"]) == (day("2020-06-01"), day("2020-12-31"))
    assert prop(month, "summary") == "安全生产月"

    consultation = found["activity-consultation-day@shenzhen-2020"]
    assert all_day(consultation) == (day("2020-06-16"), day("2020-06-16"))
    assert consultation.dtend.value == day("2020-06-17")
    assert prop(consultation, "location") == "深圳中心书城北广场"
    text = prop(consultation, "description")
    assert "线上线下结合" in text  # mode: hybrid
    assert all(channel in text for channel in ["网易深圳", "学习强安", "深圳应急管理微信"])
    assert "云直播" in text  # the activity's own description

    for act in shenzhen["activities"].values():
        ev = found[f"activity-{act['id']}@shenzhen-2020"]
        first, last = act["on"] or act["start"], act["on"] or act["end"]
        assert all_day(ev) == (day(first), day(last))
        assert prop(ev, "summary") == act["name"]
        assert category(ev) == "activity"

    dues = {
        r: all_day(found[f"due-{r}@shenzhen-2020"])
        for r in ["liaison-and-plan", "safety-month-summary", "wanlixing-summary"]
    }
    assert dues == {
        "liaison-and-plan": (day("2020-05-28"), day("2020-05-28")),
        "safety-month-summary": (day("2020-07-05"), day("2020-07-05")),
        "wanlixing-summary": (day("2020-12-28"), day("2020-12-28")),
    }
    for req in shenzhen["requirements"].values():
        assert prop(found[f"due-{req['id']}@shenzhen-2020"], "summary") == f"截止：{req['name']}"


def test_alarms_fire_at_nine_local_like_the_timeline(
    run_cli: Run, tmp_path: Path, shenzhen: dict[str, Any]
) -> None:
    found = events(parse(export(run_cli, tmp_path, SHENZHEN, "--simulate")))
    issued_on = dt.date.fromisoformat(shenzhen["campaign"]["issued_on"])
    timeline = run_cli("timeline", SHENZHEN, "--format", "json")
    assert timeline.exit_code == 0, timeline.output

    for req in shenzhen["requirements"].values():
        ev = found[f"due-{req['id']}@shenzhen-2020"]
        due = dt.date.fromisoformat(req["due"])
        kept = kept_reminders(req, issued_on)
        moments = alarm_moments(ev, SHANGHAI)
        assert len(moments) == len(kept)
        expected = {dt.datetime.combine(due - dt.timedelta(days=n), dt.time(9, 0)) for n in kept}
        assert {m.replace(tzinfo=None) for m in moments} == expected
        reminders = {
            dt.datetime.fromisoformat(e["at"])
            for e in timeline.json()
            if e["kind"] == "requirement.remind" and e["subject"] == req["id"]
        }
        assert set(moments) == reminders

    # One by hand: liaison-and-plan is due 2020-05-28; the 3-day reminder fires on 25 May at
    # 09:00 in Shanghai, which is 01:00 UTC.
    ev = found["due-liaison-and-plan@shenzhen-2020"]
    assert dt.datetime(2020, 5, 25, 1, 0, tzinfo=dt.UTC) in {
        m.astimezone(dt.UTC) for m in alarm_moments(ev, SHANGHAI)
    }


def test_unit_calendar(run_cli: Run, tmp_path: Path, shenzhen: dict[str, Any]) -> None:
    cal = parse(export(run_cli, tmp_path, SHENZHEN, "--simulate", "--unit", "futian"))
    name = shenzhen["units"]["futian"]["name"]
    assert name in prop(cal, "x-wr-calname")
    assert shenzhen["campaign"]["title"] in prop(cal, "x-wr-calname")
    found = events(cal)
    assert all(uid.endswith(".futian@shenzhen-2020") for uid in found)

    theirs = {
        a["id"]
        for a in shenzhen["activities"].values()
        if a["organizer"] == "futian" or "futian" in units_of(shenzhen, a["participants"])
    }
    musts = {
        r["id"]
        for r in shenzhen["requirements"].values()
        if "futian" in units_of(shenzhen, r["assignees"])
    }
    assert len(musts) == 3
    assert "consultation-day" not in theirs  # member units only
    assert "five-entries-rural" not in theirs  # Shenshan only
    by_kind: dict[str, set[str]] = {"phase": set(), "activity": set(), "deadline": set()}
    for uid, ev in found.items():
        by_kind[category(ev)].add(uid.split("-", 1)[1].removesuffix(".futian@shenzhen-2020"))
    assert by_kind == {"phase": set(shenzhen["phases"]), "activity": theirs, "deadline": musts}
    assert "due-liaison-and-plan.futian@shenzhen-2020" in found
    assert "phase-safety-month.futian@shenzhen-2020" in found

    issued_on = dt.date.fromisoformat(shenzhen["campaign"]["issued_on"])
    for req_id in musts:
        ev = found[f"due-{req_id}.futian@shenzhen-2020"]
        kept = kept_reminders(shenzhen["requirements"][req_id], issued_on)
        assert len(ev.contents.get("valarm", [])) == len(kept)


def test_uids_are_stable_and_output_deterministic(run_cli: Run, tmp_path: Path) -> None:
    first = export(run_cli, tmp_path, SHENZHEN, "--simulate")
    again = export(run_cli, tmp_path, SHENZHEN, "--simulate")
    assert first == again

    # Other standings change descriptions, never the UIDs.
    other = export(run_cli, tmp_path, SHENZHEN, "--simulate", "--compliance", "0.5", "--seed", "3")
    assert list(events(parse(first))) == list(events(parse(other)))

    # A live ledger: DTSTAMP is the moment of the standings, the UIDs are the same.
    db = tmp_path / "ledger.db"
    walked = run_cli("simulate", SHENZHEN, "--db", db, "--format", "json")
    assert walked.exit_code == 0, walked.output
    live = export(run_cli, tmp_path, SHENZHEN, "--db", db, "--at", "2020-06-01")
    found = events(parse(live))
    assert list(found) == list(events(parse(first)))
    stamp = dt.datetime(2020, 6, 1, 23, 59, 59, tzinfo=SHANGHAI)
    assert {ev.dtstamp.value for ev in found.values()} == {stamp}
    assert export(run_cli, tmp_path, SHENZHEN, "--db", db, "--at", "2020-06-01") == live


def test_new_york_campaign_drops_a_reminder_before_the_issue_date(
    run_cli: Run, tmp_path: Path, write_campaign: Callable[..., Path]
) -> None:
    path = write_campaign(NEW_YORK_CAMPAIGN)
    checked = run_cli("validate", path)
    assert checked.exit_code == 0, checked.output

    data = export(run_cli, tmp_path, path, "--simulate")
    cal = parse(data)
    assert prop(cal, "x-wr-calname") == "Spring safety drill, 2020"
    assert prop(cal, "x-wr-timezone") == "America/New_York"
    found = events(cal)
    assert set(found) == {
        "phase-drill-week@nyc-drill",
        "activity-fire-drill@nyc-drill",
        "due-summary@nyc-drill",
        "due-plan@nyc-drill",
    }

    # Text with commas and semicolons survives the round trip.
    drill = found["activity-fire-drill@nyc-drill"]
    assert prop(drill, "summary") == "Fire drill; evacuation, roll call"
    assert prop(drill, "location") == "City Hall, 1 Main St; rear exit"
    assert all_day(drill) == (dt.date(2020, 3, 11), dt.date(2020, 3, 11))
    assert "Everyone out in 5 minutes." in prop(drill, "description")

    summary = found["due-summary@nyc-drill"]
    assert prop(summary, "summary") == "Due: Summary"
    assert all_day(summary) == (dt.date(2020, 3, 10), dt.date(2020, 3, 10))
    # remind = [0, 1, 7]: the 7-day reminder (3 March) falls before 5 March and is dropped.
    assert sorted(a.trigger.value for a in summary.contents["valarm"]) == [
        -dt.timedelta(hours=15),
        dt.timedelta(hours=9),
    ]
    assert b"TRIGGER:-PT15H\r\n" in data
    assert sorted(m.astimezone(dt.UTC) for m in alarm_moments(summary, NEW_YORK)) == [
        dt.datetime(2020, 3, 9, 13, 0, tzinfo=dt.UTC),  # 09:00 EDT
        dt.datetime(2020, 3, 10, 13, 0, tzinfo=dt.UTC),
    ]

    # Across the change to daylight saving time, the reminder stays at 09:00 local.
    plan = found["due-plan@nyc-drill"]
    assert [m.astimezone(dt.UTC) for m in alarm_moments(plan, NEW_YORK)] == [
        dt.datetime(2020, 3, 7, 14, 0, tzinfo=dt.UTC)  # 09:00 EST
    ]
    assert b"TRIGGER:-P2DT15H\r\n" in data
    timeline = run_cli("timeline", path, "--format", "json").json()
    assert {
        dt.datetime.fromisoformat(e["at"]) for e in timeline if e["kind"] == "requirement.remind"
    } == {m for ev in (summary, plan) for m in alarm_moments(ev, NEW_YORK)}


def test_new_york_unit_calendars(
    run_cli: Run, tmp_path: Path, write_campaign: Callable[..., Path]
) -> None:
    path = write_campaign(NEW_YORK_CAMPAIGN)
    east = parse(export(run_cli, tmp_path, path, "--simulate", "--unit", "east"))
    assert prop(east, "x-wr-calname") == "Spring safety drill, 2020 — East borough"
    assert set(events(east)) == {
        "phase-drill-week.east@nyc-drill",
        "activity-fire-drill.east@nyc-drill",
        "due-summary.east@nyc-drill",
        "due-plan.east@nyc-drill",
    }
    west = parse(export(run_cli, tmp_path, path, "--simulate", "--unit", "west"))
    assert set(events(west)) == {"phase-drill-week.west@nyc-drill", "due-summary.west@nyc-drill"}


def test_the_format_is_listed_and_icalendar_loads_lazily(run_cli: Run) -> None:
    listed = run_cli("plugins")
    assert listed.exit_code == 0, listed.output
    assert "ics" in listed.stdout

    code = (
        "import sys, campaignkit_ics\n"
        "(fmt,) = campaignkit_ics.campaignkit_report_formats()\n"
        "assert (fmt.name, fmt.suffix, fmt.media_type) == ('ics', '.ics', 'text/calendar')\n"
        "assert 'icalendar' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


WINTER = REPO / "tests" / "data" / "winter_fire_2022.toml"
"""A small campaign in Chinese whose deliverables have names people read."""


def alarm_texts(ev: Any) -> list[str]:
    return sorted(prop(alarm, "description") for alarm in ev.contents.get("valarm", []))


def test_a_chinese_calendar_speaks_chinese_and_names_deliverables(
    run_cli: Run, tmp_path: Path
) -> None:
    found = events(parse(export(run_cli, tmp_path, WINTER, "--simulate", "--compliance", "0")))
    plan = found["due-plan@winter-fire-2022"]
    assert prop(plan, "summary") == "截止：检查方案"
    assert prop(plan, "description").splitlines() == [
        "截止时间：2022-10-28 23:59:59（Asia/Shanghai）",
        "报送至：示范市安委办",
        "报送材料：检查工作方案（docx/pdf）",
        "报送情况（模拟结束时）：未报送 2",
    ]
    assert alarm_texts(plan) == ["提醒：检查方案，3天后截止", "提醒：检查方案，明天截止"]
    summary = found["due-summary@winter-fire-2022"]
    # Deliverables by name (检查总结, 现场照片), never by id (summary-doc, photos).
    assert "报送材料：检查总结；现场照片（jpg，≥3）" in prop(summary, "description")
    launch = prop(found["activity-launch@winter-fire-2022"], "description")
    assert launch.splitlines() == ["方式：线上线下结合", "主办单位：示范市安委办"]
    assert prop(found["activity-training@winter-fire-2022"], "description") == "方式：线上"

    east = parse(export(run_cli, tmp_path, WINTER, "--simulate", "--unit", "east"))
    assert prop(east, "x-wr-calname") == "2022年冬季消防安全检查（东区安委会）"
    # The operator's own language does not change the calendar the offices subscribe to.
    pinned = tmp_path / "pinned.ics"
    args = ("report", WINTER, "--simulate", "--format", "ics", "-o", pinned)
    assert run_cli(*args, env={"CAMPAIGNKIT_LANGUAGE": "en"}).exit_code == 0
    assert prop(events(parse(pinned.read_bytes()))["due-plan@winter-fire-2022"], "summary") == (
        "截止：检查方案"
    )


def test_an_english_calendar_names_deliverables_in_english_words(
    run_cli: Run, tmp_path: Path, write_campaign: Callable[..., Path]
) -> None:
    path = write_campaign(WINTER.read_text(encoding="utf-8").replace('"zh-CN"', '"en"'))
    found = events(parse(export(run_cli, tmp_path, path, "--simulate", "--compliance", "0")))
    plan = found["due-plan@winter-fire-2022"]
    assert prop(plan, "summary") == "Due: 检查方案"
    assert prop(plan, "description").splitlines() == [
        "Due at: 2022-10-28 23:59:59 (Asia/Shanghai)",
        "Submit to: 示范市安委办",
        "Deliverables: 检查工作方案 (docx/pdf)",
        "Standing (at the end of the simulation): missing 2",
    ]
    assert alarm_texts(plan) == [
        "Reminder: 检查方案 is due in 3 days",
        "Reminder: 检查方案 is due tomorrow",
    ]
    launch = prop(found["activity-launch@winter-fire-2022"], "description")
    assert launch.splitlines() == ["Mode: hybrid", "Organizer: 示范市安委办"]


def test_a_deliverable_without_a_name_is_shown_by_its_id(run_cli: Run, tmp_path: Path) -> None:
    found = events(parse(export(run_cli, tmp_path, SHENZHEN, "--simulate")))
    text = prop(found["due-liaison-and-plan@shenzhen-2020"], "description")
    assert "报送材料：liaison-form（docx）；activity-plan" in text


def test_a_units_calendar_follows_its_extension(run_cli: Run, tmp_path: Path) -> None:
    path, db = tmp_path / "nyc.toml", tmp_path / "nyc.db"
    path.write_text(NEW_YORK_CAMPAIGN, encoding="utf-8")
    granted = run_cli(
        "extend", path, "--db", db, "--unit", "east", "--requirement", "summary",
        "--until", "2020-03-17", "--reason", "flood",
    )  # fmt: skip
    assert granted.exit_code == 0, granted.output
    east = events(parse(export(run_cli, tmp_path, path, "--db", db, "--unit", "east")))
    due = east["due-summary.east@nyc-drill"]
    assert all_day(due) == (dt.date(2020, 3, 17), dt.date(2020, 3, 17))
    assert "Extended to 2020-03-17" in prop(due, "description")
    # Its own reminders, on the day, the day before and a week before: 10, 16 and 17 March.
    assert alarm_moments(due, NEW_YORK) == [
        dt.datetime(2020, 3, day, 9, 0, tzinfo=NEW_YORK) for day in (10, 16, 17)
    ]
    west = events(parse(export(run_cli, tmp_path, path, "--db", db, "--unit", "west")))
    assert all_day(west["due-summary.west@nyc-drill"])[0] == dt.date(2020, 3, 10)
