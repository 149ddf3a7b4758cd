"""The assessment (考核): the ``[assessment]`` table checked at its key and line, each unit's
points with the reasons it lost some, ranks with ties, ``report --format assessment`` in
text, JSON, CSV and HTML by the suffix of ``-o``, and the circular (通报) drafted from it."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from campaignkit import Assessment, Verdict, assess, loads_campaign
from campaignkit.model import occurrence_name
from campaignkit.plugins import load_plugins
from campaignkit.report import build_report

# Four streets and a department: East hands in on time, West 3 days late, North's plan is
# still rejected at the close, South hands in nothing; the department hands in its summary
# 1 day late. Local times on the campaign's clock (UTC+8).
CAMPAIGN = """\
format = 1

[campaign]
id = "drill-2020"
title = "2020年安全生产月"
issued_on = 2020-05-25
issued_by = "district"
timezone = "Asia/Shanghai"

[phases.june]
name = "安全生产月"
start = 2020-06-01
end = 2020-06-30

[units.district]
name = "区安委办"
kind = "office"

[units.east]
name = "东街道"
kind = "street"
parent = "district"

[units.west]
name = "西街道"
kind = "street"
parent = "district"

[units.north]
name = "北街道"
kind = "street"
parent = "district"

[units.south]
name = "南街道"
kind = "street"
parent = "district"

[units.housing]
name = "区住建局"
kind = "department"
parent = "district"

[requirements.plan]
name = "活动方案"
assignees = ["east", "west", "north", "south"]
due = 2020-06-05

[[requirements.plan.deliverables]]
id = "plan"
kind = "document"
formats = ["pdf"]

[requirements.summary]
name = "活动总结"
assignees = ["east", "west", "north", "south", "housing"]
due = 2020-06-26

[assessment]
scale = 100
points = { plan = 40, summary = 60 }
late_per_day = 2
rejected = 0.5
missing = 0
rank_by = "kind"
"""

SCENARIO = """\
[[submissions]]
unit = "east"
requirement = "plan"
submitted_at = 2020-06-03T10:00:00
deliverables = { plan = { format = "pdf" } }

[[submissions]]
unit = "east"
requirement = "summary"
submitted_at = 2020-06-25T10:00:00

[[submissions]]
unit = "west"
requirement = "plan"
submitted_at = 2020-06-08T09:30:00
deliverables = { plan = { format = "pdf" } }

[[submissions]]
unit = "west"
requirement = "summary"
submitted_at = 2020-06-22T15:00:00

[[submissions]]
unit = "north"
requirement = "plan"
submitted_at = 2020-06-04T16:00:00
deliverables = { plan = { format = "txt" } }

[[submissions]]
unit = "north"
requirement = "summary"
submitted_at = 2020-06-24T11:00:00

