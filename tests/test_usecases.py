"""The use cases as a library: what a portal or a script calls does what the command that
makes the same call shows, and the script in docs/architecture.md runs."""

from __future__ import annotations

import datetime as dt
import json
import re
import textwrap

import attrs
import pytest
from conftest import MINIMAL, REPO

from campaignkit import LedgerNotFresh, rehearsal_report, rehearse, report_json
from campaignkit.ledger import LedgerError

DRILL = """\
format = 1

[campaign]
id = "drill"
title = "Safety drill"
issued_on = {issued}
issued_by = "office"
timezone = "Asia/Shanghai"

[phases.drill]
name = "Drill month"
start = {start}
end = {end}

[units.office]
name = "Safety office"
kind = "office"

[units.east]
name = "East district"
kind = "district"
parent = "office"

[requirements.report]
name = "Report"
assignees = ["east"]
due = {due}

[[requirements.report.deliverables]]
id = "plan"
kind = "document"
formats = ["pdf"]
"""


def test_the_script_in_the_architecture_page_hands_in_and_ticks(
    run_cli, tmp_path, monkeypatch, capsys
) -> None:
    page = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8")
    section = page[page.index("## Use cases") :]
    script = re.search(r"```python\n(.*?)```", section, re.S)
    assert script is not None
    today = dt.date.today()
    days = {"issued": -20, "start": -10, "end": 20, "due": 7}
    dates = {key: today + dt.timedelta(days=n) for key, n in days.items()}
    (tmp_path / "drill.toml").write_text(DRILL.format(**dates), encoding="utf-8")
    (tmp_path / "plan.pdf").write_bytes(b"%PDF-1.7\n" + b"x" * 200)
    monkeypatch.chdir(tmp_path)
    exec(compile(script.group(1), "architecture.md", "exec"), {"__name__": "__main__"})
    said, processed = capsys.readouterr().out.splitlines()
    assert said == "east: on_time"
    assert re.fullmatch(r"[1-9]\d* events processed", processed)
    # The command line finds the same ledger beside the campaign file, and the same hand-in.
    status = run_cli("status", tmp_path / "drill.toml", "--format", "json")
    assert status.exit_code == 0, status.output
    [report] = status.json()["requirements"]
    assert [(u["unit"], u["status"]) for u in report["units"]] == [("east", "on_time")]


def test_a_simulation_is_the_commands_and_refuses_a_used_ledger(
    run_cli, write_campaign, plugin_host, campaign_from_toml, tmp_path
) -> None:
    db = tmp_path / "rehearsal.db"
    campaign = campaign_from_toml(MINIMAL)
    simulated = rehearse(campaign, plugin_host, db=db, compliance=0.0)
    shown = run_cli("simulate", write_campaign(MINIMAL), "--compliance", "0", "-f", "json")
    assert {req: attrs.asdict(s) for req, s in simulated.summary.items()} == shown.json()["summary"]
    assert len(simulated.result.notifications) == len(shown.json()["notifications"])
    assert simulated.delivered is None
    with pytest.raises(LedgerNotFresh) as refused:
        rehearse(campaign, plugin_host, db=db)
    assert isinstance(refused.value, LedgerError)
    assert (refused.value.path, refused.value.campaign) == (db, "mini")
    assert f"{db} already holds a run of `mini`" in str(refused.value)
    assert db.is_file()  # the ledger it refused is left as it was


def test_a_simulated_report_is_what_report_renders(
    run_cli, write_campaign, plugin_host, campaign_from_toml
) -> None:
    built = rehearsal_report(campaign_from_toml(MINIMAL), plugin_host, compliance=0.0)
    shown = run_cli(
        "report", write_campaign(MINIMAL), "--simulate", "--compliance", "0", "-f", "json"
    )
    assert shown.exit_code == 0, shown.output
    assert json.loads(json.dumps(report_json(built), ensure_ascii=False)) == shown.json()


def test_a_scenario_in_text_and_in_a_file_are_the_same(tmp_path, campaign_from_toml) -> None:
    from campaignkit.synthetic import load_scenario, loads_scenario

    campaign = campaign_from_toml(MINIMAL)
    text = textwrap.dedent(
        """
        [[submissions]]
        unit = "east"
        requirement = "summary"
        submitted_at = 2020-06-29T08:00:00
        """
    )
    path = tmp_path / "scenario.toml"
    path.write_text(text, encoding="utf-8")
    assert loads_scenario(text, campaign) == load_scenario(path, campaign)
    [late], [] = loads_scenario(text, campaign)
    assert late.at == dt.datetime(2020, 6, 29, 8, tzinfo=late.at.tzinfo)
    _, [problem] = loads_scenario(text.replace('"east"', '"west"'), campaign, source="s.toml")
    assert (problem.path, problem.line, problem.file) == ("submissions[0].unit", 3, "s.toml")


def test_a_tick_follows_the_campaign_file_and_queues_the_dead_again(
    campaign_from_toml, plugin_host
) -> None:
    """What `campaignkit tick` says it did: the library's tick does it and reports it."""
    from campaignkit import Ledger, tick

    campaign = campaign_from_toml(MINIMAL)
    now = dt.datetime(2020, 6, 1, 9, tzinfo=dt.UTC)
    with Ledger(":memory:") as ledger:
        first = tick(campaign, plugin_host, ledger, now=now, source="a" * 64)
        same = tick(campaign, plugin_host, ledger, now=now, source="a" * 64, retry_dead=True)
        changed = tick(campaign, plugin_host, ledger, now=now, source="b" * 64)
    assert (first.followed, same.followed, changed.followed) == (False, False, True)
    assert (first.revived, same.revived) == (0, 0)
