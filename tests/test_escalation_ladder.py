"""docs/plugins/escalation-ladder.md: its plugin is a module that runs, and its tests pass.

The page's Python blocks before "## Testing it" are the module `escalation_ladder.py`, the
ones after it its tests: put together as the page gives them, they pass; and the plugin, in
place of the built-in escalations, cards every unit of a rehearsal where nobody hands in.
"""

from __future__ import annotations

import json
from collections import Counter

import pytest
from conftest import REPO, page_module, run_page_tests

from campaignkit.testing import CliResult

pytest_plugins = ["pytester"]

PAGE = REPO / "docs" / "plugins" / "escalation-ladder.md"


def test_the_page_is_a_plugin_module_and_its_passing_tests(pytester) -> None:
    run_page_tests(pytester, PAGE, "escalation_ladder")


@pytest.fixture
def rehearse(monkeypatch, run_cli, write_campaign, register_plugin, plugin_host):
    """``rehearse(*args, replacing=True, title=None)``: the result of ``simulate`` on the
    page's campaign (titled `title`) with nobody handing in, the page's plugin installed
    and, when `replacing`, the built-in escalations disabled."""
    module, namespace = page_module(PAGE, "escalation_ladder", monkeypatch)
    register_plugin(module, "escalation-ladder")

    def run(*args: object, replacing: bool = True, title: str | None = None) -> CliResult:
        if replacing:
            plugin_host.disable(["escalations"])
        campaign = str(namespace["CAMPAIGN"])
        if title is not None:
            campaign = campaign.replace('"Ladder drill"', f'"{title}"')
        path = write_campaign(campaign)
        result = run_cli("simulate", path, "--compliance", "0", *args, host=plugin_host)
        assert result.exit_code == 0, result.output
        return result

    return run


def test_with_nobody_handing_in_every_unit_gets_both_cards_on_working_days(rehearse) -> None:
    notices = rehearse("--format", "json").json()["notifications"]
    assert Counter((n["kind"], n["to"], n["about"], n["at"]) for n in notices) == {
        # The deadline, Friday 5 June at 23:59:59: overdue notices at the next send time.
        ("overdue", "east", None, "2020-06-06T09:00:00+08:00"): 1,
        ("overdue", "west", None, "2020-06-06T09:00:00+08:00"): 1,
        # One working day on is Monday 8 June, not Saturday; three, Wednesday 10 June.
        ("yellow-card", "district", "east", "2020-06-09T09:00:00+08:00"): 1,
        ("yellow-card", "district", "west", "2020-06-09T09:00:00+08:00"): 1,
        ("red-card", "city", "east", "2020-06-11T09:00:00+08:00"): 1,
        ("red-card", "city", "west", "2020-06-11T09:00:00+08:00"): 1,
    }


def test_a_chinese_campaign_gets_chinese_cards(rehearse, tmp_path) -> None:
    outbox = tmp_path / "outbox.jsonl"
    rehearse("--outbox", outbox, title="督办演练")
    lines = [json.loads(line) for line in outbox.read_text(encoding="utf-8").splitlines()]
    assert [line["text"] for line in lines if line["about"] == "west"] == [
        "【黄牌】West street未按期报送“Drill plan”（2020-06-05截止），已逾期1个工作日，请督促。",
        "【红牌】West street仍未报送“Drill plan”（2020-06-05截止），已逾期3个工作日，请督办。",
    ]


def test_with_the_built_in_escalations_left_on_both_would_be_sent(rehearse) -> None:
    """Why the page says to disable `escalations`: a plugin does not switch it off."""
    notices = rehearse("--format", "json", replacing=False).json()["notifications"]
    assert Counter(n["kind"] for n in notices) == {
        "overdue": 2,
        "escalation": 2,
        "yellow-card": 2,
        "red-card": 2,
    }
