"""The national view of `report --format html`: a campaign read level by level, as one page
(``--depth N``, or a campaign above `SINGLE_PAGE_UNITS`) or as a folder (``-o DIR/``) of
pages linked to each other. Without a browser: structure, links, counts, the network.

tests/data/cascade_2024.toml is a small national cascade: a committee and its office, two
provinces, two cities in each, two counties in each city, two townships in each county.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[3]
CASCADE = REPO / "tests" / "data" / "cascade_2024.toml"
SHENZHEN = REPO / "campaigns" / "shenzhen_2020.toml"
SIM = ("--simulate", "--compliance", "0.6", "--seed", "2")
STANDINGS = ("on_time", "late", "rejected", "returned", "missing", "pending")


class Page(HTMLParser):
    """A page's tags, and the rows of its tables by the table's class: each cell's text and
    the link in it, if any."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.tables: dict[str, list[list[tuple[str, str]]]] = {}
        self._table = ""
        self._cell: list[str] | None = None
        self._href = ""
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        self.tags.append((tag, found))
        if tag == "table":
            self._table = found.get("class", "")
            self.tables.setdefault(self._table, [])
        elif tag == "tr" and self._table:
            self.tables[self._table].append([])
        elif tag in ("td", "th") and self._table:
            self._cell, self._href = [], ""
        elif tag == "a" and self._cell is not None:
            self._href = found.get("href", "")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.tables[self._table][-1].append(("".join(self._cell).strip(), self._href))
            self._cell = None
        elif tag == "table":
            self._table = ""

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)

    def rows(self, table: str) -> list[list[tuple[str, str]]]:
        """The body rows of the table of class `table` (its header row left out)."""
        return self.tables.get(table, [])[1:]

    def links(self) -> list[str]:
        return [attrs["href"] for tag, attrs in self.tags if tag == "a" and "href" in attrs]


def report_json(run_cli: Callable[..., Any], campaign: Path = CASCADE) -> dict[str, Any]:
    result = run_cli("report", campaign, *SIM, "--format", "json")
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = result.json()
    return data


def totals(data: dict[str, Any]) -> Counter[str]:
    return Counter(a["status"] for r in data["requirements"] for a in r["assignees"])


def branch_counts(page: Page) -> list[tuple[str, dict[str, int]]]:
    """Each row of the roll-up by branch: its name and its counts by standing."""
    found = []
    for row in page.rows("branches"):
        # name, units below, one count per standing shown, total, bar
        counts = [int(text) for text, _ in row[2 : 2 + len(STANDINGS)]]
        found.append((row[0][0], dict(zip(STANDINGS, counts, strict=True))))
    return found


def folder(run_cli: Callable[..., Any], out: Path, *args: object) -> Path:
    result = run_cli("report", CASCADE, *SIM, "--format", "html", "-o", f"{out}/", *args)
    assert result.exit_code == 0, result.output
    return out


def test_a_folder_has_the_top_page_and_one_page_per_branch_with_branches_below(
    run_cli, tmp_path
) -> None:
    out = folder(run_cli, tmp_path / "national")
    written = sorted(str(p.relative_to(out)) for p in out.rglob("*.html"))
    provinces = ["east", "west"]
    cities = [f"{p}-c{c}" for p in provinces for c in (1, 2)]
    counties = [f"{c}-k{k}" for c in cities for k in (1, 2)]
    assert written == sorted(
        ["index.html", *(f"units/{u}.html" for u in provinces + cities + counties)]
    )
    top = Page((out / "index.html").read_text(encoding="utf-8"))
    assert [(row[0][0], row[0][1]) for row in top.rows("branches")] == [
        ("East province", "units/east.html"),
        ("West province", "units/west.html"),
    ]
    # The provinces' counts add up to the report's totals, standing by standing.
    data = report_json(run_cli)
    whole = totals(data)
    rows = branch_counts(top)
    assert {s: sum(counts[s] for _, counts in rows) for s in STANDINGS} == {
        s: whole[s] for s in STANDINGS
    }
    summary = re.findall(
        r'<li class="status-(\w+)"><span class="n">(\d+)</span>',
        (out / "index.html").read_text(encoding="utf-8"),
    )
    assert {s: int(n) for s, n in summary} == {s: whole[s] for s in STANDINGS}


