"""docs/plugins/assessment-report.md: its plugin is a module that runs, and its tests pass.

The page's Python blocks before "## Testing it" are the module `assessment.py`, the ones
after it its tests: put together as the page gives them, they pass. Through the command
line, the plugin's format ranks the units of the page's campaign, its `score` column is in
the built-in reports and in `status` as the page shows it, and a wrong table is refused at
its key and line.
"""

from __future__ import annotations

import pytest
from conftest import REPO, page_module, run_page_tests

from campaignkit.testing import CliResult

pytest_plugins = ["pytester"]

PAGE = REPO / "docs" / "plugins" / "assessment-report.md"


def test_the_page_is_a_plugin_module_and_its_passing_tests(pytester) -> None:
    run_page_tests(pytester, PAGE, "assessment")


@pytest.fixture
def page(monkeypatch, run_cli, write_campaign, register_plugin, plugin_host):
    """``page(*args, campaign=None)``: run ``campaignkit ARGS…`` on the page's campaign (or
    `campaign`, TOML text) with the page's plugin registered; ``{campaign}`` and
    ``{scenario}`` in `args` are the files of the page's campaign and scenario."""
    module, namespace = page_module(PAGE, "assessment", monkeypatch)
    register_plugin(module, "assessment")

    def run(*args: object, campaign: str | None = None) -> CliResult:
        files = {
            "{campaign}": write_campaign(campaign or str(namespace["CAMPAIGN"])),
            "{scenario}": write_campaign(str(namespace["SCENARIO"]), name="scenario.toml"),
        }
        given = [files.get(str(arg), arg) for arg in args]
        return run_cli(*given, host=plugin_host)

    run.campaign = str(namespace["CAMPAIGN"])  # type: ignore[attr-defined]
    return run


def test_the_assessment_format_ranks_the_units(page, tmp_path) -> None:
    out = tmp_path / "assessment.md"
    args = ("report", "{campaign}", "--scenario", "{scenario}", "-f", "ranking", "-o", out)
    result = page(*args)
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").splitlines()[4:] == [
        "| 1 | 东街道 | 83.3 |",
        "| 2 | 西街道 | 66.7 |",
        "| 2 | 北街道 | 66.7 |",
        "| 4 | 南街道 | 33.3 |",
    ]


def test_the_markdown_report_shows_the_score_column_as_the_page_says(page) -> None:
    result = page("report", "{campaign}", "--scenario", "{scenario}")
    assert result.exit_code == 0, result.output
    shown = PAGE.read_text(encoding="utf-8").split("```text\n")[1].split("```")[0]
    assert shown in result.stdout


def test_status_shows_each_units_points(page, tmp_path) -> None:
    db = tmp_path / "ledger.db"
    assert page("simulate", "{campaign}", "--scenario", "{scenario}", "--db", db).exit_code == 0
    at = ("--db", db, "--at", "2020-06-30")
    data = page("status", "{campaign}", *at, "--format", "json").json()
    assert [
        [(unit["unit"], unit["columns"]) for unit in requirement["units"]]
        for requirement in data["requirements"]
    ] == [
        [("east", {"score": 100}), ("west", {"score": 50}), ("north", {"score": 100}),
         ("south", {"score": 0})],
        [("east", {"score": 50}), ("west", {"score": 100}), ("north", {"score": 0}),
         ("south", {"score": 100})],
    ]  # fmt: skip
    table = page("status", "{campaign}", *at).stdout
    assert "┃ 考核得分 ┃" in table


def test_a_campaign_without_the_table_gets_no_column_and_the_default_points(page) -> None:
    plain = page.campaign.split("[plugins.assessment]")[0]
    args = ("report", "{campaign}", "--scenario", "{scenario}")
    data = page(*args, "-f", "json", campaign=plain).json()
    assert [unit["columns"] for r in data["requirements"] for unit in r["assignees"]] == [{}] * 8
    ranked = page(*args, "-f", "ranking", campaign=plain).stdout.splitlines()[4:]
    # Late is worth 60 and every requirement weighs 1: (100 + 60) / 2, (60 + 100) / 2…
    assert ranked == [
        "| 1 | 东街道 | 80 |",
        "| 1 | 西街道 | 80 |",
        "| 3 | 北街道 | 50 |",
        "| 3 | 南街道 | 50 |",
    ]