[[submissions]]
unit = "housing"
requirement = "summary"
submitted_at = 2020-06-27T08:00:00
"""


@pytest.fixture
def files(write_campaign):
    def write(campaign: str = CAMPAIGN) -> tuple:
        return write_campaign(campaign), write_campaign(SCENARIO, name="scenario.toml")

    return write


@pytest.fixture
def assessment(run_cli, files):
    """``assessment(*options, campaign=CAMPAIGN)``: ``report --format assessment`` on the
    scenario, with `options`."""

    def run(*options: object, campaign: str = CAMPAIGN):
        plan, scenario = files(campaign)
        return run_cli("report", plan, "--scenario", scenario, "-f", "assessment", *options)

    return run


# -- the table, checked --------------------------------------------------------------


def line_of(text: str, words: str) -> int:
    [index] = [i for i, line in enumerate(text.splitlines()) if words in line]
    return index + 1


def problems(run_cli, write_campaign, text: str) -> list[dict]:
    result = run_cli("validate", write_campaign(text), "--format", "json")
    return [p for p in result.json() if p["path"].startswith("assessment")]


def test_an_unknown_requirement_in_points_is_an_error_with_a_did_you_mean(
    run_cli, write_campaign
) -> None:
    text = CAMPAIGN.replace("plan = 40, summary = 60", "plan = 40, sumary = 60")
    [problem] = [p for p in problems(run_cli, write_campaign, text) if p["severity"] == "error"]
    assert (problem["path"], problem["line"], problem["code"], problem["severity"]) == (
        "assessment.points.sumary",
        line_of(text, "sumary = 60"),
        "unknown-reference",
        "error",
    )
    assert problem["message"] == "未知的报送要求 `sumary`"
    assert problem["hint"] == "是否应为 `summary`？"


def test_shares_outside_0_to_1_and_negative_numbers_are_errors_at_their_lines(
    run_cli, write_campaign
) -> None:
    text = (
        CAMPAIGN.replace("rejected = 0.5", "rejected = 1.5")
        .replace("missing = 0\n", "missing = -0.1\n")
        .replace("late_per_day = 2", "late_per_day = -2")
        .replace("plan = 40,", "plan = -40,")
        + "ladder_penalty = { 2 = 5, 3 = -10, top = 20 }\n"
    )
    found = {
        p["path"]: (p["line"], p["code"], p["message"])
        for p in problems(run_cli, write_campaign, text)
    }
    penalty_line = line_of(text, "ladder_penalty")
    assert found == {
        "assessment.rejected": (
            line_of(text, "rejected = 1.5"),
            "out-of-range",
            "`rejected` 是保留分值的比例，应在 0 到 1 之间，不能是 1.5",
        ),
        "assessment.missing": (
            line_of(text, "missing = -0.1"),
            "out-of-range",
            "`missing` 是保留分值的比例，应在 0 到 1 之间，不能是 -0.1",
        ),
        "assessment.late_per_day": (
            line_of(text, "late_per_day"),
            "out-of-range",
            "`late_per_day` 不能小于 0，不能是 -2",
        ),
        "assessment.points.plan": (
            line_of(text, "plan = -40"),
            "out-of-range",
            "分值不能小于 0，不能是 -40",
        ),
        "assessment.ladder_penalty.3": (penalty_line, "out-of-range", "扣分不能小于 0，不能是 -10"),
        "assessment.ladder_penalty.top": (penalty_line, "bad-level", "`top` 不是督办级别"),
        # Only the points that count are added: 60 of 100, a warning.
        "assessment.points": (
            line_of(text, "plan = -40"),
            "under-scale",
            "各项分值合计 60，少于满分（100）",
        ),
    }


def test_points_over_the_scale_are_an_error_and_under_it_a_warning(run_cli, write_campaign) -> None:
    over = CAMPAIGN.replace("summary = 60", "summary = 70")
    result = run_cli("validate", write_campaign(over), "--format", "json")
    assert result.exit_code == 1
    [problem] = [p for p in result.json() if p["path"] == "assessment.points"]
    assert (problem["severity"], problem["code"], problem["line"]) == (
        "error",
        "over-scale",
        line_of(over, "summary = 70"),
    )
    assert problem["message"] == "各项分值合计 110，超过满分（100）"
    under = CAMPAIGN.replace("summary = 60", "summary = 50")
    result = run_cli("validate", write_campaign(under), "--format", "json")
    assert result.exit_code == 0
    [problem] = [p for p in result.json() if p["path"] == "assessment.points"]
    assert (problem["severity"], problem["code"]) == ("warning", "under-scale")


def test_a_wrong_type_and_an_unknown_key_are_refused_at_their_keys(run_cli, write_campaign) -> None:
    text = CAMPAIGN.replace("scale = 100", 'scale = "100"').replace(
        'rank_by = "kind"', 'rank_by = "district"\ncommend = 3\nper_unit = true'
    )
    found = {(p["path"], p["code"]) for p in problems(run_cli, write_campaign, text)}
    assert found == {
        ("assessment.scale", "wrong-type"),
        ("assessment.rank_by", "wrong-type"),
        ("assessment.per_unit", "unknown-key"),
    }


# -- the scores ----------------------------------------------------------------------


def test_on_time_late_rejected_and_missing_score_to_the_point(assessment) -> None:
    result = assessment("--json")
    assert result.exit_code == 0, result.output
    assert result.json() == {
        "scale": 100,
        "units": [
            {
                "unit": "east",
                "name": "东街道",
                "kind": "street",
                "total": 100,
                "rank": 1,
                "requirements": [
                    {"requirement": "plan", "points": 40, "deductions": []},
                    {"requirement": "summary", "points": 60, "deductions": []},
                ],
            },
            {
                "unit": "west",
                "name": "西街道",
                "kind": "street",
                "total": 94,
                "rank": 2,
                "requirements": [
                    {
                        "requirement": "plan",
                        "points": 34,
                        "deductions": [{"reason": "逾期 3 天", "points": 6}],
                    },
                    {"requirement": "summary", "points": 60, "deductions": []},
                ],
            },
            {
                "unit": "north",
                "name": "北街道",
                "kind": "street",
                "total": 80,
                "rank": 3,
                "requirements": [
                    {
                        "requirement": "plan",
                        "points": 20,
                        "deductions": [{"reason": "被退回且未重新报送", "points": 20}],
                    },
                    {"requirement": "summary", "points": 60, "deductions": []},
                ],
            },
            {
                "unit": "south",
                "name": "南街道",
                "kind": "street",
                "total": 0,
                "rank": 4,
                "requirements": [
                    {
                        "requirement": "plan",
                        "points": 0,
                        "deductions": [{"reason": "未报送", "points": 40}],
                    },
                    {
                        "requirement": "summary",
                        "points": 0,
                        "deductions": [{"reason": "未报送", "points": 60}],
                    },
                ],
            },
            # The department is assessed on the summary alone, out of 100 all the same:
            # 58 of 60 is 96.67; ranked among departments.
            {
                "unit": "housing",
                "name": "区住建局",
                "kind": "department",
                "total": 96.67,
                "rank": 1,
                "requirements": [
                    {
                        "requirement": "summary",
                        "points": 58,
                        "deductions": [{"reason": "逾期 1 天", "points": 2}],
                    }
                ],
            },
        ],
    }


def test_a_late_deduction_stops_at_the_requirements_points(assessment) -> None:
    data = assessment("--json", campaign=CAMPAIGN.replace("late_per_day = 2", "late_per_day = 25"))
    west = next(u for u in data.json()["units"] if u["unit"] == "west")
    assert west["requirements"][0]["deductions"] == [{"reason": "逾期 3 天", "points": 40}]
    assert west["total"] == 60


def test_equal_totals_share_a_rank_and_the_next_rank_skips(assessment) -> None:
    # Late costs nothing: East, West and the department tie at 100; North 80, South 0.
    flat = CAMPAIGN.replace("late_per_day = 2", "late_per_day = 0")
    by_kind = assessment("--json", campaign=flat).json()["units"]
    assert [(u["unit"], u["rank"]) for u in by_kind] == [
        ("east", 1),
        ("west", 1),
        ("north", 3),
        ("south", 4),
        ("housing", 1),
    ]
    together = flat.replace('rank_by = "kind"', 'rank_by = "all"')
    every = assessment("--json", campaign=together).json()["units"]
    assert [(u["unit"], u["total"], u["rank"]) for u in every] == [
        ("east", 100, 1),
        ("west", 100, 1),
        ("housing", 100, 1),
        ("north", 80, 4),
        ("south", 0, 5),
    ]


def test_without_points_every_requirement_weighs_the_same(assessment) -> None:
    even = CAMPAIGN.replace("points = { plan = 40, summary = 60 }\n", "")
    west = next(
        u for u in assessment("--json", campaign=even).json()["units"] if u["unit"] == "west"
    )
    assert west["requirements"][0]["points"] == 44  # 50 less 3 days × 2
    assert west["total"] == 94


# -- the seams: exemptions, ladder levels, occurrences, extensions --------------------


AT = dt.timezone(dt.timedelta(hours=8))


def on(day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(2020, 6, day, hour, tzinfo=AT)


@pytest.fixture(scope="module")
def drill():
    """The campaign, and the scenario's verdicts as the evidence rules give them."""
    campaign = loads_campaign(CAMPAIGN, host=load_plugins(entry_points=False)).unwrap()
    verdicts = [
        Verdict("east", "plan", on(3), "on_time"),
        Verdict("east", "summary", on(25), "on_time"),
        Verdict("west", "plan", on(8, 9), "late"),
        Verdict("west", "summary", on(22, 15), "on_time"),
        Verdict("north", "plan", on(4, 16), "rejected", ("wrong format",)),
        Verdict("north", "summary", on(24, 11), "on_time"),
        Verdict("housing", "summary", on(27, 8), "late"),
    ]
    return campaign, verdicts


