"""`report --format html` in a real headless Chromium, driven by Playwright.

Playwright drives the system's Chromium (Debian's `chromium` package); it never downloads a
browser of its own. Every request that is not for a local file is blocked and fails the test.
With ``CAMPAIGNKIT_UPDATE_SCREENSHOTS=1`` the Shenzhen test and the national one also write
the screenshots that docs/reports.md shows.
"""

from __future__ import annotations

import importlib.util
import io
import itertools
import os
import shutil
import tomllib
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest

REPO = Path(__file__).resolve().parents[3]
SHENZHEN = REPO / "campaigns" / "shenzhen_2020.toml"
SCREENSHOT = REPO / "docs" / "images" / "shenzhen-2020-report.png"
NATIONAL_SCREENSHOTS = (
    REPO / "docs" / "images" / "national-report.png",
    REPO / "docs" / "images" / "national-report-province.png",
)
SIM = ("--simulate", "--compliance", "0.8", "--seed", "1")
CHROMIUM = shutil.which("chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WIDTH = 1280

pytestmark = [
    pytest.mark.skipif(
        CHROMIUM is None,
        reason="needs Chromium, and there is no `chromium` on PATH: `apt-get install chromium` "
        "(Debian; .ci/run installs it)",
    ),
    pytest.mark.slow,  # a browser
]


@attrs.define
class Visit:
    """A page loaded from a file, and everything that went wrong while it loaded."""

    page: Any
    errors: list[str] = attrs.Factory(list)
    blocked: list[str] = attrs.Factory(list)
    failed: list[str] = attrs.Factory(list)

    def assert_clean(self) -> None:
        assert not self.errors, f"console or page errors: {self.errors}"
        assert not self.blocked, f"the page tried to reach the network: {self.blocked}"
        assert not self.failed, f"requests failed: {self.failed}"

    def count(self, selector: str) -> int:
        return int(self.page.locator(selector).count())


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def visit(browser: Any) -> Iterator[Callable[[Path], Visit]]:
    contexts = []

    def open_file(path: Path) -> Visit:
        context = browser.new_context(
            viewport={"width": WIDTH, "height": 900}, service_workers="block"
        )
        contexts.append(context)
        page = context.new_page()
        seen = Visit(page)

        def route(route: Any) -> None:
            url = route.request.url
            if url.startswith(("file:", "data:")):
                route.continue_()
            else:
                seen.blocked.append(url)
                route.abort()

        context.route("**/*", route)
        page.on("console", lambda m: seen.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: seen.errors.append(str(e)))
        page.on(
            "requestfailed",
            lambda r: None if r.url in seen.blocked else seen.failed.append(r.url),
        )
        page.goto(path.resolve().as_uri(), wait_until="load")
        return seen

    yield open_file
    for context in contexts:
        context.close()


def render(run_cli: Callable[..., Any], out: Path, *args: object) -> Path:
    result = run_cli("report", SHENZHEN, "--format", "html", "-o", out, *args)
    assert result.exit_code == 0, result.output
    return out


def shenzhen_counts() -> tuple[int, int, int]:
    data = tomllib.loads(SHENZHEN.read_text(encoding="utf-8"))
    return len(data["phases"]), len(data["activities"]), len(data["requirements"])


def distinct_colours(png: bytes) -> int:
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        colours = image.convert("RGB").getcolors(maxcolors=1 << 16)
    return 1 << 16 if colours is None else len(colours)


def save_for_docs(png: bytes, path: Path = SCREENSHOT) -> None:
    """Keep the docs' screenshot small: a palette of 256 colours, optimised."""
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        small = image.convert("RGB").quantize(colors=256, dither=Image.Dither.NONE)
    path.parent.mkdir(parents=True, exist_ok=True)
    small.save(path, optimize=True)
    assert path.stat().st_size < 400_000


def test_shenzhen_report_in_chromium(run_cli, tmp_path, visit) -> None:
    seen = visit(render(run_cli, tmp_path / "report.html", *SIM))
    page = seen.page
    phases, activities, requirements = shenzhen_counts()
    assert page.locator("html").get_attribute("lang") == "zh"
    assert seen.count("table.grid tbody tr") == 36
    assert seen.count("table.grid td.cell") == 36 * requirements
    assert seen.count("svg.gantt .bar") == phases + activities
    assert seen.count(".deadline") == requirements
    assert seen.count(".today") == 0
    assert seen.count("table.rollup tbody tr") == 1
    assert seen.count("table.log tbody tr") > 0

    def background(selector: str) -> str:
        return str(page.eval_on_selector(selector, "e => getComputedStyle(e).backgroundColor"))

    on_time = background("td.cell.status-on_time")
    missing = background("td.cell.status-missing")
    late = background("td.cell.status-late")
    assert len({on_time, missing, late}) == 3, (on_time, missing, late)
    assert "rgba(0, 0, 0, 0)" not in (on_time, missing, late)

    # Every bar lies inside the chart, and is drawn with some width.
    boxes = page.eval_on_selector_all(
        "svg.gantt .bar",
        "els => els.map(e => { const b = e.getBBox(); return [b.x, b.width]; })",
    )
    assert all(width > 0 and x >= 0 for x, width in boxes)

    shot = page.screenshot(full_page=True)
    assert distinct_colours(shot) > 50, "the page rendered (nearly) blank"
    top = page.screenshot(clip={"x": 0, "y": 0, "width": WIDTH, "height": 1800}, full_page=True)
    if os.environ.get("CAMPAIGNKIT_UPDATE_SCREENSHOTS") == "1":
        save_for_docs(top)
    seen.assert_clean()


def test_unit_report_has_one_row(run_cli, tmp_path, visit) -> None:
    seen = visit(render(run_cli, tmp_path / "futian.html", *SIM, "--unit", "futian"))
    assert seen.count("table.grid tbody tr") == 1
    assert seen.count("table.grid td.cell") == shenzhen_counts()[2]
    assert "福田区安全生产委员会" in seen.page.inner_text("table.grid tbody")
    seen.assert_clean()


def test_live_ledger_draws_today_inside_the_chart(run_cli, tmp_path, visit) -> None:
    ledger = tmp_path / "ledger.sqlite"
    assert run_cli("simulate", SHENZHEN, "--db", ledger, "--seed", "1").exit_code == 0
    seen = visit(render(run_cli, tmp_path / "ledger.html", "--db", ledger, "--at", "2020-07-01"))
    assert seen.count("svg.gantt .today") == 1
    chart = seen.page.locator("svg.gantt").bounding_box()
    line = seen.page.locator("svg.gantt .today").bounding_box()
    assert chart["x"] < line["x"] < chart["x"] + chart["width"]
    seen.assert_clean()


def test_the_harness_catches_a_network_request(tmp_path, visit) -> None:
    """A page that reaches out is caught, so a clean result above means something."""
    page = tmp_path / "leaky.html"
    page.write_text(
        '<!doctype html><html lang="en"><title>leak</title>'
        '<img src="http://127.0.0.1:9/pixel.png" alt=""></html>',
        encoding="utf-8",
    )
    seen = visit(page)
    assert seen.blocked or seen.failed
    with pytest.raises(AssertionError):
        seen.assert_clean()


WINTER = REPO / "tests" / "data" / "winter_fire_2022.toml"


def test_the_gantt_axis_of_a_chinese_campaign_reads_chinese(run_cli, tmp_path, visit) -> None:
    """The axis as the browser draws it: 10月24日 and 2022年11月, not Oct 24 and Nov 2022, and
    no label runs into the next one or off the chart."""
    out = tmp_path / "winter.html"
    result = run_cli("report", WINTER, "--simulate", "--format", "html", "-o", out)
    assert result.exit_code == 0, result.output
    seen = visit(out)
    labels = seen.page.eval_on_selector_all(
        "svg.gantt text.tick-label",
        "els => els.map(e => { const b = e.getBBox(); return [e.textContent, b.x, b.width]; })",
    )
    texts = [text for text, _, _ in labels]
    assert texts == [
        "10月20日",
        "2022年11月",
        "12月",
        "10月24日",
        "11月7日",
        "11月14日",
        "11月21日",
    ]
    assert seen.page.locator("html").get_attribute("lang") == "zh-CN"
    spans = sorted((x, x + width) for _, x, width in labels)
    assert all(width > 0 for _, _, width in labels)
    assert all(end <= start for (_, end), (start, _) in itertools.pairwise(spans))
    assert spans[-1][1] <= 1200  # the chart's viewBox
    legend = seen.page.inner_text("section.timeline ul.legend")
    for word in ("线上线下结合", "线上", "线下", "提醒", "截止", "督办"):
        assert word in legend
    seen.assert_clean()


STANDINGS = ("on_time", "late", "rejected", "returned", "missing", "pending")


def generated(units: int) -> str:
    """A national cascade of `units` units, as bench/generate.py writes it."""
    spec = importlib.util.spec_from_file_location("bench_generate", REPO / "bench" / "generate.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    text: str = module.generate(units)
    return text


def branch_rows(page: Any) -> list[tuple[str, dict[str, int]]]:
    """Each row of the page's roll-up by branch, as the browser shows it: the unit's name,
    and its subtree's count of each standing."""
    cells = page.eval_on_selector_all(
        "table.branches tbody tr",
        "rows => rows.map(r => [...r.children].map(c => c.innerText.trim()))",
    )
    return [
        (row[0], {s: int(n) for s, n in zip(STANDINGS, row[2:], strict=False)}) for row in cells
    ]


def summary(page: Any) -> dict[str, int]:
    """The page's own figures: the number shown for each standing."""
    found = page.eval_on_selector_all(
        "ul.summary li",
        "els => els.map(e => [e.className, e.querySelector('.n').innerText])",
    )
    return {cls.removeprefix("status-"): int(n) for cls, n in found}


def test_a_national_cascade_drills_down_from_the_provinces(run_cli, tmp_path, visit) -> None:
    """A generated campaign of 5,000 units, written as a folder: the top page's provinces add
    up to the JSON report's totals, a province's page to that province's units, and the
    links lead from the top page to a province and back."""
    campaign = tmp_path / "national.toml"
    campaign.write_text(generated(5_000), encoding="utf-8")
    out = tmp_path / "national"
    result = run_cli("report", campaign, *SIM, "--format", "html", "-o", f"{out}/")
    assert result.exit_code == 0, result.output
    data = run_cli("report", campaign, *SIM, "--format", "json").json()
    assignees = [a for r in data["requirements"] for a in r["assignees"]]
    totals = Counter(a["status"] for a in assignees)

    seen = visit(out / "index.html")
    page = seen.page
    provinces = branch_rows(page)
    assert [name for name, _ in provinces] == [f"第{n}省安全生产委员会" for n in range(1, 5)]
    for standing in STANDINGS:
        assert sum(counts[standing] for _, counts in provinces) == totals[standing], standing
        assert summary(page)[standing] == totals[standing], standing
    top = page.screenshot(full_page=True)
    seen.assert_clean()

    # Top → the first province: its own figures are its row's on the top page, and they
    # are its units' standings in the JSON report.
    page.click("table.branches tbody tr:first-child th a")
    page.wait_for_load_state("load")
    assert page.url.endswith("/national/units/prov-1.html")
    name, first = provinces[0]
    assert page.inner_text("h1").endswith(name)
    assert {s: summary(page)[s] for s in STANDINGS} == first
    units = tomllib.loads(campaign.read_text(encoding="utf-8"))["units"]

    def under_first(unit: str) -> bool:
        while unit:
            if unit == "prov-1":
                return True
            unit = units[unit].get("parent", "")
        return False

    mine = Counter(a["status"] for a in assignees if under_first(a["unit"]))
    assert first == {s: mine[s] for s in STANDINGS}
    own = Counter(a["status"] for a in assignees if a["unit"] == "prov-1")
    cities = branch_rows(page)
    assert len(cities) > 1
    for standing in STANDINGS:
        assert sum(c[standing] for _, c in cities) + own[standing] == mine[standing], standing
    province = page.screenshot(full_page=True)
    assert distinct_colours(province) > 50, "the page rendered (nearly) blank"

    # …and back up by the breadcrumb.
    page.click("ol.crumbs a[href='../index.html']")
    page.wait_for_load_state("load")
    assert page.url.endswith("/national/index.html")
    assert branch_rows(page) == provinces
    if os.environ.get("CAMPAIGNKIT_UPDATE_SCREENSHOTS") == "1":
        for png, path in zip((top, province), NATIONAL_SCREENSHOTS, strict=True):
            save_for_docs(png, path)
    seen.assert_clean()
