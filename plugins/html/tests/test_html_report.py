"""`report --format html` without a browser: structure, language, escaping, network, imports."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[3]
SHENZHEN = REPO / "campaigns" / "shenzhen_2020.toml"
SIM = ("--simulate", "--compliance", "0.8", "--seed", "1")

# A small English campaign: two districts, a requirement only one of them must answer, and a
# unit name that tries to smuggle a script from the network into the page.
SMALL = """\
format = 1

[campaign]
id = "small"
title = "Small <b>campaign</b>"
issued_on = 2020-05-22
issued_by = "office"
timezone = "Europe/London"

[phases.month]
name = "Safety month"
start = 2020-06-01
end = 2020-06-30

[units.office]
name = "Safety office"
kind = "office"

[units.east]
name = "East district"
kind = "district"
parent = "office"

[units.west]
name = '<script src="https://evil.example/x.js"></script>West'
kind = "district"
parent = "office"

[groups]
districts = { kinds = ["district"] }

[activities.drill]
name = "Fire drill"
start = 2020-06-10
end = 2020-06-12
mode = "offline"

[activities.drill-debrief]
name = "Drill debrief"
on = 2020-06-11
part_of = "drill"

[requirements.plan]
name = "Plan"
assignees = ["districts"]
due = 2020-05-29

[requirements.east-report]
name = "East's own report"
assignees = ["east"]
due = 2020-06-20
"""


class Page(HTMLParser):
    """Every start tag of a page, with its attributes, and the text of <title> elements."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))

    def having(self, tag: str | None = None, cls: str | None = None) -> list[dict[str, str]]:
        return [
            attrs
            for name, attrs in self.tags
            if (tag is None or name == tag)
            and (cls is None or cls in attrs.get("class", "").split())
        ]


def render(run_cli: Callable[..., Any], tmp_path: Path, campaign: Path, *args: object) -> str:
    out = tmp_path / "report.html"
    result = run_cli("report", campaign, "--format", "html", "-o", out, *args)
    assert result.exit_code == 0, result.output
    return out.read_text(encoding="utf-8")


def shenzhen_counts() -> tuple[int, int, int]:
    data = tomllib.loads(SHENZHEN.read_text(encoding="utf-8"))
    return len(data["phases"]), len(data["activities"]), len(data["requirements"])


def test_the_html_format_is_listed(run_cli: Callable[..., Any]) -> None:
    result = run_cli("plugins")
    assert result.exit_code == 0, result.output
    assert "html" in result.stdout


def test_shenzhen_page_has_timeline_grid_rollup_and_log(run_cli, tmp_path) -> None:
    text = render(run_cli, tmp_path, SHENZHEN, *SIM)
    page = Page(text)
    phases, activities, requirements = shenzhen_counts()
    assert text.startswith("<!doctype html>")
    assert page.having("html")[0]["lang"] == "zh"
    assert len(page.having("rect", "bar")) == phases + activities
    assert len(page.having(cls="deadline")) == requirements
    assert not page.having(cls="today"), "a whole simulation has no 'today'"
    cells = page.having("td", "cell")
    assert len(cells) == 36 * requirements
    standings = [c["class"].split()[1] for c in cells]
    assert set(standings) <= {f"status-{s}" for s in ("on_time", "late", "rejected", "missing")}
    rejected = [c for c in cells if "status-rejected" in c["class"]]
    assert rejected
    assert all("退回原因" in c["title"] for c in rejected)
    assert len(page.having("table", "grid")) == 1
    assert len(page.having("table", "rollup")) == 1
    assert len(page.having("table", "log")) == 1
    for words in (
        "深安办〔2020〕79号",
        "消除事故隐患，筑牢安全防线",
        "按时",
        "未报送",
        "福田区安全生产委员会",
    ):
        assert words in text
    assert '"Noto Sans CJK SC"' in text


def test_same_seed_gives_the_same_page(run_cli, tmp_path) -> None:
    first = render(run_cli, tmp_path, SHENZHEN, *SIM)
    assert render(run_cli, tmp_path, SHENZHEN, *SIM) == first


