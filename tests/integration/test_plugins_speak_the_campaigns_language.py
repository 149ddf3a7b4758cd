"""The first-party plugins' checks speak the campaign's language, from their own catalogs:
the example plugin's (`weekly-digest`) and the webhook plugin's (see tests/
test_speaks_loader.py for the core's)."""

from __future__ import annotations

import pytest
from conftest import without_reach
from test_speaks_loader import CHINESE


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("zh", "weekday 应为 0（周一）至 6（周日），而不是 9"),
        ("en", "weekday must be from 0 (Monday) to 6 (Sunday), not 9"),
    ],
)
def test_a_plugins_check_speaks_the_campaigns_language_from_its_own_catalog(
    run_cli, write_campaign, language: str, message: str
) -> None:
    text = CHINESE.replace('language = "zh"', f'language = "{language}"')
    text += "\n[plugins.weekly-digest]\nweekday = 9\n"
    [problem] = without_reach(run_cli("validate", write_campaign(text), "--format", "json").json())
    assert (problem["path"], problem["message"]) == ("plugins.weekly-digest.weekday", message)


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("zh", "[plugins.webhook.robots] 中没有机器人 `east-robot`"),
        ("en", "no robot `east-robot` in [plugins.webhook.robots]"),
    ],
)
def test_the_webhook_plugins_checks_speak_the_campaigns_language(
    run_cli, write_campaign, language: str, message: str
) -> None:
    text = CHINESE.replace('language = "zh"', f'language = "{language}"').replace(
        'parent = "office"\n', 'parent = "office"\nchannels = { wecom = "east-robot" }\n'
    )
    text += '\n[plugins.webhook.robots.office-robot]\nflavor = "wecom"\n'
    text += 'url_env = "CAMPAIGNKIT_OFFICE_URL"\n'
    result = run_cli("validate", write_campaign(text), "--format", "json")
    problem = {p["path"]: p for p in result.json()}["units.east.channels.wecom"]
    assert (problem["code"], problem["message"]) == ("webhook-robot", message)
