"""Shared fixtures: run the CLI as a person would, and write small campaign files."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import pytest
from typer.testing import CliRunner

REPO = Path(__file__).resolve().parent.parent
SHENZHEN = REPO / "campaigns" / "shenzhen_2020.toml"

# The smallest campaign that validates; tests append to it or replace parts of it.
MINIMAL = """\
format = 1

[campaign]
id = "mini"
title = "Minimal campaign"
issued_on = 2020-05-22
issued_by = "office"
timezone = "Asia/Shanghai"

[phases.month]
name = "Safety month"
start = 2020-06-01
end = 2020-06-30

[units.office]
name = "Safety office"
kind = "office"

[units.east]
name = "East district"
kind = "district"
parent = "office"

[groups]
districts = { kinds = ["district"] }

[requirements.summary]
name = "Summary"
assignees = ["districts"]
due = 2020-06-28
"""


@attrs.frozen
class CliResult:
    exit_code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    def json(self) -> Any:
        return json.loads(self.stdout)


@pytest.fixture
def run_cli() -> Callable[..., CliResult]:
    """Run `campaignkit ARGS...` in-process and return what a person would see."""
    from campaignkit.cli import app

    def run(*args: object, env: dict[str, str] | None = None) -> CliResult:
        runner = CliRunner()
        result = runner.invoke(app, [str(a) for a in args], env=env, catch_exceptions=True)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            # The CLI must turn every failure into a message and an exit code.
            raise result.exception
        return CliResult(result.exit_code, result.stdout, result.stderr)

    return run


@pytest.fixture
def write_campaign(tmp_path: Path) -> Callable[..., Path]:
    """Write TOML text (dedented) to a file and return its path."""
    counter = iter(range(10_000))

    def write(text: str, name: str | None = None) -> Path:
        path = tmp_path / (name or f"campaign{next(counter)}.toml")
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return write
