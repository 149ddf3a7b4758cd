"""Escalation ladders: a yellow card to the unit, a red card to its leadership, a summons
by the committee's director, each on its day, each stopped by a hand-in."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from campaignkit import Campaign, Report, Submission, load_plugins, rehearse

LADDER = """\
format = 1

[campaign]
id = "ladder-drill"
title = "区安全生产月活动总结督办演练"
issued_on = 2021-06-01
issued_by = "city"
timezone = "Asia/Shanghai"

[phases.month]
name = "安全生产月"
start = 2021-06-01
end = 2021-06-30

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

[roles.director]
title = "组委会主任"
unit = "city"
holder = "王五"

[requirements.summary]
name = "活动总结"
assignees = ["east", "west"]
due = 2021-06-10
submit_to = "district"
remind = []

[[requirements.summary.escalation]]
after = "1wd"
to = "unit"
label = "黄牌预警"

[[requirements.summary.escalation]]
after = "3wd"
to = "parent"
label = "红牌督办"

[[requirements.summary.escalation]]
after = "10d"
to = "director"
label = "约谈"
"""

STEP = "requirements.summary.escalation"
TZ = dt.timezone(dt.timedelta(hours=8))


def notices(campaign: Campaign, handed: dict[str, dt.datetime]) -> list[Any]:
    host = load_plugins(entry_points=False)
    subs = [Submission(unit, "summary", at) for unit, at in handed.items()]
    return list(rehearse(campaign, host, submissions=subs).result.notifications)


def test_each_step_goes_out_on_its_day_to_whom_it_says(
    campaign_from_toml: Callable[[str], Campaign],
) -> None:
    campaign = campaign_from_toml(LADDER)
    # West hands in late on Tuesday 15 June, after its yellow card, before the red one.
    notes = notices(campaign, {"west": dt.datetime(2021, 6, 15, 15, 0, tzinfo=TZ)})
    steps = [
        (n.at.isoformat(), n.to, n.about, n.level, n.label) for n in notes if n.kind == "escalation"
    ]
    assert steps == [
        # 10 June was a Thursday: one working day later is Friday the 11th, 23:59:59.
        ("2021-06-12T09:00:00+08:00", "east", None, 1, "黄牌预警"),
        ("2021-06-12T09:00:00+08:00", "west", None, 1, "黄牌预警"),
        # Three working days: Tuesday the 15th. The parent is the chasing office, so the
        # red card goes one level above it.
        ("2021-06-16T09:00:00+08:00", "city", "east", 2, "红牌督办"),
        ("2021-06-21T09:00:00+08:00", "city", "east", 3, "约谈"),
    ]
    yellow = next(n for n in notes if n.level == 1)
    assert yellow.text.startswith("【黄牌预警】")
    assert "【督办】" not in yellow.text  # the step's name takes the built-in tag's place
    # To the unit itself, the card says "you", and asks it to hand in, not to supervise.
    assert yellow.text.startswith("【黄牌预警】东街道：截至2021年6月11日，贵单位逾期1天仍未报送")
    assert yellow.text.endswith("请立即报送。")
    summons = next(n for n in notes if n.level == 3)
    assert "组委会主任王五" in summons.text
    assert summons.key == "ladder-drill/summary/escalation-10d-L3/east"


def test_the_one_step_of_escalate_after_keeps_its_key(
    campaign_from_toml: Callable[[str], Campaign],
) -> None:
    text = LADDER.split("[[requirements.summary.escalation]]")[0] + "escalate_after = 3\n"
    notes = notices(campaign_from_toml(text), {})
    escalations = [n for n in notes if n.kind == "escalation"]
    assert [(n.key, n.level, n.label) for n in escalations] == [
        ("ladder-drill/summary/escalation-3d/east", 1, None),
        ("ladder-drill/summary/escalation-3d/west", 1, None),
    ]
    assert escalations[0].as_json()["level"] == 1


@settings(max_examples=40, derandomize=True, deadline=None)
@given(minutes=st.integers(min_value=0, max_value=25 * 24 * 60))
@example(minutes=10 * 24 * 60 + 23 * 60 + 59)  # the last minute of the yellow card's day
def test_a_unit_that_hands_in_is_never_escalated_further(minutes: int) -> None:
    campaign = _campaign()
    handed = dt.datetime(2021, 6, 1, tzinfo=TZ) + dt.timedelta(minutes=minutes)
    notes = notices(campaign, {"east": handed})
    about_east = [n for n in notes if n.kind == "escalation" and n.chased == "east"]
    assert all(n.as_of is not None and n.as_of < handed for n in about_east)
    levels = [n.level for n in about_east]
    assert levels == list(range(1, len(levels) + 1))  # the ladder, climbed in order


_CACHE: dict[str, Campaign] = {}


def _campaign() -> Campaign:
    from campaignkit import loads_campaign

    if "c" not in _CACHE:
        loaded = loads_campaign(LADDER, host=load_plugins(entry_points=False))
        assert loaded.campaign is not None
        _CACHE["c"] = loaded.campaign
    return _CACHE["c"]


def test_reports_show_the_highest_step_reached(
    campaignkit_report: Callable[..., Report],
) -> None:
    scenario = """\
    [[submissions]]
    unit = "west"
    requirement = "summary"
    submitted_at = 2021-06-15T15:00:00+08:00
    """
    report = campaignkit_report(LADDER, scenario)
    rows = {row.unit: row for row in report.requirements[0].rows}
    assert (rows["east"].level, rows["west"].level) == (3, 1)
    assert (rows["east"].column("escalation"), rows["west"].column("escalation")) == (
        "约谈",
        "黄牌预警",
    )
    from campaignkit import report_json

    assignees = report_json(report)["requirements"][0]["assignees"]  # type: ignore[index]
    assert assignees[0]["escalation"] == {"level": 3, "label": "约谈"}


def test_the_html_grid_is_coloured_by_the_step(
    run_cli: Callable[..., Any], write_campaign: Callable[..., Path], tmp_path: Path
) -> None:
    path = write_campaign(LADDER)
    out = tmp_path / "r.html"
    result = run_cli(
        "report", path, "--simulate", "--compliance", "0", "--format", "html", "-o", out
    )
    assert result.exit_code == 0, result.output
    assert out.read_text("utf-8").count('class="cell status-missing level-3"') == 2


def test_simulate_json_carries_level_and_label(
    run_cli: Callable[..., Any], write_campaign: Callable[..., Path]
) -> None:
    result = run_cli("simulate", write_campaign(LADDER), "--compliance", "0", "--format", "json")
    assert result.exit_code == 0, result.output
    notes = result.json()["notifications"]
    steps = [(n["to"], n["level"], n["label"]) for n in notes if n["kind"] == "escalation"]
    assert steps[-2:] == [("city", 3, "约谈"), ("city", 3, "约谈")]
    timeline = run_cli("timeline", write_campaign(LADDER), "--format", "json").json()
    assert [(e["level"], e["label"]) for e in timeline if "level" in e] == [
        (1, "黄牌预警"),
        (2, "红牌督办"),
        (3, "约谈"),
    ]


def test_the_outbox_keeps_each_step(
    campaign_from_toml: Callable[[str], Campaign], virtual_clock: Any
) -> None:
    campaign = campaign_from_toml(LADDER)
    virtual_clock.set("2021-06-22T10:00:00+08:00")
    virtual_clock.tick(campaign)
    rows = virtual_clock.ledger(campaign).outbox("ladder-drill")
    assert sorted(
        {(r.notification.level, r.notification.label) for r in rows if r.notification.level}
    ) == [
        (1, "黄牌预警"),
        (2, "红牌督办"),
        (3, "约谈"),
    ]


@pytest.mark.parametrize(
    ("change", "key", "line", "words"),
    [
        (('after = "3wd"', 'after = "soon"'), "requirements.summary.escalation[1].after", 52, "3d"),
        (
            ('to = "director"', 'to = "directer"'),
            "requirements.summary.escalation[2].to",
            58,
            "director",
        ),
        (('to = "parent"', 'to = "parnet"'), "requirements.summary.escalation[1].to", 53, "parent"),
        (
            ('after = "10d"', 'after = "2d"'),
            "requirements.summary.escalation[2].after",
            57,
            "2021-06-12",
        ),
        (('label = "约谈"', "label = 3"), "requirements.summary.escalation[2].label", 59, "3"),
        (('after = "1wd"', "after = 0"), "requirements.summary.escalation[0].after", 47, "`after`"),
    ],
)
def test_a_slip_in_a_ladder_names_its_key_and_line(
    problems_from_toml: Callable[[str], list[Any]],
    change: tuple[str, str],
    key: str,
    line: int,
    words: str,
) -> None:
    problems = [p for p in problems_from_toml(LADDER.replace(*change)) if p.is_error]
    assert [(p.path, p.line) for p in problems] == [(key, line)]
    assert words in problems[0].message + (problems[0].hint or "")


def test_a_ladder_and_escalate_after_together_is_an_error(
    problems_from_toml: Callable[[str], list[Any]],
) -> None:
    text = LADDER.replace("remind = []", "remind = []\nescalate_after = 2")
    problems = [p for p in problems_from_toml(text) if p.is_error]
    assert [p.path for p in problems] == ["requirements.summary.escalate_after"]


def test_a_step_that_reaches_nobody_says_which_key_to_set(
    problems_from_toml: Callable[[str], list[Any]],
) -> None:
    text = LADDER.replace('parent = "city"\n', "")  # the district office has no parent now
    [lost] = [p for p in problems_from_toml(text) if p.code == "no-escalation-target"]
    assert lost.path == "requirements.summary.escalation[1].to"
    assert (lost.hint or "").startswith("请将 `to` 设为")  # the campaign speaks Chinese


def test_a_yellow_card_to_a_unit_whose_hand_in_was_refused_says_you_too(
    campaign_from_toml: Callable[[str], Campaign],
) -> None:
    """East handed in without its document before the deadline: refused. Its yellow card
    speaks to it of its own refusal, and asks it to correct it, not to supervise itself."""
    text = LADDER.replace(
        "remind = []\n",
        'remind = []\n\n[[requirements.summary.deliverables]]\nid = "report"\nkind = "document"\n',
    )
    campaign = campaign_from_toml(text)
    notes = notices(campaign, {"east": dt.datetime(2021, 6, 9, 10, 0, tzinfo=TZ)})
    [yellow] = [n for n in notes if n.level == 1 and n.to == "east"]
    assert yellow.text.startswith(
        "【黄牌预警】东街道：截至2021年6月11日，贵单位报送的“活动总结”未通过审核"
    )
    assert yellow.text.endswith("请立即整改并重新报送。")
    [red] = [n for n in notes if n.level == 2 and n.about == "east"]
    assert "东街道报送的“活动总结”未通过审核" in red.text  # to the office above: "East's"
