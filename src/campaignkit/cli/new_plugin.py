"""``campaignkit new-plugin PATH``: a plugin distribution that installs and passes its tests.

What it writes is the shortest path from nothing to a working plugin: a pyproject with the
entry point, the hooks of one kind of plugin (``--template``: a check, a notifier, a report
format, a timeline plugin), and tests that use ``campaignkit.testing``. The templates are
in ``plugin_templates.py``. The plugin's name is a slug, as every campaignkit name is.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

import typer

from .. import __version__
from ..plugin_templates import PluginTemplate, plugin_files
from .exits import EXIT_OK, EXIT_PROBLEMS
from .output import err, say

SLUG = re.compile(r"[a-z0-9][a-z0-9-]*\Z")


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
    template: Annotated[
        PluginTemplate,
        typer.Option(
            "--template",
            "-t",
            help="The kind of plugin: check (a table and a check of the campaign), notifier "
            "(a channel with settings and quiet hours), report (a report format) or timeline "
            "(events of its own, and the notices they make).",
        ),
    ] = PluginTemplate.check,
    description: Annotated[
        str | None,
        typer.Option(
            "--description",
            help="One line saying what the plugin does. Default: the template's.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Write a plugin that installs and passes its tests: a check, notifier, report or timeline."""
    name = name or path.resolve().name.removeprefix("campaignkit-")
    if not SLUG.match(name):
        err(
            f"error: `{name}` cannot be a plugin's name: use lower-case letters, digits and "
            "hyphens, starting with a letter or a digit (--name)"
        )
        raise typer.Exit(EXIT_PROBLEMS)
    if description is not None and any(c in description for c in '"\\\n\r'):
        # It goes into the plugin's code and docstrings as it is written.
        err('error: --description must be one line without " or \\; nothing was written')
        raise typer.Exit(EXIT_PROBLEMS)
    if path.exists() and (not path.is_dir() or any(path.iterdir())):
        err(f"error: {path} already exists and is not an empty folder; nothing was written")
        raise typer.Exit(EXIT_PROBLEMS)
    files = plugin_files(name, template, description, campaignkit_version=__version__)
    for relative, text in files.items():
        target = path / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    say(f"✓ wrote plugin `{name}` to {path}: {len(files)} files", "green")
    say(f"  cd {path} && python -m pip install -e '.[test]' && python -m pytest")
    raise typer.Exit(EXIT_OK)
