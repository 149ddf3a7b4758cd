"""A plugin's `[plugins.NAME]` table: its own rules (attrs validators) are said at the key
they refuse, with its line and code `out-of-range`, like every other mistake."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
from conftest import MINIMAL

from campaignkit import ConfigSection, hookimpl

TABLE_LINE = MINIMAL.count("\n") + 2  # the line of `[plugins.sms]`


def _business_hours(instance: object, attribute: attrs.Attribute, value: dt.time) -> None:
    if not dt.time(7) <= value <= dt.time(22):
        raise ValueError(f"{value:%H:%M} is outside 07:00–22:00")


@attrs.frozen
class Sms:
    retries: int = attrs.field(
        default=3, validator=[attrs.validators.ge(0), attrs.validators.le(5)]
    )
    mode: str = attrs.field(default="text", validator=attrs.validators.in_(["text", "flash"]))
    send_from: dt.time = attrs.field(default=dt.time(8), validator=_business_hours)


class SmsPlugin:
    @hookimpl
    def campaignkit_config_sections(self) -> list[ConfigSection]:
        return [ConfigSection("sms", Sms)]


@pytest.fixture
def validate(run_cli, write_campaign, register_plugin, plugin_host):
    register_plugin(SmsPlugin(), "sms")

    def run(table: str):
        path = write_campaign(f"{MINIMAL}\n[plugins.sms]\n{table}\n")
        return run_cli("validate", path, "--format", "json", host=plugin_host)

    return run


@pytest.mark.parametrize(
    ("table", "key", "said"),
    [
        ("retries = 9", "plugins.sms.retries", "out of range: 'retries' must be <= 5: 9"),
        ("retries = -1", "plugins.sms.retries", "out of range: 'retries' must be >= 0: -1"),
        ('mode = "loud"', "plugins.sms.mode", "out of range: 'mode' must be in ['text', 'flash']"),
        ("send_from = 23:30:00", "plugins.sms.send_from", "out of range: 23:30 is outside"),
    ],
)
def test_a_settings_validator_is_said_at_its_key(validate, table, key, said) -> None:
    result = validate(table)
    assert result.exit_code == 1
    [problem] = result.json()
    assert problem["path"] == key
    assert problem["code"] == "out-of-range"
    assert problem["line"] == TABLE_LINE + 1
    assert problem["message"].startswith(said)


def test_each_refused_key_is_said_and_the_good_table_loads(validate) -> None:
    result = validate('mode = "loud"\nretries = 6')
    assert result.exit_code == 1
    # attrs stops at the first field it refuses: the next run says the next one.
    assert [p["path"] for p in result.json()] == ["plugins.sms.retries"]
    assert validate('mode = "flash"\nretries = 5\nsend_from = 07:30:00').exit_code == 0


def test_the_table_view_names_the_key_and_its_line(
    run_cli, write_campaign, register_plugin, plugin_host
) -> None:
    register_plugin(SmsPlugin(), "sms")
    path = write_campaign(f"{MINIMAL}\n[plugins.sms]\nretries = 9\n")
    result = run_cli("validate", path, host=plugin_host)
    assert result.exit_code == 1
    assert "plugins.sms.retries" in result.output
    assert str(TABLE_LINE + 1) in result.output
