"""The ``campaignkit`` command line: one module per command."""

from __future__ import annotations

from . import plugins, report, schema, show, simulate, timeline, validate  # noqa: F401  (each registers its command)
from .app import app


def main() -> None:
    """Console-script entry point."""
    app(prog_name="campaignkit")


__all__ = ["app", "main"]