def test_a_bad_weight_stops_every_command_at_its_key_and_line(page) -> None:
    wrong = page.campaign.replace("weights = { plan = 2 }", "weights = { plan = -1, sumary = 1 }")
    line = wrong.splitlines().index("weights = { plan = -1, sumary = 1 }") + 1
    result = page("validate", "{campaign}", "--format", "json", campaign=wrong)
    assert result.exit_code == 1
    errors = [p for p in result.json() if p["severity"] == "error"]
    assert [(p["path"], p["line"], p["code"], p["message"], p["hint"]) for p in errors] == [
        (
            "plugins.assessment.weights.plan",
            line,
            "out-of-range",
            "权重应大于 0 且不超过 10，不能是 -1",
            None,
        ),
        (
            "plugins.assessment.weights.sumary",
            line,
            "unknown-reference",
            "方案中没有报送要求 `sumary`",
            "是否应为 `summary`？",
        ),
    ]
    report = page("report", "{campaign}", "--scenario", "{scenario}", campaign=wrong)
    assert report.exit_code == 1
    assert "plugins.assessment.weights.plan" in report.output
    assert report.stdout == ""


def test_points_out_of_range_are_refused_too(page) -> None:
    wrong = page.campaign.replace("late = 50", "late = 150")
    result = page("validate", "{campaign}", "--format", "json", campaign=wrong)
    assert result.exit_code == 1
    [error] = [p for p in result.json() if p["severity"] == "error"]
    assert (error["path"], error["code"]) == ("plugins.assessment.late", "out-of-range")
    assert error["message"] == "分值应在 0 到 100 之间，不能是 150"


def test_the_table_is_in_the_json_schema(page) -> None:
    result = page("schema")
    assert result.exit_code == 0, result.output
    schema = result.json()
    assert schema["properties"]["plugins"]["properties"]["assessment"] == {
        "$ref": "#/$defs/Scoring"
    }
    table = schema["$defs"]["Scoring"]
    assert table["description"] == (
        "How units are scored: points per standing, from 0 to 100, and weights per requirement."
    )
    assert table["additionalProperties"] is False
    assert table["properties"]["late"] == {
        "type": "integer",
        "description": "Points for a late hand-in.",
        "default": 60,
    }
    assert table["properties"]["weights"]["additionalProperties"] == {"type": "number"}


def test_plugins_lists_it_and_disabling_it_takes_its_format_and_column_away(
    page, plugin_host
) -> None:
    listed = {p["name"]: p for p in page("plugins", "--format", "json").json()["plugins"]}
    assert listed["assessment"]["contributes"] == {
        "config sections": ["assessment"],
        "report formats": ["ranking"],
    }
    assert "campaignkit_report_columns" in listed["assessment"]["hooks"]
    plugin_host.disable(["assessment"])
    args = ("report", "{campaign}", "--scenario", "{scenario}")
    data = page(*args, "-f", "json").json()
    assert [unit["columns"] for r in data["requirements"] for unit in r["assignees"]] == [{}] * 8
    result = page(*args, "-f", "ranking")
    assert result.exit_code == 2
    assert "no report format `ranking`" in result.output


def test_a_value_of_the_wrong_type_is_refused_at_its_key(page) -> None:
    wrong = page.campaign.replace("late = 50", 'late = "fifty"')
    result = page("validate", "{campaign}", "--format", "json", campaign=wrong)
    assert result.exit_code == 1
    [error] = [p for p in result.json() if p["severity"] == "error"]
    assert (error["path"], error["code"]) == ("plugins.assessment.late", "wrong-type")


def test_disabling_the_built_in_by_name_gives_its_format_name_to_a_plugin(
    page, plugin_host, register_plugin
) -> None:
    import attrs

    from campaignkit import hookimpl

    module = plugin_host.pm.get_plugin("assessment")

    class Renamed:
        """The page's ranking under the built-in format's name, `assessment`."""

        @hookimpl
        def campaignkit_report_formats(self) -> list:
            return [attrs.evolve(f, name="assessment") for f in module.campaignkit_report_formats()]

    register_plugin(Renamed(), "renamed")
    args = ("report", "{campaign}", "--scenario", "{scenario}", "-f", "assessment")
    clash = page(*args)
    assert clash.exit_code == 3
    assert "plugin `assessment-reports` (built-in)" in clash.output
    plugin_host.disable(["assessment-reports"])
    result = page(*args)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[4] == "| 1 | 东街道 | 83.3 |"