def test_every_link_leads_to_a_page_of_the_folder_and_each_page_back_up(run_cli, tmp_path) -> None:
    out = folder(run_cli, tmp_path / "national")
    for path in out.rglob("*.html"):
        page = Page(path.read_text(encoding="utf-8"))
        assert not [t for t, _ in page.tags if t == "script"], "the pages need no script"
        for link in page.links():
            assert not PurePosixPath(link).is_absolute(), link
            assert ":" not in link, link
            assert (path.parent / link).resolve().is_file(), f"{path.name}: {link}"
    city = Page((out / "units" / "east-c1.html").read_text(encoding="utf-8"))
    crumbs = [attrs.get("href") for tag, attrs in city.tags if tag == "a"][:2]
    assert crumbs == ["../index.html", "east.html"]
    text = (out / "units" / "east-c1.html").read_text(encoding="utf-8")
    assert "<title>East city 1 · National safety inspection (cascade)" in text
    # Its counties, with their own pages; their townships on those pages.
    assert [(row[0][0], row[0][1]) for row in city.rows("branches")] == [
        ("East county 1.1", "east-c1-k1.html"),
        ("East county 1.2", "east-c1-k2.html"),
    ]
    county = Page((out / "units" / "east-c1-k1.html").read_text(encoding="utf-8"))
    assert [(row[0][0], row[0][1]) for row in county.rows("branches")] == [
        ("East township 1.1.1", ""),
        ("East township 1.1.2", ""),
    ]


def test_a_branch_page_counts_its_whole_subtree_and_lists_its_units_notices(
    run_cli, tmp_path
) -> None:
    out = folder(run_cli, tmp_path / "national")
    data = report_json(run_cli)
    below_east = Counter(
        a["status"] for r in data["requirements"] for a in r["assignees"]
        if a["unit"] == "east" or a["unit"].startswith("east-")
    )  # fmt: skip
    east = Page((out / "units" / "east.html").read_text(encoding="utf-8"))
    rows = branch_counts(east)
    assert [name for name, _ in rows] == ["East city 1", "East city 2"]
    own = Counter(
        a["status"] for r in data["requirements"] for a in r["assignees"] if a["unit"] == "east"
    )
    for s in STANDINGS:
        assert sum(counts[s] for _, counts in rows) + own[s] == below_east[s]
    # The grid: the province and its two cities, a cell per requirement.
    grid = east.rows("grid")
    assert [row[0][0] for row in grid] == ["East province", "East city 1", "East city 2"]
    # The notices about the county's townships are on the county's page, and only there.
    townships = {"east-c1-k1-t1", "east-c1-k1-t2"}
    about = [
        n for n in data["notifications"] if (n["about"] or n["to"]) in townships | {"east-c1-k1"}
    ]
    county = Page((out / "units" / "east-c1-k1.html").read_text(encoding="utf-8"))
    assert len(county.rows("log")) == len(about)
    everywhere = sum(
        len(Page(p.read_text(encoding="utf-8")).rows("log")) for p in out.rglob("*.html")
    )
    assert everywhere == len(data["notifications"])


def test_one_page_with_depth_shows_the_levels_asked_for_without_links(run_cli, tmp_path) -> None:
    out = tmp_path / "national.html"
    result = run_cli("report", CASCADE, *SIM, "--format", "html", "--depth", "2", "-o", out)
    assert result.exit_code == 0, result.output
    page = Page(out.read_text(encoding="utf-8"))
    assert [row[0] for row in page.rows("branches")] == [
        ("East province", ""),
        ("East city 1", ""),
        ("East city 2", ""),
        ("West province", ""),
        ("West city 1", ""),
        ("West city 2", ""),
    ]
    assert not page.links()
    assert [row[0][0] for row in page.rows("grid")] == [
        name for (name, _), *_ in page.rows("branches")
    ]


def test_a_small_campaign_keeps_its_single_page_and_a_large_one_gets_the_national_view(
    run_cli, tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "report.html"
    assert run_cli("report", CASCADE, *SIM, "--format", "html", "-o", out).exit_code == 0
    assert Page(out.read_text(encoding="utf-8")).rows("rollup"), "today's page, with its roll-up"
    assert not Page(out.read_text(encoding="utf-8")).rows("branches")
    import campaignkit_html.national

    monkeypatch.setattr(campaignkit_html.national, "SINGLE_PAGE_UNITS", 29)  # the cascade has 30
    assert run_cli("report", CASCADE, *SIM, "--format", "html", "-o", out).exit_code == 0
    page = Page(out.read_text(encoding="utf-8"))
    assert [row[0][0] for row in page.rows("branches")] == ["East province", "West province"]


def test_an_existing_folder_is_written_into_and_shenzhen_becomes_one_top_page(
    run_cli, tmp_path
) -> None:
    out = tmp_path / "shenzhen"
    out.mkdir()
    args = ("--simulate", "--compliance", "0.8", "--seed", "1")
    result = run_cli("report", SHENZHEN, *args, "--format", "html", "-o", out)
    assert result.exit_code == 0, result.output
    assert [p.name for p in out.rglob("*")] == ["index.html"]  # 36 units, none with units below
    page = Page((out / "index.html").read_text(encoding="utf-8"))
    assert len(page.rows("branches")) == 36
    assert page.rows("log"), "the notices about its districts and departments are on it"
