"""The first-party plugins (plugins/*) working with the core, through the core's own
commands: the `html` and `ics` reports, the `email` and `webhook` notifiers and their
checks, the media prober, China's working-day calendar and the example plugin.

These tests need every first-party plugin installed, as the README's first command does
(`pip install -r requirements-dev.txt`). When one is missing, each module here is skipped
without being imported, and says which; the core's own tests, in tests/, need none of them.
"""

from __future__ import annotations

import tomllib
from importlib import metadata
from pathlib import Path

import pytest

PLUGINS = Path(__file__).resolve().parents[2] / "plugins"


def first_party() -> list[str]:
    """The distributions under plugins/, by the name in each one's pyproject.toml."""
    return [
        tomllib.loads(project.read_text(encoding="utf-8"))["project"]["name"]
        for project in sorted(PLUGINS.glob("*/pyproject.toml"))
    ]


def not_installed() -> list[str]:
    missing = []
    for name in first_party():
        try:
            metadata.distribution(name)
        except metadata.PackageNotFoundError:
            missing.append(name)
    return missing


MISSING = not_installed()


class NeedsPlugins(pytest.Module):
    """A test module left unimported: the plugins it works with are not installed."""

    def collect(self) -> list[pytest.Item]:
        pytest.skip(
            f"needs the first-party plugins; not installed: {', '.join(MISSING)} "
            "(`pip install -r requirements-dev.txt` installs them all)"
        )


def pytest_pycollect_makemodule(
    module_path: Path, parent: pytest.Collector
) -> pytest.Module | None:
    if MISSING:
        return NeedsPlugins.from_parent(parent, path=module_path)
    return None
