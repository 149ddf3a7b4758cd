"""`campaignkit new`: next year's plan from this year's, and starter files from templates."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
import tomli
from conftest import MINIMAL, SHENZHEN, without_reach

from campaignkit.dates import RestDays
from campaignkit.loader import loads_campaign
from campaignkit.newyear import next_year
from campaignkit.newyear_review import HEADER_END, HEADER_START
from campaignkit.plugins import load_plugins

# The review is checked against Saturdays and Sundays, computed here: China's calendar
# plugin, when installed, is switched off for these runs.
NO_CALENDAR = ("--disable", "cn-workdays")


def split_header(text: str) -> tuple[list[str], str]:
    """The review block `new` adds, and the text without it (and its blank line)."""
    lines = text.split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith(HEADER_START))
    end = next(i for i, line in enumerate(lines) if line.startswith(HEADER_END))
    assert lines[end + 1] == ""
    return lines[start : end + 1], "\n".join(lines[:start] + lines[end + 2 :])


def dates(value: Any, path: str = "") -> list[tuple[str, dt.date]]:
    """Every (key path, date) of parsed TOML."""
    if isinstance(value, dict):
        return [d for k, v in value.items() for d in dates(v, f"{path}.{k}" if path else k)]
    if isinstance(value, list):
        return [d for i, v in enumerate(value) for d in dates(v, f"{path}[{i}]")]
    return [(path, value)] if isinstance(value, dt.date) else []


def comments(text: str) -> list[str]:
    """Whole-line comments, and the comments at the end of a line."""
    found = []
    for line in text.splitlines():
        if line.lstrip().startswith("#"):
            found.append(line.strip())
        elif " #" in line:
            found.append(line[line.index(" #") :].strip())
    return found


def loader_reads_expressions() -> bool:
    text = MINIMAL.replace("due = 2020-06-28", 'due = "phases.month.end + 5d"')
    return loads_campaign(text).ok


@pytest.fixture
def shenzhen_2021(run_cli, tmp_path: Path) -> str:
    out = tmp_path / "shenzhen_2021.toml"
    result = run_cli(*NO_CALENDAR, "new", out, "--from", SHENZHEN, "--year", 2021)
    assert result.exit_code == 0, result.output
    return out.read_text(encoding="utf-8")


# ── next year's plan from this year's ──────────────────────────────────────────────────


def test_next_year_of_shenzhen_validates_with_every_date_in_2021(
    run_cli, tmp_path: Path, shenzhen_2021: str
) -> None:
    assert run_cli("validate", tmp_path / "shenzhen_2021.toml").exit_code == 0
    data = tomli.loads(shenzhen_2021)
    found = dates(data)
    assert len(found) == len(dates(tomli.loads(SHENZHEN.read_text(encoding="utf-8"))))
    assert {day.year for _, day in found} == {2021}
    assert data["campaign"]["id"] == "shenzhen-2021"
    assert data["campaign"]["title"] == "深圳市2021年“安全生产月”和“安全生产万里行”活动方案"
    assert data["campaign"]["issued_on"] == dt.date(2021, 5, 22)
    month = data["phases"]["safety-month"]
    assert (month["start"], month["end"]) == (dt.date(2021, 6, 1), dt.date(2021, 6, 30))
    due = {key: r["due"] for key, r in data["requirements"].items()}
    assert due == {
        "liaison-and-plan": dt.date(2021, 5, 28),
        "safety-month-summary": dt.date(2021, 7, 5),
        "wanlixing-summary": dt.date(2021, 12, 28),
    }
    # The document number and the theme are the bureau's to change.
    assert data["campaign"]["reference"] == "深安办〔2020〕79号"
    assert data["campaign"]["theme"] == "消除事故隐患，筑牢安全防线"


def test_next_year_keeps_comments_layout_and_the_schema_line(shenzhen_2021: str) -> None:
    original = SHENZHEN.read_text(encoding="utf-8")
    assert (
        shenzhen_2021.splitlines()[0]
        == original.splitlines()[0]
        == ("#:schema ./campaignkit.schema.json")
    )
    _, body = split_header(shenzhen_2021)
    assert comments(body) == comments(original)
    # Nothing but the dates, the id and the title changed, byte for byte.
    expected = re.sub(r"(?m)^(\w+ = )2020-(\d\d-\d\d)", r"\g<1>2021-\2", original)
    expected = expected.replace('id = "shenzhen-2020"', 'id = "shenzhen-2021"').replace(
        'title = "深圳市2020年', 'title = "深圳市2021年'
    )
    assert body == expected


def test_the_review_lists_rest_days_theme_and_reference(shenzhen_2021: str) -> None:
    host = load_plugins(disabled=["cn-workdays"])
    calendar = host.call("campaignkit_workdays", timezone="Asia/Shanghai")
    if calendar is not None and getattr(calendar, "name", "") != "weekends":
        pytest.skip(f"another working-day calendar is installed: {calendar!r}")
    header, _ = split_header(shenzhen_2021)
    block = "\n".join(header)
    weekend = {
        (path, day)
        for path, day in dates(tomli.loads(shenzhen_2021))
        if day.weekday() >= 5  # computed here, not by campaignkit
    }
    assert weekend == {("campaign.issued_on", dt.date(2021, 5, 22))}  # a Saturday
    listed = {
        (m["path"], dt.date.fromisoformat(m["day"]))
        for m in re.finditer(r"#   - (?P<path>\S+): (?P<day>\d{4}-\d\d-\d\d) is a", block)
    }
    assert listed == weekend
    assert "Saturday" in block
    assert "campaign.theme: NOT changed" in block
    assert "campaign.reference: NOT changed" in block
    assert "深安办〔2020〕79号" in block
    assert "Shifted 63 dates by +1 year" in block
    assert "from shenzhen_2020.toml" in block
    assert 'campaign.id "shenzhen-2020" → "shenzhen-2021"' in block
    # Text that still names 2020 is pointed out, not rewritten.
    assert "units.organizing-committee.name: still says 2020" in block


def test_json_summary_for_machines(run_cli, tmp_path: Path) -> None:
    out = tmp_path / "next.toml"
    result = run_cli(*NO_CALENDAR, "new", out, "--from", SHENZHEN, "--year", 2021, "-f", "json")
    assert result.exit_code == 0, result.output
    data = result.json()
    assert data["path"] == str(out)
    assert data["shifted"] == 63
    kinds = {item["kind"] for item in data["review"]}
    assert {"theme", "reference", "rest-day"} <= kinds
    rest = next(item for item in data["review"] if item["kind"] == "rest-day")
    assert (rest["path"], rest["date"]) == ("campaign.issued_on", "2021-05-22")
    assert data["problems"] == []


def test_the_year_defaults_to_the_next_one(run_cli, write_campaign, tmp_path: Path) -> None:
    out = tmp_path / "next.toml"
    assert run_cli("new", out, "--from", write_campaign(MINIMAL)).exit_code == 0
    data = tomli.loads(out.read_text(encoding="utf-8"))
    assert data["campaign"]["issued_on"] == dt.date(2021, 5, 22)
    assert data["requirements"]["summary"]["due"] == dt.date(2021, 6, 28)


def test_a_plan_across_new_year_stays_in_order(run_cli, write_campaign, tmp_path: Path) -> None:
    winter = (
        MINIMAL.replace('id = "mini"', 'id = "winter-2020-2021"')
        .replace("issued_on = 2020-05-22", "issued_on = 2020-11-20")
        .replace("start = 2020-06-01", "start = 2020-12-01")
        .replace("end = 2020-06-30", "end = 2021-01-31")
        .replace("due = 2020-06-28", "due = 2021-01-15")
    )
    out = tmp_path / "winter.toml"
    assert run_cli("new", out, "--from", write_campaign(winter), "--year", 2023).exit_code == 0
    data = tomli.loads(out.read_text(encoding="utf-8"))
    assert data["campaign"]["id"] == "winter-2023-2024"
    assert data["phases"]["month"] == {
        "name": "Safety month",
        "start": dt.date(2023, 12, 1),
        "end": dt.date(2024, 1, 31),
    }
    assert data["requirements"]["summary"]["due"] == dt.date(2024, 1, 15)


def test_date_expressions_are_kept_as_written(run_cli, write_campaign, tmp_path: Path) -> None:
    source = write_campaign(
        MINIMAL.replace("due = 2020-06-28", 'due = "phases.month.end + 5d"  # five days after')
    )
    out = tmp_path / "next.toml"
    result = run_cli("new", out, "--from", source, "--year", 2021)
    # The file is written whether or not this campaignkit reads expressions yet.
    assert result.exit_code in (0, 1), result.output
    text = out.read_text(encoding="utf-8")
    assert 'due = "phases.month.end + 5d"  # five days after\n' in text
    assert "end = 2021-06-30" in text
    assert "Kept 1 date expression as written" in text


@pytest.mark.skipif(
    not loader_reads_expressions(), reason="this loader refuses date expressions (not yet in)"
)
def test_an_expression_on_a_rest_day_is_reviewed(run_cli, write_campaign, tmp_path: Path) -> None:
    source = write_campaign(MINIMAL.replace("due = 2020-06-28", 'due = "phases.month.end + 3d"'))
    out = tmp_path / "next.toml"
    result = run_cli(*NO_CALENDAR, "new", out, "--from", source, "--year", 2021)
    assert result.exit_code == 0, result.output
    assert run_cli("validate", out).exit_code == 0
    header, _ = split_header(out.read_text(encoding="utf-8"))
    # 30 June 2021 + 3 days is Saturday 3 July.
    assert dt.date(2021, 7, 3).weekday() == 5
    assert any(
        line.startswith("#   - requirements.summary.due: 2021-07-03 is a Saturday")
        and "phases.month.end + 3d" in line
        for line in header
    )


def test_29_february_becomes_28_february_and_is_reviewed(
    run_cli, write_campaign, tmp_path: Path
) -> None:
    source = write_campaign(MINIMAL.replace("start = 2020-06-01", "start = 2020-02-29"))
    out = tmp_path / "next.toml"
    result = run_cli("new", out, "--from", source, "--year", 2021, "-f", "json")
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "start = 2021-02-28\n" in text
    assert "29 February → 28 February" in split_header(text)[0][3]
    leap = [item for item in result.json()["review"] if item["kind"] == "leap-day"]
    assert [(item["path"], item["date"]) for item in leap] == [("phases.month.start", "2021-02-28")]
    assert run_cli("validate", out).exit_code == 0


def test_dates_in_plugin_tables_and_arrays_move_too(tmp_path: Path) -> None:
    text = (
        MINIMAL
        + "\n[plugins.example]\nwhen = 2020-06-01 09:00:00+08:00  # first send\n"
        + "quiet = [2020-12-31, 2021-01-01]\n"
    )
    plan = next_year(text, 2021, source_name="x.toml", rest_days=RestDays())
    assert "when = 2021-06-01 09:00:00+08:00  # first send\n" in plan.body
    assert "quiet = [2021-12-31, 2022-01-01]\n" in plan.body
    assert len(plan.shifted) == 7


class Calendar:
    """Knows 2021 only: 28 June (a Monday) is a holiday, 22 May (a Saturday) a working day."""

    name = "test-calendar"

    def is_workday(self, day: dt.date) -> bool:
        if day.year != 2021:
            raise LookupError(day.year)
        return day != dt.date(2021, 6, 28)


def test_a_calendar_plugin_decides_the_rest_days() -> None:
    rest = RestDays(Calendar())
    text = MINIMAL.replace("end = 2020-06-30", "end = 2022-06-30")  # 2022: unknown
    plan = next_year(text, 2021, source_name="x.toml", rest_days=rest)
    listed = {(item.path, item.date) for item in plan.review if item.kind == "rest-day"}
    # 22 May 2021 is a Saturday, but the calendar says it is a working day;
    # 30 June 2023 is a Friday, and the calendar does not know 2023.
    assert listed == {("requirements.summary.due", dt.date(2021, 6, 28))}
    assert rest.unknown_years == {2023}
    assert any(item.kind == "calendar" and "2023" in item.message for item in plan.review)


def test_the_installed_calendar_is_asked_for_the_campaign_time_zone(
    run_cli, write_campaign, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from campaignkit import hookimpl
    from campaignkit.cli import new as new_command

    asked = []

    class Plugin:
        @hookimpl(tryfirst=True)
        def campaignkit_workdays(self, timezone: str) -> Calendar:
            asked.append(timezone)
            return Calendar()

    def host_from(ctx: Any) -> Any:
        host = real_host_from(ctx)
        host.pm.register(Plugin(), name="test-calendar")
        return host

    real_host_from = new_command.host_from
    monkeypatch.setattr(new_command, "host_from", host_from)
    out = tmp_path / "next.toml"
    result = run_cli("new", out, "--from", write_campaign(MINIMAL), "-f", "json")
    assert result.exit_code == 0, result.output
    assert asked[0] == "Asia/Shanghai"
    rest = [item for item in result.json()["review"] if item["kind"] == "rest-day"]
    assert [(item["path"], item["date"]) for item in rest] == [
        ("requirements.summary.due", "2021-06-28")
    ]
    assert "by `test-calendar`" in rest[0]["message"]


def test_a_second_run_replaces_the_review_block(run_cli, write_campaign, tmp_path: Path) -> None:
    first, second = tmp_path / "2021.toml", tmp_path / "2022.toml"
    assert run_cli("new", first, "--from", write_campaign(MINIMAL)).exit_code == 0
    assert run_cli("new", second, "--from", first).exit_code == 0
    text = second.read_text(encoding="utf-8")
    assert text.count(HEADER_START) == 1
    assert "2022 plan written by `campaignkit new` from 2021.toml." in text
    assert "issued_on = 2022-05-22" in text


def test_a_relative_extends_keeps_naming_the_same_file(run_cli, write_campaign, tmp_path) -> None:
    child = write_campaign(
        """\
        format = 1
        extends = "parent.toml"

        [campaign]
        id = "child-2020"
        title = "Child"
        issued_on = 2020-05-22
        """
    )
    out = tmp_path / "2021" / "district" / "child.toml"
    run_cli("new", out, "--from", child)  # its parent is last year's: it may not validate
    text = out.read_text(encoding="utf-8")
    assert 'extends = "../../parent.toml"\n' in text
    assert "extends: still extends ../../parent.toml" in text


def test_paths_of_this_machine_stay_out_of_the_file(shenzhen_2021: str) -> None:
    assert str(SHENZHEN.parent) not in shenzhen_2021


def test_windows_line_ends_are_kept(run_cli, tmp_path: Path) -> None:
    source = tmp_path / "crlf.toml"
    source.write_bytes(MINIMAL.replace("\n", "\r\n").encode())
    out = tmp_path / "next.toml"
    assert run_cli("new", out, "--from", source).exit_code == 0
    data = out.read_bytes()
    assert data.count(b"\n") == data.count(b"\r\n")


# ── refusing ────────────────────────────────────────────────────────────────────────────


def test_an_existing_file_is_not_overwritten_without_force(
    run_cli, write_campaign, tmp_path: Path
) -> None:
    source = write_campaign(MINIMAL)
    out = tmp_path / "next.toml"
    out.write_text("mine\n", encoding="utf-8")
    result = run_cli("new", out, "--from", source)
    assert result.exit_code == 1
    assert "exists" in result.stderr
    assert "--force" in result.stderr
    assert out.read_text(encoding="utf-8") == "mine\n"
    assert run_cli("new", out, "--from", source, "--force").exit_code == 0
    assert "issued_on = 2021-05-22" in out.read_text(encoding="utf-8")


def test_the_source_itself_is_never_overwritten(run_cli, write_campaign) -> None:
    source = write_campaign(MINIMAL)
    result = run_cli("new", source, "--from", source, "--force")
    assert result.exit_code == 1
    assert source.read_text(encoding="utf-8") == MINIMAL


def test_a_source_that_is_not_toml_is_a_problem(run_cli, write_campaign, tmp_path) -> None:
    result = run_cli("new", tmp_path / "next.toml", "--from", write_campaign("format = 1\n[x\n"))
    assert result.exit_code == 1
    assert "not valid TOML" in result.stderr
    assert not (tmp_path / "next.toml").exists()


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["--from", SHENZHEN, "--template", "city"],
        ["--template", "city", "--year", 2021],
        ["--year", 2021],
        ["--template", "town"],
        ["--from", SHENZHEN, "--year", 2020],
        ["--from", SHENZHEN, "--year", 0],
    ],
    ids=[
        "neither",
        "both",
        "year-with-template",
        "year-alone",
        "unknown-template",
        "same-year",
        "0",
    ],
)
def test_usage_errors_exit_2(run_cli, tmp_path: Path, args: list[object]) -> None:
    out = tmp_path / "next.toml"
    assert run_cli("new", out, *args).exit_code == 2
    assert not out.exists()


# ── templates ───────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("name", ["city", "district"])
def test_a_template_validates_without_a_warning(run_cli, tmp_path: Path, name: str) -> None:
    out = tmp_path / f"{name}.toml"
    result = run_cli("new", out, "--template", name)
    assert result.exit_code == 0, result.output
    validated = run_cli("validate", out, "--format", "json")
    assert validated.exit_code == 0
    # A template names no channels yet: only that its units cannot be reached is said.
    assert without_reach(validated.json()) == []
    text = out.read_text(encoding="utf-8")
    assert text.startswith("#:schema ./campaignkit.schema.json\n")
    assert "campaignkit schema -o campaignkit.schema.json" in text.splitlines()[2]
    assert "campaignkit schema -o" in result.stdout  # no schema beside it yet


def test_the_city_template_has_what_a_city_needs(run_cli, tmp_path: Path) -> None:
    out = tmp_path / "city.toml"
    run_cli("new", out, "--template", "city")
    data = tomli.loads(out.read_text(encoding="utf-8"))
    kinds = [unit["kind"] for unit in data["units"].values()]
    assert sorted(kinds) == ["committee", "district", "district", "district", "office"]
    assert len(data["phases"]) == 1
    assert data["groups"]
    assert len(data["requirements"]) == 2
    for requirement in data["requirements"].values():
        assert requirement["deliverables"]
        assert requirement["remind"]


def test_the_district_template_assigns_its_streets(run_cli, tmp_path: Path) -> None:
    out = tmp_path / "district.toml"
    run_cli("new", out, "--template", "district")
    data = tomli.loads(out.read_text(encoding="utf-8"))
    streets = [key for key, unit in data["units"].items() if unit["kind"] == "street"]
    assert len(streets) == 3
    assert data["groups"]["streets"] == {"kinds": ["street"]}
    assert all(r["assignees"] == ["streets"] for r in data["requirements"].values())
    assert "街道" in out.read_text(encoding="utf-8")


def test_every_key_of_a_template_is_commented(run_cli, tmp_path: Path) -> None:
    for name in ("city", "district"):
        out = tmp_path / f"{name}.toml"
        run_cli("new", out, "--template", name)
        lines = out.read_text(encoding="utf-8").splitlines()
        keys = {m.group(1) for line in lines if (m := re.match(r"([a-z_]+) = .*#", line))}
        plain = {m.group(1) for line in lines if (m := re.match(r"([a-z_]+) = ", line))}
        assert plain <= keys, f"{name}: {sorted(plain - keys)} without a comment"