def scores_of(scores) -> dict[str, float]:
    return {unit.unit: unit.total for unit in scores.units}


def test_an_exempt_requirement_is_scaled_out_not_counted_as_zero(drill) -> None:
    campaign, verdicts = drill
    report = build_report(campaign, [], verdicts, [], source="simulation")
    scores = assess(report, exempt={("south", "plan")})
    south = next(u for u in scores.units if u.unit == "south")
    assert [r.requirement for r in south.requirements] == ["summary"]
    assert south.total == 0
    scores = assess(report, exempt={("north", "plan")})
    assert scores_of(scores)["north"] == 100  # 60 of 60: the rejected plan is scaled out


def test_lateness_counts_from_a_units_extended_deadline(drill) -> None:
    from campaignkit import Allowances, Extension

    campaign, verdicts = drill
    moved = Extension("west", "plan", dt.date(2020, 6, 7), "flood", "li", on(6))
    report = build_report(
        campaign, [], verdicts, [], source="simulation", allowances=Allowances.of([moved])
    )
    west = next(u for u in assess(report).units if u.unit == "west")
    [plan] = [r for r in west.requirements if r.requirement == "plan"]
    # Handed in on 8 June at 09:30: a day after its own deadline, not three.
    assert [(d.cause, d.points) for d in plan.deductions] == [("late", 2)]


