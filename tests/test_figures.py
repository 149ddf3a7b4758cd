"""Figures in a hand-in: the keys that declare them, what `submit` does with them, the ledger
that keeps them, and how the reports roll them up."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from conftest import MINIMAL
from hypothesis import given, settings
from hypothesis import strategies as st

from campaignkit.ledger import SCHEMA_VERSION, Ledger, open_ledger
from campaignkit.ledger.migrations import MIGRATIONS, statements

FIGURES = (
    "\n[[requirements.summary.deliverables]]\n"
    'id = "figures"\n'
    'kind = "figures"\n'
    'name = "隐患排查整治情况"\n'
    "fields = [\n"
    '  { id = "hazards-found", name = "排查隐患数", type = "integer", min = 0, '
    'required = true, unit = "处" },\n'
    '  { id = "hazards-fixed", name = "整改隐患数", type = "integer", min = 0, '
    'required = true, unit = "处" },\n'
    '  { id = "fix-rate", name = "整改率", type = "percent", min = 0, max = 100, '
    'weight = "hazards-found" },\n'
    '  { id = "note", name = "说明", type = "text" },\n'
    "]\n"
    'checks = ["hazards-fixed <= hazards-found"]\n'
)

# A Chinese campaign: a district office with two streets, and a second district.
CHINESE = (
    MINIMAL.replace('title = "Minimal campaign"', 'title = "安全生产月活动"')
    + """
[units.west]
name = "西区"
kind = "district"
parent = "office"

[units.street-a]
name = "甲街道"
kind = "street"
parent = "east"

