"""The plugin through the command line: `validate` checks [plugins.webhook] and the units'
robot channels, and `simulate --deliver` sends the reminders to a local robot."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from webhook_fakes import FakePlatforms

REPO = Path(__file__).resolve().parents[3]
SHENZHEN = REPO / "campaigns" / "shenzhen_2020.toml"

CAMPAIGN = """\
format = 1

[campaign]
id = "e2e"
title = "东区安全生产月"
issued_on = 2020-05-22
issued_by = "office"
timezone = "Asia/Shanghai"
language = "zh"

[phases.month]
name = "安全生产月"
start = 2020-06-01
end = 2020-06-30

[units.office]
name = "安委办"
kind = "office"

[units.east]
name = "东区安委会"
kind = "district"
parent = "office"
contact = { name = "李联络员", phone = "13800138000" }
channels = { wecom = "r1" }

[groups]
districts = { kinds = ["district"] }

[requirements.summary]
name = "活动总结"
assignees = ["districts"]
due = 2020-06-28
remind = [3, 1]
"""

ROBOT = """
[plugins.webhook.robots.r1]
flavor = "wecom"
url_env = "CAMPAIGNKIT_E2E_WECOM_URL"
"""


@pytest.fixture
def platforms(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakePlatforms]:
    for proxy in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(proxy, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    with FakePlatforms() as server:
        yield server


def problems(result: Any) -> dict[str, dict[str, Any]]:
    return {p["path"]: p for p in result.json()}


# ── validate ───────────────────────────────────────────────────────────────────────────


def test_an_unknown_key_is_refused_with_a_hint(run_cli, write_campaign) -> None:
    text = CAMPAIGN + ROBOT + "per_minte = 5\n"
    result = run_cli("validate", write_campaign(text), "--format", "json")
    assert result.exit_code == 1
    problem = problems(result)["plugins.webhook.robots.r1.per_minte"]
    assert problem["message"] == "未知的键 `per_minte`"
    assert problem["hint"] == "是否应为 `per_minute`？"
    assert problem["line"] == text.count("\n")


def test_unknown_keys_and_flavours_anywhere_in_the_table(run_cli, write_campaign) -> None:
    text = CAMPAIGN + "\n[plugins.webhook]\ntimeout = 5\n" + ROBOT.replace('"wecom"', '"wecon"')
    result = run_cli("validate", write_campaign(text), "--format", "json")
    assert result.exit_code == 1
    found = problems(result)
    assert found["plugins.webhook.timeout"]["hint"] == "是否应为 `timeout_s`？"
    assert found["plugins.webhook.robots.r1.flavor"]["hint"] == "是否应为 `wecom`？"


def test_a_url_written_into_the_campaign_is_refused_and_not_repeated(
    run_cli, write_campaign
) -> None:
    url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=0b2f-pasted-by-mistake"
    text = CAMPAIGN + ROBOT.replace('"CAMPAIGNKIT_E2E_WECOM_URL"', f'"{url}"')
    for fmt in ("json", "table"):
        result = run_cli("validate", write_campaign(text), "--format", fmt)
        assert result.exit_code == 1
        assert "pasted-by-mistake" not in result.output
    problem = problems(run_cli("validate", write_campaign(text), "--format", "json"))
    assert problem["plugins.webhook.robots.r1.url_env"]["message"] == (
        "`url_env` 必须是以 CAMPAIGNKIT_ 开头的环境变量名（字母、数字和 _），而不是变量的值"
    )


def test_a_units_channel_must_name_a_robot_of_its_flavour(run_cli, write_campaign) -> None:
    channels = '{ wecom = "east-robt", dingtalk = "east-robot" }'
    text = CAMPAIGN.replace('{ wecom = "r1" }', channels) + ROBOT.replace(".r1]", ".east-robot]")
    result = run_cli("validate", write_campaign(text), "--format", "json")
    assert result.exit_code == 1
    found = problems(result)
    assert found["units.east.channels.wecom"]["message"] == (
        "[plugins.webhook.robots] 中没有机器人 `east-robt`"
    )
    assert found["units.east.channels.wecom"]["hint"] == "是否应为 `east-robot`？"
    assert found["units.east.channels.dingtalk"]["message"] == (
        "机器人 `east-robot` 是 wecom 机器人，不是 dingtalk 机器人"
    )
    assert found["units.east.channels.dingtalk"]["hint"] == (
        '请写 `wecom = "east-robot"`，或将该机器人的 flavor 设为 "dingtalk"'
    )


def test_robot_channels_without_any_robots_are_a_warning(run_cli, write_campaign) -> None:
    result = run_cli("validate", write_campaign(CAMPAIGN), "--format", "json")
    assert result.exit_code == 0
    [problem] = result.json()
    assert problem["path"] == "units.east.channels.wecom"
    assert problem["severity"] == "warning"


@pytest.mark.parametrize(
    ("table", "shown"),
    [
        # The campaign's own robot, as the design's example writes it.
        (
            '[plugins.webhook]\nflavor = "wecom"\nurl_env = "CAMPAIGNKIT_SZ_SAFETY_WECOM_URL"\n',
            {"flavor": "wecom", "url_env": "CAMPAIGNKIT_SZ_SAFETY_WECOM_URL", "robots": {}},
        ),
        (
            '[plugins.webhook.robots.futian-robot]\nflavor = "dingtalk"\n'
            'url_env = "CAMPAIGNKIT_FUTIAN_DING_URL"\n'
            'secret_env = "CAMPAIGNKIT_FUTIAN_DING_SECRET"\nper_minute = 10\n',
            {
                "flavor": None,
                "url_env": None,
                "robots": {
                    "futian-robot": {
                        "flavor": "dingtalk",
                        "url_env": "CAMPAIGNKIT_FUTIAN_DING_URL",
                        "secret_env": "CAMPAIGNKIT_FUTIAN_DING_SECRET",
                        "per_minute": 10,
                        "markdown": False,
                        "mention": True,
                    }
                },
            },
        ),
    ],
)
def test_the_shenzhen_campaign_validates_with_a_webhook_table(
    run_cli, write_campaign, table, shown
) -> None:
    path = write_campaign(SHENZHEN.read_text(encoding="utf-8") + "\n" + table)
    result = run_cli("validate", path, "--format", "json")
    assert result.exit_code == 0, result.output
    assert [p for p in result.json() if p["severity"] == "error"] == []
    webhook = run_cli("show", path, "--format", "json").json()["plugins"]["webhook"]
    assert {key: webhook[key] for key in shown} == shown


def test_the_table_is_in_the_json_schema(run_cli) -> None:
    schema = run_cli("schema").json()
    assert schema["properties"]["plugins"]["properties"]["webhook"] == {
        "$ref": "#/$defs/WebhookSettings"
    }
    robot = schema["$defs"]["WebhookRobot"]
    assert robot["properties"]["flavor"]["enum"] == ["wecom", "dingtalk", "feishu", "generic"]
    assert robot["additionalProperties"] is False
    for key in ("url_env", "secret_env"):  # editors flag another name as validate does
        assert robot["properties"][key]["pattern"] == "^CAMPAIGNKIT_[A-Za-z0-9_]+$"
    # Required only in a campaign that extends none: one that does may inherit them.
    needs = schema["else"]["properties"]["plugins"]["properties"]["webhook"]
    assert needs["properties"]["robots"]["additionalProperties"] == {
        "required": ["flavor", "url_env"]
    }


def test_the_plugin_lists_its_notifiers(run_cli) -> None:
    plugins = {p["name"]: p for p in run_cli("plugins", "--format", "json").json()["plugins"]}
    assert plugins["webhook"]["dist"] == "campaignkit-webhook"
    assert plugins["webhook"]["contributes"] == {
        "config sections": ["webhook"],
        "notifiers": ["wecom", "dingtalk", "feishu", "webhook"],
    }


def test_a_campaign_file_cannot_point_a_robot_at_the_machines_other_variables(
    run_cli, write_campaign, platforms, monkeypatch
) -> None:
    """Issue 14 §7.6 for robots: a file from elsewhere names a URL another program keeps in
    the environment, and signs with another program's secret."""
    secret = secrets.token_urlsafe(18)
    monkeypatch.setenv("OTHER_SERVICE_URL", platforms.generic_url)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", secret)
    hostile = (
        '\n[plugins.webhook.robots.r1]\nflavor = "generic"\n'
        'url_env = "OTHER_SERVICE_URL"\nsecret_env = "AWS_SECRET_ACCESS_KEY"\n'
    )
    text = CAMPAIGN.replace('{ wecom = "r1" }', '{ webhook = "r1" }') + hostile
    path = write_campaign(text)
    validated = run_cli("validate", path, "--format", "json")
    args = ("simulate", path, "--compliance", "0", "--until", "2020-06-27", "--deliver")
    simulated = run_cli(*args)
    assert platforms.requests == 0
    assert validated.exit_code == simulated.exit_code == 1
    lines = text.splitlines()
    found = problems(validated)
    assert set(found) == {
        "plugins.webhook.robots.r1.url_env",
        "plugins.webhook.robots.r1.secret_env",
    }
    url = found["plugins.webhook.robots.r1.url_env"]
    assert url["line"] == lines.index('url_env = "OTHER_SERVICE_URL"') + 1
    assert url["message"].startswith("`url_env` 必须是以 CAMPAIGNKIT_ 开头的环境变量名")
    assert 'url_env = "CAMPAIGNKIT_FUTIAN_WECOM_URL"' in url["hint"]
    assert secret not in validated.output + simulated.output


