"""`campaignkit report --depth N`: a national campaign read by its first N levels, in Markdown.

tests/data/cascade_2024.toml is a small national cascade: a committee and its office, two
provinces, two cities in each, two counties in each city, two townships in each county.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from conftest import REPO, SHENZHEN

from campaignkit import STANDINGS, ReportFormat, branch_tree, hookimpl

CASCADE = REPO / "tests" / "data" / "cascade_2024.toml"
SIM = ("--simulate", "--compliance", "0.6", "--seed", "2")
CHASED = ("late", "rejected", "returned", "missing")


def markdown(run_cli: Any, *args: object) -> str:
    result = run_cli("report", CASCADE, *SIM, *args)
    assert result.exit_code == 0, result.output
    return str(result.stdout)


def as_json(run_cli: Any) -> dict[str, Any]:
    result = run_cli("report", CASCADE, *SIM, "--format", "json")
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = result.json()
    return data


def section(text: str, heading: str) -> list[str]:
    """The lines of a section, from its heading to the next heading of its level or above."""
    lines = text.splitlines()
    start = lines.index(heading)
    level = heading.split(" ")[0]
    end = next(
        (
            i
            for i in range(start + 1, len(lines))
            if lines[i].startswith("#") and len(lines[i].split(" ")[0]) <= len(level)
        ),
        len(lines),
    )
    return lines[start + 1 : end]


def rows(lines: list[str]) -> list[list[str]]:
    """The cells of each row of the tables in `lines`, their headers and rules left out."""
    found: list[list[str]] = []
    for line in lines:
        if line.startswith("|---"):
            found.pop()  # the header above the rule
        elif line.startswith("|"):
            found.append([cell.strip(" ") for cell in line.strip("|").split("|")])
    return found


def test_depth_one_lists_the_provinces_with_what_lies_below_them(run_cli) -> None:
    text = markdown(run_cli, "--depth", "1")
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings == [
        "## Phases",
        "## Activities",
        "## Requirements",
        "## Roll-up by branch",
        "## Late, rejected, returned and missing units by branch",
        "## Notifications",
    ]
    findings = rows(section(text, "### Findings"))
    # Neither province owes the findings: their counties and townships do, counted below.
    assert [row[:2] for row in findings] == [["East province", "—"], ["West province", "—"]]
    data = as_json(run_cli)
    [owed] = [r for r in data["requirements"] if r["id"] == "findings"]
    east = Counter(a["status"] for a in owed["assignees"] if a["unit"].startswith("east-"))
    said = ", ".join(f"{s.replace('_', ' ')} {east[s]}" for s in STANDINGS if east[s])
    assert findings[0][-1] == said
    rollup = rows(section(text, "## Roll-up by branch"))
    assert [row[:2] for row in rollup] == [["East province", "14"], ["West province", "14"]]


def test_depth_two_adds_the_cities_and_counts_below_them_only(run_cli) -> None:
    text = markdown(run_cli, "--depth", "2")
    plan = rows(section(text, "### Inspection plan"))
    assert [row[0] for row in plan] == [
        "East province",
        "\u3000East city 1",
        "\u3000East city 2",
        "West province",
        "\u3000West city 1",
        "\u3000West city 2",
    ]
    summary = rows(section(text, "### Summary"))
    # A province's row counts nothing below it: its cities' rows are there, with theirs.
    assert summary[0][-1] == ""
    assert summary[1][-1] != ""


def test_the_lists_of_late_and_missing_units_stay_complete(run_cli) -> None:
    data = as_json(run_cli)
    chased = Counter(
        (a["unit"], r["id"]) for r in data["requirements"] for a in r["assignees"]
        if a["status"] in CHASED
    )  # fmt: skip
    assert chased, "the rehearsal has units to chase"
    for depth in ("1", "2", "4"):
        text = markdown(run_cli, "--depth", depth)
        listed = section(text, "## Late, rejected, returned and missing units by branch")
        assert len(rows(listed)) == sum(chased.values())
    # By province at depth 1: every unit listed under East province is one of its own.
    text = markdown(run_cli, "--depth", "1")
    east = rows(section(text, "### East province"))
    assert east
    assert all(row[0].startswith("East ") for row in east)


def test_notifications_about_units_further_down_are_counted_not_listed(run_cli) -> None:
    data = as_json(run_cli)
    provinces = {"east", "west"}
    about = [n.get("about") or n["to"] for n in data["notifications"]]
    mine = sum(subject in provinces or subject in ("committee", "office") for subject in about)
    text = markdown(run_cli, "--depth", "1")
    notes = section(text, "## Notifications")
    left = len(about) - mine
    assert f"{left} notices about units below level 1 are not listed here" in "\n".join(notes)
    assert len(rows(notes)) == mine


def test_a_chinese_campaign_by_branch_speaks_chinese(run_cli) -> None:
    result = run_cli("report", SHENZHEN, "--simulate", "--compliance", "0.8", "--seed", "1",
                     "--depth", "1")  # fmt: skip
    assert result.exit_code == 0, result.output
    headings = [line for line in result.stdout.splitlines() if line.startswith("## ")]
    assert headings[3:] == [
        "## 按下级单位汇总",
        "## 逾期、退回、退回修改和未报送单位（按下级单位）",
        "## 通知记录",
    ]


def test_a_bad_depth_or_a_folder_for_one_file_is_a_usage_error(run_cli, tmp_path) -> None:
    for bad in ("0", "-1", "two"):
        result = run_cli("report", CASCADE, *SIM, "--depth", bad)
        assert result.exit_code == 2
        assert "--depth" in result.output
    result = run_cli("report", CASCADE, *SIM, "-o", f"{tmp_path}/out/")
    assert result.exit_code == 2
    assert "format `md` writes one file" in result.output
    assert not (tmp_path / "out").exists()


class Paging:
    """A format with pages: one page per branch of the first level, named as `names` says."""

    def __init__(self, *names: str) -> None:
        self.names = names

    @hookimpl
    def campaignkit_report_formats(self) -> list[ReportFormat]:
        def pages(report: Any) -> Any:
            tree = branch_tree(report)
            for name, unit in zip(self.names, (None, *tree.top), strict=False):
                said = f"{unit or 'top'} at depth {report.depth}"
                yield name, said.encode()

        return [ReportFormat("pages", ".txt", "text/plain", lambda r: "one", pages=pages)]


def test_a_format_with_pages_writes_each_into_the_folder(
    run_cli, tmp_path, plugin_host, register_plugin
) -> None:
    register_plugin(Paging("index.txt", "branches/east.txt"), name="paging")
    out = tmp_path / "out"
    args = ("report", CASCADE, *SIM, "-f", "pages", "--depth", "2", "-o", f"{out}/")
    result = run_cli(*args, host=plugin_host)
    assert result.exit_code == 0, result.output
    assert (out / "index.txt").read_text() == "top at depth 2"
    assert (out / "branches" / "east.txt").read_text() == "east at depth 2"
    # Without the slash, an existing folder is a folder too; a file's name is one file.
    assert run_cli(*args[:-1], out, host=plugin_host).exit_code == 0
    assert run_cli(*args[:-1], tmp_path / "one.txt", host=plugin_host).exit_code == 0
    assert (tmp_path / "one.txt").read_text() == "one"


def test_a_page_named_outside_the_folder_is_the_plugins_fault(
    run_cli, tmp_path, plugin_host, register_plugin
) -> None:
    register_plugin(Paging("index.txt", "../escaped.txt"), name="paging")
    out = tmp_path / "out"
    result = run_cli("report", CASCADE, *SIM, "-f", "pages", "-o", f"{out}/", host=plugin_host)
    assert result.exit_code == 3
    assert "plugin `paging` failed in hook `campaignkit_report_formats`" in result.stderr
    assert "'../escaped.txt' is not a relative name inside the folder" in result.stderr
    assert not (tmp_path / "escaped.txt").exists()
