"""`campaignkit schema`: the JSON Schema accepts what `validate` accepts and refuses typos."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import tomli
from conftest import MINIMAL, REPO, SHENZHEN

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


def test_a_field_may_add_to_its_schema_or_be_left_out_of_it() -> None:
    """A plugin puts its rule in the schema (a pattern), and keeps a key it refuses out of
    it, so that editors flag the key, while its check still says why."""
    import attrs

    from campaignkit.schema import json_schema

    @attrs.frozen
    class Settings:
        """A plugin's table."""

        name_env: str = attrs.field(
            default="CAMPAIGNKIT_X", metadata={"schema": {"pattern": "^CAMPAIGNKIT_"}}
        )
        host: str | None = attrs.field(default=None, metadata={"refused": True})

    schema = json_schema({"mine": Settings})
    table = schema["$defs"]["Settings"]
    assert table["properties"] == {
        "name_env": {"type": "string", "pattern": "^CAMPAIGNKIT_", "default": "CAMPAIGNKIT_X"}
    }
    assert table["additionalProperties"] is False


# ── `extends`: a file that extends another needs none of the keys it inherits ────────────

CHILD = """\
format = 1
extends = "shenzhen_2020.toml"

[requirements.liaison-and-plan]
assignees = ["futian"]

[activities.online-safety-activities]
end = 2020-06-20
"""


def test_a_campaign_that_extends_another_needs_none_of_the_keys_it_inherits(
    validator, run_cli, write_campaign
) -> None:
    write_campaign(SHENZHEN.read_text(encoding="utf-8"), "shenzhen_2020.toml")
    assert run_cli("validate", write_campaign(CHILD)).exit_code == 0
    assert errors(validator, CHILD) == []
    alone = CHILD.replace('extends = "shenzhen_2020.toml"\n', "")
    assert run_cli("validate", write_campaign(alone)).exit_code == 1
    assert set(errors(validator, alone)) == {
        ": 'campaign' is a required property",
        ": 'phases' is a required property",
        ": 'units' is a required property",
        "requirements/liaison-and-plan: 'name' is a required property",
        "requirements/liaison-and-plan: 'due' is a required property",
        "activities/online-safety-activities: 'name' is a required property",
        "activities/online-safety-activities: 'start' is a dependency of 'end'",
    }


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        pytest.param(("format = 1\n", ""), ": 'format' is a required property", id="format"),
        pytest.param(
            (
                "[activities",
                '[[requirements.liaison-and-plan.deliverables]]\nid = "x"\n\n[activities',
            ),
            "requirements/liaison-and-plan/deliverables/0: 'kind' is a required property",
            id="a-deliverable-is-never-inherited",
        ),
    ],
)
def test_what_a_file_that_extends_another_still_needs(
    validator, run_cli, write_campaign, change: tuple[str, str], expected: str
) -> None:
    """Every file says its format, and an array replaces the parent's whole."""
    write_campaign(SHENZHEN.read_text(encoding="utf-8"), "shenzhen_2020.toml")
    text = CHILD.replace(*change)
    assert run_cli("validate", write_campaign(text)).exit_code == 1
    assert errors(validator, text) == [expected]


# ── Taplo, the engine of the Even Better TOML extension: what the editor shows ───────────

FORMAT_MD = REPO / "docs" / "format.md"
FENCE = re.compile(r"^( *)```toml\n(.*?)^\1```$", re.M | re.S)
TAPLO_CONFIG_SCHEMA = "taplo://taplo.toml"  # built into taplo: the schema of .taplo.toml


def taplo_check(path: Path, schema: str | None = None) -> str:
    """What taplo says is wrong with `path`, as the editor would underline it ("" if nothing).

    `schema` overrides the file's own ``#:schema`` line, as it does in taplo; without either,
    taplo checks the syntax only.
    """
    beside = Path(sys.executable).with_name("taplo")
    binary = str(beside) if beside.exists() else shutil.which("taplo")
    if binary is None:
        pytest.skip(
            "needs taplo, the editor's TOML checker: `pip install -r requirements-dev.txt` "
            "(or `pip install taplo`) installs it"
        )
    args = [binary, "check", "--no-auto-config", "--colors", "never"]
    args += ["--schema", schema] if schema else []
    done = subprocess.run(
        [*args, path.name], cwd=path.parent, capture_output=True, text=True, check=False
    )
    if done.returncode == 0:
        return ""
    said = (done.stdout + done.stderr).splitlines()
    return "\n".join(line for line in said if " INFO " not in line).strip() or "taplo failed"