def test_page_references_nothing_on_the_network(run_cli, tmp_path, write_campaign) -> None:
    for text in (
        render(run_cli, tmp_path, SHENZHEN, *SIM),
        render(run_cli, tmp_path, write_campaign(SMALL), "--simulate"),
    ):
        page = Page(text)
        for _, attrs in page.tags:
            for key in ("src", "href", "srcset", "action", "data", "poster", "xlink:href"):
                value = attrs.get(key, "").strip().lower()
                assert not value.startswith(("http:", "https:", "//")), (key, value)
        assert not re.search(r"url\(\s*['\"]?\s*(https?:|//)", text, re.I)
        assert not re.search(r"@import", text, re.I)
        assert not page.having("script"), "the page needs no script"
        assert not [a for a in page.having("link") if a.get("rel") != "icon"]


def test_names_are_escaped_and_labels_follow_the_language(
    run_cli, tmp_path, write_campaign
) -> None:
    text = render(run_cli, tmp_path, write_campaign(SMALL), "--simulate", "--compliance", "0")
    page = Page(text)
    assert page.having("html")[0]["lang"] == "en"
    assert not page.having("script")
    assert not page.having("b")
    assert "&lt;script src=" in text
    assert "Small &lt;b&gt;campaign&lt;/b&gt;" in text
    assert "missing" in text
    assert "未报送" not in text
    # Two districts against two requirements; west is not an assignee of east's report.
    cells = [c["class"] for c in page.having("td", "cell")]
    assert cells == [
        "cell status-missing",
        "cell status-missing",
        "cell status-missing",
        "cell status-none",
    ]
    assert len(page.having("rect", "bar")) == 1 + 2
    assert len(page.having(cls="deadline")) == 2


def test_unit_page_has_one_row(run_cli, tmp_path) -> None:
    text = render(run_cli, tmp_path, SHENZHEN, *SIM, "--unit", "futian")
    page = Page(text)
    assert "福田区安全生产委员会（futian）" in text
    assert len(page.having("td", "cell")) == shenzhen_counts()[2]
    rows = [a for a in page.having("th") if a.get("scope") == "row" and a.get("title") == "futian"]
    assert len(rows) == 1


@pytest.mark.parametrize(
    ("at", "today"), [("2020-07-01", True), ("2020-05-01", False), ("2021-03-01", False)]
)
def test_live_ledger_draws_today_within_the_campaign(run_cli, tmp_path, at, today) -> None:
    ledger = tmp_path / "ledger.sqlite"
    result = run_cli("simulate", SHENZHEN, "--db", ledger, "--compliance", "0.8", "--seed", "1")
    assert result.exit_code == 0, result.output
    page = Page(render(run_cli, tmp_path, SHENZHEN, "--db", ledger, "--at", at))
    assert len(page.having("line", "today")) == (1 if today else 0)
    if at == "2020-07-01":  # the safety-month summary is not due until 5 July
        assert page.having("td", "status-pending")


def test_loading_the_plugin_does_not_import_jinja2() -> None:
    code = """
import sys
from campaignkit.cli import app
for args in (["--help"], ["plugins"]):
    try:
        app(args, prog_name="campaignkit")
    except SystemExit:
        pass
print("html-loaded", "campaignkit_html" in sys.modules, file=sys.stderr)
print("jinja2-imported", "jinja2" in sys.modules, file=sys.stderr)
"""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CAMPAIGNKIT_")}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert "html-loaded True" in done.stderr, done.stderr
    assert "jinja2-imported False" in done.stderr, done.stderr


WINTER = REPO / "tests" / "data" / "winter_fire_2022.toml"
"""Six weeks in Chinese, from 20 October to 5 December 2022: the axis has weekly ticks."""


def tick_labels(text: str) -> list[str]:
    return re.findall(r'<text class="tick-label"[^>]*>([^<]*)</text>', text)