def test_the_highest_ladder_level_reached_costs_its_penalty(drill) -> None:
    campaign, verdicts = drill
    settings = attrs.evolve(campaign.assessment, ladder_penalty={"2": 5, "3": 10})
    report = build_report(campaign, [], verdicts, [], source="simulation")
    levels = {("west", "plan"): 3, ("east", "summary"): 2, ("east", "plan"): 1}
    scores = assess(report, settings, levels=levels)
    units = {u.unit: u for u in scores.units}
    assert [(d.reason, d.points) for d in units["west"].requirements[0].deductions] == [
        ("逾期 3 天", 6),
        ("升级督办至第 3 级", 10),
    ]
    assert units["east"].total == 95
    # A unit with nothing left to lose loses nothing more.
    assert assess(report, settings, levels={("south", "plan"): 3}).units[3].total == 0


def test_an_extension_moves_the_day_lateness_counts_from(drill) -> None:
    campaign, verdicts = drill
    report = build_report(campaign, [], verdicts, [], source="simulation")
    extended = dt.datetime(2020, 6, 7, 23, 59, 59, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    scores = assess(report, deadlines={("west", "plan"): extended})
    west = next(u for u in scores.units if u.unit == "west")
    assert west.requirements[0].deductions[0].reason == "逾期 1 天"


def occurrences(campaign):
    """The campaign with its summary due weekly, as the loader expands a recurring
    requirement: `summary@2020-W25` and `summary@2020-W26`."""
    summary = campaign.requirements["summary"]
    weeks = {
        f"summary@{key}": attrs.evolve(
            summary, id=f"summary@{key}", name=occurrence_name(summary.name, key, "zh"), due=due
        )
        for key, due in (("2020-W25", dt.date(2020, 6, 19)), ("2020-W26", dt.date(2020, 6, 26)))
    }
    return attrs.evolve(campaign, requirements={"plan": campaign.requirements["plan"], **weeks})


def test_a_series_counts_once_by_its_worst_occurrence_or_each_occurrence_for_its_share(
    drill,
) -> None:
    campaign, _ = drill
    weekly = occurrences(campaign)
    verdicts = [
        Verdict("east", "plan", on(3), "on_time"),
        Verdict("east", "summary@2020-W25", on(22), "late"),
        Verdict("east", "summary@2020-W26", on(25), "on_time"),
    ]
    report = build_report(weekly, [], verdicts, [], source="simulation")
    east = next(u for u in assess(report).units if u.unit == "east")
    assert [(r.requirement, r.points) for r in east.requirements] == [
        ("plan", 40),
        ("summary", 54),
    ]
    assert east.requirements[1].deductions[0].reason == "2020-W25：逾期 3 天"
    assert east.requirements[1].name == "活动总结"
    each = attrs.evolve(weekly.assessment, per_occurrence=True)
    east = next(u for u in assess(report, each).units if u.unit == "east")
    assert [(r.requirement, r.points) for r in east.requirements] == [
        ("plan", 40),
        ("summary@2020-W25", 24),
        ("summary@2020-W26", 30),
    ]
    assert east.requirements[1].name == "活动总结（2020-W25）"
    assert east.total == 94


# -- the property: a total is never above the scale nor below 0 ----------------------

STANDINGS = ("on_time", "late", "rejected", "nothing")


@settings(
    deadline=None,
    derandomize=True,  # the same examples on every run
    max_examples=150,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    scale=st.integers(1, 1000),
    plan=st.floats(0, 600, allow_nan=False),
    summary=st.floats(0, 600, allow_nan=False),
    late_per_day=st.floats(0, 100, allow_nan=False),
    rejected=st.floats(0, 1),
    missing=st.floats(0, 1),
    penalty=st.dictionaries(st.sampled_from(["1", "2", "3"]), st.floats(0, 500, allow_nan=False)),
    per_occurrence=st.booleans(),
    hand_ins=st.lists(
        st.tuples(
            st.sampled_from(["east", "west", "north", "south", "housing"]),
            st.sampled_from(["plan", "summary@2020-W25", "summary@2020-W26"]),
            st.sampled_from(["on_time", "late", "rejected"]),
            st.integers(0, 40),
        ),
        max_size=12,
    ),
    exempt=st.sets(st.tuples(st.sampled_from(["east", "south"]), st.sampled_from(["plan"]))),
    levels=st.dictionaries(
        st.tuples(st.sampled_from(["east", "west"]), st.sampled_from(["plan"])),
        st.integers(1, 4),
    ),
)
def test_a_total_is_never_above_the_scale_nor_below_0(
    drill, scale, plan, summary, late_per_day, rejected, missing, penalty, per_occurrence,
    hand_ins, exempt, levels,
) -> None:  # fmt: skip
    campaign, _ = drill
    weekly = occurrences(campaign)
    settings_ = Assessment(
        scale=scale,
        points={"plan": plan, "summary": summary},
        late_per_day=late_per_day,
        rejected=rejected,
        missing=missing,
        ladder_penalty=penalty,
        per_occurrence=per_occurrence,
    )
    verdicts = [
        Verdict(unit, req, on(1) + dt.timedelta(days=day), status)
        for unit, req, status, day in hand_ins
        if not (unit == "housing" and req == "plan")
    ]
    report = build_report(weekly, [], verdicts, [], source="simulation")
    scores = assess(report, settings_, exempt=exempt, levels=levels)
    for unit in scores.units:
        assert 0 <= unit.total <= scale
        for score in unit.requirements:
            assert 0 <= score.points <= score.full
            assert all(d.points > 0 for d in score.deductions)


# -- the formats ---------------------------------------------------------------------


def test_the_text_on_standard_output_ranks_by_kind_and_says_every_deduction(assessment) -> None:
    result = assessment()
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "# 2020年安全生产月考核结果"
    assert "| 名次 | 单位 | 总分 | 活动方案 | 活动总结 |" in lines
    assert "| 2 | 西街道 | 94 | 34 | 60 |" in lines
    assert "| 1 | 区住建局 | 96.67 | — | 58 |" in lines
    assert "| 西街道 | 活动方案 | 6 | 逾期 3 天 |" in lines
    assert lines.index("## street") < lines.index("## department")


@pytest.mark.parametrize(
    ("name", "starts"),
    [
        ("scores.json", b'{\n  "scale": 100,'),
        ("scores.csv", "\ufeff单位编号,单位,单位类别,名次,总分".encode()),
        ("scores.html", b"<!DOCTYPE html>"),
        ("scores.md", "# 2020年安全生产月考核结果".encode()),
        ("scores.txt", "# 2020年安全生产月考核结果".encode()),
    ],
)
def test_the_output_follows_the_suffix_of_o(assessment, tmp_path, name, starts) -> None:
    out = tmp_path / name
    result = assessment("-o", out)
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(starts)


def test_the_csv_has_one_row_per_unit_and_requirement(assessment, tmp_path) -> None:
    out = tmp_path / "scores.csv"
    assert assessment("-o", out, "--ids").exit_code == 0
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert rows[0] == [
        "unit",
        "unit_name",
        "kind",
        "rank",
        "total",
        "requirement",
        "requirement_name",
        "full",
        "points",
        "reasons",
    ]
    assert rows[3] == [
        "west",
        "西街道",
        "street",
        "2",
        "94",
        "plan",
        "活动方案",
        "40",
        "34",
        "逾期 3 天",
    ]
    assert len(rows) == 1 + 9
    assessment("-o", out)
    header = out.read_text(encoding="utf-8-sig").splitlines()[0]
    assert header == "单位编号,单位,单位类别,名次,总分,报送要求编号,报送要求,满分,得分,扣分原因"


def test_the_html_page_escapes_names(assessment, tmp_path) -> None:
    out = tmp_path / "scores.html"
    sly = CAMPAIGN.replace('name = "西街道"', 'name = "<b>西街道</b>"')
    assert assessment("-o", out, campaign=sly).exit_code == 0
    page = out.read_text(encoding="utf-8")
    assert "&lt;b&gt;西街道&lt;/b&gt;" in page
    assert "<b>" not in page
    assert "<li>−6: 逾期 3 天</li>" in page


def test_json_on_standard_output_only_with_json_and_only_for_a_format_that_has_it(
    assessment, run_cli, files
) -> None:
    assert json.loads(assessment("--json").stdout)["scale"] == 100
    plan, scenario = files()
    result = run_cli("report", plan, "--scenario", scenario, "-f", "md", "--json")
    assert result.exit_code == 2
    assert "format `md` has no JSON form" in result.output


def test_other_formats_ignore_the_suffix_of_o(run_cli, files, tmp_path) -> None:
    plan, scenario = files()
    out = tmp_path / "report.json"
    assert run_cli("report", plan, "--scenario", scenario, "-o", out).exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("# 2020年安全生产月")


@pytest.mark.parametrize("fmt", ["assessment", "circular"])
def test_a_campaign_without_the_table_is_told_so(run_cli, files, fmt) -> None:
    plan, scenario = files(CAMPAIGN.split("[assessment]")[0])
    result = run_cli("report", plan, "--scenario", scenario, "-f", fmt)
    assert result.exit_code == 1
    assert "[assessment]" in result.stderr
    assert "Traceback" not in result.output
    assert result.stdout == ""


def test_one_units_report_is_not_assessed(assessment) -> None:
    result = assessment("--unit", "west")
    assert result.exit_code == 1
    assert "`--unit`" in result.stderr
    assert result.stdout == ""


# -- the circular --------------------------------------------------------------------


def test_the_circular_states_the_facts_and_names_the_commended_and_criticised(
    run_cli, files
) -> None:
    plan, scenario = files(CAMPAIGN.replace("rank_by", "commend = 2\ncriticise = 1\nrank_by"))
    result = run_cli("report", plan, "--scenario", scenario, "-f", "circular")
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert text.startswith("# 关于2020年安全生产月考核情况的通报\n")
    assert (
        "本次共考核 5 个单位、2 项报送要求，应报 9 份报送记录：按时报送 4 份，逾期报送 2 份，"
        "退回未通过 1 份，未报送 2 份；按时报送率 44.4%，报送率 66.7%。"
    ) in text
    praised = text.split("## 二、通报表扬")[1].split("## 三")[0]
    assert "- 东街道（100 分）" in praised
    assert "- 区住建局（96.67 分）" in praised
    assert "西街道" not in praised
    blamed = text.split("## 三、通报批评")[1].split("## 四")[0]
    assert "- 南街道（0 分）：活动方案、活动总结未报送" in blamed
    assert "北街道" in blamed  # the lowest of the rest
    assert "西街道" not in blamed
    assert "## 四、数据汇总" in text
    assert text.rstrip().endswith("区安委办")
