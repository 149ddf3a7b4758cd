"""The ``campaignkit`` command line: one module per command."""

from __future__ import annotations

# Each command module registers its command on `app` when imported.
from . import new, plugins, report, schema, show, simulate, status, submit, tick, timeline, validate
from .app import app


def main() -> None:
    """Console-script entry point."""
    app(prog_name="campaignkit")


__all__ = ["app", "main"]