def test_a_chinese_campaigns_page_is_in_chinese_axis_and_all(run_cli, tmp_path) -> None:
    text = render(run_cli, tmp_path, WINTER, "--simulate", "--compliance", "0")
    assert Page(text).having("html")[0]["lang"] == "zh-CN"
    # The first day, the months, then each Monday that has room for its label.
    assert tick_labels(text) == [
        "10月20日",
        "2022年11月",
        "12月",
        "10月24日",
        "11月7日",
        "11月14日",
        "11月21日",
    ]
    for words in (
        "<h2>活动时间表</h2>",
        "<h2>报送情况</h2>",
        "<h2>按上级单位汇总</h2>",
        "<h2>通知记录（12）</h2>",
        "<dt>活动时间</dt><dd>2022-10-24 – 2022-12-05</dd>",
        '<span class="swatch key-mode-hybrid"></span>线上线下结合',
        '<span class="swatch key-mode-online"></span>线上',
        '<span class="swatch key-remind"></span>提醒',
        '<span class="swatch key-escalate"></span>督办',
        '<span class="swatch status-none"></span>无需报送',
        '<div class="due">截止 2022-10-28 23:59</div>',
        '<span class="kind kind-escalation">督办</span>',
        '<td class="state state-unreached">未送达（无渠道）</td>',
        "<footer>由 campaignkit 生成</footer>",
    ):
        assert words in text
    visible = re.sub(r"<style>.*?</style>|<[^>]+>", " ", text, flags=re.S)
    for word in ("Timeline", "reminder", "escalation", "hybrid", "online", "missing", "Oct"):
        assert word not in visible


def test_an_english_campaigns_axis_stays_english(run_cli, tmp_path, write_campaign) -> None:
    source = WINTER.read_text(encoding="utf-8").replace('"zh-CN"', '"en"')
    text = render(run_cli, tmp_path, write_campaign(source), "--simulate", "--compliance", "0")
    assert tick_labels(text) == [
        "Oct 20",
        "Nov 2022",
        "Dec",
        "10/24",
        "11/7",
        "11/14",
        "11/21",
        "11/28",
    ]
    assert "<h2>Notifications (12)</h2>" in text
    assert '<span class="kind kind-escalation">escalation</span>' in text
    assert "2022年11月" not in text


def test_the_page_is_the_campaigns_language_whatever_the_operator_reads(run_cli, tmp_path) -> None:
    out = tmp_path / "pinned.html"
    args = ("report", WINTER, "--simulate", "-f", "html", "-o", out)
    assert run_cli(*args, env={"CAMPAIGNKIT_LANGUAGE": "en"}).exit_code == 0
    assert "2022年11月" in tick_labels(out.read_text(encoding="utf-8"))


def test_a_plugins_column_shows_in_each_grid_cell_with_its_heading(
    run_cli, tmp_path, write_campaign, register_plugin, plugin_host
) -> None:
    import campaignkit_html

    from campaignkit import ReportColumn, hookimpl

    class Points:
        @hookimpl
        def campaignkit_report_columns(self, campaign):
            heading = {"en": "Points", "zh": "得分"}.__getitem__
            return [ReportColumn("points", heading, lambda r, s, row: row.unit.upper())]

    register_plugin(campaignkit_html, "html")
    register_plugin(Points(), "points")
    out = tmp_path / "report.html"
    args = ("report", write_campaign(SMALL), "--simulate", "-f", "html", "-o", out)
    assert run_cli(*args, host=plugin_host).exit_code == 0
    text = out.read_text(encoding="utf-8")
    # East for its two requirements, West for the plan; West's other cell is not assigned.
    assert re.findall(r'<span class="extra">(.*?)</span>', text) == [
        "Points: EAST",
        "Points: EAST",
        "Points: WEST",
    ]
    titles = [c["title"].split("\n")[-1] for c in Page(text).having("td", "cell")]
    assert titles == ["Points: EAST", "Points: EAST", "Points: WEST", "not assigned"]


FIGURES = """
[[requirements.plan.deliverables]]
id = "figures"
kind = "figures"
name = "Hazards"
fields = [
  { id = "hazards-found", name = "Hazards found", type = "integer", min = 0, required = true },
  { id = "fix-rate", name = "Fix rate", type = "percent", min = 0, max = 100 },
]
"""