# ── simulate --deliver ─────────────────────────────────────────────────────────────────


def test_simulate_delivers_the_reminders_to_the_units_robot(
    run_cli, write_campaign, platforms, monkeypatch
) -> None:
    monkeypatch.setenv("CAMPAIGNKIT_E2E_WECOM_URL", platforms.wecom_url)
    path = write_campaign(CAMPAIGN + ROBOT)
    args = ("simulate", path, "--compliance", "0", "--until", "2020-06-27", "--deliver")
    result = run_cli(*args)
    assert result.exit_code == 0, result.output
    messages = platforms.messages("wecom")
    assert [m["text"]["content"] for m in messages] == [
        "【提醒】东区安委会：请于2020年6月28日前向安委办报送“活动总结”，距截止还有3天。",
        "【提醒】东区安委会：请于2020年6月28日前向安委办报送“活动总结”，距截止还有1天。",
    ]
    assert all(m["text"]["mentioned_mobile_list"] == ["13800138000"] for m in messages)
    assert platforms.wecom_key not in result.output


def test_simulate_with_the_variable_unset_sends_nothing(
    run_cli, write_campaign, platforms, monkeypatch
) -> None:
    monkeypatch.delenv("CAMPAIGNKIT_E2E_WECOM_URL", raising=False)
    path = write_campaign(CAMPAIGN + ROBOT)
    result = run_cli("simulate", path, "--compliance", "0", "--until", "2020-06-27", "--deliver")
    assert result.exit_code == 0, result.output
    assert platforms.requests == 0
