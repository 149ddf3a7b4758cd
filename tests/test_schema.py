"""`campaignkit schema`: the JSON Schema accepts what `validate` accepts and refuses typos."""

from __future__ import annotations

import json
import re
from typing import Any

import jsonschema
import pytest
import tomli
from conftest import MINIMAL, SHENZHEN

RICH = (
    MINIMAL
    + """
[roles.director]
title = "Director"
unit = "office"
holder = "A. Person"

[activities.launch]
name = "Launch"
on = 2020-06-01
phase = "month"
mode = "hybrid"
participants = ["districts"]
channels = ["web"]
expected_attendance = 50

[activities.week]
name = "Week"
start = 2020-06-08
end = 2020-06-14
part_of = "launch-week"

[activities.launch-week]
name = "Launch week"
start = 2020-06-01
end = 2020-06-14

[[requirements.summary.deliverables]]
id = "video"
kind = "video"
formats = ["mp4"]
min_width = 1920
min_height = 1080
max_size_mb = 500.5
"""
)


def as_json(value: Any) -> Any:
    """What an editor's schema validator sees: TOML dates become ISO strings."""
    return json.loads(json.dumps(value, default=lambda v: v.isoformat()))


@pytest.fixture(scope="module")
def validator(request: pytest.FixtureRequest) -> jsonschema.protocols.Validator:
    from typer.testing import CliRunner

    from campaignkit.cli import app

    result = CliRunner().invoke(app, ["schema"])
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def errors(validator: jsonschema.protocols.Validator, text: str) -> list[str]:
    data = as_json(tomli.loads(text))
    return [
        "/".join(map(str, e.absolute_path)) + ": " + e.message for e in validator.iter_errors(data)
    ]


def test_campaigns_that_validate_pass_the_schema(validator, run_cli, write_campaign) -> None:
    for text in (MINIMAL, RICH):
        assert run_cli("validate", write_campaign(text)).exit_code == 0
        assert errors(validator, text) == []


def test_the_shenzhen_campaign_passes_the_schema(validator) -> None:
    assert errors(validator, SHENZHEN.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    ("change", "where"),
    [
        pytest.param(('kind = "office"', 'kind = "office"\nkidn = 1'), "units/office", id="typo"),
        pytest.param(("format = 1", "format = 2"), "format", id="format-version"),
        pytest.param(("start = 2020-06-01", 'start = "June"'), "phases/month/start", id="date"),
        pytest.param(
            ('assignees = ["districts"]', 'assignees = "districts"'),
            "requirements/summary/assignees",
            id="not-a-list",
        ),
        pytest.param(("[units.east]", "[units.East]"), "units", id="not-a-slug"),
        pytest.param(('title = "Minimal campaign"', ""), "campaign", id="missing-title"),
        pytest.param(('kind = "video"', 'kind = "film"'), "kind", id="enum"),
    ],
)
def test_the_schema_refuses_what_validate_refuses(
    validator, run_cli, write_campaign, change: tuple[str, str], where: str
) -> None:
    text = RICH.replace(*change)
    assert run_cli("validate", write_campaign(text)).exit_code == 1
    found = errors(validator, text)
    assert found, "the schema accepted a campaign that validate refuses"
    assert any(where in e for e in found), found


def test_dates_are_strings_with_format_date() -> None:
    from campaignkit.schema import json_schema

    schema = json_schema()
    phase = schema["$defs"]["Phase"]["properties"]
    assert phase["start"]["description"] == "First day of the phase."
    date, expression = phase["start"]["anyOf"]
    assert date == {"type": "string", "format": "date"}
    assert re.match(expression["pattern"], "phases.safety-month.end + 5wd")
    assert not re.match(expression["pattern"], "next Tuesday")
    assert schema["properties"]["format"]["const"] == 1
    assert schema["$defs"]["Requirement"]["properties"]["remind"]["default"] == [3, 1]


def test_schema_can_be_written_to_a_file(run_cli, tmp_path) -> None:
    out = tmp_path / "campaignkit.schema.json"
    assert run_cli("schema", "-o", out).exit_code == 0
    assert json.loads(out.read_text(encoding="utf-8"))["title"] == "campaignkit campaign, format 1"


def test_the_schema_beside_the_campaigns_is_current() -> None:
    """campaigns/*.toml name it on their first line, so editors complete keys out of the box."""
    from campaignkit.plugins import load_plugins
    from campaignkit.schema import json_schema

    # With the first-party plugins installed (the README's first command does), their
    # tables are in it too: editors complete [plugins.webhook] and [plugins.email].
    sections = load_plugins().collect("campaignkit_config_sections")
    expected = json_schema({name: c.record.cls for name, c in sections.items()})
    committed = SHENZHEN.parent / "campaignkit.schema.json"
    assert json.loads(committed.read_text(encoding="utf-8")) == expected, (
        "run `campaignkit schema -o campaigns/campaignkit.schema.json`"
    )
    assert SHENZHEN.read_text(encoding="utf-8").startswith("#:schema ./campaignkit.schema.json\n")


def test_two_plugins_tables_of_one_class_name_keep_their_own_keys() -> None:
    """Two plugins made with `new-plugin` both call their class `Settings`."""
    import attrs

    from campaignkit.schema import json_schema

    @attrs.frozen
    class Settings:
        """The SMS plugin's table."""

        max_length: int = 70

    sms = Settings

    @attrs.frozen
    class Settings:  # type: ignore[no-redef]
        """The notice plugin's table."""

        min_notice_days: int = 7

    schema = json_schema({"sms": sms, "notice": Settings})
    tables = schema["properties"]["plugins"]["properties"]
    assert tables["sms"] != tables["notice"]
    sms_def = schema["$defs"][tables["sms"]["$ref"].removeprefix("#/$defs/")]
    notice_def = schema["$defs"][tables["notice"]["$ref"].removeprefix("#/$defs/")]
    assert list(sms_def["properties"]) == ["max_length"]
    assert list(notice_def["properties"]) == ["min_notice_days"]
