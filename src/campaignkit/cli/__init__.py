"""The ``campaignkit`` command line: one module per command, each imported only when run."""

from __future__ import annotations

from .app import app


def main() -> None:
    """Console-script entry point."""
    app(prog_name="campaignkit")


__all__ = ["app", "main"]
