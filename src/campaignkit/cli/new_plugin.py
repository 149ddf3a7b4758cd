"""``campaignkit new-plugin PATH``: a plugin distribution that installs and passes its tests.

What it writes is the shortest path from nothing to a working plugin: a pyproject with the
entry point, one hook beside its config section, and tests that use
``campaignkit.testing``. The plugin's name is a slug, as every campaignkit name is.
"""

from __future__ import annotations

import re
import string
from importlib import resources
from pathlib import Path
from typing import Annotated

import typer

from .. import __version__
from .exits import EXIT_OK, EXIT_PROBLEMS
from .output import err, say

SLUG = re.compile(r"[a-z0-9][a-z0-9-]*\Z")

# Template → where it goes; `{package}` is the import name.
FILES = {
    "pyproject.toml.tmpl": "pyproject.toml",
    "README.md.tmpl": "README.md",
    "plugin.py.tmpl": "src/{package}/__init__.py",
    "test_plugin.py.tmpl": "tests/test_{package}.py",
}


def plugin_files(name: str, description: str) -> dict[str, str]:
    """Each file of the distribution of plugin `name`, by its path inside the folder."""
    package = "campaignkit_" + name.replace("-", "_")
    # A class name of its own: the JSON Schema and error messages name it.
    settings = "".join(part.title() for part in name.split("-")) + "Settings"
    values = {
        "name": name,
        "dist": f"campaignkit-{name}",
        "package": package,
        "settings": settings if settings[0].isalpha() else f"Plugin{settings}",
        "description": description,
        "campaignkit_version": __version__,
    }
    folder = resources.files("campaignkit") / "templates" / "plugin"
    out = {
        target.format(package=package): string.Template(
            (folder / template).read_text(encoding="utf-8")
        ).substitute(values)
        for template, target in FILES.items()
    }
    out[f"src/{package}/py.typed"] = ""
    return out


def new_plugin(
    path: Annotated[
        Path, typer.Argument(help="The folder to create; it must not exist or be empty.")
    ],
    name: Annotated[
        str | None,
        typer.Option(
            "--name",
            help="The plugin's name (a slug). Default: the folder's name without `campaignkit-`.",
        ),
    ] = None,
    description: Annotated[
        str, typer.Option("--description", help="One line saying what the plugin does.")
    ] = "Warns when a requirement leaves the units too little time.",
) -> None:
    """Write a plugin distribution, ready to install and test, to start a plugin from."""
    name = name or path.resolve().name.removeprefix("campaignkit-")
    if not SLUG.match(name):
        err(
            f"error: `{name}` cannot be a plugin's name: use lower-case letters, digits and "
            "hyphens, starting with a letter or a digit (--name)"
        )
        raise typer.Exit(EXIT_PROBLEMS)
    if path.exists() and (not path.is_dir() or any(path.iterdir())):
        err(f"error: {path} already exists and is not an empty folder; nothing was written")
        raise typer.Exit(EXIT_PROBLEMS)
    files = plugin_files(name, description)
    for relative, text in files.items():
        target = path / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    say(f"✓ wrote plugin `{name}` to {path}: {len(files)} files", "green")
    say(f"  cd {path} && python -m pip install -e '.[test]' && python -m pytest")
    raise typer.Exit(EXIT_OK)