HANDED_FIGURES = """
[[submissions]]
unit = "east"
requirement = "plan"
submitted_at = 2020-05-25T10:00:00
figures = { hazards-found = 30, fix-rate = 80 }

[[submissions]]
unit = "west"
requirement = "plan"
submitted_at = 2020-05-25T10:00:00
figures = { hazards-found = 10, fix-rate = 60 }
"""
"""East's and West's figures, handed in on time."""


def test_figures_are_a_table_and_a_bar_chart(run_cli, tmp_path, write_campaign) -> None:
    campaign = write_campaign(SMALL + FIGURES)
    scenario = write_campaign(HANDED_FIGURES, name="scenario.toml")
    text = render(run_cli, tmp_path, campaign, "--scenario", scenario)
    page = Page(text)
    page.having("table", "figure-table")  # there is one
    assert "<h3>Hazards (Plan)</h3>" in text
    assert '<td class="n">40</td>' in text  # the office's, and the campaign's, sum
    assert '<td class="n">70</td>' in text  # the plain mean of 80 and 60
    assert [bar["style"] for bar in page.having("span", "fill")] == [
        "width: 100.0%",
        "width: 100.0%",
    ]
    assert "<script" not in text.split('<section class="figures">')[1].split("</section>")[0]


def test_each_figures_bar_is_its_share_of_the_longest(run_cli, tmp_path, write_campaign) -> None:
    """West moved under an office of its own below the safety office: two parents, so two
    bars per field, each as long as its share of the field's longest. A parent counts its
    whole branch: the safety office both districts, the west office West alone."""
    west_office = (
        '[units.west-office]\nname = "West office"\nkind = "office"\nparent = "office"\n\n'
    )
    small = SMALL.replace("[units.west]", west_office + "[units.west]").replace(
        'West\'\nkind = "district"\nparent = "office"',
        'West\'\nkind = "district"\nparent = "west-office"',
    )
    assert 'parent = "west-office"' in small
    campaign = write_campaign(small + FIGURES)
    scenario = write_campaign(HANDED_FIGURES, name="scenario.toml")
    page = Page(render(run_cli, tmp_path, campaign, "--scenario", scenario))
    assert [bar["style"] for bar in page.having("span", "fill")] == [
        "width: 100.0%",  # hazards found: the safety office's 30 + 10
        "width: 25.0%",  # and the west office's 10
        "width: 100.0%",  # fix rate: the mean of 80 and 60
        "width: 85.71%",  # and 60
    ]


def test_a_campaign_without_figures_has_no_figures_section(run_cli, tmp_path, write_campaign):
    text = render(run_cli, tmp_path, write_campaign(SMALL), *SIM)
    assert 'class="figures"' not in text


def test_an_exempt_unit_is_shown_and_out_of_the_shares_and_an_extension_in_its_cell(
    run_cli, write_campaign, tmp_path
) -> None:
    path, db = write_campaign(SMALL), tmp_path / "ledger.db"
    unit = ("--db", db, "--requirement", "plan")
    extended = ("--unit", "east", "--until", "2020-06-05", "--reason", "flood")
    assert run_cli("extend", path, *unit, *extended).exit_code == 0
    assert run_cli("exempt", path, *unit, "--unit", "west", "--reason", "merged").exit_code == 0
    text = render(run_cli, tmp_path, path, "--db", db, "--at", "2020-06-10")
    page = Page(text)
    cells = page.having("td", "cell")
    [exempt] = [c for c in cells if "status-exempt" in c["class"]]
    assert "exempt" in exempt["title"]
    [east] = [c for c in cells if "status-missing" in c["class"] and "Plan" in c["title"]]
    assert "extended to 2020-06-05" in east["title"]
    # The office's bar counts east's two requirements (one missing, one not yet due); west,
    # exempt, is in no share.
    stack = re.search(r'<div class="stack">(.*?)</div>', text, re.S)
    assert stack is not None
    assert re.findall(r'class="status-(\w+)" style="width: ([\d.]+)%"', stack.group(1)) == [
        ("missing", "50.0"),
        ("pending", "50.0"),
    ]