[units.street-b]
name = "乙街道"
kind = "street"
parent = "east"
"""
).replace('districts = { kinds = ["district"] }', 'districts = { kinds = ["district", "street"] }')


def line_of(text: str, words: str) -> int:
    [index] = [i for i, line in enumerate(text.splitlines()) if words in line]
    return index + 1


def problems(run_cli, write_campaign, text: str) -> dict[str, dict]:
    result = run_cli("validate", write_campaign(text), "--format", "json")
    assert result.exit_code == 1, result.output
    return {p["path"]: p for p in result.json() if p["severity"] == "error"}


# -- the keys ---------------------------------------------------------------------------------


def test_figures_deliverable_validates(run_cli, write_campaign) -> None:
    result = run_cli("validate", write_campaign(MINIMAL + FIGURES))
    assert result.exit_code == 0, result.output


D = "requirements.summary.deliverables[0]"


@pytest.mark.parametrize(
    ("old", "new", "path", "words"),
    [
        (
            '"hazards-fixed <= hazards-found"',
            '"hazards-fxed <= hazards-found"',
            f"{D}.checks[0]",
            "names an unknown field `hazards-fxed`",
        ),
        (
            '"hazards-fixed <= hazards-found"',
            '"hazards-fixed <= (hazards-found"',
            f"{D}.checks[0]",
            "cannot be read at character 32: `)` is expected",
        ),
        (
            '"hazards-fixed <= hazards-found"',
            '"note <= 3"',
            f"{D}.checks[0]",
            "compares `note`, a text field",
        ),
        (
            'type = "percent", min = 0, max = 100',
            'type = "percent", min = 100, max = 0',
            f"{D}.fields[2].max",
            "max (0) is less than min (100)",
        ),
        (
            'id = "note", name = "说明", type = "text"',
            'id = "fix-rate", name = "说明", type = "text"',
            f"{D}.fields[3].id",
            "field `fix-rate` is listed twice",
        ),
        (
            'weight = "hazards-found"',
            'weight = "hazards-fond"',
            f"{D}.fields[2].weight",
            "unknown field `hazards-fond`",
        ),
        (
            'id = "note", name = "说明", type = "text"',
            'id = "note", type = "text", min = 1',
            f"{D}.fields[3].min",
            "only applies to numbers",
        ),
        (
            'id = "note", name = "说明"',
            'id = "2nd", name = "说明"',
            f"{D}.fields[3].id",
            "cannot be a field's id",
        ),
        (
            'kind = "figures"',
            'kind = "figures"\nformats = ["pdf"]',
            f"{D}.formats",
            "does not apply to figures",
        ),
        (
            'kind = "figures"',
            'kind = "figures"\nmin_count = 2',
            f"{D}.min_count",
            "does not apply to figures",
        ),
        (
            FIGURES[FIGURES.index("fields = [") : FIGURES.index("\n]\n") + 3],
            "fields = []\n",
            f"{D}.fields",
            "needs at least one field",
        ),
        (
            'kind = "figures"',
            'kind = "document"',
            f"{D}.fields",
            "only applies to a figures deliverable",
        ),
    ],
)
def test_a_mistake_in_figures_is_said_at_its_key_and_line(
    run_cli, write_campaign, old: str, new: str, path: str, words: str
) -> None:
    text = MINIMAL + FIGURES.replace(old, new)
    found = problems(run_cli, write_campaign, text)
    assert path in found, found
    assert words in found[path]["message"]
    key = path.rsplit(".", 1)[-1].split("[")[0]
    lines = [i + 1 for i, line in enumerate(text.splitlines()) if f"{key} =" in line]
    assert found[path]["line"] in lines


def test_a_wrong_type_is_said_at_its_key(run_cli, write_campaign) -> None:
    text = MINIMAL + FIGURES.replace('type = "text"', 'type = "words"').replace(
        "required = true, unit", 'required = "yes", unit'
    )
    found = problems(run_cli, write_campaign, text)
    assert "expected" in found[f"{D}.fields[3].type"]["message"]
    assert found[f"{D}.fields[0].required"]["message"] == (
        'expected true or false, found a string ("yes")'
    )
    assert found[f"{D}.fields[0].required"]["line"] == line_of(text, 'id = "hazards-found"')


def test_a_rule_naming_an_unknown_field_is_said_in_chinese(run_cli, write_campaign) -> None:
    text = CHINESE + FIGURES.replace("hazards-fixed <= hazards-found", "hazards-fxed <= 3")
    found = problems(run_cli, write_campaign, text)
    problem = found[f"{D}.checks[0]"]
    assert problem["message"] == "规则 `hazards-fxed <= 3` 引用了未知字段 `hazards-fxed`"
    assert problem["hint"] == "是否应为 `hazards-fixed`？"
    assert problem["line"] == line_of(text, "checks = ")


# -- handing figures in -----------------------------------------------------------------------


@pytest.fixture
def office(write_campaign, ledger_target: str | Path) -> tuple[Path, str | Path]:
    """The campaign, and its ledger on each backend: SQLite, then PostgreSQL."""
    return write_campaign(CHINESE + FIGURES, "drill.toml"), ledger_target


def submit(run_cli, office, *figures: str, unit: str = "east", at: str = "2020-06-20T10:00"):
    path, db = office
    args = ["submit", path, "--unit", unit, "--requirement", "summary", "--at", at, "--db", db]
    for figure in figures:
        args += ["--figure", figure]
    return run_cli(*args, "--format", "json")


def test_good_figures_are_accepted_and_kept(run_cli, office) -> None:
    result = submit(run_cli, office, "hazards-found=12", "整改隐患数=10", "fix-rate=80%")
    assert result.exit_code == 0, result.output
    outcome = result.json()
    assert (outcome["status"], outcome["problems"]) == ("on_time", [])
    assert outcome["figures"] == {"hazards-found": "12", "hazards-fixed": "10", "fix-rate": "80%"}
    with open_ledger(office[1]) as ledger:
        [row] = ledger.submissions("mini")
    assert row.figures == {"hazards-found": "12", "hazards-fixed": "10", "fix-rate": "80%"}


def test_bad_figures_are_reasons_in_the_campaigns_language(run_cli, office) -> None:
    result = submit(run_cli, office, "hazards-found=十二", "hazards-fixed=-1", "fix-rate=120")
    assert result.exit_code == 1, result.output
    assert result.json()["problems"] == [
        "隐患排查整治情况：排查隐患数应为整数，实为“十二”",
        "隐患排查整治情况：整改隐患数应不小于 0处，实为 -1处",
        "隐患排查整治情况：整改率应不大于 100%，实为 120%",
    ]
    failed = submit(run_cli, office, "hazards-found=3", "hazards-fixed=5")
    assert failed.exit_code == 1
    assert failed.json()["problems"] == [
        "隐患排查整治情况：未通过校验 `hazards-fixed <= hazards-found`"
        "（整改隐患数 = 5、排查隐患数 = 3）"
    ]
    missing = submit(run_cli, office, "hazards-found=3")
    assert missing.json()["problems"] == ["隐患排查整治情况：整改隐患数为必填项，未填写"]
    with open_ledger(office[1]) as ledger:
        assert [row.status for row in ledger.submissions("mini")] == ["rejected"] * 3


def test_a_figure_typed_with_full_width_digits_is_read(run_cli, office) -> None:
    result = submit(run_cli, office, "hazards-found=１２", "hazards-fixed=１０")
    assert result.exit_code == 0, result.output


def test_a_figure_for_an_unknown_field_is_a_slip_and_nothing_is_recorded(run_cli, office) -> None:
    result = submit(run_cli, office, "hazards-fond=12", "hazards-fixed=10")
    assert result.exit_code == 2
    assert "报送要求 `summary` 没有数据项 `hazards-fond`" in result.stderr
    assert "是否应为 `hazards-found`？" in result.stderr
    malformed = submit(run_cli, office, "hazards-found")
    assert malformed.exit_code == 2
    assert "--figure：`hazards-found` 应写成 ID=数值" in malformed.stderr
    twice = submit(run_cli, office, "hazards-found=1", "排查隐患数=2")
    assert twice.exit_code == 2
    db = office[1]
    if isinstance(db, Path) and not db.exists():
        return
    with open_ledger(db) as ledger:
        assert ledger.submissions("mini") == []


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("figures.csv", "id,value\nhazards-found,12\n整改隐患数,10\n"),
        ("figures.json", '{"hazards-found": 12, "hazards-fixed": "10"}'),
    ],
)
def test_figures_come_from_a_csv_or_json_file(run_cli, office, name: str, content: str) -> None:
    path, db = office
    figures = path.parent / name
    figures.write_text(content, encoding="utf-8")
    args = ["submit", path, "--unit", "east", "--requirement", "summary", "--db", db]
    result = run_cli(*args, "--at", "2020-06-20T10:00", "--figures", figures, "--format", "json")
    assert result.exit_code == 0, result.output
    assert result.json()["figures"] == {"hazards-found": "12", "hazards-fixed": "10"}


def test_a_bad_or_huge_figures_file_is_a_slip(run_cli, office) -> None:
    path, db = office
    bad = path.parent / "bad.csv"
    bad.write_text("hazards-found,12,extra\n", encoding="utf-8")
    huge = path.parent / "huge.json"
    huge.write_bytes(b" " * 1_000_001)
    for figures, words in ((bad, "第 1 行应有两列"), (huge, "数据文件不应这么大")):
        args = ["submit", path, "--unit", "east", "--requirement", "summary", "--db", db]
        result = run_cli(*args, "--figures", figures)
        assert result.exit_code == 2, result.output
        assert words in result.stderr


def test_a_ledger_of_the_previous_version_keeps_its_hand_ins_and_takes_figures(
    tmp_path: Path,
) -> None:
    ours = next(i for i, s in enumerate(MIGRATIONS) if "ADD COLUMN figures" in s)
    path = tmp_path / "old.db"
    db = sqlite3.connect(path)
    for number, script in enumerate(MIGRATIONS[:ours]):
        for statement in statements(script):
            db.execute(statement)
        db.execute(f"PRAGMA user_version = {number + 1}")
    db.execute(
        "INSERT INTO submissions (campaign, unit, requirement, at, status, recorded_at)"
        " VALUES ('mini', 'east', 'summary', '2020-06-20T10:00:00+08:00', 'on_time', 'x')"
    )
    db.commit()
    db.close()
    with Ledger(path) as ledger:
        assert ledger.version == SCHEMA_VERSION
        [old] = ledger.submissions("mini")
        assert (old.unit, old.status, old.figures) == ("east", "on_time", {})
        ledger.record_submission("mini", _with_figures(old))
        assert ledger.submissions("mini")[1].figures == {"hazards-found": "3"}


def _with_figures(row):
    import attrs

    return attrs.evolve(row, id=None, figures={"hazards-found": "3"})


# -- the roll-up ------------------------------------------------------------------------------


def test_figures_roll_up_the_organisation(run_cli, office) -> None:
    path, db = office
    hand_ins = [
        ("street-a", ("hazards-found=10", "hazards-fixed=9", "fix-rate=90")),
        ("street-b", ("hazards-found=30", "hazards-fixed=15", "fix-rate=50")),
        ("west", ("hazards-found=5", "hazards-fixed=5", "fix-rate=100")),
        ("west", ("hazards-found=6", "hazards-fixed=7")),  # rejected: the earlier one counts
        ("east", ("hazards-found=1", "hazards-fixed=1")),  # its own, not in its row
    ]
    for unit, figures in hand_ins:
        submit(run_cli, office, *figures, unit=unit)
    result = run_cli("report", path, "--db", db, "--format", "json")
    assert result.exit_code == 0, result.output
    [rollup] = result.json()["figures"]
    assert [f["id"] for f in rollup["fields"]] == ["hazards-found", "hazards-fixed", "fix-rate"]
    rows = {row["unit"]: row for row in rollup["parents"]}
    assert list(rows) == ["office", "east"]
    # East: its two streets; the fix rate weighed by hazards found, (9 + 15) / 40.
    assert rows["east"]["units"] == 2
    assert rows["east"]["values"] == {"hazards-found": 40, "hazards-fixed": 24, "fix-rate": 60.0}
    # The office: everything below it, east's own hand-in included.
    assert rows["office"]["units"] == 4
    assert rows["office"]["values"]["hazards-found"] == 46
    # East gave no fix rate: the weighted ratio is of those who did, (900 + 1500 + 500) / 45.
    assert rows["office"]["values"]["fix-rate"] == 64.4444
    assert rollup["total"]["units"] == 4
    assert rollup["total"]["values"]["hazards-fixed"] == 30
    markdown = run_cli("report", path, "--db", db, "--format", "md").stdout
    assert "| East district | 2 | 40 | 24 | 60 |" in markdown
    assert "| 全部 | 4 | 46 | 30 | 64.44 |" in markdown
    table = run_cli("report", path, "--db", db, "--format", "csv", "--ids").stdout
    header, *lines = table.lstrip("\ufeff").splitlines()
    assert header.endswith(",figure:hazards-found,figure:hazards-fixed,figure:fix-rate,figure:note")
    [street_a] = [line for line in lines if ",street-a," in line]
    assert street_a.endswith(",10,9,90,")


def test_a_percent_without_weight_rolls_up_as_the_plain_mean(run_cli, write_campaign, tmp_path):
    path = write_campaign(CHINESE + FIGURES.replace(', weight = "hazards-found"', ""))
    db = tmp_path / "mean.db"
    for unit, rate in (("street-a", "90"), ("street-b", "50")):
        submit(
            run_cli, (path, db), "hazards-found=1", "hazards-fixed=1", f"fix-rate={rate}", unit=unit
        )
    [rollup] = run_cli("report", path, "--db", db, "--format", "json").json()["figures"]
    assert rollup["total"]["values"]["fix-rate"] == 70.0


# -- rehearsals -------------------------------------------------------------------------------


def test_a_rehearsal_invents_figures_that_keep_the_rules(run_cli, write_campaign) -> None:
    path = write_campaign(CHINESE + FIGURES)
    args = ("report", path, "--simulate", "--compliance", "1", "--seed", "5", "--format", "json")
    first = run_cli(*args)
    assert first.exit_code == 0, first.output
    data = first.json()
    [summary] = data["requirements"]
    assert {row["status"] for row in summary["assignees"]} == {"on_time"}
    for row in summary["assignees"]:
        figures = {key: float(value) for key, value in row["figures"].items() if key != "note"}
        assert 0 <= figures["hazards-fixed"] <= figures["hazards-found"]
        assert 0 <= figures["fix-rate"] <= 100
    [rollup] = data["figures"]
    assert rollup["total"]["units"] == 4
    found = sum(int(row["figures"]["hazards-found"]) for row in summary["assignees"])
    assert rollup["total"]["values"]["hazards-found"] == found
    assert run_cli(*args).json()["figures"] == [rollup]  # the same seed, the same figures


def test_a_rehearsal_without_figures_has_none(run_cli, write_campaign) -> None:
    path = write_campaign(MINIMAL)
    data = run_cli("report", path, "--simulate", "--compliance", "1", "--format", "json").json()
    assert data["figures"] == []
    assert data["requirements"][0]["assignees"][0]["figures"] == {}


def test_a_scenario_gives_figures_judged_like_a_units(run_cli, write_campaign) -> None:
    path = write_campaign(CHINESE + FIGURES)
    scenario = write_campaign(
        """
        [[submissions]]
        unit = "street-a"
        requirement = "summary"
        submitted_at = 2020-06-24T10:00:00
        figures = { hazards-found = 10, hazards-fixed = 8, fix-rate = "80%" }

        [[submissions]]
        unit = "street-b"
        requirement = "summary"
        submitted_at = 2020-06-24T10:00:00
        figures = { hazards-found = 2, hazards-fixed = 3 }
        """,
        name="scenario.toml",
    )
    data = run_cli("report", path, "--scenario", scenario, "--format", "json").json()
    rows = {row["unit"]: row for row in data["requirements"][0]["assignees"]}
    assert rows["street-a"]["status"] == "on_time"
    assert rows["street-b"]["status"] == "rejected"
    assert "未通过校验" in rows["street-b"]["reasons"][0]
    assert data["figures"][0]["total"]["values"]["hazards-found"] == 10
    csv_scenario = write_campaign(
        "unit,requirement,submitted_at,figure,value\n"
        "street-a,summary,2020-06-24T10:00:00+08:00,hazards-found,7\n"
        "street-a,summary,2020-06-24T10:00:00+08:00,hazards-fixed,7\n",
        name="scenario.csv",
    )
    data = run_cli("report", path, "--scenario", csv_scenario, "--format", "json").json()
    assert data["figures"][0]["total"]["values"] == {
        "hazards-found": 7,
        "hazards-fixed": 7,
        "fix-rate": None,
    }


# -- hostile figures --------------------------------------------------------------------------


@settings(derandomize=True, deadline=None, max_examples=200)
@given(st.dictionaries(st.sampled_from(["hazards-found", "fix-rate", "note", "x"]), st.text()))
def test_any_figures_are_judged_without_raising(figures: dict[str, str]) -> None:
    from campaignkit import figure_problems, loads_campaign

    requirement = loads_campaign(MINIMAL + FIGURES).unwrap().requirements["summary"]
    for problem in figure_problems(requirement, figures):
        assert problem.message
        assert len(problem.message) < 2_000  # a huge figure is never quoted whole
