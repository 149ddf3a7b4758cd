"""Each plugin's own tests run when that plugin is installed (the README's first command
installs them all), and are skipped, each module unimported and saying why, when it is not:
`pip install -e '.[test]'` alone runs the core's tests, and the rest skip."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import metadata
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


@cache
def missing(folder: Path) -> str | None:
    """The distribution in plugins/`folder`, if it is not installed."""
    name: str = tomllib.loads((folder / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "name"
    ]
    try:
        metadata.distribution(name)
    except metadata.PackageNotFoundError:
        return name
    return None


class NotInstalled(pytest.Module):
    """A test module left unimported: its plugin is not installed."""

    def collect(self) -> list[pytest.Item]:
        folder = HERE / self.path.relative_to(HERE).parts[0]
        pytest.skip(
            f"{missing(folder)} is not installed: `pip install -e 'plugins/{folder.name}[test]'`"
            " (or `pip install -r requirements-dev.txt`, every plugin)"
        )


def pytest_pycollect_makemodule(
    module_path: Path, parent: pytest.Collector
) -> pytest.Module | None:
    folder = HERE / module_path.resolve().relative_to(HERE).parts[0]
    if (folder / "pyproject.toml").is_file() and missing(folder):
        return NotInstalled.from_parent(parent, path=module_path)
    return None