@pytest.mark.parametrize("path", sorted((REPO / "campaigns").glob("*.toml")), ids=lambda p: p.name)
def test_taplo_finds_nothing_wrong_with_the_campaigns(path: Path) -> None:
    """With the schema their first line names, as the editor reads it."""
    assert path.read_text(encoding="utf-8").startswith("#:schema ./campaignkit.schema.json\n")
    assert taplo_check(path) == ""


def format_md_examples() -> list[tuple[int, str, str]]:
    """Each ```toml example of docs/format.md: its first line, its text, and the sentence
    before it."""
    text = FORMAT_MD.read_text(encoding="utf-8")
    found = []
    for match in FENCE.finditer(text):
        before = text[: match.start()].rstrip().rsplit("\n\n", 1)[-1]
        line = text.count("\n", 0, match.start(2)) + 1
        found.append((line, textwrap.dedent(match.group(2)), before))
    return found


def parsed(text: str) -> dict[str, Any] | None:
    try:
        return tomli.loads(text)
    except tomli.TOMLDecodeError:
        return None


def statements(example: str) -> list[str]:
    """`example` cut into its statements: each key with its value (which may span lines)."""
    out, lines = [], []
    for line in example.splitlines(keepends=True):
        if not lines and (not line.strip() or line.lstrip().startswith("#")):
            continue
        lines.append(line)
        if parsed("".join(lines)) is not None:  # else the value goes on on the next line
            out.append("".join(lines))
            lines = []
    return out + (["".join(lines)] if lines else [])


def tables_with(key: str, schema: dict[str, Any]) -> list[str]:
    """The header of each table of a campaign that has `key`: ``[campaign]``, ``[phases.x]``…"""
    headers = []
    for name, prop in schema["properties"].items():
        keyed = prop.get("additionalProperties")
        ref = prop.get("$ref") or (keyed.get("$ref") if isinstance(keyed, dict) else None)
        table = schema["$defs"][ref.removeprefix("#/$defs/")] if ref else {}
        if key in table.get("properties", {}):
            headers.append(f"[{name}]" if "$ref" in prop else f"[{name}.example]")
    return headers


def example_checks(
    example: str, before: str, whole: str, fragment: str, schema: dict[str, Any]
) -> list[list[tuple[str, str]]]:
    """How `example` is checked: for each of its parts, (text, schema) pairs one of which
    must pass.

    - the `.taplo.toml` example against taplo's own schema of its configuration;
    - a whole campaign (its format, and `extends` or its header, phases and units) against
      the schema, as the editor checks a file;
    - tables of a campaign against the schema with nothing required: a fragment of a file
      stands for a file that has the rest;
    - keys shown without their table (the date expressions, one key written several times)
      one by one, each in a table that has that key.
    """
    if ".taplo.toml" in before:
        return [[(example, TAPLO_CONFIG_SCHEMA)]]
    data = parsed(example)
    if data is not None and set(data) <= set(schema["properties"]):
        complete = {"campaign", "phases", "units"} <= set(data) or "extends" in data
        return [[(example, whole if "format" in data and complete else fragment)]]
    checks = []
    for statement in statements(example):
        key = next(iter(parsed(statement) or {}), "")
        headers = tables_with(key, schema) or ["[campaign]"]
        checks.append([(f"{header}\n{statement}", fragment) for header in headers])
    return checks


def test_taplo_finds_nothing_wrong_with_the_examples_in_the_format_reference(
    tmp_path: Path,
) -> None:
    from campaignkit.plugins import load_plugins
    from campaignkit.schema import json_schema

    sections = load_plugins().collect("campaignkit_config_sections")
    schema = json_schema({name: c.record.cls for name, c in sections.items()})
    partial = {k: v for k, v in schema.items() if k not in ("required", "if", "then", "else")}
    (tmp_path / "whole.json").write_text(json.dumps(schema), encoding="utf-8")
    (tmp_path / "fragment.json").write_text(json.dumps(partial), encoding="utf-8")
    whole, fragment = ((tmp_path / f"{n}.json").as_uri() for n in ("whole", "fragment"))
    examples = format_md_examples()
    assert len(examples) >= 10, "the examples were not found: has the fence changed?"

    def first_said(line: int, alternatives: list[tuple[str, str]]) -> str:
        """ "" when one of the alternatives passes, else what taplo said of the first."""
        said = []
        for text, against in alternatives:
            path = tmp_path / f"line{line}-{len(list(tmp_path.iterdir()))}.toml"
            path.write_text(text, encoding="utf-8")
            said.append(taplo_check(path, against))
            if not said[-1]:
                return ""
        return said[0]

    wrong = [
        f"docs/format.md, the example on line {line}:\n{said}"
        for line, example, before in examples
        for part in example_checks(example, before, whole, fragment, schema)
        if (said := first_said(line, part))
    ]
    assert wrong == []
