"""The schedule's checks with the first-party plugins: China's working-day calendar
(cn-workdays) says which years it knows, and the webhook plugin's channel names are what a
misspelt channel is matched against."""

from __future__ import annotations

from test_schedule import TREE


def test_working_day_escalation_needs_a_calendar_that_knows_the_year(
    run_cli, write_campaign
) -> None:
    text = TREE.replace("2022-", "2099-").replace("escalate_after = 2", 'escalate_after = "2wd"')
    result = run_cli("validate", write_campaign(text), "--format", "json")
    # China's calendar (cn-workdays, for Asia/Shanghai) does not know 2099 yet.
    assert result.exit_code == 1, result.output
    [problem] = [p for p in result.json() if p["severity"] == "error"]
    assert (problem["path"], problem["code"]) == (
        "requirements.report.escalate_after",
        "unknown-year",
    )
    assert "2099" in problem["message"]


def test_a_channel_no_installed_notifier_serves_is_named(run_cli, write_campaign) -> None:
    text = TREE.replace(
        'kind = "district"\n', 'kind = "district"\nchannels = { weixin = "district-robot" }\n'
    )
    result = run_cli("validate", write_campaign(text), "--format", "json")
    assert result.exit_code == 0, result.output
    [unknown] = [p for p in result.json() if p["code"] == "unknown-channel"]
    assert unknown["path"] == "units.district.channels.weixin"
    assert unknown["hint"] == "did you mean `wecom`?"  # what clerks call WeCom
    assert unknown["subjects"] == ["district"]
