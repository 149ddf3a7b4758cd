"""Every report format installed, the first-party `html` and `ics` among them, comes out of
`campaignkit report` for any campaign, with what each must show of it."""

from __future__ import annotations

import html
import json

import pytest
from conftest import MINIMAL, REPO, SHENZHEN

NEEDS = {"assessment": "assessment", "circular": "assessment", "docx": "assessment"}
"""The formats that need a table of the campaign file, and the table."""


@pytest.mark.slow
def test_every_format_comes_out_of_a_simulation_of_any_campaign(run_cli, write_campaign) -> None:
    formats = run_cli("plugins", "--format", "json").json()["plugins"]
    names = {n for p in formats for n in p["contributes"].get("report formats", [])}
    assert names >= {"md", "json", "csv", "html", "ics"}
    campaigns = [
        SHENZHEN,
        REPO / "tests" / "data" / "harbour_city_2021.toml",
        write_campaign(MINIMAL),
        write_campaign(MINIMAL + "\n[assessment]\nlate_per_day = 2\n"),
    ]

    # What each format must show of a campaign: its title, and every requirement's name.
    for campaign in campaigns:
        shown = run_cli("show", campaign, "--format", "json").json()
        title = shown["campaign"]["title"]
        outputs = {}
        for name in sorted(names):
            result = run_cli("report", campaign, "--simulate", "--compliance", "0.5", "-f", name)
            if name in NEEDS and shown.get(NEEDS[name]) is None:
                # A format that needs a table the campaign lacks says so, and writes nothing.
                assert result.exit_code == 1, (campaign, name, result.output)
                assert f"[{NEEDS[name]}]" in result.stderr
                continue
            assert result.exit_code == 0, (campaign, name, result.output)
            outputs[name] = result.stdout
        assert outputs["md"].startswith(f"# {title}\n")
        assert json.loads(outputs["json"])["campaign"]["title"] == title
        assert outputs["csv"].startswith(
            ("\ufeff报送要求编号,报送要求,截止时间", "\ufeffrequirement id,")
        )
        assert outputs["html"].lstrip().lower().startswith("<!doctype html>")
        assert outputs["ics"].startswith("BEGIN:VCALENDAR")
        for req in json.loads(outputs["json"])["requirements"]:
            for name in ("md", "csv", "html"):
                assert req["name"] in outputs[name] or _escaped(req["name"]) in outputs[name]


def _escaped(text: str) -> str:
    return html.escape(text)
