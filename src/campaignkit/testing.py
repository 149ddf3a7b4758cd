"""campaignkit's pytest plugin, for plugin authors and for campaignkit's own tests.

Installed with campaignkit and loaded by pytest automatically (entry point ``pytest11``).
Fixtures:

- ``run_cli``: run ``campaignkit ARGS...`` in-process; returns exit code, stdout, stderr;
- ``write_campaign``: write TOML text to a file in a temporary folder and return its path.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import pytest


@attrs.frozen
class CliResult:
    """What a person sees after running a command."""

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
    """Run `campaignkit ARGS...` in-process and return what a person would see.

    An exception escaping the command line fails the test: the CLI must turn every failure
    into a message and an exit code.
    """
    from typer.testing import CliRunner

    from campaignkit.cli import app

    def run(*args: object, env: dict[str, str] | None = None) -> CliResult:
        result = CliRunner().invoke(app, [str(a) for a in args], env=env, catch_exceptions=True)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        return CliResult(result.exit_code, result.stdout, result.stderr)

    return run


@pytest.fixture
def write_campaign(tmp_path: Path) -> Callable[..., Path]:
    """Write TOML text (dedented) to a file and return its path."""
    counter = iter(range(1_000_000))

    def write(text: str, name: str | None = None) -> Path:
        path = tmp_path / (name or f"campaign{next(counter)}.toml")
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return write
